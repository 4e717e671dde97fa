// Saves, the cache and the quotas under faults, through dist/Code.js over the fakes: whatever call
// fails, and whenever another execution acts, the saved rates are whole, every formula that runs
// next sees the version the store holds, and the sidebar is told whether the save happened.
import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import type vm from "node:vm";
import { defaultRateTable } from "../../src/core/rates/default-table";
import type { RateTable } from "../../src/core/rates/types";
import { type Codec, readMeta, readVersion } from "../../src/core/rates/versions";
import type { Failure, Preview, RatesState, Saved } from "../../src/gas/sidebar-types";
import { fakeServices } from "../fakes/index";
import { CACHE_WRITES, failNth, PROPERTY_WRITES } from "../fakes/services";
import { loadBundle } from "./harness";

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const gzip: Codec = {
  pack: (json) => gzipSync(Buffer.from(json, "utf8")).toString("base64"),
  unpack: (text) => gunzipSync(Buffer.from(text, "base64")).toString("utf8"),
};
const bytes = (text: string) => Buffer.byteLength(text, "utf8");

function document(options: Parameters<typeof fakeServices>[0] = {}) {
  const fakes = fakeServices({ session: { activeUserEmail: "ana@example.com" }, spreadsheet: { sheets: { Budget: [["x"]] } }, ...options });
  const contexts: vm.Context[] = [];
  /** One execution; one may start inside another (another editor acting meanwhile). */
  function run<T>(name: string, ...args: unknown[]): T {
    const { context, call } = loadBundle(fakes.globals);
    fakes.newExecution(context);
    contexts.push(context);
    try {
      return JSON.parse(JSON.stringify(call(name, ...copy(args)) ?? null)) as T;
    } finally {
      contexts.pop();
      if (contexts.length) fakes.useRealm(contexts.at(-1)!);
    }
  }
  /** KLING_COST of 10 s of kling-v3 720p: 6 units at the default unit price. */
  const cost = () => run<number>("KLING_COST", "kling-v3", "720p", 10);
  const state = () => run<RatesState>("getRatesState");
  const save = (edit: (t: RateTable) => void, action = "Edited") => {
    const s = state();
    edit(s.table);
    return run<Saved | Failure>("saveRates", s.table, s.version, action);
  };
  const price = (p: number) => save((t) => void (t.pricing.defaultUnitPriceUsd = p));
  /** Every key and value within the platform's limits, as the add-in wrote them. */
  const withinLimits = () => {
    let total = 0;
    for (const [k, v] of fakes.properties.data) {
      expect(bytes(k) + bytes(v)).toBeLessThanOrEqual(9 * 1024);
      total += bytes(k) + bytes(v);
    }
    expect(total).toBeLessThanOrEqual(500 * 1024);
  };
  /** The store read directly: each version history lists must be whole. */
  const storedVersions = () => {
    const data = Object.fromEntries(fakes.properties.data);
    const meta = readMeta(data);
    return { meta, tables: new Map((meta?.versions ?? []).map((v) => [v.version, readVersion(data, v, gzip).table])) };
  };
  return { fakes, run, cost, state, save, price, withinLimits, storedVersions };
}

/** A valid table whose notes are random text, which does not compress: about `kb` KB as JSON. */
function largeTable(kb: number, seed: Buffer): RateTable {
  const table = copy(defaultRateTable());
  for (let i = 0; JSON.stringify(table).length < kb * 1024; i++) {
    table.providers.push({ provider: `P${i}`, model: "m", quality: "720p", usdPerSecond: 0.05, note: `n${seed.subarray(i * 220, i * 220 + 220).toString("base64")}`, source: "test", asOf: "2026" });
  }
  return table;
}
/** Bytes that do not compress, the same on every run: a chain of SHA-256 digests. */
const SEED = Buffer.concat(Array.from({ length: Math.ceil((220 * 200) / 32) }, (_, i) => createHash("sha256").update(`kling-budget ${i}`).digest()));

