// Models added by a CSV rate card, provider rows keyed by Kling model, and the rules that tie a
// model's clip lengths, retirement and providers together.
import { klingCost } from "../../src/core/functions/clip";
import { klingCompare } from "../../src/core/functions/compare";
import { klingRates } from "../../src/core/functions/tables";
import { parseRateCard } from "../../src/core/rates/card";
import { diffTables } from "../../src/core/rates/diff";
import { defaultRateTable } from "../../src/core/rates/default-table";
import { validateRateTable } from "../../src/core/rates/schema";
import type { RateTable } from "../../src/core/rates/types";

const copy = (): RateTable => JSON.parse(JSON.stringify(defaultRateTable())) as RateTable;
const TODAY = "2026-11-29";

function imported(csv: string, base = copy()): RateTable {
  const parsed = parseRateCard(csv, base, TODAY);
  if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
  const checked = validateRateTable(parsed.candidate);
  if (!checked.ok) throw new Error(checked.problems.join("\n"));
  return checked.table;
}

const CARD = [
  "section,id,name,aliases,billing,lengths,qualities,audio,inputs,model,quality,input,seconds,units,source,asOf",
  "models,acme-v9,Acme Kling 9,K9|Kling Nine,per second,5|10,720p|1080p,none|audio,,,,,,,Acme rate card,2026-11",
  "rates,,,,,,,,,acme-v9,720p,,,0.45,,",
  "rates,,,,,,,,,acme-v9,1080p,,,0.65,,",
].join("\n");

describe("a CSV card with a models section", () => {
  test("adds the model and its rate rows in one file; formulas price it by any of its names", () => {
    const before = copy();
    const table = imported(CARD, before);
    const model = table.models.find((m) => m.id === "acme-v9")!;
    expect(model).toEqual({
      id: "acme-v9", name: "Acme Kling 9", aliases: ["K9", "Kling Nine"], billing: "per-second", clipLengths: [5, 10],
      qualities: ["720p", "1080p"], audio: ["none", "audio"], inputs: ["plain"], source: "Acme rate card", asOf: "2026-11",
    });
    expect(klingCost(table, "K9", "1080p", 10, "", "", "")).toBeCloseTo(0.65 * 10 * 0.14, 12);
    expect(() => klingCost(table, "acme-v9", "1080p", 7, "", "", "")).toThrow("seconds: 7 is not a clip length acme-v9 sells; it makes 5 s or 10 s clips");
    expect(diffTables(before, table).map((d) => `${d.kind} ${d.section} ${d.key}`)).toEqual([
      "added models acme-v9", "added rates acme-v9 720p", "added rates acme-v9 1080p",
    ]);
  });

  test("a range of lengths and per-clip billing are read as a spreadsheet user writes them", () => {
    const table = imported([
      "id,name,billing,lengths,qualities",
      "acme-range,Acme Range,per second,3-12,1080p",
      "acme-clip,Acme Clip,per clip,5 s|10 s,720p",
    ].join("\n"));
    expect(table.models.find((m) => m.id === "acme-range")).toMatchObject({ minSeconds: 3, maxSeconds: 12, billing: "per-second" });
    expect(table.models.find((m) => m.id === "acme-clip")).toMatchObject({ clipLengths: [5, 10], billing: "per-clip" });
  });

  test("a models row for a model the table has updates only the cells it gives", () => {
    const table = imported("id,billing,retired\nkling-v1,per second,2026-12-31");
    const v1 = table.models.find((m) => m.id === "kling-v1")!;
    expect(v1.retired).toBe("2026-12-31");
    expect(v1.aliases).toEqual(copy().models.find((m) => m.id === "kling-v1")!.aliases);
    const [header, ...rows] = klingRates(table);
    const retired = rows.filter((r) => r[header!.indexOf("Retired")] !== "");
    expect(retired.map((r) => r[0])).toEqual(["kling-v1", "kling-v1"]);
    expect(retired[0]![header!.indexOf("Retired")]).toBe("retired 2026-12-31");
  });

  test("bad model rows are refused with the card's line and the field named", () => {
    const parsed = parseRateCard("id,billing,lengths,qualities\nacme-bad,weekly,five,8k", copy(), TODAY);
    expect(parsed.ok).toBe(false);
    const problems = (parsed as { problems: string[] }).problems.join("\n");
    expect(problems).toContain("line 2 (acme-bad), billing: must be per-second or per-clip");
    expect(problems).toContain("line 2 (acme-bad), clip lengths (value 1): must be a whole number");
  });

  test("rate rows for a model neither the table nor the card has are refused", () => {
    const parsed = parseRateCard("model,quality,units\nacme-none,720p,0.5", copy(), TODAY);
    expect(parsed.ok).toBe(false);
    expect((parsed as { problems: string[] }).problems.join("\n")).toContain("line 2 (acme-none 720p none plain), model: acme-none is not in the models list");
  });
});

