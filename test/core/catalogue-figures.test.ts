// Every figure of the models added in issue 10, asked through the public functions. Each case
// quotes its source as docs/catalogue-sources.md records it (the test checks the quote is there),
// and the expected figure is worked out from the quote: a reseller's dollars at $0.14 a unit, a
// ratio, or Kling's own units.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { klingCost, klingUnits } from "../../src/core/functions/clip";
import { klingCompare } from "../../src/core/functions/compare";
import { klingRates } from "../../src/core/functions/tables";
import { defaultRateTable } from "../../src/core/rates/default-table";

const sources = readFileSync(join(__dirname, "../../docs/catalogue-sources.md"), "utf8");
const table = defaultRateTable();
const UNIT = 0.14; // what fal.ai charges per Kling unit, and the default unit price

const perSecond = (model: string, quality: string, audio: unknown = "", input: unknown = "", seconds = 10) =>
  Number(klingUnits(table, model, quality, seconds, audio, input)) / seconds;
const rowsOf = (model: string) => table.rates.filter((r) => r.model === model);

describe("Kling's pricing page, units per second (as quoted in issue 10)", () => {
  // [quote, model, quality, audio, input, units/s]
  test.each([
    ["kling-v2-6 720p 0.3 and 1080p 0.5 units/s without audio", "kling-v2-6", "720p", "", "", 0.3],
    ["kling-v2-6 720p 0.3 and 1080p 0.5 units/s without audio", "kling-v2-6", "1080p", "", "", 0.5],
    ["1.0 with native audio and 1.2 with voice at 1080p", "kling-v2-6", "1080p", true, "", 1.0],
    ["1.0 with native audio and 1.2 with voice at 1080p", "kling-v2-6", "1080p", "voice", "", 1.2],
    ["motion control 0.5 / 0.8", "kling-v2-6", "720p", "", "motion-control", 0.5],
    ["motion control 0.5 / 0.8", "kling-v2-6", "1080p", "", "motion-control", 0.8],
    ["kling-v2-5-turbo 0.3 / 0.5", "kling-v2-5-turbo", "720p", "", "", 0.3],
    ["kling-v2-5-turbo 0.3 / 0.5", "kling-v2-5-turbo", "1080p", "", "", 0.5],
    ["kling-v1-6 0.4 / 0.7", "kling-v1-6", "720p", "", "", 0.4],
    ["kling-v1-6 0.4 / 0.7", "kling-v1-6", "1080p", "", "", 0.7],
    ["kling-v1 0.2 / 0.7", "kling-v1", "720p", "", "", 0.2],
    ["kling-v1 0.2 / 0.7", "kling-v1", "1080p", "", "", 0.7],
    ["kling-v2-master 2.0 at 1080p", "kling-v2-master", "1080p", "", "", 2.0],
    ["kling-video-o1 0.6 / 0.8 and 0.9 / 1.2 with video input", "kling-video-o1", "720p", "", "", 0.6],
    ["kling-video-o1 0.6 / 0.8 and 0.9 / 1.2 with video input", "kling-video-o1", "1080p", "", "", 0.8],
    ["kling-video-o1 0.6 / 0.8 and 0.9 / 1.2 with video input", "kling-video-o1", "720p", "", "video", 0.9],
    ["kling-video-o1 0.6 / 0.8 and 0.9 / 1.2 with video input", "kling-video-o1", "1080p", "", "video", 1.2],
    ["Kling 3.0 Omni 4K with video input is 3.0 units/s", "kling-v3-omni", "4k", "", "video", 3.0],
  ] as const)("%s: %s %s %s %s", (quote, model, quality, audio, input, units) => {
    expect(sources).toContain(quote);
    expect(perSecond(model, quality, audio, input)).toBeCloseTo(units, 12);
  });

  test("the done-when figure: =KLING_COST(\"kling-v2-6\", \"1080p\", 10) on a fresh install", () => {
    expect(klingCost(table, "kling-v2-6", "1080p", 10, "", "", "")).toBeCloseTo(0.5 * 10 * UNIT, 12);
    expect(klingCost(table, "kling-v2-6", "1080p", 10, "", "", "")).toBeCloseTo(0.7, 12);
  });
});

