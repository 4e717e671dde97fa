// The functions over the synced "Kling packs" and "Kling usage" ranges. The ranges are arguments,
// so every cell that uses them recomputes after a sync; "now" is the time of that sync, read from
// the packs range, so a figure never drifts between two syncs.
import { readChoice } from "../args/choice";
import { NO_SETTINGS, readNumber } from "../args/numbers";
import { DAY_MS, burn } from "../actuals/burn";
import { BURN_WINDOW_DAYS, type SheetPack, readPackRange, readUsageRange } from "../actuals/sheets";
import { InputError, describeValue, isBlank, isDate } from "../errors";
import { type Arg } from "../grid";
import { clean } from "../numbers";
import type { SheetSettings } from "../sheet-settings";

const MAX_DAYS = 3650;
const DAYS_HINT = `give the days to look ahead, from 0 to ${MAX_DAYS} (blank = 30)`;
const USE_HINT = "give the units you expect to use in 30 days, 0 or more (blank = what the last 30 days used)";

function syncedAt(packs: readonly SheetPack[]): number {
  if (packs.length === 0) throw new InputError(`packs: the range holds no packs; run Extensions > Kling Budget > Sync Kling account first`);
  return Math.max(...packs.map((p) => p.syncedAt));
}

const held = (packs: readonly SheetPack[]) =>
  packs.map((p) => ({ effective: p.effective, expires: p.expires, remaining: p.status === "online" || p.status === "toBeOnline" ? p.remaining : 0 }));

/** KLING_EXPIRING: units (or USD) the packs will forfeit within `days` of the last sync at a steady burn rate. */
export function klingExpiring(packsArg: Arg, days: Arg, monthlyUse: Arg, result: Arg, settings: SheetSettings = NO_SETTINGS): number {
  const packs = readPackRange("packs", packsArg);
  const ahead = isBlank(days) ? 30 : readNumber("days", days, DAYS_HINT, { settings });
  if (ahead < 0 || ahead > MAX_DAYS) throw new InputError(`days: ${describeValue(ahead)} is outside 0 to ${MAX_DAYS}; ${DAYS_HINT}`);
  let perMonth: number;
  if (isBlank(monthlyUse)) perMonth = packs.reduce((sum, p) => sum + p.usedLast30, 0);
  else {
    perMonth = readNumber("monthly_use", monthlyUse, USE_HINT, { settings });
    if (perMonth < 0) throw new InputError(`monthly_use: ${describeValue(perMonth)} is negative; ${USE_HINT}`);
  }
  const kind = readChoice("result", result, ["units", "usd"] as const, "units");
  const start = syncedAt(packs);
  // A pack that expires exactly at the horizon still counts: the horizon is the end of the last day.
  const { forfeited } = burn(held(packs), start, start + ahead * DAY_MS + 1, perMonth / BURN_WINDOW_DAYS);
  let total = 0;
  forfeited.forEach((units, i) => (total += kind === "usd" ? units * packs[i]!.usdPerUnit : units));
  return clean(total);
}

/** KLING_RUNWAY: days from the last sync until no unit is left, at the burn rate of the last 30 days of usage. */
export function klingRunway(packsArg: Arg, usageArg: Arg): number | string {
  const packs = readPackRange("packs", packsArg);
  const usage = readUsageRange("usage", usageArg);
  const start = syncedAt(packs);
  const used = usage.reduce((sum, u) => (u.deductedAt >= start - BURN_WINDOW_DAYS * DAY_MS && u.deductedAt < start ? sum + u.units : sum), 0);
  const horizon = Math.max(start, ...packs.map((p) => p.expires));
  const { runOut } = burn(held(packs), start, horizon, used / BURN_WINDOW_DAYS);
  // Past the last expiry nothing is left whatever the rate.
  return clean(((runOut ?? horizon) - start) / DAY_MS);
}

function day(arg: string, value: unknown): number | undefined {
  if (isBlank(value)) return undefined;
  if (isDate(value)) return (value as Date).getTime();
  throw new InputError(`${arg}: ${describeValue(value)} is not a date; give a date cell (blank = no limit)`);
}

/** KLING_ACTUAL: units (or USD at each pack's unit price) deducted from `from` up to, not including, `to`. */
export function klingActual(usageArg: Arg, from: Arg, to: Arg, result: Arg): number {
  const usage = readUsageRange("usage", usageArg);
  const start = day("from", from) ?? -Infinity;
  const end = day("to", to) ?? Infinity;
  if (end < start) throw new InputError(`to: the date is before from; give a period whose end is after its start`);
  const kind = readChoice("result", result, ["units", "usd"] as const, "units");
  let total = 0;
  for (const u of usage) {
    if (u.deductedAt < start || u.deductedAt >= end) continue;
    if (kind === "units") total += u.units;
    else if (u.usd === "") throw new InputError(`usage: task ${u.taskId} has no USD figure (its pack's price is unknown); use result "units" or sync again`);
    else total += u.usd;
  }
  return clean(total);
}

