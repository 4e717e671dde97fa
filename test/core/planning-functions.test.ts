// KLING_PURCHASE_PLAN, KLING_FORFEIT and KLING_RENDER_HOURS as an analyst calls them: the article's
// rules on cases worked out by hand (the working is in each comment; figures come from the article's
// package table, never from the planner), ranges, and the messages for bad input.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { klingForfeit, klingPurchasePlan, klingRenderHours } from "../../src/core/functions/planning";
import { defaultRateTable } from "../../src/core/rates/default-table";
import type { RateTable } from "../../src/core/rates/types";
import { messageOf } from "./input-error";

const article = readFileSync(join(__dirname, "../../../shared/reference/kling-api-pricing-article.txt"), "utf8");
const table = defaultRateTable();

// The cases type text numbers as an en_US spreadsheet reads them ("1,000" is a thousand).
const EN_US = { locale: "en_US", timeZone: "" };
const plan = (units: unknown, concurrency: unknown = "", result: unknown = "", t: RateTable = table) => klingPurchasePlan(t, units, concurrency, result, EN_US);
const forfeit = (units: unknown, use: unknown, pkg: unknown = "", result: unknown = "") => klingForfeit(table, units, use, pkg, result, EN_US);
const hours = (clips: unknown, concurrency: unknown, minutes: unknown, queue: unknown = "") => klingRenderHours(table, clips, concurrency, minutes, queue, EN_US);
const column = (...xs: unknown[]) => xs.map((x) => [x]);
const HEADER = ["Month", "Packages bought", "Cost USD", "Units bought", "Units used", "Units expiring unused"];


describe("the article's package rules, worked by hand", () => {
  test("the package prices, validity and concurrency used below are the article's", () => {
    for (const quote of [
      "Trial Packages (30-day validity, 5 concurrent tasks)", "| Trial S | $9.80 | 100 units |", "| Trial L | $98 | 1,000 units |",
      "Standard Packages (180-day validity, 20 concurrent tasks)", "| Package 1 | $700 | 5,000 units |",
      "Trial packages expire after 30 days (capped at 5 concurrent tasks)",
    ]) expect(article).toContain(quote);
  });

  test("Trial units expire after 30 days: each month buys its own", () => {
    // 1,000 units a month at 5 tasks: Trial L ($98 for 1,000) is the cheapest unit, but what month 1
    // buys is gone by month 2, so each month buys one; a Standard package would cost $700.
    expect(plan(column(1000, 1000), 5)).toEqual([
      HEADER,
      [1, "1 x Trial L", 98, 1000, 1000, 0],
      [2, "1 x Trial L", 98, 1000, 1000, 0],
      ["Total", 2, 196, 2000, 2000, 0],
    ]);
  });

  test("Standard units last 180 days, six months: one Package 1 serves six months at 20 tasks", () => {
    // 20 tasks need a Standard package active every month; the cheapest is Package 1 ($700, 5,000
    // units), active months 1 to 6, holding the 6 x 800 = 4,800 units; 200 expire after month 6.
    const quiet = ["", 0, 0, 800, 0];
    expect(plan(column(800, 800, 800, 800, 800, 800), 20)).toEqual([
      HEADER,
      [1, "1 x Package 1", 700, 5000, 800, 0],
      [2, ...quiet], [3, ...quiet], [4, ...quiet], [5, ...quiet],
      [6, "", 0, 0, 800, 200],
      ["Total", 1, 700, 5000, 4800, 200],
    ]);
    // A seventh month is past its 180 days: a second Standard package, with 5,000 - 800 of it unused.
    expect(plan(column(800, 800, 800, 800, 800, 800, 800), 20, "cost")).toBe(1400);
    expect(plan(column(800, 800, 800, 800, 800, 800, 800), 20, "forfeit")).toBe(10000 - 7 * 800);
  });

  test("Trial caps concurrency at 5, and concurrency does not add up across packages", () => {
    // Two Trial L hold 2,000 units but each runs 5 tasks, not 10 together: 10 tasks need Package 1.
    expect(plan(2000, 5, "cost")).toBe(2 * 98);
    expect(plan(2000, 10, "cost")).toBe(700);
    expect(plan(2000, 10, "forfeit")).toBe(5000 - 2000);
  });

  test("a concurrency step-up: buying the Standard package a month early is cheaper than Trial first", () => {
    // Months of 1,000 units at 5 then 20 tasks. Trial L in month 1 and Package 1 in month 2 cost
    // $798; Package 1 in month 1 serves both months for $700, its last 3,000 units unused.
    expect(plan(column(1000, 1000), column(5, 20))).toEqual([
      HEADER,
      [1, "1 x Package 1", 700, 5000, 1000, 0],
      [2, "", 0, 0, 1000, 3000],
      ["Total", 1, 700, 5000, 2000, 3000],
    ]);
  });

  test("units are spent soonest-expiring first, and Trial units now can save Standard units for later", () => {
    // 20 tasks every month: Package 1 ($700) is needed; 5,100 units in all need 100 more. Spending
    // Package 1's units in month 1 would leave months 2 and 3 a Trial S each ($19.60); one Trial S in
    // month 1 is spent first (it expires first) and leaves 100 Package 1 units for months 2 and 3.
    expect(plan(column(5000, 50, 50), 20)).toEqual([
      HEADER,
      [1, "1 x Package 1 + 1 x Trial S", 709.8, 5100, 5000, 0],
      [2, "", 0, 0, 50, 0],
      [3, "", 0, 0, 50, 0],
      ["Total", 2, 709.8, 5100, 5100, 0],
    ]);
  });

  test("fractional units (0.6 a second) are planned exactly, not rounded per month", () => {
    // 0.6 units/s x 7 s = 4.2 units, then 0.6 units: 4.8 units fit one Trial S (100 units) only if
    // month 1's purchase could serve month 2, which Trial cannot: two Trial S, 195.2 units unused.
    expect(plan(column(4.2, 0.6), 5, "cost")).toBe(2 * 9.8);
    expect(plan(column(4.2, 0.6), 5, "forfeit")).toBeCloseTo(200 - 4.8, 9);
    expect(plan(column(4.2, 0.6), 20, "forfeit")).toBeCloseTo(5000 - 4.8, 9);
  });
});

