import { defaultRateTable } from "../../src/core/rates/default-table";
import { compileLookup, primeRateIndex, rateIndex } from "../../src/core/rates/lookup";
import { validateRateTable } from "../../src/core/rates/schema";
import type { RateTable } from "../../src/core/rates/types";

const copy = (): RateTable => JSON.parse(JSON.stringify(defaultRateTable()));

function problems(edit: (t: RateTable & Record<string, unknown>) => void): string[] {
  const table = copy() as RateTable & Record<string, unknown>;
  edit(table);
  const before = JSON.stringify(table);
  const result = validateRateTable(table);
  expect(JSON.stringify(table)).toBe(before); // validation never changes what it was given
  return result.ok ? [] : result.problems;
}

test("the shipped default rate table is valid", () => {
  const result = validateRateTable(defaultRateTable());
  expect(result).toEqual({ ok: true, table: defaultRateTable() });
});

test("the default survives JSON, the form it is built into the bundle and stored in", () => {
  const table = copy();
  expect(validateRateTable(table).ok).toBe(true);
  // The lookups computed ahead of time equal the ones computed on first use.
  const ahead = JSON.parse(JSON.stringify(compileLookup(table)));
  primeRateIndex(table, ahead);
  const other = copy();
  for (const name of ["V3", "omni", "Master", "2.1", "kling v1.5", "nope"]) {
    expect(rateIndex(table).findModel(name)?.id).toBe(rateIndex(other).findModel(name)?.id);
  }
});

describe("a malformed table is refused with the row and field named", () => {
  test.each<[string, (t: RateTable & Record<string, unknown>) => void, RegExp]>([
    ["negative rate", (t) => (t.rates[0]!.units = -0.6), /^rates row 1 \(kling-v3 720p none plain\), units: must be more than 0$/],
    ["rate as text", (t) => ((t.rates[2] as unknown as Record<string, unknown>).units = "1.1"), /^rates row 3 \(kling-v3 720p voice plain\), units: must be a number$/],
    ["missing rate", (t) => delete (t.rates[1] as Partial<RateTable["rates"][number]>).units, /^rates row 2 \(kling-v3 720p audio plain\), units: is missing$/],
    ["unknown model in a rate", (t) => (t.rates[0]!.model = "kling-v9"), /^rates row 1 \(kling-v9 720p none plain\), model: kling-v9 is not in the models list$/],
    ["duplicate rate", (t) => t.rates.push({ ...t.rates[0]! }), /^rates row \d+ \(kling-v3 720p none plain\): repeats the rate of row 1$/],
    ["duplicate package", (t) => t.packages.push({ ...t.packages[0]!, name: "trial s" }), /^packages row 7 \(trial s\): repeats the package name of row 1$/],
    ["price with too many decimals", (t) => (t.packages[0]!.priceUsd = 9.80001), /^packages row 1 \(Trial S\), price \(\$\): must have at most 4 decimals$/],
    ["fractional units", (t) => (t.packages[1]!.units = 1000.5), /^packages row 2 \(Trial L\), units: must be a whole number$/],
    ["an alias naming two models", (t) => t.models[1]!.aliases.push("V3"), /^models row 2 \(kling-v3-omni\): the name "v3" also names kling-v3$/],
    ["unknown field", (t) => (t.extra = 1), /^rate table: has unknown field extra$/],
    ["bad date", (t) => (t.packages[0]!.asOf = "last year"), /^packages row 1 \(Trial S\), as of: must be a date such as 2026-11-24, 2026-11 or 2026$/],
    ["default package gone", (t) => (t.pricing.defaultPackage = "Package 9"), /^pricing, default package: Package 9 is not in the packages list$/],
    ["oversized", (t) => (t.rates = Array.from({ length: 2001 }, () => t.rates[0]!)), /^rates: has more than 2000 rows$/],
    ["blank source", (t) => (t.providers[0]!.source = "  "), /^providers row 1 \(Atlas Cloud 720p\), source: must not be blank$/],
  ])("%s", (_, edit, expected) => {
    const found = problems(edit);
    expect(found.length).toBeGreaterThan(0);
    expect(found.some((p) => expected.test(p))).toBe(true);
  });

  test("not an object at all", () => {
    for (const input of [null, "{}", 42, []]) expect(validateRateTable(input).ok).toBe(false);
  });
});
