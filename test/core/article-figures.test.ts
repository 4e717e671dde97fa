// Every figure of the pricing article and of rate-decisions.md, asked through the public functions.
// Each case quotes the article's own words, and the test checks the quote is really there, so a
// figure here cannot drift from its source.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { klingCost, klingUnits } from "../../src/core/functions/clip";
import { klingCompare } from "../../src/core/functions/compare";
import { klingEffectiveCost } from "../../src/core/functions/effective-cost";
import { klingPackages } from "../../src/core/functions/tables";
import { defaultRateTable } from "../../src/core/rates/default-table";

const reference = join(__dirname, "../../../shared/reference");
const article = readFileSync(join(reference, "kling-api-pricing-article.txt"), "utf8");
const decisions = readFileSync(join(reference, "rate-decisions.md"), "utf8");
const table = defaultRateTable();

const units = (model: string, quality: string, seconds: number, audio: unknown = "", input: unknown = "") =>
  klingUnits(table, model, quality, seconds, audio, input);
const cost = (model: string, quality: string, seconds: number, audio: unknown = "", input: unknown = "", price: unknown = "") =>
  klingCost(table, model, quality, seconds, audio, input, price);

describe("headline clip costs (article, 'Key cost benchmarks')", () => {
  test.each([
    ["| Standard 5s clip (720p, Video 3.0) | ~$0.42 |", "kling-v3", "720p", 5, "", 0.42],
    ["| Standard 5s clip (1080p, Video 3.0) | ~$0.56 |", "kling-v3", "1080p", 5, "", 0.56],
    ["| Premium 10s clip (1080p, native audio) | ~$1.68+ |", "kling-v3", "1080p", 10, true, 1.68],
    ["| High-end 10s 4K shot | Up to ~$4.20 |", "kling-v3", "4k", 10, "", 4.2],
  ])("%s", (quote, model, quality, seconds, audio, usd) => {
    expect(article).toContain(quote);
    expect(cost(model, quality, seconds, audio)).toBeCloseTo(usd, 10);
  });
});

