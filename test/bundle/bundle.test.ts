// dist/Code.js as Apps Script runs it. jest's global setup has just built it from src/.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import vm from "node:vm";
import { PACK_COLUMNS, USAGE_COLUMNS } from "../../src/core/actuals/sheets";
import { klingActual, klingExpiring, klingRunway } from "../../src/core/functions/actuals";
import { klingBestPackage } from "../../src/core/functions/best-package";
import { klingCost, klingUnits } from "../../src/core/functions/clip";
import { klingCompare } from "../../src/core/functions/compare";
import { klingForfeit, klingPurchasePlan, klingRenderHours } from "../../src/core/functions/planning";
import { klingEffectiveCost } from "../../src/core/functions/effective-cost";
import { klingPackages, klingRates } from "../../src/core/functions/tables";
import { defaultRateTable } from "../../src/core/rates/default-table";
import * as entry from "../../src/gas/main";
import { fakeCacheService, fakePropertiesService, newLog } from "../fakes/services";
import { bundleSource, emptyDocument, loadBundle, outcome } from "./harness";

const table = defaultRateTable();
const source = bundleSource();
const CUSTOM_FUNCTIONS = Object.keys(entry).filter((name) => name.startsWith("KLING_")).sort();

// Each global with arguments covering scalars, ranges, blanks and bad input; the core gives the answer.
const CASES: Record<string, { args: unknown[][]; core: (...args: unknown[]) => unknown }> = {
  KLING_UNITS: {
    core: (...a) => klingUnits(table, a[0], a[1], a[2], a[3], a[4]),
    args: [["kling-v3", "1080p", 10, true], ["V3", "pro", 10, "voice"], [[["kling-v3"], ["Omni"], [""]], [["4k"], ["720p"], [""]], [[5], [12], [""]], false, [["plain"], ["video"], [""]]], ["kling-v3", "1080p", 16]],
  },
  KLING_COST: {
    core: (...a) => klingCost(table, a[0], a[1], a[2], a[3], a[4], a[5]),
    args: [["kling-v3", "720p", 5], ["kling-v2-1-master", "", 10, "", "", "Package 3"], [[["kling-v3"], ["kling-v1-5"]], "1080p", [[10], [7]], "", "", 0.126], ["kling-v9", "720p", 5]],
  },
  KLING_BEST_PACKAGE: {
    core: (...a) => klingBestPackage(table, a[0], a[1], a[2], a[3]),
    args: [[50000, 10], [100000, 1, 60, "table"], [[[1000], [""], [123456789]], 20, 0, "cost"], [1000, 25]],
  },
  KLING_PACKAGES: { core: () => klingPackages(table), args: [[]] },
  KLING_RATES: { core: () => klingRates(table), args: [[]] },
  KLING_COMPARE: { core: (...a) => klingCompare(table, a[0], a[1]), args: [["1080p", 10], ["4k", 5], [[["720p"], ["1080p"]], 10]] },
  KLING_EFFECTIVE_COST: { core: (...a) => klingEffectiveCost(a[0], a[1]), args: [[1.68, 0.7], [[[1], [""], [2]], "70%"], [1, 0]] },
  KLING_PURCHASE_PLAN: {
    core: (...a) => klingPurchasePlan(table, a[0], a[1], a[2]),
    args: [[[[4000], [12000], [""], [3000]]], [[[4000, 12000, 0]], 20, "cost"], [[[4000], [9000]], [[5], [20]], "forfeit"], [[[100], [-5]]], [[[100]], 50]],
  },
  KLING_FORFEIT: {
    core: (...a) => klingForfeit(table, a[0], a[1], a[2], a[3]),
    args: [[60000, 8000, "Package 4"], [1000, [[300], [300], [300]], "Trial L", "usd"], [[[5000], [15000]], 1000], [1000, -1]],
  },
  KLING_RENDER_HOURS: {
    core: (...a) => klingRenderHours(table, a[0], a[1], a[2], a[3]),
    args: [[120, 5, 3, 30], [[[10], [""], [45]], 20, 2.5], [10, 0, 3]],
  },
};

