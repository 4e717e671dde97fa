import { defaultRateTable } from "../../src/core/rates/default-table";
import type { RateTable } from "../../src/core/rates/types";
import {
  addClipLength, addPackage, addProvider, checkDraft, createDraft, EDITED_SOURCE, editPackage, editPricing, editProvider,
  isChanged, removePackage, setRate, setRateMeta,
} from "../../src/sidebar/draft";
import { useSheetLocale } from "../../src/sidebar/format";
import { findRate, modelMatrix, type CellKey } from "../../src/sidebar/matrix";

// These edits are typed as in an en_US spreadsheet (the session sets the locale from the server).
beforeAll(() => useSheetLocale("en_US"));

const TODAY = "2026-11-24";
const base = (): RateTable => JSON.parse(JSON.stringify(defaultRateTable()));
const v3 = (quality: string, audio: CellKey["audio"] = "none", input: CellKey["input"] = "plain"): CellKey => ({ model: "kling-v3", quality, audio, input, per: "second" });
const clip = (model: string, quality: string, seconds: number): CellKey => ({ model, quality, audio: "none", input: "plain", per: "clip", seconds });
const rate = (table: RateTable, key: CellKey) => table.rates[findRate(table, key)];

test("a new draft is the stored table, unchanged and valid", () => {
  const d = createDraft(base(), TODAY);
  expect(d.table).toEqual(d.base);
  expect(d.table).not.toBe(d.base);
  expect(checkDraft(d)).toEqual({ changes: [], problems: [] });
});

test("editing a rate dates it today and sources it to the sidebar; typed back, it is the stored row again", () => {
  const d = createDraft(base(), TODAY);
  expect(setRate(d, v3("720p"), "0.7")).toBe("changed");
  expect(rate(d.table, v3("720p"))).toMatchObject({ units: 0.7, source: EDITED_SOURCE, asOf: TODAY });
  expect(checkDraft(d).changes).toEqual([{
    section: "rates", kind: "changed", key: "kling-v3 720p",
    changes: [{ field: "units", from: "0.6", to: "0.7" }, { field: "source", from: "Kling AI API pricing article", to: EDITED_SOURCE }, { field: "as of", from: "2026", to: TODAY }],
  }]);
  setRate(d, v3("720p"), "0.60");
  expect(rate(d.table, v3("720p"))).toEqual(rate(d.base, v3("720p")));
  expect(checkDraft(d).changes).toEqual([]);
  expect(isChanged(d, rate(d.table, v3("720p"))!)).toBe(false);
});

test("a source or date the analyst typed is kept when they then edit the value", () => {
  const d = createDraft(base(), TODAY);
  const i = findRate(d.table, v3("1080p"));
  setRateMeta(d, i, "source", "Kling price list, 1 Dec");
  setRate(d, v3("1080p"), "0.85");
  expect(rate(d.table, v3("1080p"))).toMatchObject({ units: 0.85, source: "Kling price list, 1 Dec", asOf: TODAY });
  setRateMeta(d, findRate(d.table, v3("1080p")), "asOf", "2026-12-01");
  setRate(d, v3("1080p"), "0.86");
  expect(rate(d.table, v3("1080p"))).toMatchObject({ units: 0.86, source: "Kling price list, 1 Dec", asOf: "2026-12-01" });
});

test("a number in an empty cell adds a rate row, in matrix order; clearing a cell removes it", () => {
  const d = createDraft(base(), TODAY);
  const before = d.table.rates.length;
  expect(setRate(d, v3("4k", "voice"), "4.2")).toBe("added");
  const i = findRate(d.table, v3("4k", "voice"));
  expect(d.table.rates[i]).toEqual({ model: "kling-v3", quality: "4k", audio: "voice", input: "plain", per: "second", units: 4.2, source: EDITED_SOURCE, asOf: TODAY });
  expect(d.table.rates[i - 1]).toMatchObject({ model: "kling-v3", quality: "4k", audio: "audio" });
  expect(checkDraft(d).problems).toEqual([]);
  expect(setRate(d, v3("4k", "voice"), "")).toBe("removed");
  expect(d.table.rates.length).toBe(before);
  expect(setRate(d, v3("4k", "voice"), "  ")).toBe("none");
  // Cleared and typed again with the stored value: the stored row, in its place, nothing to save.
  setRate(d, v3("720p", "audio"), "");
  expect(checkDraft(d).changes).toEqual([expect.objectContaining({ kind: "removed", key: "kling-v3 720p with audio" })]);
  setRate(d, v3("720p", "audio"), "0.9");
  expect(d.table).toEqual(d.base);
  expect(checkDraft(d).changes).toEqual([]);
});

test("what is not a rate yet stays in the draft and validation names the row and field", () => {
  const d = createDraft(base(), TODAY);
  setRate(d, v3("720p", "voice"), "abc");
  setRate(d, v3("1080p", "none", "motion-control"), "-1");
  expect(checkDraft(d).problems).toEqual([
    "rates row 3 (kling-v3 720p voice plain), units: must be a number",
    "rates row 8 (kling-v3 1080p none motion-control), units: must be more than 0",
  ]);
  setRate(d, v3("720p", "voice"), "1.15");
  setRate(d, v3("1080p", "none", "motion-control"), "1.25");
  expect(checkDraft(d).problems).toEqual([]);
});