describe("provider rows are keyed by provider, Kling model and quality", () => {
  test("fal.ai's Kling 2.6 at 1080p is added beside its Kling 3.0 row, not over it", () => {
    const before = copy();
    const table = imported("provider,model,quality,usdPerSecond\nfal.ai,Kling 2.6 Pro text-to-video,1080p,0.075", before);
    const fal = table.providers.filter((p) => p.provider === "fal.ai" && p.quality === "1080p");
    expect(fal.find((p) => p.klingModel === "kling-v3")!.usdPerSecond).toBe(0.112);
    expect(diffTables(before, table).map((d) => `${d.kind} ${d.key}`)).toEqual(["changed fal.ai kling-v2-6 1080p"]);
    expect(klingCompare(table, "1080p", 10).find((r) => r[0] === "fal.ai")![2]).toBe(0.112);
    expect(klingCompare(table, "1080p", 10, "kling-v2-6").find((r) => r[0] === "fal.ai")![2]).toBe(0.075);
  });

  test("a klingModel cell wins over the product name; a name that names no model compares with Kling 3.0", () => {
    const table = imported([
      "provider,model,klingModel,quality,usdPerSecond",
      "NewCo,Video Pro,kling-v2-5-turbo,720p,0.04",
      "OtherCo,Some Video,,720p,0.07",
    ].join("\n"));
    expect(table.providers.find((p) => p.provider === "NewCo")!.klingModel).toBe("kling-v2-5-turbo");
    expect(table.providers.find((p) => p.provider === "OtherCo")!.klingModel).toBe("kling-v3");
    expect(klingCompare(table, "720p", 5, "2.5 turbo").slice(2).map((r) => r[0])).toEqual(["fal.ai", "NewCo"]);
  });

  test("KLING_COMPARE with a model lists only providers of that model", () => {
    const table = copy();
    for (const model of table.models) {
      const quality = model.qualities[0]!;
      const seconds = model.clipLengths?.[0] ?? model.minSeconds ?? 5;
      let rows;
      try {
        rows = klingCompare(table, quality, seconds, model.id);
      } catch {
        continue; // no plain rate at its first quality
      }
      const sellers = new Set(table.providers.filter((p) => (p.klingModel ?? "kling-v3") === model.id).map((p) => p.provider));
      expect(new Set(rows.slice(2).map((r) => r[0]))).toEqual(sellers);
    }
  });

  test("a provider row for a model the table lacks, or twice for one model and quality, is refused", () => {
    const table = copy();
    table.providers.push({ ...table.providers[0]!, klingModel: "kling-v9" });
    table.providers.push({ ...table.providers[1]! });
    const checked = validateRateTable(table);
    const problems = (checked as { problems: string[] }).problems.join("\n");
    expect(problems).toContain("Kling model: kling-v9 is not in the models list");
    expect(problems).toMatch(/repeats the provider, Kling model and quality of providers row 2 \(Atlas Cloud 1080p\)/);
  });
});

test("a model gives clip lengths or a range, not both; a per-second model needs one of them", () => {
  const table = copy();
  table.models[0] = { ...table.models[0]!, clipLengths: [5, 10] };
  const { minSeconds: _min, maxSeconds: _max, ...bare } = table.models[1]!;
  table.models[1] = bare;
  const problems = (validateRateTable(table) as { problems: string[] }).problems;
  expect(problems).toContain("models row 1 (kling-v3): give its clip lengths or its shortest and longest clip (s), not both");
  expect(problems).toContain("models row 2 (kling-v3-omni): a per-second model needs its shortest and longest clip (s), or its clip lengths");
});
