import { gunzipSync, gzipSync } from "node:zlib";
import { defaultRateTable } from "../../src/core/rates/default-table";
import { diffTables, summarize } from "../../src/core/rates/diff";
import { NAME_KEYS, rateIndex } from "../../src/core/rates/lookup";
import type { RateTable } from "../../src/core/rates/types";
import { charsetOf, prefixProblem, resolveLocation, urlProblem } from "../../src/core/rates/url";
import {
  chunkKey, CHUNK_CHARS, type Codec, cutToBytes, infoKey, KEEP_VERSIONS, MAX_STORE_BYTES, MAX_TABLE_CHARS, META_KEY, planSave, readCurrent, readMeta,
  readVersion, StoreError, undoTarget, utf8Bytes,
} from "../../src/core/rates/versions";

const copy = (): RateTable => JSON.parse(JSON.stringify(defaultRateTable()));
const gzip: Codec = {
  pack: (json) => gzipSync(Buffer.from(json, "utf8")).toString("base64"),
  unpack: (text) => gunzipSync(Buffer.from(text, "base64")).toString("utf8"),
};
// No compression: makes tables span several chunks without needing huge ones.
const plain: Codec = { pack: (json) => json, unpack: (text) => text };

/** A store that applies plans the way the Apps Script edge does. */
function store(codec: Codec) {
  const data: Record<string, string> = {};
  let clock = 0;
  const save = (table: RateTable, base: number, extra: Partial<Parameters<typeof planSave>[1]> = {}) => {
    const plan = planSave(data, { table, baseVersion: base, savedAt: new Date(Date.UTC(2026, 10, 24, 12, clock++)).toISOString(), savedBy: "ana@example.com", summary: "test", ...extra }, codec);
    if (plan.trim?.meta) data[META_KEY] = plan.trim.meta;
    for (const key of plan.trim?.remove ?? []) delete data[key];
    Object.assign(data, plan.set);
    data[META_KEY] = plan.meta;
    for (const key of plan.remove) delete data[key];
    return plan;
  };
  return { data, save };
}

/** A valid table whose JSON is about `chars` long: providers with long notes. */
function tableOfSize(chars: number): RateTable {
  const table = copy();
  let i = 0;
  while (JSON.stringify(table).length < chars) {
    table.providers.push({ provider: `Provider ${i++}`, model: "Kling V3.0", quality: "720p", usdPerSecond: 0.05 + i / 1000, note: "x".repeat(250), source: "test", asOf: "2026" });
  }
  return table;
}