describe("KLING_PURCHASE_PLAN arguments", () => {
  test("a row, a column and blank months: blank months are 0, blank months at the end are not planned", () => {
    const asColumn = plan(column(1000, "", 2000, "", ""), 5);
    expect(plan([[1000, "", 2000, "", ""]], 5)).toEqual(asColumn);
    expect((asColumn as unknown[][]).length).toBe(1 + 3 + 1);
    expect((asColumn as unknown[][])[2]).toEqual([2, "", 0, 0, 0, 0]);
    expect(plan(column("", ""))).toBe(""); // a template with no forecast yet
    expect(plan(column(1000, "", 2000), "", "cost")).toBe(3 * 98);
  });

  test("per-month concurrency: blank cells are 1, and the range must match the forecast", () => {
    expect(plan(column(1000, 1000), column("", 20), "cost")).toBe(700);
    expect(messageOf(() => plan(column(1, 2, 3), column(5, 5)))).toBe(
      "concurrency: 2 cells but monthly_units has 3; give one number for every month, or a range of the same length");
    expect(messageOf(() => plan(column(1, 2), column(5, 2.5)))).toBe(
      "concurrency, month 2: 2.5 is not a whole number; give the concurrent tasks each month needs, a whole number from 1 to 20 (blank = 1)");
  });

  test("negative, non-numeric and text forecasts name the month and what is allowed", () => {
    const hint = "give the units you forecast for each month, from 0 to 1,000,000,000 (blank = 0)";
    expect(messageOf(() => plan(column(1000, -5)))).toBe(`monthly_units, month 2: -5 is negative; ${hint}`);
    expect(messageOf(() => plan(column(1000, 20, "lots")))).toBe(`monthly_units, month 3: "lots" is not a number; ${hint}`);
    expect(messageOf(() => plan(column(true)))).toBe(`monthly_units, month 1: TRUE is not a number; ${hint}`);
    expect(messageOf(() => plan(column(1, "#DIV/0!")))).toBe(`monthly_units, month 2: "#DIV/0!" is not a number; ${hint}`);
    expect(messageOf(() => plan(-1))).toBe(`monthly_units, month 1: -1 is negative; ${hint}`);
    expect(messageOf(() => plan(2e9))).toBe(`monthly_units, month 1: 2000000000 is too large; ${hint}`);
    expect(plan(column("1,000", "$2,000"), 5, "cost")).toBe(3 * 98); // numbers pasted as text
  });

  test("a concurrency no package offers names the month, or the argument, and the most there is", () => {
    expect(messageOf(() => plan(1000, 25))).toBe("concurrency: no package offers 25 concurrent tasks; the most is 20");
    expect(messageOf(() => plan(column(1000, 1000, 1000), column(5, 20, 25)))).toBe(
      "concurrency: month 3 needs 25 concurrent tasks; no package offers more than 20");
  });

  test("a horizon over 120 months is an error; 120 months are planned", () => {
    const months = (n: number) => Array.from({ length: n }, () => [100]);
    expect(messageOf(() => plan(months(121), 5))).toBe(
      "monthly_units: 121 months is more than 120; give a forecast of at most 120 months (10 years)");
    expect(plan(months(120), 5, "cost")).toBeCloseTo(120 * 9.8, 9);
    // Blank rows below the data do not count.
    expect(plan([...months(12), ...Array.from({ length: 200 }, () => [""])], 5, "cost")).toBeCloseTo(12 * 9.8, 9);
  });

  test("shapes and result kinds", () => {
    expect(messageOf(() => plan([[1, 2, 3], [4, 5, 6]]))).toBe("monthly_units: give one row or one column of months, not 2 rows x 3 columns");
    expect(messageOf(() => plan(1000, "", "plan"))).toBe('result: "plan" is not one of the choices; use "table", "cost", "forfeit" (blank = "table")');
    expect(messageOf(() => plan(1000, "", [["cost"], ["forfeit"]]))).toBe("result: give one value, not a range; one plan covers the whole forecast");
  });

  test("purchase limits hold over the whole horizon, and a forecast beyond them says which", () => {
    const limited: RateTable = {
      ...table,
      packages: table.packages.filter((p) => p.name.startsWith("Trial")).map((p) => ({ ...p, purchaseLimit: p.name === "Trial L" ? 1 : 3 })),
    };
    // One Trial L in all: month 1 takes it, month 2's 300 units are three Trial S.
    expect(plan(column(1000, 300), 5, "", limited)).toEqual([
      HEADER,
      [1, "1 x Trial L", 98, 1000, 1000, 0],
      [2, "3 x Trial S", 29.4, 300, 300, 0],
      ["Total", 4, 127.4, 1300, 1300, 0],
    ]);
    expect(messageOf(() => plan(column(1000, 400), 5, "", limited))).toBe(
      "monthly_units: the forecast needs more units than the purchase limits allow (Trial S at most 3 and Trial L at most 1)");
  });

  test("a package table that would take too long to plan exactly says which packages and what to change", () => {
    const row = (name: string, priceUsd: number, units: number, validityDays: number, concurrency: number, purchaseLimit: number | null) =>
      ({ name, priceUsd, units, validityDays, concurrency, purchaseLimit, source: "test", asOf: "2026" });
    // Sizes 7, 11 and 13 units with 2 to 4 months of validity, once too hard, are planned exactly.
    const odd: RateTable = { ...table, packages: [row("X", 7, 7, 60, 5, null), row("Y", 10, 11, 90, 10, null), row("Z", 11, 13, 120, 20, 5)], pricing: { ...table.pricing, defaultPackage: "X" } };
    const forecast = column(30, 51, 402, 253, 124, 60, 16, 11, 82, 153, 200, 251);
    expect(typeof plan(forecast, column(5, 5, 5, 20, 20, 20, 20, 5, 5, 5, 20, 20), "cost", odd)).toBe("number");
    // The cheapest units behind a purchase limit of a million copies: every amount up to it would be compared.
    const limited: RateTable = { ...table, packages: [row("Cheap", 1, 100, 30, 5, 1_000_000), row("Std", 14, 1000, 180, 20, null)], pricing: { ...table.pricing, defaultPackage: "Std" } };
    expect(messageOf(() => plan(1e9, 5, "cost", limited))).toBe(
      "monthly_units: this forecast cannot be planned exactly in the time a formula has (the planner stops after 8 s): package Cheap costs less per unit " +
      "than any package without a purchase limit, so every amount up to its limit of 1,000,000 (1,000,000 amounts a month) must be compared; " +
      "a lower purchase limit for Cheap, or another package as cheap per unit without a limit, plans quickly");
    expect(messageOf(() => plan(column(1e9, 1e9), 5, "cost", limited))).toMatch(/plans quickly, or plan fewer than 2 months at a time$/);
    // As cheap per unit as Std and larger: fewer packages at the same price, so again every amount up to its limit.
    const large: RateTable = { ...limited, packages: [row("Large", 28, 2000, 30, 5, 200_000), row("Std", 14, 1000, 180, 20, null)] };
    expect(messageOf(() => plan(1e9, 5, "cost", large))).toBe(
      "monthly_units: this forecast cannot be planned exactly in the time a formula has (the planner stops after 8 s): package Large costs as little per unit " +
      "as Std, the best value without a purchase limit, and holds more units, so every amount up to its limit of 200,000 (200,000 amounts a month) " +
      "must be compared; a lower purchase limit for Large, or another package as cheap per unit and as large as Large without a limit, plans quickly");
  });
});

