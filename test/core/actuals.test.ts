import { KlingAnswerError, readDeductionPage, readPacks } from "../../src/core/actuals/account";
import { DAY_MS, burn } from "../../src/core/actuals/burn";
import { decideReminder } from "../../src/core/actuals/reminders";
import { PACK_COLUMNS, USAGE_COLUMNS, newDeductions, packPrice, packRows, usageRow } from "../../src/core/actuals/sheets";
import { klingActual, klingExpiring, klingRunway } from "../../src/core/functions/actuals";
import { defaultRateTable } from "../../src/core/rates/default-table";

const T0 = Date.UTC(2026, 10, 1);
const day = (n: number) => T0 + n * DAY_MS;
const messageOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("it did not throw");
};

describe("burning units soonest-expiring first", () => {
  test("a pack that cannot be used up in time forfeits what is left at its expiry", () => {
    // 5 a day for 10 days spends 50 of 100.
    expect(burn([{ effective: day(-1), expires: day(10), remaining: 100 }], T0, day(30), 5)).toMatchObject({ forfeited: [50], runOut: day(10) });
  });

  test("the pack expiring first is spent first; units run out when both are spent", () => {
    // 20 a day: A's 100 last 5 days, then B's 300 last 15 more: nothing forfeited, out on day 20.
    const out = burn([
      { effective: day(-1), expires: day(100), remaining: 300 },
      { effective: day(-1), expires: day(10), remaining: 100 },
    ], T0, day(100), 20);
    expect(out.forfeited).toEqual([0, 0]);
    expect(out.runOut).toBe(day(20));
  });

  test("a pack bought for later joins when it becomes effective; the first gap is when units ran out", () => {
    const out = burn([
      { effective: day(-1), expires: day(30), remaining: 50 },
      { effective: day(10), expires: day(40), remaining: 100 },
    ], T0, day(40), 10);
    expect(out.runOut).toBe(day(5));
    expect(out.forfeited).toEqual([0, 0]);
  });

  test("at zero use every pack forfeits all it holds, and units run out at the last expiry", () => {
    expect(burn([
      { effective: day(-1), expires: day(3), remaining: 7 },
      { effective: day(-1), expires: day(9), remaining: 11 },
    ], T0, day(9), 0)).toMatchObject({ forfeited: [7, 11], runOut: day(9) });
  });

  test("what is spent, forfeited and left adds up to what the packs held", () => {
    const packs = [
      { effective: day(-3), expires: day(12), remaining: 400 },
      { effective: day(2), expires: day(33), remaining: 250 },
      { effective: day(-9), expires: day(7), remaining: 90 },
    ];
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    for (const perDay of [0, 3, 17, 40, 500]) {
      const { forfeited, left, runOut } = burn(packs, T0, day(20), perDay);
      const spent = 740 - sum(forfeited) - sum(left);
      // Until units run out, exactly the rate is spent each day; after, less.
      if (runOut === null) expect(spent).toBeCloseTo(perDay * 20, 9);
      else expect(spent).toBeLessThan(perDay * 20);
      expect(Math.min(...forfeited, ...left)).toBeGreaterThanOrEqual(0);
      expect(left[0]! + left[2]!).toBe(0); // both expired by day 20
    }
  });
});

const packsAnswer = (infos: unknown[]) => ({ code: 0, message: "SUCCEED", request_id: "r1", data: { code: 0, msg: "ok", resource_pack_subscribe_infos: infos } });
const info = (over: Record<string, unknown> = {}) => ({
  resource_pack_name: "Trial-Video-100Units", resource_pack_id: "p1", resource_pack_type: "decreasing_total", total_quantity: 100,
  remaining_quantity: 91.3, purchase_time: day(-5), effective_time: day(-5), invalid_time: day(25), status: "online", ...over,
});