describe("second sources: resellers at $0.14 a unit", () => {
  // [quote, model, quality, audio, input, USD per second the quote states]
  test.each([
    ["Official list pricing is ¥0.8/s for 720p and ¥1/s for 1080p.", "kling-v3-turbo", "720p", "", "", 0.8 * UNIT],
    ["Official list pricing is ¥0.8/s for 720p and ¥1/s for 1080p.", "kling-v3-turbo", "1080p", "", "", 1 * UNIT],
    ["you will be charged **$0.112**.", "kling-v3-turbo", "720p", "", "", 0.112],
    ["you will be charged **$0.14** .", "kling-v3-turbo", "1080p", "", "", 0.14],
    ["you will be charged **$0.42** regardless of whether audio is on or off.", "kling-v3-omni", "4k", "", "video", 0.42],
    ["- **Price**: $0.084 per seconds", "kling-video-o1", "720p", "", "", 0.084],
    ["- **Price**: $0.112 per seconds", "kling-video-o1", "1080p", "", "", 0.112],
    ["Videos generated without audio cost $0.07 per second.", "kling-v2-6", "1080p", "", "", 0.07],
    ["Videos with native audio cost $0.14 per second", "kling-v2-6", "1080p", true, "", 0.14],
    ["videos with native audio and voice control cost $0.168 per second.", "kling-v2-6", "1080p", "voice", "", 0.168],
    ["For every additional second you will be charged **$0.042.**", "kling-v2-5-turbo", "720p", "", "", 0.042],
    ["For every additional second you will be charged **$0.07.**", "kling-v2-5-turbo", "1080p", "", "", 0.07],
    ["For **5s** video your request will cost **$1.40**.", "kling-v2-master", "master", "", "", 1.4 / 5],
  ] as const)("%s -> %s %s", (quote, model, quality, audio, input, usdPerSecond) => {
    expect(sources).toContain(quote);
    expect(perSecond(model, quality, audio, input) * UNIT).toBeCloseTo(usdPerSecond, 12);
  });

  test("Kling 3.0 Turbo: one price with or without audio, as its two sources disagree on the audio", () => {
    expect(sources).toContain("Audio is always on");
    expect(sources).toContain("Not supported: native audio");
    for (const quality of ["720p", "1080p"]) expect(perSecond("kling-v3-turbo", quality, true)).toBe(perSecond("kling-v3-turbo", quality));
  });
});

describe("second sources: ratios", () => {
  test("Kling 2.6: apimodels.app's std, pro, audio and voice prices stand as 0.3 : 0.5 : 1.0 : 1.2", () => {
    const [std, pro, audio, voice] = [0.0159, 0.0267, 0.0531, 0.0639];
    for (const price of ["$0.0159", "$0.0267", "$0.0531", "$0.0639"]) expect(sources).toContain(price);
    expect(perSecond("kling-v2-6", "720p") / perSecond("kling-v2-6", "1080p")).toBeCloseTo(std / pro, 2);
    expect(perSecond("kling-v2-6", "1080p", true) / perSecond("kling-v2-6", "1080p")).toBeCloseTo(audio / pro, 1);
    expect(perSecond("kling-v2-6", "1080p", "voice") / perSecond("kling-v2-6", "1080p")).toBeCloseTo(voice / pro, 1);
  });

  test("motion control: unorouter charges one price per unit for Kling 2.6 and Kling 3.0 motion control", () => {
    const quoted: [string, string, string, number][] = [
      ["| std (720P) | V2.6 | $0.85/s |", "kling-v2-6", "720p", 0.85],
      ["| pro (1080P) | V2.6 | $1.36/s |", "kling-v2-6", "1080p", 1.36],
      ["| std (720P) | V3.0 | $1.53/s |", "kling-v3", "720p", 1.53],
      ["| pro (1080P) | V3.0 | $2.04/s |", "kling-v3", "1080p", 2.04],
    ];
    const perUnit = quoted.map(([quote, model, quality, usd]) => {
      expect(sources).toContain(quote);
      return usd / perSecond(model, quality, "", "motion-control");
    });
    for (const price of perUnit) expect(price).toBeCloseTo(perUnit[0]!, 12);
  });

  test("Kling O1: Krea's price with a video reference is 1.5x its price without, as Kling's 0.9 / 0.6 and 1.2 / 0.8", () => {
    expect(sources).toContain("| No | $0.1176/sec |");
    expect(sources).toContain("| Yes | $0.1764/sec |");
    for (const quality of ["720p", "1080p"]) {
      expect(perSecond("kling-video-o1", quality, "", "video") / perSecond("kling-video-o1", quality)).toBeCloseTo(0.1764 / 0.1176, 12);
    }
  });

  test("Kling 1.0 pro is 3.5x std (openai-hk, Krea); Kling 1.6 costs what Kling 1.5 does (openai-hk)", () => {
    expect(sources).toContain("pro mode costs 3.5x the base price");
    expect(sources).toContain("| std | $0.0221/sec |");
    expect(sources).toContain("| pro | $0.0772/sec |");
    expect(perSecond("kling-v1", "1080p") / perSecond("kling-v1", "720p")).toBeCloseTo(3.5, 12);
    expect(0.0772 / 0.0221).toBeCloseTo(3.5, 1);
    expect(sources).toContain("kling-v1-5 and kling-v1-6 cost 2x the base price");
    for (const quality of ["720p", "1080p"]) {
      for (const seconds of [5, 10]) expect(klingUnits(table, "kling-v1-6", quality, seconds, "", "")).toBe(klingUnits(table, "kling-v1-5", quality, seconds, "", ""));
    }
  });

  test("Kling 2.0 Master is 10x Kling 1.0 std (openai-hk's base price)", () => {
    expect(sources).toContain("kling-v2-master costs 10x the base price");
    expect(klingUnits(table, "kling-v2", "1080p", 5, "", "")).toBeCloseTo(10 * Number(klingUnits(table, "kling-v1", "720p", 5, "", "")), 12);
  });
});

