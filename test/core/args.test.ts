// The messages an analyst reads in a cell, asked through the public functions: what each argument
// accepts, how a wrong value is named, quoted and explained, and how ranges, blank rows and bad rows
// behave. Figures are never hard-coded here: an expected number comes from another call (the
// article's figures are checked in article-figures.test.ts).
import { runInNewContext } from "node:vm";
import { InputError } from "../../src/core/errors";
import { klingBestPackage } from "../../src/core/functions/best-package";
import { klingCost, klingUnits } from "../../src/core/functions/clip";
import { klingCompare } from "../../src/core/functions/compare";
import { klingEffectiveCost } from "../../src/core/functions/effective-cost";
import { klingPackages } from "../../src/core/functions/tables";
import { mapCells, single } from "../../src/core/grid";
import { defaultRateTable } from "../../src/core/rates/default-table";
import { messageOf } from "./input-error";

const table = defaultRateTable();
const EN = { locale: "en_US", timeZone: "America/New_York" };
const DE = { locale: "de_DE", timeZone: "Europe/Berlin" };

const units = (model: unknown, quality: unknown, seconds: unknown, audio: unknown = "", input: unknown = "") =>
  klingUnits(table, model, quality, seconds, audio, input);
const cost = (model: unknown, quality: unknown, seconds: unknown, audio: unknown = "", input: unknown = "", price: unknown = "") =>
  klingCost(table, model, quality, seconds, audio, input, price);
const best = (u: unknown, concurrency: unknown = "", days: unknown = "", result: unknown = "") =>
  klingBestPackage(table, u, concurrency, days, result);