describe("reading Kling's answers", () => {
  test("packs are read field by field as Kling documents them", () => {
    expect(readPacks(packsAnswer([info()]))).toEqual([{
      name: "Trial-Video-100Units", id: "p1", type: "decreasing_total", status: "online", total: 100, remaining: 91.3,
      purchased: day(-5), effective: day(-5), expires: day(25),
    }]);
  });

  test.each([
    ["a missing remaining_quantity", packsAnswer([{ ...info(), remaining_quantity: undefined }]), /remaining_quantity is undefined, not a number/],
    ["a status Kling does not document", packsAnswer([info({ status: "paused" })]), /status "paused"/],
    ["a non-zero code", { code: 1102, message: "account abnormal", data: {} }, /code 1102: account abnormal/],
    ["an inner non-zero code", { code: 0, data: { code: 1100, msg: "nope" } }, /code 1100: nope/],
  ])("%s is refused, never read as 0", (_, body, message) => {
    expect(() => readPacks(body)).toThrow(KlingAnswerError);
    expect(messageOf(() => readPacks(body))).toMatch(message);
  });

  test("deduction pages carry numbers Kling sends as text exactly, and the cursor", () => {
    const page = readDeductionPage({ code: 0, data: { result: { detail: [{
      task_id: "t1", api_key_name: "main", product_function: "Text to Video", product_type: "video", model_name: "kling-v2-6",
      resolution: "1080p", duration: "5.04", refer_video_input: false, video_sound: "off", voice_control: false,
      deduction_time: "1779549455861", unit_before_deduction: 13037.3, deduction_amount: 2.5, unit_after_deduction: 13034.8,
      package_name: "Standard-1", package_id: "p2",
    }], count: 1 }, next_cursor: "c2", has_more: true } });
    expect(page.hasMore).toBe(true);
    expect(page.nextCursor).toBe("c2");
    expect(page.deductions[0]).toMatchObject({ taskId: "t1", deductedAt: 1779549455861, seconds: 5.04, units: 2.5, packId: "p2" });
  });

  test("more pages promised without a cursor is refused", () => {
    expect(() => readDeductionPage({ code: 0, data: { result: { detail: [] }, has_more: true } })).toThrow(/no next_cursor/);
  });
});

describe("the synced sheets", () => {
  const table = defaultRateTable();

  test("a pack's price comes from the rate table's package with the same units and validity, else the default unit price", () => {
    const trial = table.packages.find((p) => p.validityDays === 30)!;
    const pack = { ...readPacks(packsAnswer([info({ total_quantity: trial.units, effective_time: day(0), invalid_time: day(30) })]))[0]! };
    expect(packPrice(table, pack)).toEqual({ usdPerUnit: trial.priceUsd / trial.units, from: trial.name });
    expect(packPrice(table, { ...pack, total: 12345 })).toEqual({ usdPerUnit: table.pricing.defaultUnitPriceUsd, from: "default unit price" });
  });

  test("rows have one cell per column", () => {
    const pack = readPacks(packsAnswer([info()]))[0]!;
    expect(packRows(table, [pack], [], T0)[0]).toHaveLength(PACK_COLUMNS.length);
    const d = { taskId: "t", deductedAt: T0, productType: "video", productFunction: "", modelName: "kling-v3", resolution: "1080p", seconds: 5, videoInput: false, sound: "off", voice: false, units: 5, apiKeyName: "", packName: "", packId: "p1" };
    expect(usageRow(table, d, 0.1)).toHaveLength(USAGE_COLUMNS.length);
  });

  test("our units re-price a billed task from the rate table and flag a difference", () => {
    const d = { taskId: "t", deductedAt: T0, productType: "video", productFunction: "", modelName: "kling-v3", resolution: "1080p", seconds: 5.04, videoInput: false, sound: "off", voice: false, units: 0, apiKeyName: "", packName: "", packId: "p1" };
    // Kling 3.0 at 1080p is 0.8 units a second in the article: a 5.04 s clip is billed as 5 s, 4 units.
    const ours = usageRow(table, { ...d, units: 1 }, undefined)[USAGE_COLUMNS.indexOf("Our units")] as number;
    expect(ours).toBe(4);
    expect(usageRow(table, { ...d, units: ours }, undefined)[USAGE_COLUMNS.indexOf("Check")]).toBe("ok");
    expect(usageRow(table, { ...d, units: ours + 1 }, undefined)[USAGE_COLUMNS.indexOf("Check")]).toBe("Kling billed +1 units vs the rate table");
    expect(usageRow(table, { ...d, modelName: "kling-v9" }, undefined)[USAGE_COLUMNS.indexOf("Check")]).toMatch(/^not in the rate table: model/);
  });

  test("a re-sync adds only deductions the sheet lacks, and a task drawing on two packs is two rows", () => {
    const d = (taskId: string, packId: string, at: number) => ({ taskId, packId, deductedAt: at }) as never;
    const fresh = newDeductions(new Set(["a|1|p1"]), [d("a", "p1", 1), d("a", "p2", 1), d("b", "p1", 2), d("b", "p1", 2)]);
    expect(fresh).toEqual([d("a", "p2", 1), d("b", "p1", 2)]);
  });
});

