import { readChoice } from "../args/choice";
import { NO_SETTINGS, readNumber, readWholeNumber } from "../args/numbers";
import { InputError, describeValue, isBlank, listOf } from "../errors";
import { type Arg, type CellValue, type Grid, mapCells, single } from "../grid";
import { clean } from "../numbers";
import { forfeitUnits } from "../planning/forfeit";
import { MAX_MONTHS, type PlanLine, type PurchasePlan, monthsValid, planPurchases, plannable } from "../planning/plan";
import { renderHours } from "../planning/render-hours";
import { rateIndex } from "../rates/lookup";
import type { PackageRow, RateTable } from "../rates/types";
import type { SheetSettings } from "../sheet-settings";
import { readConcurrency } from "./best-package";

const MAX_MONTH_UNITS = 1e9;
const MAX_TASKS = 1e6;
const MAX_CLIPS = 1e9;

/** A monthly argument: one value (one month), or one row or one column of months, month 1 first. */
function monthCells(name: string, arg: Arg): unknown[] {
  if (!Array.isArray(arg)) return [arg];
  const rows = arg as unknown[][];
  const cols = Array.isArray(rows[0]) ? rows[0].length : 0;
  if (cols === 0 || !rows.every((row) => Array.isArray(row) && row.length === cols)) {
    throw new InputError(`${name}: the range is not a rectangle of cells`);
  }
  if (rows.length > 1 && cols > 1) {
    throw new InputError(`${name}: give one row or one column of months, not ${rows.length} rows x ${cols} columns`);
  }
  return rows.flat();
}

/** Units per month, 0 or more; blank = 0. */
function readMonthUnits(name: string, value: unknown, hint: string, settings: SheetSettings): number {
  if (isBlank(value)) return 0;
  const units = readNumber(name, value, hint, { settings });
  if (units < 0) throw new InputError(`${name}: ${describeValue(units)} is negative; ${hint}`);
  if (units > MAX_MONTH_UNITS) throw new InputError(`${name}: ${describeValue(units)} is too large; ${hint}`);
  return units;
}

const FORECAST_HINT = "give the units you forecast for each month, from 0 to 1,000,000,000 (blank = 0)";

/** The forecast, without the blank months at its end (a range may run past the data). */
function readForecast(arg: Arg, settings: SheetSettings): { units: number[]; cells: number } {
  const cells = monthCells("monthly_units", arg);
  let months = cells.length;
  while (months > 0 && isBlank(cells[months - 1])) months--;
  if (months > MAX_MONTHS) {
    throw new InputError(`monthly_units: ${months} months is more than ${MAX_MONTHS}; give a forecast of at most ${MAX_MONTHS} months (10 years)`);
  }
  const units = cells.slice(0, months).map((v, t) => readMonthUnits(`monthly_units, month ${t + 1}`, v, FORECAST_HINT, settings));
  return { units, cells: cells.length };
}

/** Concurrency per month: one number for every month, or a range as long as the forecast's. */
function readNeeds(table: RateTable, arg: Arg, months: number, cells: number, settings: SheetSettings): number[] {
  const most = Math.max(...plannable(table.packages).map((p) => p.concurrency));
  const given = monthCells("concurrency", arg);
  if (given.length === 1) {
    const c = readConcurrency(given[0], settings);
    if (c > most) throw new InputError(`concurrency: no package offers ${c} concurrent tasks; the most is ${most}`);
    return new Array<number>(months).fill(c);
  }
  if (given.length !== cells) {
    throw new InputError(`concurrency: ${given.length} cells but monthly_units has ${cells}; give one number for every month, or a range of the same length`);
  }
  const hint = `give the concurrent tasks each month needs, a whole number from 1 to ${most} (blank = 1)`;
  return given.slice(0, months).map((v, t) => (isBlank(v) ? 1 : readWholeNumber(`concurrency, month ${t + 1}`, v, 1, MAX_TASKS, hint, { settings })));
}

const linesText = (lines: readonly PlanLine[]) => lines.map((l) => `${l.count} x ${l.pkg.name}`).join(" + ");

function planTable(plan: PurchasePlan): Grid {
  const rows: Grid = [["Month", "Packages bought", "Cost USD", "Units bought", "Units used", "Units expiring unused"]];
  plan.months.forEach((m, t) => rows.push([t + 1, linesText(m.lines), m.costUsd, m.unitsBought, m.unitsUsed, m.unitsExpiring]));
  rows.push(["Total", plan.packages, plan.costUsd, plan.unitsBought, plan.unitsUsed, plan.unitsExpiring]);
  return rows;
}

const PLAN_RESULTS = ["table", "cost", "forfeit"] as const;

/** KLING_PURCHASE_PLAN: what to buy in which month for a monthly forecast, at least cost. */
export function klingPurchasePlan(table: RateTable, monthlyUnits: Arg, concurrency: Arg, result: Arg, settings: SheetSettings = NO_SETTINGS): CellValue | Grid {
  const kind = readChoice("result", single("result", result, "one plan covers the whole forecast"), PLAN_RESULTS, "table");
  const forecast = readForecast(monthlyUnits, settings);
  if (forecast.units.length === 0) return ""; // a template with no forecast yet
  const plan = planPurchases(table.packages, forecast.units, readNeeds(table, concurrency, forecast.units.length, forecast.cells, settings));
  return kind === "cost" ? plan.costUsd : kind === "forfeit" ? plan.unitsExpiring : planTable(plan);
}