describe("Kling 3.0 units per second and cost per second at $0.14 (article's 3.0 table, as rate-decisions reads it)", () => {
  // [quote, model, quality, audio, input, units/s, $/s]
  test.each([
    ["| Standard (720p) | Base Generation (Text-to-Video / No Audio) | V3 & V3-Omni | 0.6 | ~$0.084/s |", "kling-v3", "720p", "", "", 0.6, 0.084],
    ["| Standard (720p) | Base Generation (Text-to-Video / No Audio) | V3 & V3-Omni | 0.6 | ~$0.084/s |", "kling-v3-omni", "720p", "", "", 0.6, 0.084],
    ["| Video Input / Cross-Modal Extension with video | V3-Omni Only | 0.9 | ~$0.126/s |", "kling-v3-omni", "720p", "", "video", 0.9, 0.126],
    ["V3-Omni's native audio costs 0.8 units/sec", "kling-v3-omni", "720p", true, "", 0.8, 0.112],
    ["Kling-V3's text/image with audio costs 0.9 units/sec", "kling-v3", "720p", true, "", 0.9, 0.126],
    ["| Camera Motion Suite (Motion Control std) | Kling-V3 Only | 0.9 | ~$0.126/s |", "kling-v3", "720p", "", "motion-control", 0.9, 0.126],
    ["| Professional (1080p) | Base Generation (Text-to-Video / No Audio) | V3 & V3-Omni | 0.8 | ~$0.112/s |", "kling-v3", "1080p", "", "", 0.8, 0.112],
    ["| Professional (1080p) | Base Generation (Text-to-Video / No Audio) | V3 & V3-Omni | 0.8 | ~$0.112/s |", "kling-v3-omni", "1080p", "", "", 0.8, 0.112],
    ["| Video Input / Cross-Modal Extension with video | V3-Omni Only | 1.2 | ~$0.168/s |", "kling-v3-omni", "1080p", "", "video", 1.2, 0.168],
    ["V3-Omni costs 1.0 unit/sec", "kling-v3-omni", "1080p", true, "", 1.0, 0.14],
    ["Kling-V3 costs 1.2 units/sec", "kling-v3", "1080p", true, "", 1.2, 0.168],
    ["| Camera Motion Suite (Motion Control pro) | Kling-V3 Only | 1.2 | ~$0.168/s |", "kling-v3", "1080p", "", "motion-control", 1.2, 0.168],
    ["| 4K Ultra HD | Broadcast Grade Outputs (With or Without Audio) | V3 & V3-Omni | 3 | ~$0.420/s |", "kling-v3", "4k", "", "", 3, 0.42],
    ["| 4K Ultra HD | Broadcast Grade Outputs (With or Without Audio) | V3 & V3-Omni | 3 | ~$0.420/s |", "kling-v3", "4k", true, "", 3, 0.42],
    ["| 4K Ultra HD | Broadcast Grade Outputs (With or Without Audio) | V3 & V3-Omni | 3 | ~$0.420/s |", "kling-v3-omni", "4k", "", "", 3, 0.42],
    ["| 4K Ultra HD | Broadcast Grade Outputs (With or Without Audio) | V3 & V3-Omni | 3 | ~$0.420/s |", "kling-v3-omni", "4k", true, "", 3, 0.42],
  ])("%s (%s %s)", (quote, model, quality, audio, input, perSecond, usdPerSecond) => {
    expect(article).toContain(quote);
    for (const seconds of [3, 7, 15]) {
      expect(units(model, quality, seconds, audio, input)).toBeCloseTo(perSecond * seconds, 10);
      expect(cost(model, quality, seconds, audio, input)).toBeCloseTo(usdPerSecond * seconds, 10);
    }
  });

  test("voice control rows come from Kling's 3.0 spec (rate-decisions.md), 1.1 and 1.4 units/s", () => {
    expect(decisions).toContain("lists kling-v3 std 1.1 and pro 1.4 units/s with audio and voice");
    expect(units("kling-v3", "720p", 10, "voice")).toBeCloseTo(11, 10);
    expect(units("kling-v3", "1080p", 10, "voice")).toBeCloseTo(14, 10);
  });

  test("clips run 3 to 15 whole seconds", () => {
    expect(article).toContain("natively supports 3 to 15 seconds per single generation");
    expect(() => cost("kling-v3", "720p", 16)).toThrow("seconds: 16 is too long; kling-v3 makes 3 to 15 s per generation");
    expect(() => cost("kling-v3", "720p", 2)).toThrow("seconds: 2 is too short");
    expect(() => cost("kling-v3-omni", "720p", 7.5)).toThrow("seconds: 7.5 is not a whole number");
  });
});

describe("legacy block deductions (article's V1.5 / V2.1 table)", () => {
  test.each([
    ["| Kling-V1-5 / Kling-V2-1 | Standard Mode (std x 5s / Video Extension) | 5s | 2.0 units | $0.28 |", "std", 5, 2.0, 0.28],
    ["| Kling-V1-5 / Kling-V2-1 | Standard Mode (std x 10s) | 10s | 4.0 units | $0.56 |", "std", 10, 4.0, 0.56],
    ["| Kling-V1-5 / Kling-V2-1 | Professional Mode (pro x 5s / Motion Brush / Start/End Frame) | 5s | 3.5 units | $0.49 |", "pro", 5, 3.5, 0.49],
    ["| Kling-V1-5 / Kling-V2-1 | Professional Mode (pro x 10s / End Frame Control) | 10s | 7.0 units | $0.98 |", "pro", 10, 7.0, 0.98],
  ])("%s", (quote, quality, seconds, blockUnits, usd) => {
    expect(article).toContain(quote);
    for (const model of ["kling-v2-1", "kling-v1-5"]) {
      expect(units(model, quality, seconds)).toBe(blockUnits);
      expect(cost(model, quality, seconds)).toBeCloseTo(usd, 10);
    }
  });

  test.each([
    ["| Kling-V2-1-Master | Master Production Suite (master x 5s Text/Image to Video) | 5s | 10.0 units | $1.40 |", 5, 10, 1.4],
    ["| Kling-V2-1-Master | Master Production Suite (master x 10s Image to Video) | 10s | 20.0 units | $2.80 |", 10, 20, 2.8],
  ])("%s", (quote, seconds, blockUnits, usd) => {
    expect(article).toContain(quote);
    expect(decisions).toContain('For kling-v2-1-master the quality may be "master", "1080p" or blank.');
    for (const quality of ["master", "1080p", ""]) {
      expect(units("kling-v2-1-master", quality, seconds)).toBe(blockUnits);
      expect(cost("kling-v2-1-master", quality, seconds)).toBeCloseTo(usd, 10);
    }
  });

  test("other durations name the blocks that exist", () => {
    expect(() => units("kling-v2-1", "pro", 7)).toThrow("seconds: 7 is not a clip length kling-v2-1 bills; it makes 5 s or 10 s clips");
  });
});