describe("KLING_EXPIRING, KLING_RUNWAY and KLING_ACTUAL over the synced ranges", () => {
  const packsHeader = [...PACK_COLUMNS, "My notes"];
  const packRow = (over: Partial<Record<(typeof PACK_COLUMNS)[number], unknown>>) =>
    packsHeader.map((c) => ({ Status: "online", "Remaining units": 0, Effective: new Date(day(-10)), Expires: new Date(day(20)), "USD per unit": 0.1, "Used last 30 days": 0, "Synced at": new Date(T0), ...over })[c] ?? "");
  const usageHeader = [...USAGE_COLUMNS];
  const usageRowOf = (at: number, units: number, usd: number | "" = units * 0.1) =>
    usageHeader.map((c) => ({ "Task ID": `t${at}`, "Deducted at": new Date(at), Units: units, "Pack ID": "p1", USD: usd })[c as string] ?? "");

  test("expiring: what the packs forfeit within the days at last month's use, in units or USD", () => {
    const packs = [packsHeader, packRow({ "Remaining units": 500, "Used last 30 days": 300 }), packRow({ "Remaining units": 1000, Expires: new Date(day(90)), "USD per unit": 0.2 })];
    // 10 a day: the first pack spends 200 of 500 by day 20 and forfeits 300; the second lives past 30 days.
    expect(klingExpiring(packs, "", "", "")).toBe(300);
    expect(klingExpiring(packs, "", "", "usd")).toBe(30);
    expect(klingExpiring(packs, 10, "", "")).toBe(0);
    // Within 90 days the second forfeits 1000 - 10 x 70 = 300 as well.
    expect(klingExpiring(packs, 90, "", "")).toBe(600);
    expect(klingExpiring(packs, 90, 0, "")).toBe(1500);
  });

  test("runway: days until nothing is left at the last 30 days' use", () => {
    const packs = [packsHeader, packRow({ "Remaining units": 500 }), packRow({ "Remaining units": 1000, Expires: new Date(day(300)) })];
    const usage = [usageHeader, usageRowOf(day(-5), 600), usageRowOf(day(-40), 9999), ["", "", ""].concat(usageHeader.slice(3).map(() => ""))];
    // 600 in the last 30 days = 20 a day: the first pack gives 400 by day 20 and forfeits 100,
    // then the second's 1000 last 50 days more.
    expect(klingRunway(packs, usage)).toBe(70);
  });

  test("actual: units or USD in a period, end date not included", () => {
    const usage = [usageHeader, usageRowOf(day(0), 5), usageRowOf(day(1), 7), usageRowOf(day(2), 11)];
    expect(klingActual(usage, new Date(day(0)), new Date(day(2)), "")).toBe(12);
    expect(klingActual(usage, "", "", "usd")).toBe(2.3);
    expect(messageOf(() => klingActual(usage, "2026-11-01", "", ""))).toMatch(/^from: "2026-11-01" is not a date/);
  });

  test("a date column formatted as numbers is refused, never read as a time in 1970", () => {
    const usage = [usageHeader, usageRowOf(day(0), 5)];
    usage[1]![USAGE_COLUMNS.indexOf("Deducted at")] = 46355.4;
    expect(messageOf(() => klingActual(usage, "", "", ""))).toBe(
      "usage: row 2, Deducted at is 46355.4, not a date; format the column as a date, or sync again to rewrite the sheet");
  });

  test("a range without the sheet's header row says which column is missing and what to give", () => {
    expect(messageOf(() => klingExpiring([["Pack"], ["x"]], "", "", ""))).toBe(
      `packs: no "Status" column in the range's first row; give the whole "Kling packs" sheet with its header row, e.g. 'Kling packs'!A:Q`);
    expect(messageOf(() => klingExpiring([packsHeader], "", "", ""))).toMatch(/holds no packs; run Extensions > Kling Budget > Sync Kling account first/);
  });
});