describe("a reader racing a save", () => {
  test.each([
    ["the cache forgot the entry", (d: ReturnType<typeof document>) => d.fakes.cache.drop("kb.rates.current")],
    ["the cache forgot everything", (d: ReturnType<typeof document>) => d.fakes.cache.dropAll()],
  ])("%s; a formula reads the store, a save lands, the formula fills the cache: every later formula sees the save", (_, forget) => {
    const d = document();
    expect(d.price(0.2).ok).toBe(true);
    expect(d.cost()).toBeCloseTo(1.2, 10);
    forget(d);
    let landed = false;
    d.fakes.cache.intercept.before = (call) => {
      if (landed || !/^cache\.put/.test(call)) return;
      landed = true;
      d.fakes.cache.intercept.before = undefined;
      expect(d.price(0.3).ok).toBe(true); // another editor, between this formula's read and its put
    };
    const racing = d.cost();
    expect(landed).toBe(true);
    expect([1.2, 1.8].some((v) => Math.abs(racing - v) < 1e-9)).toBe(true); // it read either version whole
    for (let i = 0; i < 3; i++) expect(d.cost()).toBeCloseTo(1.8, 10);
    d.fakes.cache.advance(11 * 60); // past any brief entry: still the saved rates
    expect(d.cost()).toBeCloseTo(1.8, 10);
  });

  test("a save that lands while a formula fills an empty cache is what that formula and the next ones use", () => {
    const d = document();
    expect(d.price(0.2).ok).toBe(true);
    d.fakes.cache.dropAll();
    d.fakes.properties.intercept.after = (call) => {
      if (call !== "properties.getProperties()") return;
      d.fakes.properties.intercept.after = undefined;
      expect(d.price(0.3).ok).toBe(true);
    };
    d.cost();
    expect(d.cost()).toBeCloseTo(1.8, 10);
  });
});