describe("the 10-second HD budget table (article)", () => {
  test.each([
    ["| Kling-V3 / Video-3O Standard | 720p, Base Generation (No Audio) | 6.0 units | $0.84 |", ["kling-v3", "kling-v3-omni"], "720p", "", "", 6, 0.84],
    ["| Kling-V3-Omni Standard | 720p, Video Generation (with audio no voice) | 8.0 units | $1.12 |", ["kling-v3-omni"], "720p", true, "", 8, 1.12],
    ["| Kling-V3 Standard | 720p, Text/Image to Video (with audio x no voice) | 9.0 units | $1.26 |", ["kling-v3"], "720p", true, "", 9, 1.26],
    ["| Kling-V3 / Video-3O Pro | 1080p, Base Generation (No Audio) | 8.0 units | $1.12 |", ["kling-v3", "kling-v3-omni"], "1080p", "", "", 8, 1.12],
    ["| Kling-V3-Omni Pro | 1080p, Video Generation (with audio) | 10.0 units | $1.40 |", ["kling-v3-omni"], "1080p", true, "", 10, 1.4],
    ["| Kling-V3 Pro | 1080p, Text/Image to Video (with audio x no voice) | 12.0 units | $1.68 |", ["kling-v3"], "1080p", true, "", 12, 1.68],
    ["| Kling-V3 Pro / Omni Pro | 1080p, Advanced Input (with video or Motion Control) | 12.0 units | $1.68 |", ["kling-v3"], "1080p", "", "motion-control", 12, 1.68],
    ["| Kling-V3 Pro / Omni Pro | 1080p, Advanced Input (with video or Motion Control) | 12.0 units | $1.68 |", ["kling-v3-omni"], "1080p", "", "video", 12, 1.68],
    ["| Kling-V3 / Video-3O 4K | 4K Ultra HD Mode (Cinema Grade, Base Suite) | 30.0 units | $4.20 |", ["kling-v3", "kling-v3-omni"], "4k", "", "", 30, 4.2],
    ["| Kling-V2-1 Professional | 1080p Legacy Pro Block (pro x 10s) | 7.0 units | $0.98 |", ["kling-v2-1"], "1080p", "", "", 7, 0.98],
    ["| Kling-V2-1-Master | 1080p Legacy Master Block (master x 10s) | 20.0 units | $2.80 |", ["kling-v2-1-master"], "1080p", "", "", 20, 2.8],
  ])("%s", (quote, models, quality, audio, input, clipUnits, usd) => {
    expect(article).toContain(quote);
    for (const model of models) {
      expect(units(model, quality, 10, audio, input)).toBeCloseTo(clipUnits, 10);
      expect(cost(model, quality, 10, audio, input)).toBeCloseTo(usd, 10);
    }
  });
});