describe("reminders", () => {
  const settings = { days: 14, thresholdUsd: 50, budgetCell: "Budget!B2" };
  const fresh = { lastSent: "", budgetLevel: "" };
  const facts = (over: Partial<{ today: string; expiringUsd: number; monthSpendUsd: number; budgetUsd: number | undefined }> = {}) =>
    ({ today: "2026-11-29", expiringUsd: 0, monthSpendUsd: 0, budgetUsd: 1000, ...over });

  test("expiring units worth at least the threshold are emailed; less is not", () => {
    expect(decideReminder(settings, fresh, facts({ expiringUsd: 49.99 })).send).toBe(false);
    const d = decideReminder(settings, fresh, facts({ expiringUsd: 50 }));
    expect(d).toMatchObject({ send: true, subject: "Kling Budget: units expiring unused", lines: ["USD 50.00 of resource units will expire unused within 14 days at the current burn rate."] });
    expect(d.memory.lastSent).toBe("2026-11-29");
  });

  test("each budget level is told once a month, the highest passed", () => {
    const at80 = decideReminder(settings, fresh, facts({ monthSpendUsd: 850 }));
    expect(at80.lines).toEqual(["This month's actual spend, USD 850.00, has passed 80% of the budget (USD 1,000.00)."]);
    const nextDay = decideReminder(settings, at80.memory, facts({ today: "2026-11-30", monthSpendUsd: 900 }));
    expect(nextDay.send).toBe(false);
    const at100 = decideReminder(settings, at80.memory, facts({ today: "2026-11-30", monthSpendUsd: 1000 }));
    expect(at100.lines).toEqual(["This month's actual spend, USD 1,000.00, has passed 100% of the budget (USD 1,000.00)."]);
    const newMonth = decideReminder(settings, at100.memory, facts({ today: "2026-12-01", monthSpendUsd: 600 }));
    expect(newMonth.lines).toEqual(["This month's actual spend, USD 600.00, has passed 50% of the budget (USD 1,000.00)."]);
  });

  test("one email a day at most, and what was not sent is told the next day", () => {
    const sent = decideReminder(settings, fresh, facts({ expiringUsd: 80 }));
    const again = decideReminder(settings, sent.memory, facts({ expiringUsd: 80, monthSpendUsd: 500 }));
    expect(again.send).toBe(false);
    expect(again.memory).toEqual(sent.memory);
    expect(decideReminder(settings, again.memory, facts({ today: "2026-11-30", expiringUsd: 80, monthSpendUsd: 500 })).lines).toHaveLength(2);
  });

  test("no budget cell, or a budget of 0, checks only expiry", () => {
    expect(decideReminder(settings, fresh, facts({ budgetUsd: undefined, monthSpendUsd: 5000 })).send).toBe(false);
    expect(decideReminder(settings, fresh, facts({ budgetUsd: 0, monthSpendUsd: 5000 })).send).toBe(false);
  });
});
