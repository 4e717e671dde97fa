// Builds what clasp pushes: dist/Code.js, dist/Sidebar.html and dist/appsscript.json.
//
// Apps Script only sees top-level `function NAME(...)` declarations, and Sheets takes a custom
// function's formula help from the JSDoc block right above that declaration. esbuild drops
// comments, so the bundle goes into one private global and this script writes a forwarding
// wrapper for each export of the entry, carrying the JSDoc from the function's source.
import * as esbuild from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const root = dirname(fileURLToPath(import.meta.url));
export const LIBRARY = "KlingBudget_"; // the trailing "_" keeps it out of Apps Script's run menu
const ENTRY = join(root, "src/gas/main.ts");
const GAS_DIR = join(root, "src/gas");
const SIDEBAR_DIR = join(root, "src/sidebar");
export const SIDEBAR_FILE = "Sidebar"; // HtmlService.createHtmlOutputFromFile names it without ".html"

/** Splits "a: T, b?: Map<K, V>" at top-level commas and returns the parameter names. */
export function parameterNames(list) {
  const parts = [];
  let depth = 0, current = "";
  for (const ch of list) {
    if ("<([{".includes(ch)) depth++;
    if (">)]}".includes(ch)) depth--;
    if (ch === "," && depth === 0) parts.push(current), (current = "");
    else current += ch;
  }
  if (current.trim()) parts.push(current);
  return parts.map((p) => p.trim().replace(/^\.\.\./, "").split(/[?:=\s]/)[0]).filter(Boolean);
}

/** Every `export function` in src/gas with its JSDoc block (or null) and parameter names. */
export function readDeclarations(dir = GAS_DIR) {
  const found = new Map();
  const pattern = /(\/\*\*(?:(?!\*\/)[\s\S])*\*\/)?\s*export function ([A-Za-z_$][\w$]*)\s*\(([^)]*)\)/g;
  for (const file of readdirSync(dir, { recursive: true })) {
    if (!String(file).endsWith(".ts")) continue;
    const text = readFileSync(join(dir, String(file)), "utf8");
    for (const m of text.matchAll(pattern)) {
      found.set(m[2], { name: m[2], jsdoc: m[1] ?? null, params: parameterNames(m[3]), file: String(file) });
    }
  }
  return found;
}

/** Problems that would make a custom function's formula help wrong or missing. */
export function checkCustomFunction(decl) {
  const problems = [];
  const doc = decl.jsdoc ?? "";
  const tags = [...doc.matchAll(/@param[ \t]+(\{[^}]*\})?[ \t]*(\[?[\w$]+\]?)[ \t]*([^\n]*)/g)];
  const names = tags.map((t) => t[2].replace(/^\[|\]$/g, ""));
  if (names.join(",") !== decl.params.join(",")) {
    problems.push(`@param names (${names.join(", ")}) differ from the signature (${decl.params.join(", ")})`);
  }
  for (const t of tags) {
    if (!t[1]) problems.push(`@param ${t[2]} has no {type}`);
    if (!t[3].trim()) problems.push(`@param ${t[2]} has no description`);
  }
  if (!/@return\b/.test(doc)) problems.push("no @return");
  if (decl.name.endsWith("_")) problems.push("a name ending in _ is private and cannot be a custom function");
  return problems;
}

/**
 * Turns esbuild's ES module output into a script: the module body inside a function that returns
 * the entry's exports as a plain object. (esbuild's own IIFE format reaches each export through a
 * getter and copies them at load; this measured about 0.17 ms less per cold execution.)
 */
export function wrapModule(esm) {
  const clause = /export\s*\{([^}]*)\};?\s*$/.exec(esm);
  if (!clause) throw new Error("build: esbuild output does not end in one export clause");
  const members = clause[1].split(",").map((part) => part.trim()).filter(Boolean).map((part) => {
    const [local, name = local] = part.split(/\s+as\s+/);
    return `${name}:${local}`;
  });
  return `var ${LIBRARY}=(function(){${esm.slice(0, clause.index)}return{${members.join(",")}}})();\n`;
}

