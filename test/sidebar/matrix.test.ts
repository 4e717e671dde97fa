import { defaultRateTable } from "../../src/core/rates/default-table";
import type { RateTable } from "../../src/core/rates/types";
import { featureLabel, features, findRate, insertionIndex, keyOfRate, modelMatrix, rateTestId } from "../../src/sidebar/matrix";

const table = (): RateTable => JSON.parse(JSON.stringify(defaultRateTable()));
const model = (t: RateTable, id: string) => t.models.find((m) => m.id === id)!;

test("features: single ones first, as analysts list them, then the mixes", () => {
  const t = table();
  expect(features(model(t, "kling-v3")).map((f) => featureLabel(f.audio, f.input))).toEqual([
    "plain", "with audio", "with voice", "motion control", "motion control with audio", "motion control with voice",
  ]);
  expect(features(model(t, "kling-v3-omni")).map((f) => featureLabel(f.audio, f.input))).toEqual(["plain", "with audio", "video input", "video input with audio"]);
});

test("a per-second model: features x qualities, empty cells where there is no rate", () => {
  const t = table();
  const m = modelMatrix(t, model(t, "kling-v3"));
  expect(m.per).toBe("second");
  expect(m.qualities).toEqual(["720p", "1080p", "4k"]);
  expect(m.rows.map((r) => r.label)).toEqual(["plain", "with audio", "with voice", "motion control", "motion control with audio", "motion control with voice"]);
  const units = m.rows.map((r) => r.cells.map((c) => (c.index >= 0 ? t.rates[c.index]!.units : null)));
  expect(units).toEqual([[0.6, 0.8, 3], [0.9, 1.2, 3], [1.1, 1.4, null], [0.9, 1.2, null], [null, null, null], [null, null, null]]);
  expect(m.rows[0]!.cells[0]!.testId).toBe("rate-kling-v3-720p-none-plain");
  expect(m.rows[3]!.cells[1]!.testId).toBe("rate-kling-v3-1080p-none-motion-control");
});

test("a per-clip model: one row per clip length, plus lengths added in the sidebar", () => {
  const t = table();
  const m = modelMatrix(t, model(t, "kling-v2-1"));
  expect(m.per).toBe("clip");
  expect(m.rows.map((r) => r.label)).toEqual(["5 s clip", "10 s clip"]);
  expect(m.rows[0]!.cells.map((c) => c.testId)).toEqual(["rate-kling-v2-1-720p-none-plain-5s", "rate-kling-v2-1-1080p-none-plain-5s"]);
  expect(m.rows[1]!.cells.map((c) => t.rates[c.index]!.units)).toEqual([4, 7]);
  expect(modelMatrix(t, model(t, "kling-v2-1"), [15]).rows.map((r) => r.label)).toEqual(["5 s clip", "10 s clip", "15 s clip"]);
  expect(modelMatrix(t, model(t, "kling-v2-1-master")).rows[0]!.cells.map((c) => c.testId)).toEqual(["rate-kling-v2-1-master-master-none-plain-5s"]);
});

test("every rate row of the built-in table is in exactly one cell", () => {
  const t = table();
  const shown = t.models.flatMap((m) => modelMatrix(t, m).rows.flatMap((r) => r.cells.map((c) => c.index))).filter((i) => i >= 0);
  expect(shown.sort((a, b) => a - b)).toEqual(t.rates.map((_, i) => i));
  expect(new Set(t.rates.map((r) => rateTestId(keyOfRate(r)))).size).toBe(t.rates.length);
});

test("a rate removed and added again goes back to where it was", () => {
  const t = table();
  t.rates.forEach((row, i) => {
    const copy = table();
    const [removed] = copy.rates.splice(i, 1);
    expect(insertionIndex(copy, model(copy, row.model), keyOfRate(removed!))).toBe(i);
  });
  // A rate for a model without any goes at the end.
  const empty = table();
  empty.rates = empty.rates.filter((r) => r.model !== "kling-v1-5");
  expect(insertionIndex(empty, model(empty, "kling-v1-5"), { model: "kling-v1-5", quality: "720p", audio: "none", input: "plain", per: "clip", seconds: 5 })).toBe(empty.rates.length);
  expect(findRate(empty, { model: "kling-v1-5", quality: "720p", audio: "none", input: "plain", per: "clip", seconds: 5 })).toBe(-1);
});