function readPackage(table: RateTable, value: unknown): PackageRow {
  const index = rateIndex(table);
  const fallback = table.pricing.defaultPackage;
  const found = isBlank(value) ? index.findPackage(fallback) : typeof value === "string" ? index.findPackage(value) : undefined;
  if (found) return found;
  if (isBlank(value)) throw new InputError(`package_name: the rate table's default package "${fallback}" is not among its packages; name one`);
  throw new InputError(`package_name: ${describeValue(value)} is not a package; use ${listOf(table.packages.map((p) => p.name))} (blank = ${fallback})`);
}

const FORFEIT_RESULTS = ["units", "usd"] as const;
const USE_HINT = "give the units used each month: one number for every month, or a row or column of months; 0 or more (at most 1,000,000,000)";
const MAX_UNITS_BOUGHT = 1e12;

function readUnitsBought(value: unknown, settings: SheetSettings): number {
  const hint = "give the units you buy up front, 0 or more (at most 1,000,000,000,000)";
  const units = readNumber("units", value, hint, { settings });
  if (units < 0) throw new InputError(`units: ${describeValue(units)} is negative; ${hint}`);
  if (units > MAX_UNITS_BOUGHT) throw new InputError(`units: ${describeValue(units)} is too large; ${hint}`);
  return units;
}

/** KLING_FORFEIT: units (or their dollar value) that expire unused when bought up front. */
export function klingForfeit(table: RateTable, units: Arg, monthlyUse: Arg, pkg: Arg, result: Arg, settings: SheetSettings = NO_SETTINGS): CellValue | Grid {
  const kind = readChoice("result", single("result", result, "one result kind applies to every row"), FORFEIT_RESULTS, "units");
  const forfeit = (u: unknown, row: PackageRow, use: readonly number[]): number => {
    const left = forfeitUnits(readUnitsBought(u, settings), monthsValid(row), use);
    return kind === "usd" ? clean((left * row.priceUsd) / row.units) : left;
  };
  const use = monthCells("monthly_use", monthlyUse);
  if (use.length > 1) {
    // A row or column of monthly use is one forecast, so the formula answers one purchase.
    const why = "monthly_use is a range of months, so the formula answers one purchase";
    const u = single("units", units, why), row = readPackage(table, single("package_name", pkg, why));
    return forfeit(u, row, use.map((v, t) => readMonthUnits(`monthly_use, month ${t + 1}`, v, USE_HINT, settings)));
  }
  return mapCells(["units", "monthly_use", "package_name"], [units, monthlyUse, pkg], [0], (u, m, p) => {
    const perMonth = readMonthUnits("monthly_use", m, USE_HINT, settings);
    const row = readPackage(table, p);
    return forfeit(u, row, new Array<number>(monthsValid(row)).fill(perMonth));
  });
}

/** KLING_RENDER_HOURS: wall-clock hours for a batch of clips at a number of parallel tasks. */
export function klingRenderHours(table: RateTable, clips: Arg, concurrency: Arg, minutesPerClip: Arg, queueMinutes: Arg, settings: SheetSettings = NO_SETTINGS): CellValue | Grid {
  const most = Math.max(...table.packages.map((p) => p.concurrency));
  return mapCells(["clips", "concurrency", "minutes_per_clip", "queue_minutes"], [clips, concurrency, minutesPerClip, queueMinutes], [0], (n, c, m, q) => {
    const count = readWholeNumber("clips", n, 0, MAX_CLIPS, "give the number of clips in the batch, a whole number 0 or more (at most 1,000,000,000)", { settings });
    const tasks = readWholeNumber("concurrency", c, 1, MAX_TASKS, `give the tasks that run at once, a whole number from 1 to ${most}`, { settings });
    if (tasks > most) throw new InputError(`concurrency: no package offers ${tasks} concurrent tasks; the most is ${most}`);
    const minutesHint = "give the minutes one clip takes to generate, more than 0 (at most 1,000,000)";
    // A duration cell (0:03:00) is read as minutes.
    const minutes = readNumber("minutes_per_clip", m, minutesHint, { settings, perSecond: 1 / 60 });
    if (!(minutes > 0)) throw new InputError(`minutes_per_clip: ${describeValue(minutes)} is not more than 0; ${minutesHint}`);
    if (minutes > 1e6) throw new InputError(`minutes_per_clip: ${describeValue(minutes)} is too large; ${minutesHint}`);
    const queueHint = "give the minutes a batch waits in the queue before it starts, 0 or more (blank = 0, at most 1,000,000)";
    const queue = isBlank(q) ? 0 : readNumber("queue_minutes", q, queueHint, { settings, perSecond: 1 / 60 });
    if (queue < 0) throw new InputError(`queue_minutes: ${describeValue(queue)} is negative; ${queueHint}`);
    if (queue > 1e6) throw new InputError(`queue_minutes: ${describeValue(queue)} is too large; ${queueHint}`);
    return renderHours(count, tasks, minutes, queue);
  });
}