// A synced pack and two deductions, as Sheets hands the ranges over (dates as Date objects).
const day = (n: number) => new Date(Date.UTC(2026, 10, 1 + n));
const packsRange = [[...PACK_COLUMNS], PACK_COLUMNS.map((c) => ({ Status: "online", "Remaining units": 900, Effective: day(-5), Expires: day(20), "USD per unit": 0.14, "Used last 30 days": 300, "Synced at": day(0) } as Record<string, unknown>)[c] ?? "")];
const usageRange = [[...USAGE_COLUMNS], ...[[-3, 5], [-1, 7]].map(([d, u]) => USAGE_COLUMNS.map((c) => ({ "Task ID": `t${d}`, "Deducted at": day(d!), Units: u, "Pack ID": "p", USD: u! * 0.14 } as Record<string, unknown>)[c] ?? ""))];
Object.assign(CASES, {
  KLING_EXPIRING: { core: (...a: unknown[]) => klingExpiring(a[0], a[1], a[2], a[3]), args: [[packsRange], [packsRange, 10, 0, "usd"], [[["Pack"]]]] },
  KLING_RUNWAY: { core: (...a: unknown[]) => klingRunway(a[0], a[1]), args: [[packsRange, usageRange], [packsRange, "x"]] },
  KLING_ACTUAL: { core: (...a: unknown[]) => klingActual(a[0], a[1], a[2], a[3]), args: [[usageRange], [usageRange, day(-2), day(0), "usd"], [usageRange, "soon"]] },
});