describe("clip lengths the models sell", () => {
  test.each([
    ["kling-v3-turbo", "1080p", [3, 15], [2, 16]],
    ["kling-video-o1", "1080p", [3, 10], [2, 11]],
    ["kling-v2-6", "1080p", [5, 10], [3, 7, 15]],
    ["kling-v2-5-turbo", "720p", [5, 10], [6]],
    ["kling-v2-master", "master", [5, 10], [8]],
    ["kling-v1-6", "720p", [5, 10], [4]],
    ["kling-v1", "720p", [5, 10], [9]],
  ] as const)("%s sells %j s and refuses %j s", (model, quality, sold, refused) => {
    for (const s of sold) expect(() => klingUnits(table, model, quality, s, "", "")).not.toThrow();
    for (const s of refused) expect(() => klingUnits(table, model, quality, s, "", "")).toThrow(/^seconds: /);
  });

  test("a length the model does not sell is an error that names the lengths", () => {
    expect(() => klingCost(table, "kling-v2-6", "1080p", 7, "", "", "")).toThrow("seconds: 7 is not a clip length kling-v2-6 sells; it makes 5 s or 10 s clips");
    expect(() => klingCost(table, "kling-video-o1", "720p", 12, "", "", "")).toThrow("seconds: 12 is too long; kling-video-o1 makes 3 to 10 s per generation");
  });

  test("KLING_RATES shows the lengths each rate's model sells", () => {
    const [header, ...rows] = klingRates(table);
    const at = (name: string) => header!.indexOf(name);
    const of = (model: string) => rows.find((r) => r[at("Model")] === model)!;
    expect(of("kling-v2-6")[at("Clip lengths")]).toBe("5 s or 10 s");
    expect(of("kling-v3-turbo")[at("Clip lengths")]).toBe("3 to 15 s");
    expect(of("kling-v2-1")[at("Clip lengths")]).toBe("5 s");
  });
});

describe("names users write", () => {
  test.each([
    ["Kling 2.6", "kling-v2-6"], ["2.6", "kling-v2-6"], ["v2.6", "kling-v2-6"], [2.6, "kling-v2-6"],
    ["2.5 turbo", "kling-v2-5-turbo"], ["Kling 2.5 Turbo", "kling-v2-5-turbo"],
    ["O1", "kling-video-o1"], ["kling-v2", "kling-v2-master"], ["Kling 3.0 Turbo", "kling-v3-turbo"], ["kling-v3-0-turbo", "kling-v3-turbo"],
    ["1.6", "kling-v1-6"], ["kling-v1", "kling-v1"],
  ] as const)("%j is %s", (typed, id) => {
    const model = table.models.find((m) => m.id === id)!;
    const quality = model.qualities[0]!;
    const seconds = model.clipLengths?.[0] ?? model.minSeconds!;
    expect(klingUnits(table, typed, quality, seconds, "", "")).toBe(klingUnits(table, id, quality, seconds, "", ""));
  });
});

describe("providers of each new model", () => {
  test.each(["kling-v3-turbo", "kling-video-o1", "kling-v2-6", "kling-v2-5-turbo", "kling-v2-master", "kling-v1", "kling-v3-omni"])(
    "fal.ai sells %s, with its page as source and a date",
    (id) => {
      const rows = table.providers.filter((p) => p.klingModel === id && p.provider === "fal.ai");
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.source).toMatch(/^fal\.ai model page fal-ai\/kling-video\//);
        expect(sources).toContain(row.source.replace("fal.ai model page ", ""));
        expect(row.asOf).toMatch(/^\d{4}-\d{2}/);
      }
    },
  );

  test("KLING_COMPARE with a model lists only the providers that sell it", () => {
    const rows = klingCompare(table, "1080p", 10, "2.6");
    expect(rows[1]![1]).toBe("Kling 2.6");
    expect(rows[1]![3]).toBeCloseTo(0.7, 12);
    expect(rows.slice(2).map((r) => [r[0], r[1], r[2]])).toEqual([["fal.ai", "Kling 2.6 Pro", 0.07]]);
    // Without a model: Kling 3.0 and the article's resellers, none of fal.ai's other models.
    const v3 = klingCompare(table, "1080p", 10);
    expect(v3.slice(2).map((r) => r[1])).toEqual(["Kling V3.0 image-to-video", "Kling V3.0", "Kling V3.0", "Kling V3.0", "Seedance 2.0 Cinematic"]);
  });
});

test("every rate row of the new models names a second source, or the disagreement, beside Kling's page", () => {
  const added = ["kling-v3-turbo", "kling-video-o1", "kling-v2-6", "kling-v2-5-turbo", "kling-v2-master", "kling-v1-6", "kling-v1"];
  for (const id of added) {
    expect(rowsOf(id).length).toBeGreaterThan(0);
    for (const row of rowsOf(id)) {
      expect(row.source).toMatch(/fal\.ai|openai-hk|Krea|unorouter|apimodels|EvoLink/);
      expect(row.asOf).toBe("2026-11");
    }
  }
});