describe("versioned storage in chunks", () => {
  test("a version saved with name lookups keyed the old way comes back with lookups keyed today's way", () => {
    const s = store(gzip);
    const table = copy();
    table.packages[0]!.name = "Straße";
    const plan = s.save(table, 0);
    // Rewrite the stored payload as a save before the Unicode name keys made it: no key version, a-z 0-9 keys.
    const keys = Object.keys(plan.set).filter((k) => k.startsWith(chunkKey(plan.version, 0).slice(0, -1))).sort((a, b) => Number(a.split(".").pop()) - Number(b.split(".").pop()));
    const payload = JSON.parse(gzip.unpack(keys.map((k) => s.data[k]).join("")));
    delete payload.lookup.names;
    payload.lookup.packages = Object.fromEntries(payload.table.packages.map((p: { name: string }, i: number) => [p.name.toLowerCase().replace(/[^a-z0-9]/g, ""), i]));
    const packed = gzip.pack(JSON.stringify(payload));
    const size = Math.ceil(packed.length / keys.length);
    keys.forEach((k, i) => (s.data[k] = packed.slice(i * size, (i + 1) * size)));
    const back = readCurrent(s.data, gzip)!;
    expect(back.lookup.names).toBe(NAME_KEYS);
    expect(back.lookup.packages.strasse).toBe(0);
  });

  test.each([
    ["gzip, one chunk", gzip, 9_000],
    ["plain, just under one chunk", plain, CHUNK_CHARS - 1500],
    ["plain, over one chunk (9 KB)", plain, 9 * 1024 + 500],
    ["plain, several chunks", plain, 40 * 1024],
  ])("a table round-trips exactly: %s", (_, codec, size) => {
    const s = store(codec);
    const table = tableOfSize(size);
    const plan = s.save(table, 0);
    for (const [key, value] of Object.entries(plan.set)) expect(key.length + value.length).toBeLessThanOrEqual(9 * 1024);
    const back = readCurrent(s.data, codec)!;
    expect(back.table).toEqual({ ...table, version: 1 });
    expect(JSON.stringify(back.table)).toBe(JSON.stringify({ ...table, version: 1 }));
    // The lookups were compiled at save time and find what a fresh index finds.
    expect(rateIndex(back.table).findModel("omni")?.id).toBe("kling-v3-omni");
    expect(back.lookup.models.omni).toBe(back.table.models.findIndex((m) => m.id === "kling-v3-omni"));
  });

  test("nothing saved reads as nothing (the built-in table applies)", () => {
    expect(readCurrent({}, gzip)).toBeUndefined();
  });

  test("a table over the size limit is refused and nothing is planned", () => {
    const s = store(gzip);
    expect(() => s.save(tableOfSize(MAX_TABLE_CHARS + 100), 0)).toThrow(/the rate table is \d+ KB as JSON; at most 48 KB can be saved/);
    expect(s.data).toEqual({});
  });

  test("the last 20 versions are kept with their tables, older ones removed, and the store stays small", () => {
    const s = store(gzip);
    let table = copy();
    for (let v = 1; v <= 25; v++) {
      table = { ...table, pricing: { ...table.pricing, defaultUnitPriceUsd: 0.1 + v / 1000 } };
      s.save(table, v - 1);
    }
    const meta = readMeta(s.data)!;
    expect(meta.current).toBe(25);
    expect(meta.versions.map((v) => v.version)).toEqual(Array.from({ length: KEEP_VERSIONS }, (_, i) => 25 - i));
    for (const record of meta.versions) expect(readVersion(s.data, record, gzip).table.pricing.defaultUnitPriceUsd).toBeCloseTo(0.1 + record.version / 1000, 10);
    expect(Object.keys(s.data).filter((k) => k.startsWith("kb.rates.v5."))).toEqual([]);
    const total = Object.entries(s.data).reduce((n, [k, v]) => n + k.length + v.length, 0);
    expect(total).toBeLessThan(100 * 1024);
  });

  test("a save from an outdated version is refused with who saved the newer one and when", () => {
    const s = store(gzip);
    s.save(copy(), 0);
    const before = JSON.stringify(s.data);
    let error: unknown;
    try {
      s.save(copy(), 0);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).conflict).toBe(true);
    expect((error as Error).message).toBe("version 1 was saved by ana@example.com at 2026-11-24 12:00 UTC; reload to see it");
    expect(JSON.stringify(s.data)).toBe(before);
  });

  test("an unfinished earlier save (parts without meta) is cleaned up by the next one", () => {
    const s = store(gzip);
    s.save(copy(), 0);
    s.data[chunkKey(2, 0)] = "left over";
    s.data[chunkKey(2, 1)] = "left over";
    const plan = s.save({ ...copy(), providers: [] }, 1);
    expect(plan.version).toBe(2);
    expect(readCurrent(s.data, gzip)!.table.providers).toEqual([]);
    expect(Object.keys(s.data).filter((k) => k.startsWith(chunkKey(2, 1)))).toEqual([]);
  });

  test("missing parts are an error naming the version, never a silent default", () => {
    const s = store(plain);
    s.save(tableOfSize(20_000), 0);
    delete s.data[chunkKey(1, 1)];
    expect(() => readCurrent(s.data, plain)).toThrow("the saved rates of version 1 are incomplete (part 2 of 4 is missing)");
  });

  test("undo walks back through versions, and an undo is undone to what came before it", () => {
    const s = store(gzip);
    const price = (p: number) => ({ ...copy(), pricing: { ...copy().pricing, defaultUnitPriceUsd: p } });
    s.save(price(0.11), 0); // v1
    s.save(price(0.12), 1); // v2
    s.save(price(0.13), 2); // v3
    let target = undoTarget(readMeta(s.data))!;
    expect(target.version).toBe(2);
    s.save(price(0.12), 3, { undoOf: target.record }); // v4 = v2
    target = undoTarget(readMeta(s.data))!;
    expect(target.version).toBe(1); // not back to v3
    s.save(price(0.11), 4, { undoOf: target.record }); // v5 = v1
    target = undoTarget(readMeta(s.data))!;
    expect(target).toEqual({ version: 0, record: "built-in" });
    s.save(copy(), 5, { undoOf: "built-in" }); // v6 = built-in
    expect(undoTarget(readMeta(s.data))).toBeUndefined();
    expect(readMeta(s.data)!.versions.map((v) => v.version)).toEqual([6, 5, 4, 3, 2, 1]);
  });
});