export function wrapper(decl) {
  const args = decl.params.join(", ");
  const doc = decl.jsdoc ? `${decl.jsdoc.trim()}\n` : "";
  return `${doc}function ${decl.name}(${args}) {\n  return ${LIBRARY}.${decl.name}(${args});\n}\n`;
}

/**
 * The built-in rate table is data: evaluate it and its name lookups here, once, and ship them as a
 * JSON string. Each execution then parses a string instead of running the code that builds them.
 */
async function defaultTablePlugin() {
  const compiled = await esbuild.build({
    stdin: {
      contents: 'export { defaultRateTable } from "./default-table"; export { compileLookup } from "./lookup";',
      resolveDir: join(root, "src/core/rates"),
      loader: "ts",
    },
    bundle: true, format: "esm", platform: "neutral", write: false, logLevel: "warning",
  });
  const { defaultRateTable, compileLookup } = await import(`data:text/javascript;base64,${Buffer.from(compiled.outputFiles[0].text).toString("base64")}`);
  const table = defaultRateTable();
  const json = JSON.stringify({ table, lookup: compileLookup(table) });
  const contents = [
    'import type { RateTable } from "./types";',
    'import { primeRateIndex } from "./lookup";',
    // At module level, so the long string is scanned once with the script, not again when the function compiles.
    `const DEFAULT_JSON = ${JSON.stringify(json)};`,
    "let cached: RateTable | undefined;",
    "export function defaultRateTable(): RateTable {",
    "  if (!cached) {",
    "    const { table, lookup } = JSON.parse(DEFAULT_JSON);",
    "    primeRateIndex(table, lookup);",
    "    cached = table;",
    "  }",
    "  return cached!;",
    "}",
  ].join("\n");
  return {
    name: "default-table-as-json",
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/]core[\\/]rates[\\/]default-table\.ts$/ }, () => ({ loader: "ts", contents, resolveDir: join(root, "src/core/rates") }));
    },
  };
}

/**
 * The Unicode confusables table (unhomoglyph's data.json, 77 KB), cut to the characters a name can
 * hold when its skeleton is taken: names are NFKC-normalized first, and the NFD the skeleton then
 * takes leaves only characters that NFKD maps to themselves (31 KB). Shipped as a JSON string,
 * which V8 scans faster than an object literal.
 */
function confusablesPlugin() {
  return {
    name: "confusables-data",
    setup(b) {
      b.onLoad({ filter: /[\\/]unhomoglyph[\\/]data\.json$/ }, (args) => {
        const data = JSON.parse(readFileSync(args.path, "utf8"));
        const kept = Object.fromEntries(Object.entries(data).filter(([from]) => from.normalize("NFKD") === from));
        return { loader: "js", contents: `module.exports = JSON.parse(${JSON.stringify(JSON.stringify(kept))});` };
      });
    },
  };
}

/**
 * Only saving validates a rate table, but zod sets up its classes as soon as its code runs, and
 * every custom-function execution runs the whole bundle. So the validator is bundled on its own
 * and put inside a function that runs on the first validation: in a cell, V8 only skims it.
 */
async function lazySchemaPlugin() {
  const schemaPath = join(root, "src/core/rates/schema.ts");
  const inner = await esbuild.build({
    entryPoints: [schemaPath], bundle: true, format: "esm", target: "es2019", platform: "neutral", plugins: [confusablesPlugin()],
    minify: true, legalComments: "none", write: false, logLevel: "warning",
  });
  const body = wrapModule(inner.outputFiles[0].text).replace(/^var [\w$]+=\(function\(\)\{/, "function(){").replace(/\}\)\(\);\n$/, "}");
  const contents = [
    "let loaded;",
    `const load = ${body};`,
    "export function validateRateTable(...args) {",
    "  loaded ??= load();",
    "  return loaded.validateRateTable(...args);",
    "}",
  ].join("\n");
  return {
    name: "lazy-schema",
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/]core[\\/]rates[\\/]schema\.ts$/ }, () => ({ loader: "js", contents }));
    },
  };
}

