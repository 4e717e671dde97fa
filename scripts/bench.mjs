// Speed of the built bundle, measured the way Sheets runs it: every custom-function execution
// loads the whole of dist/Code.js into a fresh global scope and makes one call.
//
//   npm run bench                      builds, runs every case, exits 1 if a figure is over its limit
//   npm run bench -- --no-limits       the same, exit 0 whatever the figures (for exploring)
//   npm run bench -- --only range      only the cases whose name contains "range"
//   npm run bench -- --readme          also writes the table into README.md (between the bench markers)
//
// A case is { name, unit, limit?, samples?, run, baseline? } in CASES below. run() gives one
// sample in `unit` (time it with `timed`; it may set up untimed first, e.g. a fresh context);
// baseline(), when there is one, gives one sample of a reference run side by side: the runner
// alternates the two `samples` times, so load on the machine hits both alike, and prints the
// median of each and the median of their ratios. The limit applies to that ratio when there is a
// baseline, else to the median figure.
//
// The cold-start ratio is given twice: as the issue defines it (fresh context, evaluate dist, one
// call; V8 may reuse code it compiled from the same source in another context, as any engine with
// a code cache would), and with V8's compilation cache defeated by a unique first line, the worst
// case of a host that caches nothing. (The unique text goes first: V8 hashes a string over 16,383
// characters by its length alone, so sources differing only at the end collide in that cache.)
import { spawnSync } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { fakeServices } from "../test/fakes/index.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const codePath = join(root, "dist/Code.js");
const code = readFileSync(codePath, "utf8");
const TRIVIAL = "function DOUBLE(x) {\n  return x * 2;\n}\n";
const argv = process.argv.slice(2);

// ---------------------------------------------------------------------------------------------
// Helpers for cases