describe("the cache failing never fails a cell", () => {
  test.each([
    ["a read that throws", (d: ReturnType<typeof document>) => void (d.fakes.cache.intercept.before = (c) => { if (/^cache\.get/.test(c)) throw new Error("Cache service unavailable"); })],
    ["an entry that is not JSON", (d: ReturnType<typeof document>) => d.fakes.globals.CacheService.getDocumentCache().put("kb.rates.current", "{", 600)],
  ])("%s: the formula reads the saved rates from the properties", (_, fault) => {
    const d = document();
    expect(d.price(0.2).ok).toBe(true);
    fault(d);
    expect(d.cost()).toBeCloseTo(1.2, 10);
    expect(d.cost()).toBeCloseTo(1.2, 10);
  });

  test("a cache that refuses every write, during a save and after: the save stands, and formulas see it", () => {
    const d = document();
    expect(d.price(0.2).ok).toBe(true);
    expect(d.cost()).toBeCloseTo(1.2, 10);
    d.fakes.cache.intercept.before = (c) => {
      if (CACHE_WRITES.test(c)) throw new Error("Cache service unavailable");
    };
    const saved = d.price(0.3);
    // Nothing could tell the cache that a new version is coming: the save is refused, nothing changed.
    expect(saved.ok).toBe(false);
    expect((saved as Failure).problems[0]).toMatch(/^the rates were not saved: Google's cache did not answer/);
    expect(d.state().version).toBe(1);
    expect(d.cost()).toBeCloseTo(1.2, 10);
    d.fakes.cache.intercept.before = undefined;
    expect(d.price(0.3).ok).toBe(true);
    expect(d.cost()).toBeCloseTo(1.8, 10);
  });

  test.each([
    ["an entry without its lookups", (e: Record<string, unknown>) => void delete e.lookup],
    ["an entry whose table has no rates", (e: Record<string, unknown>) => void ((e.table as Record<string, unknown>).rates = null)],
    ["an entry of another version than the marker", (e: Record<string, unknown>) => void (e.version = 7)],
    ["an entry that is a list", () => []],
  ])("%s is not used", (_, spoil) => {
    const d = document();
    expect(d.price(0.2).ok).toBe(true);
    const cache = d.fakes.globals.CacheService.getDocumentCache();
    const entry = JSON.parse(cache.get("kb.rates.current")!) as Record<string, unknown>;
    (entry.table as RateTable).pricing.defaultUnitPriceUsd = 9; // a figure that must never show
    const spoilt = spoil(entry) ?? entry;
    cache.put("kb.rates.current", JSON.stringify(spoilt), 600);
    expect(d.cost()).toBeCloseTo(1.2, 10);
  });

  test("the cache entry carries the spreadsheet's locale and time zone, read at save time and on a cold read", () => {
    const d = document({ spreadsheet: { sheets: { Budget: [["x"]] }, locale: "de_DE", timeZone: "Europe/Berlin" } });
    expect(d.price(0.2).ok).toBe(true);
    const entry = () => JSON.parse(d.fakes.cache.data.get("kb.rates.current")!) as { locale: string; timeZone: string; version: number };
    expect(entry()).toMatchObject({ version: 1, locale: "de_DE", timeZone: "Europe/Berlin" });
    d.fakes.cache.dropAll();
    d.cost();
    expect(entry()).toMatchObject({ version: 1, locale: "de_DE", timeZone: "Europe/Berlin" });
  });
});

describe("a failure at any step of a save", () => {
  /** Stores to save into: a short history; a full one (the save drops a version); one so full that old parts go before the new ones are written. */
  function scenarios() {
    const small = document();
    small.price(0.2);
    const full = document();
    for (let i = 1; i <= 20; i++) expect(full.price((20 + i) / 100).ok).toBe(true);
    const crowded = document();
    const big = largeTable(40, SEED);
    for (let i = 1; i <= 9; i++) crowded.save((t) => Object.assign(t, copy(big), { version: t.version, pricing: { ...t.pricing, defaultUnitPriceUsd: (10 + i) / 100 } }));
    // Another script of the spreadsheet fills the store after that, up to near its limit.
    let used = [...crowded.fakes.properties.data].reduce((n, [k, v]) => n + bytes(k) + bytes(v), 0);
    for (let i = 0; used + 8100 < 495 * 1024; i++) {
      crowded.fakes.properties.data.set(`other.${i}`, "o".repeat(8000));
      used += 8100;
    }
    return { small, full, crowded } as const;
  }
  const built = scenarios();
  const snapshots = Object.fromEntries(Object.entries(built).map(([name, d]) => [name, Object.fromEntries(d.fakes.properties.data)]));
  const NEW_PRICE = 0.77;

  /** A document with the scenario's store and a warm cache, as formulas have left it. */
  function from(name: keyof typeof built) {
    const d = document({ properties: snapshots[name] });
    const before = d.state();
    d.cost();
    return { d, before };
  }
  const isStep = (call: string) => PROPERTY_WRITES.test(call) || /^cache\./.test(call);
  const stepsOf = (name: keyof typeof built) => {
    const { d, before } = from(name);
    d.fakes.log.calls.length = 0;
    const s = copy(before.table);
    s.pricing.defaultUnitPriceUsd = NEW_PRICE;
    const saved = d.run<Saved | Failure>("saveRates", s, before.version, "Edited");
    return { steps: d.fakes.log.calls.filter(isStep), saved };
  };

  test("the scenarios exercise every kind of step: the marker, the parts, the commit, removals before and after it, the cache", () => {
    for (const name of ["small", "full", "crowded"] as const) expect(stepsOf(name).saved).toMatchObject({ ok: true });
    const crowded = stepsOf("crowded").steps;
    expect(crowded.filter((c) => c.startsWith("properties.deleteProperty")).length).toBeGreaterThan(0);
    expect(crowded.indexOf("properties.setProperty(kb.rates)")).toBeLessThan(crowded.findIndex((c) => c.startsWith("properties.setProperties(")));
    const full = stepsOf("full").steps;
    expect(full.findIndex((c) => c.startsWith("properties.deleteProperty"))).toBeGreaterThan(full.lastIndexOf("properties.setProperty(kb.rates)"));
    expect(full[0]).toMatch(/^cache\.put\(kb\.rates\.marker\)/);
    expect(full.at(-1)).toMatch(/^cache\.putAll/);
  });

  const cases: [string, number, "refused" | "failed after it took effect"][] = [];
  for (const name of ["small", "full", "crowded"] as const) {
    const { steps } = stepsOf(name);
    // Of a run of removals, the first and the last stand for the rest.
    const deletes = (i: number) => steps[i]?.startsWith("properties.deleteProperty") ?? false;
    steps.forEach((_, i) => {
      if (deletes(i - 1) && deletes(i) && deletes(i + 1)) return;
      cases.push([name, i, "refused"]);
      cases.push([name, i, "failed after it took effect"]);
    });
  }

  test.each(cases)("%s store, step %i %s: the old table or the new one, whole, and the sidebar says which", (name, index, mode) => {
    const { d, before } = from(name as keyof typeof built);
    const oldTables = d.storedVersions().tables;
    const fail = failNth(index, isStep, "Service error: try again later");
    const hook = mode === "refused" ? "before" : "after";
    d.fakes.properties.intercept[hook] = fail;
    d.fakes.cache.intercept[hook] = fail;
    const edited = copy(before.table);
    edited.pricing.defaultUnitPriceUsd = NEW_PRICE;
    let answer: Saved | Failure;
    try {
      answer = d.run<Saved | Failure>("saveRates", edited, before.version, "Edited");
    } finally {
      d.fakes.properties.intercept[hook] = undefined;
      d.fakes.cache.intercept[hook] = undefined;
    }

    const after = d.state();
    const stored = d.storedVersions();
    if (answer.ok) {
      expect(after.version).toBe(before.version + 1);
      expect(after.table.pricing.defaultUnitPriceUsd).toBe(NEW_PRICE);
    } else {
      expect(answer.problems[0]).toMatch(/^the rates (were not saved|may not have been saved)/);
      expect(after.version).toBe(before.version);
      expect(after.table).toEqual(before.table);
    }
    // Every version history lists is whole; the ones kept from before are unchanged.
    for (const entry of after.history.filter((h) => h.version > 0)) {
      expect(stored.tables.has(entry.version)).toBe(true);
      if (oldTables.has(entry.version)) expect(stored.tables.get(entry.version)).toEqual(oldTables.get(entry.version));
    }
    d.withinLimits();
    // Formulas, now and warm, use exactly what the store holds.
    const expected = 6 * after.table.pricing.defaultUnitPriceUsd;
    expect(d.cost()).toBeCloseTo(expected, 10);
    expect(d.cost()).toBeCloseTo(expected, 10);
    // And the next save goes through.
    const next = copy(after.table);
    next.pricing.defaultUnitPriceUsd = 0.55;
    expect(d.run<Saved>("saveRates", next, after.version, "Edited").ok).toBe(true);
    expect(d.cost()).toBeCloseTo(3.3, 10);
  });
});

describe("after the commit", () => {
  test("a save whose state cannot be read back afterwards is still reported as saved, with Reload", () => {
    const d = document();
    const s = d.state();
    s.table.pricing.defaultUnitPriceUsd = 0.2;
    // The save reads the store once before its commit; the read after it (for the sidebar's state) fails.
    d.fakes.properties.intercept.before = failNth(1, /^properties\.getProperties\(\)/, "Service invoked too many times: properties read");
    const answer = d.run<Failure>("saveRates", s.table, s.version, "Edited");
    d.fakes.properties.intercept.before = undefined;
    expect(answer).toEqual({ ok: false, conflict: true, problems: ["version 1 is saved, but reading it back failed (Service invoked too many times: properties read); reload to see it"] });
    expect(d.state().version).toBe(1);
    expect(d.cost()).toBeCloseTo(1.2, 10);
  });
});

describe("quotas: a full store never blocks the next edit", () => {
  test("a dozen saves of a large table, then more saves and an undo: history gives way, oldest first, as the preview said", () => {
    const d = document();
    const big = largeTable(47, SEED);
    let lastDropped: number[] = [];
    // 19 saves of about 25 KB stored each pass the 400 KB history keeps, but not the 20 versions it counts.
    for (let i = 1; i <= 19; i++) {
      const s = d.state();
      const table = { ...copy(big), version: s.version, pricing: { ...s.table.pricing, defaultUnitPriceUsd: (10 + i) / 100 } };
      const preview = d.run<Preview>("previewRates", table, s.version);
      expect(preview).toMatchObject({ ok: true });
      const saved = d.run<Saved>("saveRates", preview.table, s.version, "Imported JSON");
      expect(saved.ok).toBe(true);
      d.withinLimits();
      // Exactly the versions the preview named are gone, and they were the oldest.
      const kept = saved.state.history.map((h) => h.version);
      const dropped = s.history.map((h) => h.version).filter((v) => !kept.includes(v));
      expect(preview.willDrop.map((h) => h.version)).toEqual(dropped);
      if (dropped.length) expect(Math.max(...dropped)).toBeLessThan(Math.min(...kept.filter((v) => v > 0)));
      lastDropped = dropped.length ? dropped : lastDropped;
      expect(d.cost()).toBeCloseTo(6 * ((10 + i) / 100), 10);
    }
    expect(lastDropped.length).toBeGreaterThan(0);
    const state = d.state();
    expect(state.history.filter((h) => h.version > 0).length).toBeLessThan(19); // kept by size, not only by count
    expect(state.historyKept.versions).toBe(20);
    expect(state.historyKept.kilobytes).toBeGreaterThan(300);
    const undone = d.run<Saved>("undoRates", state.version);
    expect(undone.ok).toBe(true);
    expect(d.cost()).toBeCloseTo(6 * 0.28, 10);
    expect(d.price(0.2).ok).toBe(true);
    d.withinLimits();
  }, 20_000); // 19 saves and an undo of 47 KB tables through the bundle and the fakes

  test("a table too large to store is refused up front, in the preview and the save, saying what to remove", () => {
    const d = document();
    const table = largeTable(47, SEED);
    for (let i = 0; i < 40; i++) table.providers.push({ ...table.providers[0]!, provider: `Q${i}` });
    const preview = d.run<Failure>("previewRates", table, 0);
    expect(preview.ok).toBe(false);
    expect(preview.problems.join("\n")).toMatch(/KB as JSON; at most 48 KB can be saved in a spreadsheet: remove rows you no longer need \(the largest: providers \d+ KB/);
  });

  test("long emails, long history lines in other scripts and a 2,000-character refresh URL never make a value over 9 KB", () => {
    const url = `https://raw.githubusercontent.com/acme/rates/main/${"x".repeat(1940)}.json`;
    expect(url.length).toBeLessThanOrEqual(2000);
    const d = document({ session: { activeUserEmail: `${"名".repeat(64)}@${"d".repeat(175)}.example.com` }, routes: { [url]: { body: JSON.stringify(defaultRateTable()) } } });
    for (let i = 1; i <= 22; i++) {
      // A provider named in another script: three bytes a character in the history line.
      const provider = "可灵视频".repeat(15).slice(0, 57) + String(i).padStart(3, "0");
      const saved = d.save((t) => {
        t.providers.push({ provider, model: "Kling V3.0", quality: "720p", usdPerSecond: 0.05 + i / 1000, note: "", source: "card", asOf: "2026-11" });
      }, `Refreshed from ${url}`);
      expect(saved).toMatchObject({ ok: true });
      d.withinLimits();
    }
    expect(d.run<{ ok: boolean }>("fetchRateCard", url).ok).toBe(true);
    d.withinLimits();
    const state = d.state();
    expect(state.refreshUrl).toBe(url);
    expect(state.history[0]!.summary.startsWith("Refreshed from https://raw.githubusercontent.com/")).toBe(true);
    expect(state.history[0]!.savedBy).toBe(`${"名".repeat(64)}@${"d".repeat(175)}.example.com`);
    expect(bytes(d.fakes.properties.data.get("kb.rates")!)).toBeLessThan(2048); // the meta record stays small whatever history holds
  });

  test("a refresh URL over 2,000 characters is refused before anything is fetched or stored", () => {
    const url = `https://raw.githubusercontent.com/acme/rates/main/${"x".repeat(1960)}.json`;
    const d = document({ routes: { [url]: { body: JSON.stringify(defaultRateTable()) } } });
    const answer = d.run<Failure>("fetchRateCard", url);
    expect(answer).toEqual({ ok: false, problems: [`the rate card URL is ${url.length} characters long; at most 2000 are accepted`] });
    expect(d.fakes.urlFetch.requests).toEqual([]);
    expect(d.fakes.properties.data.size).toBe(0);
  });
});