describe("KLING_FORFEIT", () => {
  test("the big package up front: what six months of use leave behind", () => {
    // Package 4: 60,000 units for $7,560, 180 days = 6 months; 8,000 a month uses 48,000 of them.
    expect(forfeit(60000, 8000, "Package 4")).toBe(12000);
    expect(forfeit(60000, 8000, "Package 4", "usd")).toBeCloseTo(12000 * (7560 / 60000), 9);
    // Trial L lasts one month; blank = the default package, Package 1 ($700 for 5,000 units).
    expect(forfeit(1000, 300, "trial l")).toBe(700);
    expect(forfeit(5000, 500)).toBe(2000);
    expect(forfeit(5000, 500, "", "usd")).toBeCloseTo(2000 * 0.14, 9);
    expect(forfeit(5000, 2000)).toBe(0);
  });

  test("monthly use as a row or column of months: only the months the package lasts count", () => {
    // Package 1 lasts months 1 to 6: 1,000 x 6 of the 5,000 ... all spent; Trial L lasts month 1 only.
    expect(forfeit(5000, column(500, 500, 500, 500, 500, 500, 9999))).toBe(2000);
    expect(forfeit(5000, [[100, 200, 300]])).toBe(4400);
    expect(forfeit(1000, column(300, 700), "Trial L")).toBe(700);
  });

  test("a column of purchases gives a column of answers; bad rows show their message", () => {
    expect(forfeit(column(60000, "", 45000, -1), 8000, column("Package 4", "", "Package 3", "Package 1"))).toEqual([
      [12000], [""], [0], ["units: -1 is negative; give the units you buy up front, 0 or more (at most 1,000,000,000,000)"],
    ]);
  });

  test("messages", () => {
    expect(messageOf(() => forfeit(1e13, 100))).toBe("units: 10000000000000 is too large; give the units you buy up front, 0 or more (at most 1,000,000,000,000)");
    expect(messageOf(() => forfeit(1000, 2e9))).toBe(
      "monthly_use: 2000000000 is too large; give the units used each month: one number for every month, or a row or column of months; 0 or more (at most 1,000,000,000)");
    expect(messageOf(() => forfeit(1000, 100, "Package 9"))).toBe(
      'package_name: "Package 9" is not a package; use Trial S, Trial L, Package 1, Package 2, Package 3 or Package 4 (blank = Package 1)');
    expect(messageOf(() => forfeit(1000, -100))).toBe(
      "monthly_use: -100 is negative; give the units used each month: one number for every month, or a row or column of months; 0 or more (at most 1,000,000,000)");
    expect(messageOf(() => forfeit(1000, column(100, "x")))).toBe(
      'monthly_use, month 2: "x" is not a number; give the units used each month: one number for every month, or a row or column of months; 0 or more (at most 1,000,000,000)');
    expect(messageOf(() => forfeit(column(1, 2), column(100, 200)))).toBe(
      "units: give one value, not a range; monthly_use is a range of months, so the formula answers one purchase");
    expect(messageOf(() => forfeit(1000, 100, "", "dollars"))).toBe('result: "dollars" is not one of the choices; use "units", "usd" (blank = "units")');
  });
});