/** ms taken by fn(). */
export const timed = (fn) => {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * What a custom function finds in the document cache once an analyst has saved rates: the entry a
 * real save through the bundle leaves there (built-in rates with one change, saved as version 1).
 */
function savedCacheEntry() {
  const fakes = fakeServices();
  const load = () => {
    const context = vm.createContext({ ...fakes.globals });
    new vm.Script(code).runInContext(context);
    fakes.newExecution(context);
    return context;
  };
  const table = JSON.parse(JSON.stringify(load().getRatesState().table));
  table.pricing.defaultUnitPriceUsd = 0.126;
  const saved = load().saveRates(table, 0, "Edited");
  if (!saved.ok) throw new Error(`bench: the save failed: ${saved.problems.join("; ")}`);
  return fakes.globals.CacheService.getDocumentCache().get("kb.rates.current");
}
// Plain stand-ins, so the figures time the bundle and not the fakes' bookkeeping.
// The entry and the version marker a save leaves, read together as a custom function reads them.
const warmServices = (entry) => ({
  CacheService: { getDocumentCache: () => ({ getAll: () => ({ "kb.rates.current": entry, "kb.rates.marker": String(JSON.parse(entry).version) }), put() {}, putAll() {} }) },
  PropertiesService: { getDocumentProperties: () => ({ getProperties: () => ({}) }) },
});
const NOTHING_SAVED = warmServices('{"version":0,"locale":"","timeZone":""}');

let runId = 0;
/**
 * A fresh global scope with `source` evaluated, as Apps Script starts an execution. `unique`
 * defeats V8's compilation cache; `services` are the Apps Script globals it sees (default: rates
 * saved and warm in the document cache).
 */
export const fresh = (source, { unique = false, services = SAVED } = {}) => {
  const context = vm.createContext({ ...services });
  new vm.Script(unique ? `// run ${runId++}\n${source}` : source).runInContext(context);
  return context;
};

// ---------------------------------------------------------------------------------------------
// Inputs

// A 10,000-row budget column: a mix of models, qualities, audio and inputs, as a real sheet has.
const SHOTS = [
  ["kling-v3", "1080p", 10, true, ""], ["V3", "720p", 5, "", "image"], ["kling-v3", "4k", 8, "", ""],
  ["Omni", "1080p", 12, "", "video"], ["kling-v3", "pro", 15, "voice", ""], ["kling-v2-1", "std", 5, "", ""],
  ["kling-v2-1-master", "", 10, "", ""], ["kling-v1-5", "1080p", 10, "", ""],
];
const ROWS = 10_000;
const column = (i) => Array.from({ length: ROWS }, (_, r) => [SHOTS[r % SHOTS.length][i]]);
const RANGE = [0, 1, 2, 3, 4].map(column);

// The least any range path can cost (its own source, loaded cold like the bundle): read each
// row, look its values up in a Map of known results (one Map level per argument; a value never
// seen is stored, not computed), write a one-cell row.
const NEAR_IDEAL = `function NEAR_IDEAL(...columns) {
  const known = new Map();
  const out = [];
  for (let r = 0; r < columns[0].length; r++) {
    let node = known;
    for (let j = 0; j < columns.length - 1; j++) {
      const v = columns[j][r][0];
      let next = node.get(v);
      if (next === undefined) node.set(v, (next = new Map()));
      node = next;
    }
    const v = columns[columns.length - 1][r][0];
    let result = node.get(v);
    if (result === undefined) node.set(v, (result = 1));
    out.push([result]);
  }
  return out;
}`;

// KLING_PURCHASE_PLAN on 24 months: examples/purchase-plan.csv's year (clips of 8 units: Kling 3.0
// 1080p, 10 s), then the same year half as busy again; 5 tasks for six months, then 20.
const YEAR = [300, 500, 4000, 2500, 1200, 600, 150, 100, 800, 1500, 2000, 2500];
const FORECAST = [...YEAR, ...YEAR.map((clips) => clips * 1.5)].map((clips) => [clips * 8]);
const NEEDS = FORECAST.map((_, month) => [month < 6 ? 5 : 20]);

/**
 * Recalculating a sheet of 50,000 KLING_ cells, in one column and in a 500 x 100 block, through the
 * bundle over the fakes: the service calls it makes (all of them, and the range writes) and the
 * time, the fakes' own bookkeeping included (the median of 3 runs). Measured once, shared by the
 * cases that print its figures.
 */
let recalc;
function recalcFigures(source = code) {
  if (recalc) return recalc;
  const CELLS = 50_000;
  const formula = (i) => `=KLING_COST("kling-v3", "${i % 2 ? "720p" : "1080p"}", ${(i % 15) + 1})`;
  const layouts = {
    "one column": Array.from({ length: CELLS }, (_, r) => [formula(r)]),
    "a 500 x 100 block": Array.from({ length: 500 }, (_, r) => Array.from({ length: 100 }, (_, c) => formula(r * 100 + c))),
  };
  const figures = [];
  for (const [layout, rows] of Object.entries(layouts)) {
    const samples = [];
    let calls = [];
    for (let run = 0; run < 3; run++) {
      const fakes = fakeServices({ spreadsheet: { sheets: { Shots: rows } } });
      const context = vm.createContext({ ...fakes.globals });
      new vm.Script(source).runInContext(context);
      fakes.newExecution(context);
      const mark = fakes.log.calls.length;
      const start = process.hrtime.bigint();
      const result = context.recalculateKlingFormulas();
      samples.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (result.cells !== CELLS || result.note) throw new Error(`bench: recalculation of ${layout} did ${result.cells} cells: ${result.note}`);
      calls = fakes.log.calls.slice(mark);
    }
    const writes = calls.filter((c) => c.startsWith("range.set")).length;
    figures.push({ layout, ms: samples.sort((a, b) => a - b)[1], calls: calls.length, writes });
  }
  return (recalc = figures);
}

// A million rows, each a different model name nobody has: every row is a message.
const BIG_ROWS = 1_000_000;
/**
 * Runs in a child process (`--big-range`), so its peak memory is its own: builds the column,
 * makes one KLING_COST call over it in a fresh context, and reports time, peak memory beyond the
 * input, and the size of the text returned.
 */
function bigRangeChild() {
  const models = Array.from({ length: BIG_ROWS }, (_, r) => [`no-such-model-${r}`]);
  globalThis.gc();
  const before = process.memoryUsage().rss;
  const context = fresh(code, { services: NOTHING_SAVED });
  let out;
  const ms = timed(() => (out = context.KLING_COST(models, "1080p", 10)));
  const peak = process.resourceUsage().maxRSS * 1024;
  let chars = 0;
  for (const row of out) chars += String(row[0]).length;
  process.stdout.write(JSON.stringify({ ms, peakMiB: (peak - before) / 2 ** 20, charsPerRow: chars / BIG_ROWS, first: out[0][0], second: out[1][0] }));
}
let big;
/** The child's figures, measured once and shared by the cases that print them. */
function bigRange() {
  if (big) return big;
  const child = spawnSync(process.execPath, [...process.execArgv, "--expose-gc", fileURLToPath(import.meta.url), "--big-range"], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`bench: the ${BIG_ROWS}-row child failed: ${child.stderr}`);
  return (big = JSON.parse(child.stdout));
}


// ---------------------------------------------------------------------------------------------
// The cases. Add yours to the list: { name, unit, limit?, samples?, run, baseline? }.

const one = (source, options, call) => () => {
  const context = fresh(source, options);
  return timed(() => call(context));
};
const loadAndCall = (source, options, call) => () => timed(() => call(fresh(source, options)));
const cost = (c) => c.KLING_COST("kling-v3", "1080p", 10);
const double = (c) => c.DOUBLE(2);

// The planner at any magnitude (issue 11): each run must return an exact plan (a table), or the
// case fails.
const PLANNER_CASES = (() => {
  let seed = 20260401; // a fixed sequence, so every run plans the same forecasts
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const months = (n, f) => Array.from({ length: n }, (_, m) => [f(m)]);
  const plan = (units, needs) => one(code, {}, (c) => {
    const table = c.KLING_PURCHASE_PLAN(units, needs);
    if (!Array.isArray(table)) throw new Error(`bench: the planner answered ${JSON.stringify(table)}`);
  });
  const enterprise = months(12, () => Math.round(1e6 + 2e6 * random()));
  const steady = months(36, () => Math.round(125000 * (0.9 + 0.2 * random())));
  const mixed = months(60, () => Math.round(5000 + 400000 * random()));
  const mixedNeeds = months(60, (m) => (Math.floor(m / 6) % 2 === 0 ? 5 : 20));
  return [
    { name: "KLING_PURCHASE_PLAN, 12 months of 1-3 million units, 20 tasks", unit: "ms", samples: 3, limit: 200, run: plan(enterprise, 20) },
    { name: "KLING_PURCHASE_PLAN, 36 months of about 125,000 units, 20 tasks", unit: "ms", samples: 3, limit: 200, run: plan(steady, 20) },
    { name: "KLING_PURCHASE_PLAN, 120 months of 1e9 units, 20 tasks", unit: "ms", samples: 3, limit: 2000, run: plan(months(120, () => 1e9), 20) },
    { name: "KLING_PURCHASE_PLAN, one month of 1e9 units, 20 tasks", unit: "ms", samples: 3, limit: 2000, run: plan(1e9, 20) },
    { name: "KLING_PURCHASE_PLAN, 60 months mixing 5 and 20 tasks", unit: "ms", samples: 3, limit: 1000, run: plan(mixed, mixedNeeds) },
  ];
})();

export const CASES = [
  // Cold start: a fresh context, load, one call, against a trivial one-function script.
  { name: "cold execution: Code.js, one KLING_COST call (saved rates) / trivial script", unit: "ms", limit: 4, samples: 200,
    run: loadAndCall(code, {}, cost), baseline: loadAndCall(TRIVIAL, {}, double) },
  { name: "  the same with nothing saved (built-in rates)", unit: "ms", samples: 200,
    run: loadAndCall(code, { services: NOTHING_SAVED }, cost), baseline: loadAndCall(TRIVIAL, {}, double) },
  { name: "  the same with V8's compile cache defeated (worst case)", unit: "ms", samples: 100,
    run: loadAndCall(code, { unique: true }, cost), baseline: loadAndCall(TRIVIAL, { unique: true }, double) },

  // One formula over a range (cold context, call only) against the near-ideal loop on the same arrays.
  { name: `KLING_COST over a ${ROWS.toLocaleString("en-US")}-row range, one call / near-ideal loop`, unit: "ms", limit: 3, samples: 40,
    run: one(code, {}, (c) => c.KLING_COST(...RANGE)), baseline: one(NEAR_IDEAL, {}, (c) => c.NEAR_IDEAL(...RANGE)) },
  { name: `KLING_COST over ${BIG_ROWS.toLocaleString("en-US")} rows of distinct bad models: time`, unit: "ms", limit: 20_000, samples: 1,
    run: () => bigRange().ms },
  { name: `  the same ${BIG_ROWS.toLocaleString("en-US")} rows: peak memory beyond the input`, unit: "MiB", limit: 400, samples: 1, run: () => bigRange().peakMiB },
  { name: `  the same ${BIG_ROWS.toLocaleString("en-US")} rows: characters returned per row`, unit: "chars", limit: 100, samples: 1, run: () => bigRange().charsPerRow },

  // The optimizer and the planner (cold context, call only).
  { name: "KLING_BEST_PACKAGE(1e9)", unit: "ms", limit: 10, samples: 30, run: one(code, {}, (c) => c.KLING_BEST_PACKAGE(1e9)) },
  { name: "KLING_BEST_PACKAGE(123456789)", unit: "ms", limit: 10, samples: 30, run: one(code, {}, (c) => c.KLING_BEST_PACKAGE(123456789)) },
  { name: "KLING_BEST_PACKAGE(123456789, 20, 60): no Trial packages", unit: "ms", samples: 30,
    run: one(code, {}, (c) => c.KLING_BEST_PACKAGE(123456789, 20, 60)) },
  { name: 'KLING_BEST_PACKAGE(1e9, 20, 60, "table")', unit: "ms", samples: 30, run: one(code, {}, (c) => c.KLING_BEST_PACKAGE(1e9, 20, 60, "table")) },
  { name: "KLING_PURCHASE_PLAN, a 24-month forecast", unit: "ms", limit: 2000, samples: 10,
    run: one(code, {}, (c) => c.KLING_PURCHASE_PLAN(FORECAST, NEEDS)) },
  ...PLANNER_CASES,

  // Recalculating 50,000 KLING_ cells over the fakes. The bound on writes is the one src/gas/recalc.ts
  // keeps: two writes per block of at most 5,000 cells.
  ...["one column", "a 500 x 100 block"].flatMap((layout, i) => {
    const f = () => recalcFigures()[i];
    return [
      { name: `recalculate 50,000 KLING_ cells, ${layout}: time`, unit: "ms", limit: 5000, samples: 1, run: () => f().ms },
      { name: "  service calls", unit: "calls", limit: 200, samples: 1, run: () => f().calls },
      { name: "  range writes", unit: "writes", limit: 20, samples: 1, run: () => f().writes },
    ];
  }),

  { name: "bundle size (dist/Code.js)", unit: "KiB", samples: 1, run: () => statSync(codePath).size / 1024 },
];

// ---------------------------------------------------------------------------------------------
// The runner

/** Runs a case: medians of the figure and of the baseline, and the median of their paired ratios. */
function measure(c) {
  const runs = [], bases = [], ratios = [];
  for (let i = 0; i < (c.samples ?? 1); i++) {
    // Alternate which goes first, so neither always meets the other's garbage.
    if (c.baseline && i % 2) bases.push(c.baseline());
    runs.push(c.run());
    if (c.baseline && !(i % 2)) bases.push(c.baseline());
    if (c.baseline) ratios.push(runs[i] / bases[i]);
  }
  const value = median(runs);
  const ratio = c.baseline ? median(ratios) : undefined;
  const judged = ratio ?? value;
  return { value, base: c.baseline ? median(bases) : undefined, ratio, over: c.limit !== undefined && !(judged <= c.limit) };
}

const figure = (n, unit) => `${n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(n >= 1 ? 2 : 3)} ${unit}`;

function main() {
  const only = argv.includes("--only") ? argv[argv.indexOf("--only") + 1] : undefined;
  const cases = CASES.filter((c) => !only || c.name.includes(only));
  // Warm the process itself (module loading, vm machinery) before measuring anything.
  for (let i = 0; i < 20; i++) {
    fresh(TRIVIAL).DOUBLE(2);
    cost(fresh(code));
  }
  const started = new Date();
  const load = os.loadavg()[0];
  const rows = [];
  let over = 0;
  for (const c of cases) {
    let m;
    try {
      m = measure(c);
    } catch (error) {
      // A case that fails counts as over its limit; the first line of the error says why.
      over++;
      rows.push([c.name, `failed: ${String(error?.message ?? error).split("\n")[0].slice(0, 200)}`, "", "", "", "OVER"]);
      continue;
    }
    if (m.over) over++;
    const limit = c.limit === undefined ? "" : c.baseline ? `${c.limit}x` : `${c.limit} ${c.unit}`;
    rows.push([
      c.name,
      figure(m.value, c.unit),
      m.base === undefined ? "" : figure(m.base, c.unit),
      m.ratio === undefined ? "" : `${m.ratio.toFixed(2)}x`,
      limit,
      c.limit === undefined ? "" : m.over ? "OVER" : "within",
    ]);
    process.stderr.write(".");
  }
  process.stderr.write("\n");
  const cpus = os.cpus();
  const lines = [
    `\`npm run bench\` on ${started.toISOString().slice(0, 16).replace("T", " ")} UTC: ${cpus[0]?.model.trim()} (${cpus.length} cores), ` +
      `Node ${process.version}, load average ${load.toFixed(1)} at the start. Medians over fresh \`vm\` contexts; each context ` +
      `reads its rates from a warm document cache holding a table saved through the bundle (${(SAVED_ENTRY.length / 1024).toFixed(1)} KiB).`,
    "",
    "| figure | measured | side-by-side baseline | ratio | limit | |",
    "|---|--:|--:|--:|--:|---|",
    ...rows.map((r) => `| ${r.map((cell) => cell.trim()).join(" | ")} |`),
    "",
    over ? `${over} figure${over === 1 ? " is" : "s are"} over ${over === 1 ? "its limit" : "their limits"}` : "every figure is within its limit",
  ];
  const text = lines.join("\n");
  console.log(text);
  if (argv.includes("--readme")) writeReadme(text);
  if (over && !argv.includes("--no-limits")) process.exitCode = 1;
}

/** Puts the table between `<!-- bench:start -->` and `<!-- bench:end -->` in README.md. */
function writeReadme(text) {
  const path = join(root, "README.md");
  const readme = readFileSync(path, "utf8");
  const start = readme.indexOf("<!-- bench:start -->"), end = readme.indexOf("<!-- bench:end -->");
  if (start < 0 || end < start) throw new Error("bench: README.md has no <!-- bench:start --> ... <!-- bench:end --> block");
  writeFileSync(path, `${readme.slice(0, start)}<!-- bench:start -->\n${text}\n${readme.slice(end)}`);
}

const SAVED_ENTRY = argv.includes("--big-range") ? "" : savedCacheEntry();
const SAVED = warmServices(SAVED_ENTRY);
if (argv.includes("--big-range")) bigRangeChild();
else main();