/** The sidebar as one HTML file: HtmlService serves a single file, so its script and styles go inline. */
export async function buildSidebar() {
  const result = await esbuild.build({
    entryPoints: [join(SIDEBAR_DIR, "main.ts")],
    plugins: [confusablesPlugin()],
    bundle: true,
    format: "iife",
    target: "es2019",
    platform: "browser",
    minify: true,
    legalComments: "none",
    write: false,
    logLevel: "warning",
  });
  // "</script" inside the code would end the inline script early.
  const script = result.outputFiles[0].text.replace(/<\/(script)/gi, "<\\/$1");
  const css = (await esbuild.transform(readFileSync(join(SIDEBAR_DIR, "styles.css"), "utf8"), { loader: "css", minify: true })).code;
  const page = readFileSync(join(SIDEBAR_DIR, "index.html"), "utf8");
  if (!page.includes("<!-- styles -->") || !page.includes("<!-- script -->")) throw new Error("build: src/sidebar/index.html needs <!-- styles --> and <!-- script --> markers");
  return page.replace("<!-- styles -->", () => `<style>${css}</style>`).replace("<!-- script -->", () => `<script>${script}</script>`);
}

const KLING_API_PREFIX = /^https:\/\/api-[a-z]+\.klingai\.com\//i;

/** Refresh may fetch only what the manifest allows; the code checks the same list to say so plainly. */
export function urlPrefixes() {
  const prefixes = JSON.parse(readFileSync(join(root, "appsscript.json"), "utf8")).urlFetchWhitelist ?? [];
  const bad = prefixes.filter((p) => !/^https:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+\/[^\s?#]*$/i.test(p));
  if (bad.length) throw new Error(`build: appsscript.json urlFetchWhitelist needs https://, a full domain and a path: ${bad.join(", ")}`);
  // Kling's API hosts are there for the account sync, not as places to fetch a rate card from.
  return prefixes.filter((p) => !KLING_API_PREFIX.test(p));
}

export async function build({ outdir = join(root, "dist") } = {}) {
  const result = await esbuild.build({
    define: { __URL_PREFIXES__: JSON.stringify(urlPrefixes()) },
    plugins: [await defaultTablePlugin(), await lazySchemaPlugin()],
    entryPoints: [ENTRY],
    bundle: true,
    format: "esm", // wrapped below into one private global
    target: "es2019",
    platform: "neutral",
    minifySyntax: true,
    minifyWhitespace: true,
    minifyIdentifiers: true,
    legalComments: "none",
    charset: "utf8", // the confusables table: 6 bytes per character escaped, 2 to 3 as UTF-8
    write: false,
    logLevel: "warning",
  });
  const library = wrapModule(result.outputFiles[0].text);
  const exported = Object.keys(vm.runInContext(`${library}\n${LIBRARY}`, vm.createContext({}))).sort();
  const declarations = readDeclarations();
  const wrappers = [];
  const problems = [];
  for (const name of exported) {
    const decl = declarations.get(name);
    if (!decl) {
      problems.push(`${name}: exported by src/gas/main.ts but not declared as "export function ${name}" in src/gas`);
      continue;
    }
    if (decl.jsdoc?.includes("@customfunction")) problems.push(...checkCustomFunction(decl).map((p) => `${name}: ${p}`));
    wrappers.push(wrapper(decl));
  }
  if (problems.length) throw new Error(`build: the custom functions' formula help is wrong:\n  ${problems.join("\n  ")}`);

  const code = [
    "// Kling Budget for Google Sheets. Generated by build.mjs from src/; edit the TypeScript, not this file.",
    "",
    ...wrappers,
    library,
  ].join("\n");
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  writeFileSync(join(outdir, "Code.js"), code);
  writeFileSync(join(outdir, `${SIDEBAR_FILE}.html`), await buildSidebar());
  copyFileSync(join(root, "appsscript.json"), join(outdir, "appsscript.json"));
  return { exported, bytes: Buffer.byteLength(code) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  build().then(
    ({ exported, bytes }) => console.log(`dist/Code.js: ${exported.length} globals, ${(bytes / 1024).toFixed(1)} KiB`),
    (error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