describe("packages (article's package matrix)", () => {
  const rows = klingPackages(table);
  const header = rows[0]!;
  const byName = new Map(rows.slice(1).map((r) => [r[0], Object.fromEntries(header.map((h, i) => [h, r[i]]))]));

  test.each([
    ["| Trial S | $9.80 | 100 units | $0.098/unit |", "Trial S", 9.8, 100, 0.098, 30, 5],
    ["| Trial L | $98 | 1,000 units | $0.098/unit |", "Trial L", 98, 1000, 0.098, 30, 5],
    ["| Package 1 | $700 | 5,000 units | $0.14/unit |", "Package 1", 700, 5000, 0.14, 180, 20],
    ["| Package 2 | $2,100 | 15,000 units | $0.14/unit |", "Package 2", 2100, 15000, 0.14, 180, 20],
    ["| Package 3 | $5,670 | 45,000 units | $0.126/unit |", "Package 3", 5670, 45000, 0.126, 180, 20],
    ["| Package 4 | $7,560 | 60,000 units | ~$0.126/unit |", "Package 4", 7560, 60000, 0.126, 180, 20],
  ])("%s", (quote, name, price, packUnits, unitPrice, days, concurrency) => {
    expect(article).toContain(quote);
    const row = byName.get(name)!;
    expect(row["Price USD"]).toBe(price);
    expect(row["Units"]).toBe(packUnits);
    expect(row["USD per unit"]).toBeCloseTo(unitPrice, 12);
    expect(row["Valid days"]).toBe(days);
    expect(row["Concurrent tasks"]).toBe(concurrency);
    // A package name as KLING_COST's price bills at that package's unit price.
    expect(cost("kling-v3", "1080p", 10, "", "", name)).toBeCloseTo(8 * unitPrice, 10);
  });

  test("unit prices are computed, never the article's rounded $0.10 and $0.13; Package 1 -> 3 is the 10% drop", () => {
    expect(decisions).toContain("The article claims that \"moving from the Trial tier to Package 3 reduces your unit rate by 10%\"");
    const p1 = byName.get("Package 1")!["USD per unit"] as number;
    const p3 = byName.get("Package 3")!["USD per unit"] as number;
    expect(1 - p3 / p1).toBeCloseTo(0.1, 12);
    expect(byName.get("Trial S")!["USD per unit"]).not.toBe(0.1);
    expect(p3).not.toBe(0.13);
  });

  test("the default unit price is Package 1's $0.14", () => {
    expect(decisions).toContain("Default price of a unit: $0.14");
    expect(table.pricing.defaultUnitPriceUsd).toBe(byName.get("Package 1")!["USD per unit"]);
  });
});

describe("other providers (article's aggregator and Seedance tables)", () => {
  test.each([
    ["720p", "Atlas Cloud", "| Atlas Cloud | Kling V3.0 Standard (720p) | $0.071 / second | $0.71 |", 0.071, 0.71],
    ["1080p", "Atlas Cloud", "| Kling V3.0 Professional (1080p) | $0.095 / second | $0.95 |", 0.095, 0.95],
    ["720p", "fal.ai", "| fal.ai | Kling V3.0 Standard (720p) | $0.084 / second | $0.84 |", 0.084, 0.84],
    ["1080p", "fal.ai", "| Kling V3.0 Professional (1080p) | $0.112 / second | $1.12 |", 0.112, 1.12],
    ["720p", "EvoLink", "| EvoLink | Kling V3.0 Standard (720p) | $0.079 / second | $0.79 |", 0.079, 0.79],
    ["1080p", "EvoLink", "| Kling V3.0 Professional (1080p) | $0.106 / second | $1.06 |", 0.106, 1.06],
    ["720p", "PiAPI", "| PiAPI | Kling V3.0 Standard (720p) | $0.10 / second | $1 |", 0.1, 1],
    ["1080p", "PiAPI", "| Kling V3.0 Professional (1080p) | $0.15 / second | $1.50 |", 0.15, 1.5],
    ["720p", "Seedance 2.0", "| Seedance 2.0 Fast (720p) | 720p, Base Generation (No Video Input) | 120 credits | $0.0310 / s | $0.31 |", 0.031, 0.31],
    ["1080p", "Seedance 2.0", "| Seedance 2.0 (1080p Cinematic) | 1080p, Base Generation (No Video Input) | 300 credits | $0.0310 / s | $0.93 |", 0.093, 0.93],
    ["720p", "Kling official", "| Kling V3 Standard (720p) | 720p, Base Generation (No Audio) | 6.0 units | ~$0.084 / s | $0.84 |", 0.084, 0.84],
    ["1080p", "Kling official", "| Kling V3 Professional (1080p) | 1080p, Base Generation (No Audio) | 8.0 units | ~$0.112 / s | $1.12 |", 0.112, 1.12],
  ])("%s %s", (quality, provider, quote, perSecond, tenSeconds) => {
    expect(article).toContain(quote);
    const rows = klingCompare(table, quality, 10);
    expect(rows[0]).toEqual(["Provider", "Model", "USD per second", "USD for the clip"]);
    const row = rows.find((r) => String(r[0]).startsWith(provider))!;
    expect(row[2]).toBeCloseTo(perSecond, 12);
    expect(row[3]).toBeCloseTo(tenSeconds, 12);
  });

  test("every provider of the article is compared, Kling first", () => {
    const names = klingCompare(table, "1080p", 10).slice(1).map((r) => String(r[0]));
    expect(names[0]).toMatch(/^Kling official/);
    expect(names.slice(1)).toEqual(["Atlas Cloud", "fal.ai", "EvoLink", "PiAPI", "Seedance 2.0"]);
  });

  test("a quality no provider sells says so instead of showing 0", () => {
    const rows = klingCompare(table, "4k", 10);
    expect(rows[1]![3]).toBeCloseTo(4.2, 12);
    for (const row of rows.slice(2)) expect(row[2]).toBe("no 4k rate published");
  });
});