/** "a, b or c", the way the messages list choices. */
const sentence = (items: readonly string[]) => `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
const MODEL_IDS = sentence(table.models.map((m) => m.id));
const PACKAGES = sentence(table.packages.map((p) => p.name));
const DEFAULT_PRICE = table.pricing.defaultUnitPriceUsd;
const KEEPER_HINT = "give the share of generations you keep, such as 70% or 0.7 (more than 0, at most 1)";

describe("model", () => {
  test("blank: says it is blank and lists the models", () => {
    const message = messageOf(() => units("", "720p", 10));
    expect(message).toBe(`model: blank; give a Kling model: ${MODEL_IDS}`);
  });

  test("unknown: quotes what was typed, lists the models and the short names", () => {
    const message = messageOf(() => units("Kling 4.0", "720p", 10));
    expect(message).toMatch(/^model: "Kling 4\.0" is not a known model; use /);
    expect(message).toContain(MODEL_IDS);
    expect(message).toContain("(short names such as V3, Omni, V3 Turbo, O1, 2.6, 2.5 Turbo, V2 Master, 1.6, 1.0, 2.1, Master or 1.5 work too)");
  });

  test.each([
    [true, "model: TRUE is not a known model"],
    [new Date(2026, 0, 1), "model: a date is not a known model"],
    [4, "model: 4 is not a known model"],
  ])("%p is quoted in words a reader understands", (value, start) => {
    expect(messageOf(() => units(value, "720p", 10))).toMatch(new RegExp(`^${start}; use ${MODEL_IDS}`));
  });

  test("a long value is cut short in the message", () => {
    const typed = "the model we used for the spring campaign last year";
    expect(messageOf(() => units(typed, "720p", 10))).toContain(`model: "${typed.slice(0, 37)}..." is not a known model`);
  });
});

describe("quality", () => {
  test("a quality the model does not make says which it makes", () => {
    expect(messageOf(() => units("kling-v2-1", "4k", 5))).toBe('quality: "4k" is not offered by kling-v2-1; it makes 720p or 1080p');
    expect(messageOf(() => units("kling-v2-1", "UHD", 5))).toBe('quality: "UHD" is not offered by kling-v2-1; it makes 720p or 1080p');
    expect(messageOf(() => units("Master", "720p", 5))).toBe('quality: "720p" is not offered by kling-v2-1-master; it makes master (also written 1080p)');
  });

  test("blank, where the model has no default quality, lists the model's qualities", () => {
    expect(messageOf(() => units("kling-v3", "", 10))).toBe("quality: blank; kling-v3 makes 720p, 1080p or 4k");
  });

  test("something that is no quality at all says so and explains std and pro", () => {
    expect(messageOf(() => units("kling-v3", "HD", 10))).toBe(
      'quality: "HD" is not a quality; kling-v3 makes 720p, 1080p or 4k (std = 720p, pro = 1080p)',
    );
    expect(messageOf(() => units("kling-v3", 480, 10))).toBe("quality: 480 is not a quality; kling-v3 makes 720p, 1080p or 4k (std = 720p, pro = 1080p)");
  });

  test.each([
    [720, "720p"],
    [1080, "1080p"],
    [2160, "4k"],
  ])("the number %p is %s", (typed, quality) => {
    expect(units("kling-v3", typed, 10)).toBe(units("kling-v3", quality, 10));
  });

  test("the number 1080 is the Master model's quality; 2160 names 4k in the message", () => {
    expect(units("kling-v2-1-master", 1080, 10)).toBe(units("kling-v2-1-master", "master", 10));
    expect(messageOf(() => units("kling-v2-1", 2160, 5))).toBe("quality: 2160 is not offered by kling-v2-1; it makes 720p or 1080p");
  });

  // Regression (was a bug): A number is accepted (1080 -> 1080p) but the same number as text, as pasted data and
  // text-formatted cells give it, is not: "1080" fails with "is not a quality". Seconds, price and
  // units all accept numeric text.
  test('the text "1080" is 1080p, like the number 1080', () => {
    expect(units("kling-v3", "1080", 10)).toBe(units("kling-v3", 1080, 10));
  });

  // Regression (was a bug): Names ignore dashes, and a negative number's minus sign is a dash: -720 is taken as 720p.
  test("a negative number is not a quality", () => {
    expect(messageOf(() => units("kling-v3", -720, 10))).toMatch(/^quality: -720 is not a quality; /);
  });
});

describe("audio and input words", () => {
  test.each([
    [false, ""],
    ["none", ""],
    ["No", ""],
    [true, "audio"],
    ["Native Audio", "audio"],
    ["YES", "audio"],
    ["Voice Control", "voice"],
    ["audio and voice", "voice"],
  ])("audio %p is the same as %p", (typed, word) => {
    expect(units("kling-v3", "1080p", 10, typed)).toBe(units("kling-v3", "1080p", 10, word));
  });

  test("no audio, native audio and voice control are three different rates, dearest last", () => {
    const none = units("kling-v3", "1080p", 10, false) as number;
    const audio = units("kling-v3", "1080p", 10, true) as number;
    const voice = units("kling-v3", "1080p", 10, "voice") as number;
    expect(none).toBeLessThan(audio);
    expect(audio).toBeLessThan(voice);
  });

  test.each([
    ["image", ""],
    ["Text", ""],
    ["image to video", ""],
    ["Motion Control", "motion-control"],
    ["camera", "motion-control"],
  ])("input %p is the same as %p", (typed, word) => {
    expect(units("kling-v3", "720p", 10, "", typed)).toBe(units("kling-v3", "720p", 10, "", word));
  });

  test("video input on Omni is its own rate", () => {
    expect(units("Omni", "720p", 10, "", "Video")).not.toBe(units("Omni", "720p", 10, "", "image"));
  });

  test("an unknown audio word quotes it and lists the choices", () => {
    expect(messageOf(() => units("kling-v3", "720p", 10, "maybe"))).toBe(
      'audio: "maybe" is not an audio choice; use FALSE or blank (no audio), TRUE or "audio" (native audio), "voice" (audio with voice control)',
    );
    expect(messageOf(() => units("kling-v3", "720p", 10, 2))).toMatch(/^audio: 2 is not an audio choice; /);
  });

  test("an unknown input word, or true/false, quotes it and lists the choices", () => {
    const choices = 'use blank, "text" or "image" (plain generation), "video" (video input, Omni), "motion-control" (Kling 3.0)';
    expect(messageOf(() => units("kling-v3", "720p", 10, "", "sketch"))).toBe(`input: "sketch" is not an input choice; ${choices}`);
    expect(messageOf(() => units("kling-v3", "720p", 10, "", false))).toBe(`input: FALSE is not an input choice; ${choices}`);
    expect(messageOf(() => units("kling-v3", "720p", 10, "", true))).toBe(`input: TRUE is not an input choice; ${choices}`);
  });

  test("a choice the model does not offer names the model and what it offers", () => {
    expect(messageOf(() => units("kling-v3", "720p", 10, "", "video"))).toBe(
      "input: kling-v3 does not offer video input; it offers plain text/image input or motion control",
    );
    expect(messageOf(() => units("kling-v1-5", "720p", 10, "voice"))).toBe("audio: kling-v1-5 does not offer voice control; it offers no audio");
  });

  // Regression (was a bug): The word tables are plain objects, so a word that is a member of Object.prototype is
  // "found": "constructor" is read as a real choice and the message claims the model lacks a
  // feature it has ("kling-v3 does not offer voice control; it offers ... or voice control").
  test.each([
    ["audio", "constructor", 'audio: "constructor" is not an audio choice; '],
    ["audio", "Constructor", 'audio: "Constructor" is not an audio choice; '],
    ["input", "constructor", 'input: "constructor" is not an input choice; '],
  ])("%s %p is not a choice", (arg, word, start) => {
    const message = messageOf(() => (arg === "audio" ? units("kling-v3", "720p", 10, word) : units("kling-v3", "720p", 10, "", word)));
    expect(message.slice(0, start.length)).toBe(start);
  });

  // Regression (was a bug): Same dash rule as quality: -1 is read as "1", native audio.
  test("audio -1 is not an audio choice", () => {
    expect(messageOf(() => units("kling-v3", "720p", 10, -1))).toMatch(/^audio: -1 is not an audio choice; /);
  });
});

describe("seconds", () => {
  test.each(["10 s", "10s", " 10 sec ", "10 Seconds", "10"])("%p is 10 seconds", (typed) => {
    expect(units("kling-v3", "720p", typed)).toBe(units("kling-v3", "720p", 10));
    expect(units("kling-v2-1", "720p", typed)).toBe(units("kling-v2-1", "720p", 10));
  });

  test("a unit other than seconds is not a number, and the message says what the model makes", () => {
    expect(messageOf(() => units("kling-v3", "720p", "10 min"))).toBe('seconds: "10 min" is not a number; kling-v3 makes 3 to 15 s per generation');
    expect(messageOf(() => units("kling-v2-1", "720p", "ten"))).toBe('seconds: "ten" is not a number; kling-v2-1 bills whole 5 s or 10 s clips');
  });

  test("blank seconds with a model named is an error, not a blank cell", () => {
    expect(messageOf(() => units("kling-v3", "720p", ""))).toBe("seconds: blank; kling-v3 makes 3 to 15 s per generation");
    expect(messageOf(() => units("kling-v3", "720p", "  "))).toBe("seconds: blank; kling-v3 makes 3 to 15 s per generation");
  });

  test("text seconds that are not a clip length say which blocks exist", () => {
    expect(messageOf(() => units("kling-v1-5", "pro", "7 s"))).toBe("seconds: 7 is not a clip length kling-v1-5 bills; it makes 5 s or 10 s clips");
  });
});

describe("a date where a number is expected", () => {
  const date = new Date(2026, 2, 15);
  const packages = `give USD per unit such as ${DEFAULT_PRICE}, or a package: ${PACKAGES}`;
  test.each([
    ["seconds", () => units("kling-v3", "720p", date), "seconds: a date was given; kling-v3 makes 3 to 15 s per generation"],
    ["price", () => cost("kling-v3", "720p", 10, "", "", date), `price: a date was given; ${packages}`],
    ["cost", () => klingEffectiveCost(date, 0.7), "cost: a date was given; give the USD cost of one generation, such as =KLING_COST(...)"],
    ["keeper_rate", () => klingEffectiveCost(1, date), `keeper_rate: a date was given; ${KEEPER_HINT}`],
    ["units", () => best(date), "units: a date was given; give the resource units you need, 0 or more (at most 1,000,000,000,000)"],
    ["concurrency", () => best(1000, date), "concurrency: a date was given; give the concurrent tasks you need, a whole number from 1 (blank = 1)"],
    ["days", () => best(1000, "", date), "days: a date was given; give the days every package must stay valid, a whole number (blank or 0 = no limit)"],
  ])("%s", (_, call, message) => {
    expect(messageOf(call)).toBe(message);
  });

  test("a date made in another realm (as Apps Script hands them over) is still a date", () => {
    const foreign = runInNewContext("new Date(2026, 2, 15)") as Date;
    expect(foreign instanceof Date).toBe(false);
    expect(messageOf(() => units("kling-v3", "720p", foreign))).toBe("seconds: a date was given; kling-v3 makes 3 to 15 s per generation");
  });
});

describe("price", () => {
  const clip = ["kling-v3", "1080p", 10, true, ""] as const;
  const at = (price: unknown) => cost(...clip, price);
  const clipUnits = units(...clip) as number;
  const hint = `give USD per unit such as ${DEFAULT_PRICE}, or a package: ${PACKAGES}`;

  test("blank is the rate table's default price per unit", () => {
    expect(at("")).toBeCloseTo(clipUnits * DEFAULT_PRICE, 12);
    expect(at("")).toBe(at(DEFAULT_PRICE));
  });

  test.each([0.126, "0.126", "$0.126", " $0.126 "])("%p is $0.126 per unit", (price) => {
    expect(at(price)).toBe(at(0.126));
    expect(at(price)).toBeCloseTo(clipUnits * 0.126, 12);
  });

  test.each(["Package 3", "package 3", "PACKAGE3", "package-3", " Package_3 "])("%p is Package 3's price / units", (price) => {
    const [header, ...rows] = klingPackages(table);
    const pkg = rows.find((r) => r[0] === "Package 3")!;
    const perUnit = (pkg[header!.indexOf("Price USD")] as number) / (pkg[header!.indexOf("Units")] as number);
    expect(at(price)).toBeCloseTo(clipUnits * perUnit, 12);
  });

  test("Trial packages are their own, lower, price per unit", () => {
    expect(at("trial s")).toBe(at("Trial L"));
    expect(at("Trial S")).toBeLessThan(at("Package 1") as number);
  });

  test.each([
    [0, `price: 0 is not a price; ${hint}`],
    [-0.14, `price: -0.14 is not a price; ${hint}`],
    ["-0.14", `price: "-0.14" is not a price; ${hint}`],
    ["cheap", `price: "cheap" is not a package or a price; ${hint}`],
    [true, `price: TRUE is not a number; ${hint}`],
  ])("%p is refused and the packages are listed", (price, message) => {
    expect(messageOf(() => at(price))).toBe(message);
  });

  test("a package that does not exist is named back with the packages that do", () => {
    const message = messageOf(() => at("Package 7"));
    expect(message).toMatch(/^price: "Package 7" /);
    expect(message).toContain(PACKAGES);
  });

  // Regression (was a bug): Any finite price is accepted, so a huge one overflows: units x 1e308 is Infinity, which
  // Sheets shows as a number. Expected: an InputError such as "price: 1e+308 is too large; ...".
  test("a price too large to multiply gives a message, not Infinity", () => {
    expect(messageOf(() => at(1e308))).toMatch(/^price: 1e\+308 /);
    expect(messageOf(() => at("1e308"))).toMatch(/^price: "1e308" |^price: 1e\+308 /);
  });
});

describe("keeper rate and effective cost", () => {
  test("0 keeps no clips", () => {
    expect(messageOf(() => klingEffectiveCost(1, 0))).toBe(`keeper_rate: 0 keeps no clips; ${KEEPER_HINT}`);
    expect(messageOf(() => klingEffectiveCost(1, "0%"))).toBe(`keeper_rate: 0 keeps no clips; ${KEEPER_HINT}`);
  });

  test("above 1 says so and shows the two ways to write a share", () => {
    expect(messageOf(() => klingEffectiveCost(1, 1.2))).toBe(`keeper_rate: 1.2 is above 1 (100%); ${KEEPER_HINT}`);
    // 70 meant as 70%: the hint shows how to write it.
    expect(messageOf(() => klingEffectiveCost(1, 70))).toBe(`keeper_rate: 70 is above 1 (100%); ${KEEPER_HINT}`);
  });

  test('"70%", "70 %" and 0.7 are the same share', () => {
    const byFraction = klingEffectiveCost(1.26, 0.7) as number;
    expect(byFraction).toBeCloseTo(1.26 / 0.7, 12);
    expect(klingEffectiveCost(1.26, "70%")).toBeCloseTo(byFraction, 12);
    expect(klingEffectiveCost(1.26, "70 %")).toBeCloseTo(byFraction, 12);
    expect(klingEffectiveCost(1.26, "0.7")).toBe(byFraction);
  });

  test("a keeper rate of 1 (or 100%) leaves the cost as it is", () => {
    expect(klingEffectiveCost(1.26, 1)).toBe(1.26);
    expect(klingEffectiveCost(1.26, "100%")).toBe(1.26);
  });

  test("blank keeper rate, with a cost, is an error", () => {
    expect(messageOf(() => klingEffectiveCost(1, ""))).toBe(`keeper_rate: blank; ${KEEPER_HINT}`);
  });

  test("a negative cost is refused", () => {
    expect(messageOf(() => klingEffectiveCost(-1, 0.7))).toBe("cost: -1 is negative; give the USD cost of one generation");
  });

  // Regression (was a bug): "115%" is read as 115 x 0.01 = 1.1500000000000001, and the message shows that figure.
  test('"115%" is quoted as the analyst wrote it or as 1.15, not 1.1500000000000001', () => {
    expect(messageOf(() => klingEffectiveCost(1, "115%"))).toMatch(/^keeper_rate: (?:1\.15|"115%") is above 1 \(100%\); /);
  });

  // Regression (was a bug): The quotient is not checked, so a huge cost or a tiny keeper rate gives Infinity.
  test.each([
    [1e308, 0.5],
    [1, 5e-324],
  ])("cost %p at keeper rate %p gives a message, not Infinity", (usd, rate) => {
    expect(messageOf(() => klingEffectiveCost(usd, rate))).toMatch(/^(?:cost|keeper_rate|result): /);
  });
});

describe("KLING_BEST_PACKAGE arguments", () => {
  test("units as text with thousands separators, in a locale that writes them", () => {
    expect(klingBestPackage(table, "45,000", "", "", "", EN)).toBe(best(45000));
    expect(best(" 45000 ", "", "", "COST")).toBe(best(45000, "", "", "cost"));
  });

  test.each([
    ["concurrency 0", () => best(1000, 0), "concurrency: 0 is too small; give the concurrent tasks you need, a whole number from 1 (blank = 1)"],
    ["concurrency 2.5", () => best(1000, 2.5), "concurrency: 2.5 is not a whole number; give the concurrent tasks you need, a whole number from 1 (blank = 1)"],
    ["days -1", () => best(1000, "", -1), "days: -1 is too small; give the days every package must stay valid, a whole number (blank or 0 = no limit)"],
    ["units 1e13", () => best(1e13), "units: 10000000000000 is too large; give the resource units you need, 0 or more (at most 1,000,000,000,000)"],
    ['units "lots"', () => best("lots"), 'units: "lots" is not a number; give the resource units you need, 0 or more (at most 1,000,000,000,000)'],
  ])("%s", (_, call, message) => {
    expect(messageOf(call)).toBe(message);
  });
});

describe("ranges", () => {
  test("ranges of different shapes name both arguments and both shapes", () => {
    expect(messageOf(() => units([["kling-v3"], ["V3"], ["Omni"]], "720p", [[5], [6]]))).toBe(
      "model is 3 rows x 1 column but seconds is 2 rows x 1 column; give ranges of the same shape, or single values",
    );
    expect(messageOf(() => units([["kling-v3", "V3", "Omni"]], [["720p"], ["1080p"], ["4k"]], 5))).toBe(
      "model is 1 row x 3 columns but quality is 3 rows x 1 column; give ranges of the same shape, or single values",
    );
    expect(messageOf(() => cost([["V3"], ["V3"]], "720p", 5, "", "", [["Trial S"], ["Trial L"], ["Package 1"]]))).toMatch(
      /^model is 2 rows x 1 column but price is 3 rows x 1 column; /,
    );
    expect(messageOf(() => klingEffectiveCost([[1], [2]], [[0.5], [0.6], [0.7]]))).toMatch(
      /^cost is 2 rows x 1 column but keeper_rate is 3 rows x 1 column; /,
    );
  });

  test("a range that is not a rectangle is named", () => {
    expect(messageOf(() => units([["V3"], ["V3", "Omni"]], "720p", 5))).toBe("model: the range is not a rectangle of cells");
    expect(messageOf(() => units("V3", "720p", []))).toBe("seconds: the range is not a rectangle of cells");
  });

  test("single values are used on every row; the result has the range's shape", () => {
    const out = units("V3", "720p", [[3], [10], [15]]);
    expect(out).toEqual([[units("V3", "720p", 3)], [units("V3", "720p", 10)], [units("V3", "720p", 15)]]);
    const row = cost("Omni", [["720p", "1080p", "4k"]], 5, true, "", "Package 3");
    expect(row).toEqual([["720p", "1080p", "4k"].map((q) => cost("Omni", q, 5, true, "", "Package 3"))]);
  });

  test("a 1x1 range is its single value", () => {
    expect(units([["V3"]], [["pro"]], [[10]])).toBe(units("V3", "pro", 10));
    expect(typeof units([["V3"]], [["pro"]], [[10]])).toBe("number");
  });

  test("fully blank rows give a blank cell, whatever the other arguments say", () => {
    const out = cost([["kling-v3"], [""], ["V3"]], [["720p"], [""], ["1080p"]], [[5], [""], [10]], [[""], ["nonsense"], [true]], "text", "Package 1");
    expect(out).toEqual([[cost("kling-v3", "720p", 5, "", "text", "Package 1")], [""], [cost("V3", "1080p", 10, true, "text", "Package 1")]]);
    expect(klingEffectiveCost([[1.4], [""]], 0.7)).toEqual([[klingEffectiveCost(1.4, 0.7)], [""]]);
    expect(best([[1000], [""]], 5, 30, "cost")).toEqual([[best(1000, 5, 30, "cost")], [""]]);
  });

  test("a single call with its key arguments blank gives a blank cell too", () => {
    expect(units("", "", "")).toBe("");
    expect(cost("", "", "", true, "nonsense", "not a price")).toBe("");
    expect(klingEffectiveCost("", 0.7)).toBe("");
    expect(klingEffectiveCost("", "")).toBe("");
    expect(best("", 5, 30)).toBe("");
  });

  test("a row blank in only some key arguments is an error, not a blank cell", () => {
    expect(messageOf(() => units("", "720p", 10))).toBe(`model: blank; give a Kling model: ${MODEL_IDS}`);
    expect(units([[""], ["V3"]], "", [[""], [""]])).toEqual([[""], ["quality: blank; kling-v3 makes 720p, 1080p or 4k"]]);
  });

  test("a bad row shows its message and the other rows compute", () => {
    const out = cost([["kling-v3"], ["kling-v4"], ["Omni"], ["2.1"]], "1080p", [[10], [10], [20], [10]], "", "", "Package 3");
    expect(out).toEqual([
      [cost("kling-v3", "1080p", 10, "", "", "Package 3")],
      [messageOf(() => cost("kling-v4", "1080p", 10, "", "", "Package 3"))],
      ["seconds: 20 is too long; kling-v3-omni makes 3 to 15 s per generation"],
      [cost("2.1", "1080p", 10, "", "", "Package 3")],
    ]);
    expect(typeof (out as unknown[][])[0]![0]).toBe("number");
    expect((out as unknown[][])[1]![0]).toMatch(/^model: "kling-v4" is not a known model; /);
  });

  test("the same bad value in a single call throws, which Sheets shows as #ERROR! with the message", () => {
    expect(() => cost("kling-v4", "1080p", 10)).toThrow(InputError);
    expect(() => cost("kling-v4", "1080p", 10)).toThrow(/^model: "kling-v4" is not a known model; /);
  });
});

describe("KLING_COMPARE", () => {
  test("a range for quality or seconds says to give one value", () => {
    expect(messageOf(() => klingCompare(table, [["720p"], ["1080p"]], 10))).toBe(
      "quality: give one value, not a range; KLING_COMPARE spills one table for one clip",
    );
    expect(messageOf(() => klingCompare(table, "720p", [[5, 10]]))).toBe(
      "seconds: give one value, not a range; KLING_COMPARE spills one table for one clip",
    );
  });

  test("a 1x1 range and text seconds are fine", () => {
    expect(klingCompare(table, [["pro"]], "10 s")).toEqual(klingCompare(table, "1080p", 10));
  });

  test("its quality and seconds messages are KLING_UNITS' messages for Kling 3.0", () => {
    expect(messageOf(() => klingCompare(table, "", 10))).toBe("quality: blank; kling-v3 makes 720p, 1080p or 4k");
    expect(messageOf(() => klingCompare(table, "master", 10))).toBe('quality: "master" is not offered by kling-v3; it makes 720p, 1080p or 4k');
    expect(messageOf(() => klingCompare(table, "720p", 20))).toBe("seconds: 20 is too long; kling-v3 makes 3 to 15 s per generation");
  });
});

describe("grid.ts", () => {
  describe("single", () => {
    test("a value, or a 1x1 range, is the value", () => {
      expect(single("quality", "720p", "why")).toBe("720p");
      expect(single("quality", [["720p"]], "why")).toBe("720p");
      expect(single("quality", "", "why")).toBe("");
      expect(single("quality", [[""]], "why")).toBe("");
    });

    test.each([
      [[["a", "b"]]],
      [[["a"], ["b"]]],
      [[]],
      [[[]]],
    ])("%p is a range: the message names the argument and says why one value is needed", (range) => {
      expect(messageOf(() => single("result", range, "one result kind applies to every row"))).toBe(
        "result: give one value, not a range; one result kind applies to every row",
      );
    });
  });

  describe("mapCells", () => {
    const names = ["a", "b", "c"];

    test("single values: one call with them", () => {
      const fn = jest.fn((...v: unknown[]) => v.join("+"));
      expect(mapCells(names, [1, "x", true], [0], fn)).toBe("1+x+true");
      expect(fn).toHaveBeenCalledTimes(1);
    });

    test("blank key arguments give \"\" without calling the function", () => {
      const fn = jest.fn(() => 1);
      expect(mapCells(names, ["", null, 5], [0, 1], fn)).toBe("");
      expect(mapCells(names, [[[""], [undefined]], "", 5], [0, 1], fn)).toEqual([[""], [""]]);
      expect(fn).not.toHaveBeenCalled();
    });

    test("ranges: one call per position, row by row, single values repeated", () => {
      const calls: unknown[][] = [];
      const out = mapCells(names, [[[1, 2], [3, 4]], "x", [["p", "q"], ["r", "s"]]], [0], (...v) => {
        calls.push(v);
        return `${v[0]}${v[1]}${v[2]}`;
      });
      expect(out).toEqual([["1xp", "2xq"], ["3xr", "4xs"]]);
      expect(calls).toEqual([[1, "x", "p"], [2, "x", "q"], [3, "x", "r"], [4, "x", "s"]]);
    });

    test("a row and a column do not combine into a table: their shapes must match", () => {
      expect(messageOf(() => mapCells(names, [[[1, 2, 3]], [[1], [2], [3]], ""], [0], () => 0))).toBe(
        "a is 1 row x 3 columns but b is 3 rows x 1 column; give ranges of the same shape, or single values",
      );
    });

    test("an InputError in a range becomes that cell's text; in a single call it is thrown", () => {
      const fn = (v: unknown) => {
        if (v === "bad") throw new InputError("a: bad is bad");
        return 1;
      };
      expect(mapCells(["a"], [[["ok"], ["bad"]]], [0], fn)).toEqual([[1], ["a: bad is bad"]]);
      expect(messageOf(() => mapCells(["a"], ["bad"], [0], fn))).toBe("a: bad is bad");
    });

    test("any other error is a fault in the code and is not turned into cell text", () => {
      const fn = () => {
        throw new TypeError("boom");
      };
      expect(() => mapCells(["a"], [[["x"], ["y"]]], [0], fn)).toThrow(TypeError);
    });
  });
});

describe("template columns", () => {
  test("a row whose ranged model and seconds are blank is blank, though quality is one value for every row", () => {
    const table = defaultRateTable();
    expect(klingCost(table, [["kling-v3"], [""], ["V3"]], "720p", [[5], [""], [10]], "", "", "")).toEqual([[0.42], [""], [0.84]]);
  });

  test("a row that names only some of model, quality and seconds says what is missing", () => {
    const table = defaultRateTable();
    const out = klingCost(table, [["kling-v3"], [""]], [["720p"], ["720p"]], [[5], [5]], "", "", "") as unknown[][];
    expect(out[1]![0]).toMatch(/^model: blank; /);
  });
});

describe("numbers typed as text are read in the spreadsheet's locale", () => {
  const clip = ["kling-v3", "1080p", 10, "", ""] as const;
  const costIn = (settings: typeof EN, price: unknown) => klingCost(table, ...clip, price, settings);

  test('de_DE: price "0,098" is 0.098 per unit, not 98', () => {
    expect(costIn(DE, "0,098")).toBe(cost(...clip, 0.098));
  });

  test('de_DE: units "50.000" are 50000, not 50', () => {
    expect(klingBestPackage(table, "50.000", "", "", "cost", DE)).toBe(best(50000, "", "", "cost"));
  });

  test('de_DE: "1.234,5" and a keeper rate "70,5 %" read with the decimal comma', () => {
    expect(klingEffectiveCost("1.234,5", "70,5 %", DE)).toBe(klingEffectiveCost(1234.5, 0.705));
  });

  test('en_US: cost "1,234" is 1234 and price "$0.126" is 0.126', () => {
    expect(klingEffectiveCost("1,234", 1, EN)).toBe(1234);
    expect(costIn(EN, "$0.126")).toBe(cost(...clip, 0.126));
  });

  test('en_US: price "0,098" is refused, showing both readings (a thousands group cannot follow a 0)', () => {
    const message = messageOf(() => costIn(EN, "0,098"));
    expect(message).toMatch(/^price: "0,098" is not a number in en_US, where "," separates thousands and "\." is the decimal mark: read that way it is not a number; with "," as the decimal mark it would be 0\.098\./);
  });

  test('en_US: "1.234,5" (written the German way) is refused, naming the reading it would have', () => {
    expect(messageOf(() => klingEffectiveCost("1.234,5", 1, EN))).toContain("it would be 1234.5");
  });

  test('no locale known: "1,234" is refused with both readings; text every locale reads alike is accepted', () => {
    const message = messageOf(() => klingEffectiveCost("1,234", 1));
    expect(message).toBe('cost: "1,234" could be 1234 ("," separating thousands) or 1.234 ("," as the decimal mark), and the spreadsheet\'s locale is not known (write it without thousands separators); give the USD cost of one generation, such as =KLING_COST(...)');
    expect(klingEffectiveCost("0,5", 1)).toBe(0.5);
    expect(klingEffectiveCost("1,234.5", 1)).toBe(1234.5);
    expect(klingEffectiveCost("1.234.567", 1)).toBe(1234567);
    expect(klingEffectiveCost("1 234,5", 1)).toBe(1234.5);
  });

  test("a locale the runtime does not know reads like no locale", () => {
    expect(messageOf(() => klingEffectiveCost("1,234", 1, { locale: "xx_YY", timeZone: "" }))).toContain('"1,234" could be 1234');
  });

  test('a locale that does not use the mark decides nothing: de_CH (1\'234.5) refuses "1,234" and reads "1\'234.5"', () => {
    const CH = { locale: "de_CH", timeZone: "Europe/Zurich" };
    expect(messageOf(() => klingEffectiveCost("1,234", 1, CH))).toContain("de_CH does not use \",\"");
    expect(klingEffectiveCost("1'234.5", 1, CH)).toBe(1234.5);
  });

  test("a number that is not text is never re-read: 0.098 is 0.098 in every locale", () => {
    expect(costIn(EN, 0.098)).toBe(costIn(DE, 0.098));
  });
});

describe("durations", () => {
  // A duration cell arrives as the Date at that wall-clock time on 30 Dec 1899 in the spreadsheet's
  // zone. The zones' 1899 offsets, from the tz database: Berlin was on CET (+1:00) from 1893,
  // New York on EST (-5:00), Kolkata on Madras time (+5:21:10), Moscow on its mean time (+2:30:17).
  const at = (seconds: number, offsetSeconds: number) => new Date(Date.UTC(1899, 11, 30, 0, 0, seconds) - offsetSeconds * 1000);
  const zones: [string, number][] = [
    ["Europe/Berlin", 3600],
    ["America/New_York", -5 * 3600],
    ["Asia/Kolkata", 5 * 3600 + 21 * 60 + 10],
    ["Europe/Moscow", 2 * 3600 + 30 * 60 + 17],
    ["Etc/UTC", 0],
  ];

  test.each(zones)("0:00:10 in %s is 10 seconds", (timeZone, offset) => {
    const settings = { locale: "en_US", timeZone };
    expect(klingUnits(table, "kling-v3", "1080p", at(10, offset), "", "", settings)).toBe(units("kling-v3", "1080p", 10));
    expect(klingCost(table, "kling-v2-1", "1080p", at(10, offset), "", "", "", settings)).toBe(cost("kling-v2-1", "1080p", 10));
  });

  test("the same instant read in a zone with another 1899 offset is another length, not silently 10 s", () => {
    const berlinTen = at(10, 3600);
    const message = messageOf(() => klingUnits(table, "kling-v3", "1080p", berlinTen, "", "", { locale: "", timeZone: "Asia/Kolkata" }));
    expect(message).toMatch(/^seconds: /);
  });

  test("a duration in a range reads row by row", () => {
    const durations = [[at(5, 3600)], [at(16, 3600)]];
    const result = klingUnits(table, "kling-v3", "720p", durations, "", "", DE) as unknown[][];
    expect(result[0]![0]).toBe(units("kling-v3", "720p", 5));
    expect(result[1]![0]).toBe("seconds: 16 is too long; kling-v3 makes 3 to 15 s per generation");
  });

  test("a calendar day stays refused", () => {
    expect(messageOf(() => klingUnits(table, "kling-v3", "720p", new Date(Date.UTC(2026, 2, 15)), "", "", DE))).toBe(
      "seconds: a date was given; kling-v3 makes 3 to 15 s per generation",
    );
  });

  test("with no time zone known, a duration is refused with the reason, never guessed", () => {
    expect(messageOf(() => units("kling-v3", "720p", at(10, 0)))).toBe(
      "seconds: a date or a duration was given, and the spreadsheet's time zone is not known to tell which; kling-v3 makes 3 to 15 s per generation",
    );
  });

  test("a duration where no length of time is meant is named as a duration", () => {
    expect(messageOf(() => klingBestPackage(table, at(10, 3600), "", "", "", DE))).toMatch(/^units: a duration \(0:00:10\) was given; /);
  });
});

describe("floating-point noise around whole numbers", () => {
  // 0:00:11 x 86400 in a spreadsheet is 10.999999999999998; the cell shows 11.
  const eleven = (11 / 86400) * 86400;

  test("seconds a hair under 11 are 11", () => {
    expect(eleven).not.toBe(11);
    expect(units("kling-v3", "720p", eleven)).toBe(units("kling-v3", "720p", 11));
    expect(units("kling-v2-1", "720p", (10 / 3) * 3)).toBe(units("kling-v2-1", "720p", 10));
  });

  test("concurrency, days and units within noise of a whole number are that number", () => {
    expect(best(50000.000000000007, 4.999999999999999, 59.99999999999999, "cost")).toBe(best(50000, 5, 60, "cost"));
  });

  test("a real fraction is still refused", () => {
    expect(messageOf(() => units("kling-v3", "720p", 10.5))).toMatch(/^seconds: 10\.5 is not a whole number; /);
    expect(messageOf(() => best(1000, 4.9999))).toMatch(/^concurrency: 4\.9999 is not a whole number; /);
  });
});
