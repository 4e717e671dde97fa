// npm run preview: the built sidebar on localhost, its google.script.run calls answered by the built
// bundle (dist/Code.js) in Node against the in-memory fakes the tests use, next to a sheet of
// KLING_ formulas computed by HyperFormula with whatever rates are saved. Edit a rate, Save, and
// watch the sheet change.
//
//   npm run preview                 (port 8080)
//   npm run preview -- --port 0     (any free port; the address is printed)
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import vm from "node:vm";
// @ts-expect-error: plain ESM JavaScript without type declarations
import { computeSheet, loadBundle, parseCsv } from "./sheet.mjs";
import { defaultRateTable } from "../src/core/rates/default-table";
import { fakeServices } from "../test/fakes/index";
import { forwardTo } from "../test/fakes/sync-http";

const ROOT = join(__dirname, "..");
const DIST = join(ROOT, "dist");
const SAMPLE_CARD_URL = "https://raw.githubusercontent.com/kling-budget/rate-card/main/rates.csv";
const KLING_HOSTS = ["https://api-singapore.klingai.com", "https://api-beijing.klingai.com"];

/** The fake Kling API in a process of its own (UrlFetchApp waits for it synchronously); its address. */
function startFakeKlingApi(): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(join(ROOT, "node_modules/.bin/tsx"), ["scripts/fake-kling-api.ts", "--port", "0"], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  const url = new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk;
      const found = /Fake Kling API: (http:\/\/\S+)/.exec(output);
      if (found) resolve(found[1]!);
    });
    child.on("exit", (code) => reject(new Error(`the fake Kling API exited (${code}):\n${output}`)));
  });
  process.on("exit", () => child.kill());
  return { child, url };
}