describe("hidden costs (article)", () => {
  test("a 70% keeper rate raises the real cost per clip by 1 / 0.7 (~1.4x)", () => {
    expect(article).toContain("A 70% first-take success rate effectively raises your real cost per clip by ~1.4x");
    expect(klingEffectiveCost(1, 0.7)).toBeCloseTo(1 / 0.7, 12);
    expect(klingEffectiveCost(1.68, "70%")).toBeCloseTo(2.4, 12);
  });
});

describe("readings settled in rate-decisions.md", () => {
  test("no rate is ever 0: missing rates are errors that say why", () => {
    expect(() => units("kling-v3", "4k", 10, "voice")).toThrow("no published rate for kling-v3 4k with audio and voice control");
    expect(() => units("kling-v3", "4k", 10, "", "motion-control")).toThrow("no published rate for kling-v3 4k without audio with motion control");
    // Omni 4K with video input was "none published" here until Kling launched it (2026-06-17): catalogue-figures.test.ts.
    expect(() => units("kling-v3-omni", "1080p", 10, true, "video")).toThrow("no published rate for kling-v3-omni 1080p with native audio with video input");
  });

  test("features a model does not offer are errors that name what it offers", () => {
    expect(() => units("kling-v3", "720p", 10, "", "video")).toThrow("input: kling-v3 does not offer video input; it offers plain text/image input or motion control");
    expect(() => units("kling-v3-omni", "720p", 10, "voice")).toThrow("audio: kling-v3-omni does not offer voice control; it offers no audio or native audio");
    expect(() => units("kling-v3-omni", "720p", 10, "", "motion-control")).toThrow("input: kling-v3-omni does not offer motion control");
    expect(() => units("kling-v2-1", "720p", 10, true)).toThrow("audio: kling-v2-1 does not offer native audio");
  });

  test.each([
    ["Kling 3.0", "kling-v3"], ["Video 3.0", "kling-v3"], ["V3", "kling-v3"], ["kling v3", "kling-v3"],
    ["V3 Omni", "kling-v3-omni"], ["Video-O3", "kling-v3-omni"], ["Video-3O", "kling-v3-omni"], ["O3", "kling-v3-omni"], ["Omni", "kling-v3-omni"],
    ["V2.1", "kling-v2-1"], ["2.1", "kling-v2-1"], [2.1, "kling-v2-1"], ["V1.5", "kling-v1-5"], ["1.5", "kling-v1-5"],
    ["V2.1 Master", "kling-v2-1-master"], ["Master", "kling-v2-1-master"], ["KLING_V2_1_MASTER", "kling-v2-1-master"],
  ])("model alias %p is %s", (alias, id) => {
    const quality = id === "kling-v2-1-master" ? "" : "1080p";
    expect(units(alias as string, quality, 10)).toBe(units(id, quality, 10));
  });

  test.each([
    ["std", "720p"], ["Standard", "720p"], ["pro", "1080p"], ["Professional", "1080p"], ["2160p", "4k"], ["UHD", "4k"], ["4K", "4k"],
  ])("quality alias %s is %s", (alias, id) => {
    expect(units("kling-v3", alias, 10)).toBe(units("kling-v3", id, 10));
  });
});
