import { defaultRateTable } from "../../src/core/rates/default-table";
import type { RateTable } from "../../src/core/rates/types";
import { rebase } from "../../src/sidebar/rebase";

const table = (): RateTable => JSON.parse(JSON.stringify(defaultRateTable()));

test("the analyst's row edits are replayed onto the newer version; theirs elsewhere stay", () => {
  const base = table();
  const mine = table();
  mine.rates[0]!.units = 0.61; // kling-v3 720p
  mine.packages.splice(0, 1); // Trial S
  mine.providers.push({ provider: "Replicate", model: "Kling V3.0", quality: "720p", usdPerSecond: 0.1, note: "", source: "x", asOf: "2026" });
  const theirs = table();
  theirs.version = 5;
  theirs.rates[4]!.units = 0.81; // kling-v3 1080p
  theirs.packages[3]!.priceUsd = 2000; // Package 2
  const { table: merged, overlaps } = rebase(base, mine, theirs);
  expect(overlaps).toEqual([]);
  expect(merged.version).toBe(5);
  expect(merged.rates[0]!.units).toBe(0.61);
  expect(merged.rates[4]!.units).toBe(0.81);
  expect(merged.packages.map((p) => p.name)).toEqual(["Trial L", "Package 1", "Package 2", "Package 3", "Package 4"]);
  expect(merged.packages[2]!.priceUsd).toBe(2000);
  expect(merged.providers.at(-1)!.provider).toBe("Replicate");
});

test("rows both sides changed keep the analyst's values and are listed", () => {
  const base = table();
  const mine = table();
  mine.packages[1]!.priceUsd = 99;
  mine.pricing.defaultUnitPriceUsd = 0.13;
  const theirs = table();
  theirs.packages[1]!.priceUsd = 97;
  theirs.pricing.defaultUnitPriceUsd = 0.15;
  const { table: merged, overlaps } = rebase(base, mine, theirs);
  expect(merged.packages[1]!.priceUsd).toBe(99);
  expect(merged.pricing.defaultUnitPriceUsd).toBe(0.13);
  expect(overlaps).toEqual(["pricing", "packages: Trial L"]);
});

test("nothing edited: the newer version as it is", () => {
  const theirs = table();
  theirs.rates[0]!.units = 0.5;
  expect(rebase(table(), table(), theirs)).toEqual({ table: theirs, overlaps: [] });
});