describe("KLING_RENDER_HOURS", () => {
  test("rounds of clips at once, plus the queue wait once", () => {
    expect(article).toContain("Benchmarks show wait times exceeding 30 minutes during high-demand periods");
    // 100 clips at 5 at a time: 20 rounds of 3 minutes, plus 30 minutes of queue = 90 minutes.
    expect(hours(100, 5, 3, 30)).toBe(1.5);
    // At 20 at a time: 5 rounds; 101 clips need a sixth round.
    expect(hours(100, 20, 3, 30)).toBe(0.75);
    expect(hours(101, 20, 3, 30)).toBe(0.8);
    expect(hours(100, 20, 3)).toBe(0.25);
    expect(hours(0, 20, 3, 30)).toBe(0);
  });

  test("ranges fill a column; bad rows show their message", () => {
    expect(hours(column(100, "", 7), 5, column(3, 3, 2.5), 0)).toEqual([[1], [""], [0.0833333333333333]]);
    expect(hours(column(10, 10), column(20, 25), 3)).toEqual([[hours(10, 20, 3)], ["concurrency: no package offers 25 concurrent tasks; the most is 20"]]);
  });

  test("messages", () => {
    expect(messageOf(() => hours(2e9, 5, 3))).toBe("clips: 2000000000 is too large; give the number of clips in the batch, a whole number 0 or more (at most 1,000,000,000)");
    expect(messageOf(() => hours(10.5, 5, 3))).toBe("clips: 10.5 is not a whole number; give the number of clips in the batch, a whole number 0 or more (at most 1,000,000,000)");
    expect(messageOf(() => hours(10, "", 3))).toBe("concurrency: blank; give the tasks that run at once, a whole number from 1 to 20");
    expect(messageOf(() => hours(10, 5, 0))).toBe("minutes_per_clip: 0 is not more than 0; give the minutes one clip takes to generate, more than 0 (at most 1,000,000)");
    expect(messageOf(() => hours(10, 5, 3, -1))).toBe(
      "queue_minutes: -1 is negative; give the minutes a batch waits in the queue before it starts, 0 or more (blank = 0, at most 1,000,000)");
  });
});