describe("dist/Code.js", () => {
  test("is a plain script: no module syntax, no require", () => {
    expect(() => new vm.Script(source)).not.toThrow();
    expect(source).not.toMatch(/^\s*(import|export)\s/m);
    expect(source).not.toMatch(/\brequire\s*\(|\bimport\s*\(/);
  });

  test("declares exactly the entry's exports as top-level functions, plus one private library object", () => {
    const { globals, context } = loadBundle();
    // zod keeps its settings in one global of its own; it is not a function, so Apps Script never lists it.
    const library = globals.filter((name) => !(name in entry) && name !== "__zod_globalConfig");
    expect(library).toHaveLength(1);
    expect(library[0]).toMatch(/_$/); // private: Apps Script hides names ending in "_"
    expect(typeof context[library[0]!]).toBe("object");
    expect(globals.filter((name) => name in entry).sort()).toEqual(Object.keys(entry).sort());
    for (const name of Object.keys(entry)) {
      expect(source).toMatch(new RegExp(`^function ${name}\\(`, "m"));
      expect(typeof context[name]).toBe("function");
    }
  });

  test.each(CUSTOM_FUNCTIONS)("%s has its JSDoc block with @customfunction right above it, one @param per argument", (name) => {
    const match = new RegExp(`(/\\*\\*(?:(?!\\*/)[\\s\\S])*\\*/)\\nfunction ${name}\\(([^)]*)\\)`).exec(source);
    expect(match).not.toBeNull();
    const [, doc, params] = match!;
    expect(doc).toContain("@customfunction");
    expect(doc).toMatch(/@return/);
    const documented = [...doc!.matchAll(/@param\s+\{[^}]+\}\s+(\w+)\s+\S/g)].map((m) => m[1]);
    expect(documented).toEqual(params!.split(",").map((p) => p.trim()).filter(Boolean));
  });

  test("every custom function is covered by the cases below", () => {
    expect(Object.keys(CASES).sort()).toEqual(CUSTOM_FUNCTIONS);
  });

  test.each(Object.keys(CASES))("%s returns what the core returns (values, spills and messages)", (name) => {
    const { call } = loadBundle();
    const { args, core } = CASES[name]!;
    for (const a of args) expect(outcome(() => call(name, ...a))).toEqual(outcome(() => core(...a)));
  });

  test("a custom function asks the services for at most one read per execution once the cache is warm", () => {
    const log = newLog();
    const properties = fakePropertiesService(log);
    const cache = fakeCacheService(log);
    const services = { PropertiesService: properties.service, CacheService: cache.service };
    const execute = (name: string, args: unknown[]) => {
      log.calls.length = 0;
      outcome(() => loadBundle(services).call(name, ...args));
      return [...log.calls];
    };
    // Cold: a read of the whole store, then the cache is filled for the next execution (with no
    // version marker in the cache, the store is read once more to catch a save that landed meanwhile).
    const cold = ["cache.getAll(kb.rates.current,kb.rates.marker)", "properties.getProperties()", "cache.putAll(kb.rates.current,kb.rates.marker)", "properties.getProperties()"];
    expect(execute("KLING_COST", ["kling-v3", "720p", 5])).toEqual(cold);
    const warm = new Set<string>();
    for (const [name, { args }] of Object.entries(CASES)) {
      for (const a of args) {
        const calls = execute(name, a);
        expect(calls.length).toBeLessThanOrEqual(1);
        calls.forEach((c) => warm.add(c));
      }
    }
    expect([...warm]).toEqual(["cache.getAll(kb.rates.current,kb.rates.marker)"]);
    // The cache may drop anything at any time: the next execution reads the store again and still answers.
    cache.dropAll();
    expect(execute("KLING_COST", ["kling-v3", "720p", 5])).toEqual(cold);
  });

  test("a thrown error is a plain Error with the analyst's message, as Sheets shows it", () => {
    const { call } = loadBundle();
    let thrown: unknown;
    try {
      call("KLING_COST", "kling-v3", "720p", 16);
    } catch (error) {
      thrown = error;
    }
    expect((thrown as Error).message).toBe("seconds: 16 is too long; kling-v3 makes 3 to 15 s per generation");
    expect((thrown as Error).name).toBe("InputError");
  });
});

describe("clasp", () => {
  test("status --json lists exactly the files in dist/ (it needs no login)", () => {
    const root = join(__dirname, "../..");
    const out = execFileSync(join(root, "node_modules/.bin/clasp"), ["status", "--json"], { cwd: root, encoding: "utf8" });
    const { filesToPush } = JSON.parse(out) as { filesToPush: string[] };
    const dist = readdirSync(join(root, "dist")).map((f) => `dist/${f}`);
    expect([...filesToPush].sort()).toEqual(dist.sort());
  });
});

describe("appsscript.json", () => {
  test("V8, and only the narrow scopes the add-in needs", () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, "../../dist/appsscript.json"), "utf8"));
    expect(manifest.runtimeVersion).toBe("V8");
    expect(manifest.oauthScopes.sort()).toEqual([
      "https://www.googleapis.com/auth/script.container.ui",
      "https://www.googleapis.com/auth/script.external_request", // Refresh fetches the team's rate card; Sync calls Kling
      "https://www.googleapis.com/auth/script.scriptapp", // the reminders' daily trigger, and a sync that resumes
      "https://www.googleapis.com/auth/script.send_mail", // the reminders' email
      "https://www.googleapis.com/auth/spreadsheets.currentonly",
    ]);
  });

  test("Sync may reach Kling's two API hosts, and Refresh may not fetch rate cards from them", () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, "../../dist/appsscript.json"), "utf8"));
    expect(manifest.urlFetchWhitelist).toEqual(expect.arrayContaining(["https://api-singapore.klingai.com/", "https://api-beijing.klingai.com/"]));
    const { call } = loadBundle(emptyDocument());
    expect(() => call("fetchRateCard", "https://api-singapore.klingai.com/account/costs")).not.toThrow();
    expect(JSON.stringify(call("fetchRateCard", "https://api-singapore.klingai.com/account/costs"))).toContain("is not under an address this add-in may fetch");
  });

  test("Refresh may fetch only named https hosts, each with a path, as the manifest requires", () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, "../../dist/appsscript.json"), "utf8"));
    expect(manifest.urlFetchWhitelist.length).toBeGreaterThan(0);
    for (const prefix of manifest.urlFetchWhitelist) expect(prefix).toMatch(/^https:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+\/\S*$/);
  });
});