/** A published rate card for Refresh to find: the built-in rates, with Kling 3.0 without audio a little dearer. */
function sampleCard(): string {
  const dearer: Record<string, number> = { "kling-v3 720p none plain": 0.65, "kling-v3 1080p none plain": 0.85 };
  const lines = defaultRateTable().rates.map((r) => {
    const key = `${r.model} ${r.quality} ${r.audio} ${r.input}`;
    const changed = dearer[key] !== undefined;
    return [r.model, r.quality, r.audio, r.input, r.per, r.seconds ?? "", dearer[key] ?? r.units, changed ? "Team rate card" : r.source, changed ? "2026-11" : r.asOf]
      .map((v) => (/[",]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(",");
  });
  return ["model,quality,audio,input,per,seconds,units,source,asOf", ...lines].join("\n");
}

export interface PreviewOptions {
  port?: number;
  /** Delay before each server answer, to see the sidebar's busy state. */
  latencyMs?: number;
  /** Extra URL routes for Refresh, e.g. a broken card in a test. */
  routes?: Record<string, { status: number; body: string }>;
  /** More sheets beside the campaign budget, by name: CSV files of values and formulas. */
  sheets?: Record<string, string>;
}

function extraSheets(files: Record<string, string>): Record<string, string[][]> {
  return Object.fromEntries(Object.entries(files).map(([name, file]) =>
    [name, parseCsv(readFileSync(file, "utf8")).map((row: (string | null)[]) => row.map((cell) => cell ?? ""))]));
}

export function startPreview(options: PreviewOptions = {}) {
  const campaign = parseCsv(readFileSync(join(ROOT, "examples/campaign-budget.csv"), "utf8")).map((row: (string | null)[]) => row.map((cell) => cell ?? ""));
  const fakes = fakeServices({
    session: { activeUserEmail: "analyst@example.com" },
    routes: { [SAMPLE_CARD_URL]: { status: 200, body: sampleCard(), headers: { "Content-Type": "text/csv" } }, ...options.routes },
    spreadsheet: { name: "Campaign budget (preview)", sheets: { "Campaign budget": campaign, ...extraSheets(options.sheets ?? {}) } },
  });
  const code = readFileSync(join(DIST, "Code.js"), "utf8");
  const kling = startFakeKlingApi();
  const klingReady = kling.url.then((base) => {
    for (const host of KLING_HOSTS) fakes.urlFetch.routes.set(`${host}/*`, forwardTo(host, base));
    return base;
  });

  /** One server call as Apps Script runs it: a fresh global scope over the same document. */
  function run(name: string, args: unknown[]): unknown {
    const context = vm.createContext({ ...fakes.globals });
    new vm.Script(code, { filename: "Code.js" }).runInContext(context);
    fakes.newExecution(context);
    const fn = context[name];
    if (typeof fn !== "function" || name.endsWith("_")) throw new Error(`Script function not found: ${name}`);
    // Arguments cross as JSON, as google.script.run sends them.
    return JSON.parse(JSON.stringify((fn as (...a: unknown[]) => unknown)(...(JSON.parse(JSON.stringify(args)) as unknown[])) ?? null));
  }

  /** A custom function's execution: ranges arrive as Sheets hands them over (dates stay dates). */
  function formula(name: string, args: unknown[]): unknown {
    const context = vm.createContext({ ...fakes.globals });
    new vm.Script(code, { filename: "Code.js" }).runInContext(context);
    fakes.newExecution(context);
    return (context[name] as (...a: unknown[]) => unknown)(...args);
  }

  /** The account figures as cells would show them: each function given the synced sheets as ranges. */
  function accountFigures(): string {
    const values = (name: string) => {
      const sheet = fakes.spreadsheet.spreadsheet.getSheetByName(name);
      return sheet && sheet.getLastRow() > 1 ? sheet.getRange(1, 1, sheet.getLastRow(), sheet.getLastColumn()).getValues() : undefined;
    };
    const packs = values("Kling packs"), usage = values("Kling usage");
    if (!packs || !usage) return "";
    const cells: [string, string, unknown[]][] = [
      ["Units expiring unused within 30 days", "KLING_EXPIRING", [packs]],
      ["Their value, USD", "KLING_EXPIRING", [packs, 30, "", "usd"]],
      ["Runway, days", "KLING_RUNWAY", [packs, usage]],
      ["Actual units, all synced usage", "KLING_ACTUAL", [usage]],
      ["Actual USD, all synced usage", "KLING_ACTUAL", [usage, "", "", "usd"]],
    ];
    const rows = cells.map(([label, name, args]) => {
      let shown: string;
      try {
        shown = show(formula(name, args));
      } catch (error) {
        shown = (error as Error).message;
      }
      return `<tr><td>${escape(label)}</td><td class="f" title="=${name}(...)" data-figure="${escape(label)}">${escape(shown)}</td></tr>`;
    });
    return `<h2>Account figures</h2><table>${rows.join("")}</table>`;
  }

  function sheetPage(): string {
    const bundle = loadBundle(join(DIST, "Code.js"), fakes.globals);
    const parts = fakes.spreadsheet.sheetNames().map((name: string) => {
      const grid = fakes.spreadsheet.grid(name).map((row) => row.map((cell) =>
        cell === "" ? null : typeof cell === "boolean" ? (cell ? "TRUE" : "FALSE") : Object.prototype.toString.call(cell) === "[object Date]" ? (cell as unknown as Date).toISOString().slice(0, 16).replace("T", " ") : String(cell)));
      const values: unknown[][] = grid.length ? computeSheet(grid, bundle) : [];
      const rows = values.map((row, r) =>
        `<tr><th>${r + 1}</th>${row.map((v, c) => {
          const formula = grid[r]?.[c];
          const isFormula = typeof formula === "string" && formula.startsWith("=");
          return `<td${isFormula ? ` class="f" title="${escape(formula)}"` : ""}${typeof v === "number" ? ' class="n"' : ""}>${escape(show(v))}</td>`;
        }).join("")}</tr>`).join("\n");
      return `<h2>${escape(name)}</h2><table>${rows}</table>`;
    });
    return `<!DOCTYPE html><meta charset="utf-8"><title>Sheet</title><style>
      body{font:12px Arial,sans-serif;margin:8px} table{border-collapse:collapse} td,th{border:1px solid #ddd;padding:2px 4px;white-space:nowrap;max-width:96px;overflow:hidden;text-overflow:ellipsis}
      th{background:#f3f3f3;color:#666;font-weight:normal} td.n{text-align:right} td.f{background:#f1f8ff} h2{font-size:14px}
      </style><p>Blue cells hold formulas (hover for the text). Recomputed with the saved rates after every sidebar call.</p>${accountFigures()}${parts.join("\n")}`;
  }

  const sidebar = () => readFileSync(join(DIST, "Sidebar.html"), "utf8").replace("<head>", `<head><script>${SHIM}</script>`);

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { "Content-Type": `${type}; charset=utf-8`, "Cache-Control": "no-store" });
      res.end(body);
    };
    try {
      if (req.method === "GET" && url.pathname === "/") return send(200, "text/html", PAGE);
      if (req.method === "GET" && url.pathname === "/sidebar") return send(200, "text/html", sidebar());
      if (req.method === "GET" && url.pathname === "/sheet") return send(200, "text/html", sheetPage());
      if (req.method === "POST" && url.pathname.startsWith("/run/")) {
        let body = "";
        req.on("data", (chunk) => (body += chunk));
        req.on("end", () => {
          let answer: string;
          try {
            answer = JSON.stringify({ value: run(decodeURIComponent(url.pathname.slice(5)), JSON.parse(body || "[]") as unknown[]) });
          } catch (error) {
            answer = JSON.stringify({ error: (error as Error).message });
          }
          setTimeout(() => send(200, "application/json", answer), options.latencyMs ?? 0);
        });
        return;
      }
      send(404, "text/plain", "not found");
    } catch (error) {
      send(500, "text/plain", (error as Error).stack ?? String(error));
    }
  });
  const listening = new Promise<string>((resolve) => {
    server.listen(options.port ?? 8080, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`));
  });
  return { server, fakes, listening: Promise.all([listening, klingReady]).then(([address]) => address), klingApi: klingReady, sampleCardUrl: SAMPLE_CARD_URL };
}

function show(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object" && value && "error" in value) return String((value as { error: string; message?: string }).message ?? (value as { error: string }).error);
  if (typeof value === "number") return String(Math.round(value * 1e6) / 1e6);
  return String(value);
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// google.script.run for the preview: the same chained API, answered over HTTP by the bundle in Node.
const SHIM = `(function () {
  function runner(h) {
    return new Proxy({}, { get: function (_, name) {
      if (name === "withSuccessHandler") return function (f) { return runner(Object.assign({}, h, { ok: f })); };
      if (name === "withFailureHandler") return function (f) { return runner(Object.assign({}, h, { fail: f })); };
      if (name === "withUserObject") return function (o) { return runner(Object.assign({}, h, { user: o })); };
      return function () {
        var args = Array.prototype.slice.call(arguments);
        fetch("/run/" + encodeURIComponent(name), { method: "POST", body: JSON.stringify(args) })
          .then(function (r) { return r.json(); })
          .then(function (answer) {
            if ("error" in answer) { if (h.fail) h.fail(new Error(answer.error), h.user); }
            else if (h.ok) h.ok(answer.value, h.user);
            if (window.parent !== window) window.parent.postMessage("kling-budget:ran", "*");
          }, function (e) { if (h.fail) h.fail(e, h.user); });
      };
    } });
  }
  window.google = { script: { run: runner({}), host: { close: function () {} } } };
})();`;

const PAGE = `<!DOCTYPE html><meta charset="utf-8"><title>Kling Budget preview</title><style>
  body{margin:0;display:flex;height:100vh;font:13px Arial,sans-serif}
  #sheet{flex:1;border:0;border-right:1px solid #ccc} #sidebar{width:300px;border:0}
</style>
<iframe id="sheet" src="/sheet" title="Spreadsheet"></iframe>
<iframe id="sidebar" src="/sidebar" title="Kling Budget rates sidebar"></iframe>
<script>
  addEventListener("message", function (e) {
    if (e.data === "kling-budget:ran") document.getElementById("sheet").contentWindow.location.reload();
  });
</script>`;

if (require.main === module) {
  const portArg = process.argv.indexOf("--port");
  const port = portArg > 0 ? Number(process.argv[portArg + 1]) : Number(process.env.PORT ?? 8080);
  const latencyArg = process.argv.indexOf("--latency");
  const latencyMs = latencyArg > 0 ? Number(process.argv[latencyArg + 1]) : 0;
  // --sheet path.csv (repeatable): another sheet, named after its file.
  const sheets: Record<string, string> = {};
  process.argv.forEach((arg, i) => {
    const file = process.argv[i + 1];
    if (arg === "--sheet" && file) sheets[file.replace(/^.*[\\/]/, "").replace(/\.csv$/i, "")] = file;
  });
  const preview = startPreview({ port, latencyMs, sheets });
  preview.listening.then((address) => {
    console.log(`Kling Budget preview: ${address}`);
    console.log(`Refresh can fetch the sample rate card at ${preview.sampleCardUrl}`);
    void preview.klingApi.then((url) => console.log(`Kling account: connect with API key preview-api-key-4f2a (the fake Kling API at ${url} answers with sample packs and usage)`));
  });
}