test("clip rates: a new clip length shows an empty row; clearing a clip keeps its row on screen", () => {
  const d = createDraft(base(), TODAY);
  const m = () => modelMatrix(d.table, d.table.models.find((x) => x.id === "kling-v2-1")!, d.extraClips.get("kling-v2-1"));
  expect(addClipLength(d, "kling-v2-1", "15")).toBeNull();
  expect(m().rows.map((r) => r.label)).toEqual(["5 s clip", "10 s clip", "15 s clip"]);
  expect(checkDraft(d).changes).toEqual([]); // an empty row is no change
  expect(addClipLength(d, "kling-v2-1", "10")).toBe("Kling 2.1 already has a 10 s clip row");
  expect(addClipLength(d, "kling-v2-1", "2.5")).toBe('clip length: "2.5" is not a whole number of seconds');
  expect(addClipLength(d, "kling-v3", "5")).toBe("kling-v3 does not bill per clip");
  expect(setRate(d, clip("kling-v2-1", "720p", 15), "6")).toBe("added");
  expect(rate(d.table, clip("kling-v2-1", "720p", 15))).toMatchObject({ per: "clip", seconds: 15, units: 6 });
  expect(checkDraft(d).problems).toEqual([]);
  setRate(d, clip("kling-v1-5", "720p", 10), "");
  setRate(d, clip("kling-v1-5", "1080p", 10), "");
  const v15 = modelMatrix(d.table, d.table.models.find((x) => x.id === "kling-v1-5")!, d.extraClips.get("kling-v1-5"));
  expect(v15.rows.map((r) => r.label)).toEqual(["5 s clip", "10 s clip"]);
  expect(v15.rows[1]!.cells.map((c) => c.index)).toEqual([-1, -1]);
});

test("packages: numbers parsed, blank purchase limit is none, the default package follows a rename", () => {
  const d = createDraft(base(), TODAY);
  editPackage(d, 2, "priceUsd", "690");
  expect(d.table.packages[2]).toMatchObject({ name: "Package 1", priceUsd: 690, source: EDITED_SOURCE, asOf: TODAY });
  editPackage(d, 2, "purchaseLimit", "3");
  expect(d.table.packages[2]!.purchaseLimit).toBe(3);
  editPackage(d, 2, "purchaseLimit", "");
  expect(d.table.packages[2]!.purchaseLimit).toBeNull();
  for (const ch of ["P", "Pa", "Pack 1"]) editPackage(d, 2, "name", ch);
  expect(d.table.pricing.defaultPackage).toBe("Pack 1");
  expect(checkDraft(d).problems).toEqual([]);
  editPackage(d, 0, "name", "Trial XS"); // not the default: pricing untouched
  expect(d.table.pricing.defaultPackage).toBe("Pack 1");
});

test("a new package is blank where the analyst must fill it in, and validation says which fields", () => {
  const d = createDraft(base(), TODAY);
  const i = addPackage(d);
  expect(i).toBe(6);
  expect(checkDraft(d).problems).toEqual([
    "packages row 7, name: must not be blank",
    "packages row 7, price ($): is missing",
    "packages row 7, units: is missing",
    "packages row 7, valid (days): is missing",
  ]);
  for (const [field, text] of [["name", "Package 5"], ["priceUsd", "$9,000"], ["units", "70,000"], ["validityDays", "365"]] as const) editPackage(d, i, field, text);
  expect(checkDraft(d).problems).toEqual([]);
  expect(d.table.packages[i]).toEqual({ name: "Package 5", priceUsd: 9000, units: 70000, validityDays: 365, concurrency: 1, purchaseLimit: null, source: EDITED_SOURCE, asOf: TODAY });
  expect(checkDraft(d).changes).toEqual([expect.objectContaining({ section: "packages", kind: "added", key: "Package 5" })]);
});

test("removing the default package is refused by validation, naming the pricing field", () => {
  const d = createDraft(base(), TODAY);
  removePackage(d, 2);
  expect(checkDraft(d).problems).toEqual(["pricing, default package: Package 1 is not in the packages list"]);
  editPricing(d, "defaultPackage", "Package 2");
  expect(checkDraft(d).problems).toEqual([]);
  expect(d.table.pricing).toMatchObject({ defaultPackage: "Package 2", source: EDITED_SOURCE, asOf: TODAY });
});

test("pricing and providers are stamped like rates", () => {
  const d = createDraft(base(), TODAY);
  editPricing(d, "defaultUnitPriceUsd", "0.13");
  expect(d.table.pricing).toMatchObject({ defaultUnitPriceUsd: 0.13, source: EDITED_SOURCE, asOf: TODAY });
  editPricing(d, "defaultUnitPriceUsd", "0.14");
  expect(d.table.pricing).toEqual(d.base.pricing);
  editProvider(d, 1, "usdPerSecond", "0.09");
  expect(d.table.providers[1]).toMatchObject({ provider: "Atlas Cloud", usdPerSecond: 0.09, source: EDITED_SOURCE, asOf: TODAY });
  const i = addProvider(d);
  expect(checkDraft(d).problems).toEqual([
    expect.stringMatching(new RegExp(`^providers row ${i + 1} \\(720p\\), provider: must not be blank$`)),
    expect.stringMatching(new RegExp(`^providers row ${i + 1} .*, model: must not be blank$`)),
    expect.stringMatching(new RegExp(`^providers row ${i + 1} .*, USD per second: is missing$`)),
  ]);
  editProvider(d, i, "provider", "Replicate");
  editProvider(d, i, "model", "Kling V3.0");
  editProvider(d, i, "usdPerSecond", "0.1");
  expect(checkDraft(d).problems).toEqual([]);
});

test("hostile names are plain data to the draft", () => {
  const d = createDraft(base(), TODAY);
  editPackage(d, 0, "name", "<img src=x onerror=alert(1)>");
  expect(d.table.packages[0]!.name).toBe("<img src=x onerror=alert(1)>");
  expect(checkDraft(d).problems).toEqual([]);
});