describe("sizes: history by count and by bytes, every value under 9 KB", () => {
  const size = (data: Record<string, string>) => Object.entries(data).reduce((n, [k, v]) => n + utf8Bytes(k) + utf8Bytes(v), 0);
  // CJK text that compresses badly, the same on every run (a linear congruential sequence).
  let seed = 20261129;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const random = (n: number) => Array.from({ length: n }, () => String.fromCharCode(0x4e00 + Math.floor(next() * 0x5000))).join("");

  test("UTF-8 sizes and cuts count bytes, never split a character", () => {
    expect(utf8Bytes("a€😀")).toBe(1 + 3 + 4);
    expect(utf8Bytes("a€😀")).toBe(Buffer.byteLength("a€😀"));
    const cut = cutToBytes("😀".repeat(10), 10);
    expect(cut).toBe("😀…");
    expect(utf8Bytes(cut)).toBeLessThanOrEqual(10);
    expect(cutToBytes("short", 10)).toBe("short");
  });

  test("large tables: the oldest versions go first so the store stays under its budget, and the plan says which", () => {
    const s = store(plain); // uncompressed: 30 KB a version
    let table = tableOfSize(30 * 1024);
    for (let v = 1; v <= 20; v++) {
      table = { ...table, pricing: { ...table.pricing, defaultUnitPriceUsd: (10 + v) / 100 } };
      const before = readMeta(s.data)?.versions.map((r) => r.version) ?? [];
      const plan = s.save(table, v - 1);
      const after = readMeta(s.data)!.versions.map((r) => r.version);
      expect(plan.dropped.map((r) => r.version)).toEqual(before.filter((n) => !after.includes(n)));
      expect(after).toEqual([...after].sort((a, b) => b - a));
      expect(after[0]).toBe(v);
      expect(size(s.data)).toBeLessThanOrEqual(MAX_STORE_BYTES);
      for (const [k, value] of Object.entries(s.data)) expect(utf8Bytes(k) + utf8Bytes(value)).toBeLessThanOrEqual(9 * 1024);
    }
    expect(readMeta(s.data)!.versions.length).toBeLessThan(14);
  });

  test("history lines and emails of any length: each version's info is cut, the meta record stays small", () => {
    const s = store(gzip);
    for (let v = 1; v <= KEEP_VERSIONS + 2; v++) {
      s.save({ ...copy(), pricing: { ...copy().pricing, defaultUnitPriceUsd: (10 + v) / 100 } }, v - 1, { summary: random(5000), savedBy: `${random(3000)}@example.com` });
    }
    for (const [k, value] of Object.entries(s.data)) expect(utf8Bytes(k) + utf8Bytes(value)).toBeLessThanOrEqual(4 * 1024);
    expect(utf8Bytes(s.data[META_KEY]!)).toBeLessThan(1500);
    expect(readMeta(s.data)!.versions[0]!.summary.endsWith("…")).toBe(true);
  });

  test("a store saved by the previous layout (history inside the meta record) reads, and its next save moves each line to its own key", () => {
    const s = store(gzip);
    s.save(copy(), 0);
    const v1 = readMeta(s.data)!.versions[0]!;
    delete s.data[infoKey(1)];
    s.data[META_KEY] = JSON.stringify({ format: 1, current: 1, versions: [{ ...v1, summary: "Edited: old line" }] });
    expect(readMeta(s.data)!.versions[0]!.summary).toBe("Edited: old line");
    s.save({ ...copy(), providers: [] }, 1);
    expect(JSON.parse(s.data[META_KEY]!).format).toBe(2);
    expect(JSON.parse(s.data[infoKey(1)]!).summary).toBe("Edited: old line");
    expect(readMeta(s.data)!.versions.map((v) => [v.version, v.summary])).toEqual([[2, "test"], [1, "Edited: old line"]]);
  });

  test("a store filled by others: versions this save drops go before the new parts are written, never the current table", () => {
    const s = store(plain);
    let table = tableOfSize(30 * 1024);
    for (let v = 1; v <= 12; v++) s.save((table = { ...table, pricing: { ...table.pricing, defaultUnitPriceUsd: (10 + v) / 100 } }), v - 1);
    for (let i = 0; size(s.data) < 480 * 1024; i++) s.data[`other.${i}`] = "o".repeat(8000);
    const current = readCurrent(s.data, plain)!.table;
    const plan = planSave(s.data, { table: { ...table, providers: table.providers.slice(1) }, baseVersion: 12, savedAt: "", savedBy: "", summary: "" }, plain);
    expect(plan.trim).toBeDefined();
    const trimmed: Record<string, string> = { ...s.data, [META_KEY]: plan.trim!.meta };
    for (const key of plan.trim!.remove) delete trimmed[key];
    expect(readCurrent(trimmed, plain)!.table).toEqual(current); // until the commit, the current table is whole
    expect(size({ ...trimmed, ...plan.set })).toBeLessThan(500 * 1024);
  });

  test("a table that cannot fit beside the other data is refused with what to remove; nothing is planned", () => {
    const data: Record<string, string> = {};
    for (let i = 0; i < 48; i++) data[`other.${i}`] = "o".repeat(8000);
    expect(() => planSave(data, { table: tableOfSize(30 * 1024), baseVersion: 0, savedAt: "", savedBy: "", summary: "" }, plain))
      .toThrow(/^the rate table needs \d+ KB stored but only \d+ KB are free beside the other data of this spreadsheet: remove rows you no longer need \(the largest: providers/);
  });
});

describe("diff", () => {
  test("lists changed fields, added and removed rows by the names analysts use", () => {
    const before = copy();
    const after = copy();
    after.rates[0]!.units = 0.7;
    after.packages = after.packages.filter((p) => p.name !== "Trial S");
    after.providers.push({ provider: "NewCo", model: "Kling V3.0", quality: "720p", usdPerSecond: 0.05, note: "", source: "card", asOf: "2026-11" });
    after.pricing.defaultUnitPriceUsd = 0.126;
    const diff = diffTables(before, after);
    expect(diff.map((d) => [d.section, d.kind, d.key])).toEqual([
      ["pricing", "changed", "pricing"],
      ["rates", "changed", "kling-v3 720p"],
      ["packages", "removed", "Trial S"],
      ["providers", "added", "NewCo kling-v3 720p"],
    ]);
    expect(diff[1]!.changes).toEqual([{ field: "units", from: "0.6", to: "0.7" }]);
    expect(summarize(diff)).toBe("pricing changed; rates 1 changed; packages 1 removed; providers 1 added");
    expect(summarize(diff.slice(0, 2))).toBe("pricing: default unit price ($ per unit) 0.14 -> 0.126; kling-v3 720p: units 0.6 -> 0.7");
  });

  test("the same table has no differences, whatever its version number", () => {
    expect(diffTables(copy(), { ...copy(), version: 9 })).toEqual([]);
    expect(summarize([])).toBe("no changes");
  });
});

describe("refresh URLs", () => {
  const prefixes = ["https://raw.githubusercontent.com/acme/rates/", "https://*.example.com/cards"];
  test.each([
    ["https://raw.githubusercontent.com/acme/rates/main/card.json", undefined],
    ["https://files.example.com/cards", undefined],
    ["https://a.b.example.com/cards/2026.csv", undefined],
    ["https://files.example.com/cards?v=2", undefined],
    ["https://files.example.com/cardsX", /is not under an address/],
    ["https://example.com/cards", /is not under an address/],
    ["https://raw.githubusercontent.com/other/rates/card.json", /is not under an address/],
    ["http://raw.githubusercontent.com/acme/rates/card.json", /uses http:\/\/; only https:\/\//],
    ["ftp://x", /is not an https:\/\/ address/],
    ["", /is blank/],
    ["https://raw.githubusercontent.com:8443/acme/rates/x", /is not under an address/],
  ])("%s", (url, expected) => {
    const problem = urlProblem(url, prefixes);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });

  test("a #fragment is ignored, hosts match in any case, . and .. paths and very long URLs are refused", () => {
    expect(urlProblem("https://RAW.GitHubUserContent.com/acme/rates/card.json#top", prefixes)).toBeUndefined();
    expect(urlProblem("https://raw.githubusercontent.com/acme/rates/../../evil/card.json", prefixes)).toMatch(/has \. or \.\. in its path/);
    expect(urlProblem("https://raw.githubusercontent.com/acme/rates/%2e%2e/x", prefixes)).toMatch(/has \. or \.\. in its path/);
    expect(urlProblem(`https://raw.githubusercontent.com/acme/rates/${"x".repeat(2000)}`, prefixes)).toMatch(/characters long; at most 2000 are accepted/);
  });

  test.each([
    ["https://b.example/x", "https://a.example/p/q", "https://b.example/x"],
    ["//b.example/x", "https://a.example/p/q", "https://b.example/x"],
    ["/x?y=1", "https://a.example/p/q?z", "https://a.example/x?y=1"],
    ["r.json", "https://a.example/p/q.json?z#f", "https://a.example/p/r.json"],
    ["?v=2", "https://a.example/p/q.json?v=1", "https://a.example/p/q.json?v=2"],
  ])("Location %s from %s is %s", (location, base, expected) => {
    expect(resolveLocation(location, base)).toBe(expected);
  });

  test.each([
    ["text/csv", ""],
    ["text/csv; charset=UTF-8", "UTF-8"],
    ['text/csv; charset="ISO-8859-1"', "ISO-8859-1"],
    ["text/plain;charset=cp1252", "windows-1252"],
    ["text/plain; charset=Shift_JIS", undefined],
  ])("Content-Type %s reads as %p", (contentType, expected) => {
    expect(charsetOf(contentType)).toBe(expected);
  });

  test("manifest prefixes need https, a full domain and a path", () => {
    expect(prefixProblem("https://raw.githubusercontent.com/")).toBeUndefined();
    expect(prefixProblem("https://*.example.com/")).toBeUndefined();
    expect(prefixProblem("https://example.com")).toMatch(/a path/);
    expect(prefixProblem("http://example.com/")).toMatch(/https/);
    expect(prefixProblem("https://localhost/")).toMatch(/full domain/);
  });
});
