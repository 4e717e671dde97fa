// The two sheets a sync writes, "Kling packs" and "Kling usage": their columns, the rows built from
// Kling's answers, and reading them back when a formula is given one of them as a range. Columns
// are found by their header text, so a column the analyst adds beside them changes nothing.
import { readClip } from "../args/clip";
import { InputError, describeValue, isBlank, isDate } from "../errors";
import { clean } from "../numbers";
import { clipUnits } from "../pricing/units";
import { rateIndex } from "../rates/lookup";
import type { RateTable } from "../rates/types";
import { type Deduction, type Pack, deductionKey } from "./account";
import { DAY_MS, burn } from "./burn";

export const PACKS_SHEET = "Kling packs";
export const USAGE_SHEET = "Kling usage";

export const PACK_COLUMNS = [
  "Pack", "Pack ID", "Type", "Status", "Total units", "Remaining units", "Purchased", "Effective", "Expires", "Days left",
  "USD per unit", "Remaining value USD", "Used last 30 days", "Expiring unused", "Expiring unused USD", "Price from", "Synced at",
] as const;

export const USAGE_COLUMNS = [
  "Task ID", "Deducted at", "Product", "Function", "Model", "Resolution", "Seconds", "Video input", "Sound", "Voice",
  "Units", "Pack", "Pack ID", "API key", "Our units", "Check", "USD", "Deduction time (ms)",
] as const;

/** The whole synced block of each sheet, as a formula should name it. */
export const SHEET_RANGES: Record<string, string> = { [PACKS_SHEET]: `'${PACKS_SHEET}'!A:Q`, [USAGE_SHEET]: `'${USAGE_SHEET}'!A:R` };

/** Columns whose values the edge writes as dates (epoch ms in the rows below). */
export const PACK_DATE_COLUMNS = ["Purchased", "Effective", "Expires", "Synced at"].map((c) => PACK_COLUMNS.indexOf(c as never));
export const USAGE_DATE_COLUMNS = [USAGE_COLUMNS.indexOf("Deducted at")];

/** The window whose usage sets the burn rate. */
export const BURN_WINDOW_DAYS = 30;

export type Row = (string | number | boolean)[];

export interface PackPrice {
  usdPerUnit: number;
  from: string;
}

/**
 * A pack's unit price: the rate table's package with the same units and validity (Kling's pack
 * names are not ours), else the table's default unit price, and the row says which.
 */
export function packPrice(table: RateTable, pack: Pack): PackPrice {
  const days = Math.round((pack.expires - pack.effective) / DAY_MS);
  const matches = table.packages.filter((p) => p.units === pack.total && Math.abs(p.validityDays - days) <= 1);
  if (matches.length === 1) return { usdPerUnit: clean(matches[0]!.priceUsd / matches[0]!.units), from: matches[0]!.name };
  return { usdPerUnit: table.pricing.defaultUnitPriceUsd, from: "default unit price" };
}

const TOLERANCE = 0.005;

/** Our units for a billed task, from the rate table, or why there are none. */
export function ourUnits(table: RateTable, d: Deduction): { units: number | ""; check: string } {
  if (d.productType && d.productType !== "video") return { units: "", check: `not priced: ${d.productType}` };
  try {
    const audio = d.voice ? "voice" : d.sound === "native" ? "audio" : "none";
    const units = clipUnits(readClip(rateIndex(table), d.modelName, d.resolution, Math.round(d.seconds), audio, d.videoInput ? "video" : "plain"));
    const gap = clean(d.units - units);
    return { units, check: Math.abs(gap) < TOLERANCE ? "ok" : `Kling billed ${gap > 0 ? "+" : ""}${gap} units vs the rate table` };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { units: "", check: `not in the rate table: ${error.message}` };
  }
}

export function usageRow(table: RateTable, d: Deduction, usdPerUnit: number | undefined): Row {
  const ours = ourUnits(table, d);
  return [
    d.taskId, d.deductedAt, d.productType, d.productFunction, d.modelName, d.resolution, d.seconds, d.videoInput, d.sound, d.voice,
    d.units, d.packName, d.packId, d.apiKeyName, ours.units, ours.check, usdPerUnit === undefined ? "" : clean(d.units * usdPerUnit),
    // Kling's own time, exact: a date cell may not keep milliseconds, and a re-sync matches rows by it.
    d.deductedAt,
  ];
}

/** Units used in the window before `at`, from the usage rows already in the sheet and the new ones. */
export function unitsUsed(usage: readonly Pick<Deduction, "deductedAt" | "units" | "packId">[], from: number, to: number, packId?: string): number {
  let sum = 0;
  for (const u of usage) if (u.deductedAt >= from && u.deductedAt < to && (packId === undefined || u.packId === packId)) sum += u.units;
  return clean(sum);
}

export function packRows(table: RateTable, packs: readonly Pack[], usage: readonly Pick<Deduction, "deductedAt" | "units" | "packId">[], syncedAt: number): Row[] {
  const windowStart = syncedAt - BURN_WINDOW_DAYS * DAY_MS;
  const perDay = unitsUsed(usage, windowStart, syncedAt) / BURN_WINDOW_DAYS;
  const horizon = Math.max(syncedAt, ...packs.map((p) => p.expires));
  const { forfeited } = burn(live(packs), syncedAt, horizon, perDay);
  return packs.map((p, i) => {
    const price = packPrice(table, p);
    const unused = clean(forfeited[i]!);
    return [
      p.name, p.id, p.type, p.status, p.total, p.remaining, p.purchased, p.effective, p.expires,
      Math.max(0, Math.floor((p.expires - syncedAt) / DAY_MS)), price.usdPerUnit, clean(p.remaining * price.usdPerUnit),
      unitsUsed(usage, windowStart, syncedAt, p.id), unused, clean(unused * price.usdPerUnit), price.from, syncedAt,
    ];
  });
}

/** Packs that can still be spent from: expired and run-out ones hold nothing usable. */
const live = (packs: readonly Pack[]) => packs.map((p) => ({ ...p, remaining: p.status === "online" || p.status === "toBeOnline" ? p.remaining : 0 }));

/** Merges newly fetched deductions into what the usage sheet holds: only rows it lacks, oldest first. */
export function newDeductions(existingKeys: ReadonlySet<string>, fetched: readonly Deduction[]): Deduction[] {
  const seen = new Set(existingKeys);
  const fresh: Deduction[] = [];
  for (const d of [...fetched].sort((a, b) => a.deductedAt - b.deductedAt)) {
    const key = deductionKey(d);
    if (seen.has(key)) continue;
    seen.add(key);
    fresh.push(d);
  }
  return fresh;
}

// ---- Reading the sheets back from a formula's range ----

type Columns<T extends readonly string[]> = Record<T[number], number>;

function columnsOf<T extends readonly string[]>(arg: string, sheet: string, header: readonly unknown[], wanted: T): Columns<T> {
  const found = {} as Columns<T>;
  for (const name of wanted) {
    const at = header.findIndex((cell) => typeof cell === "string" && cell.trim() === name);
    if (at < 0) throw new InputError(`${arg}: no "${name}" column in the range's first row; give the whole "${sheet}" sheet with its header row, e.g. ${SHEET_RANGES[sheet]}`);
    (found as Record<string, number>)[name] = at;
  }
  return found;
}

function rowsOf(arg: string, sheet: string, value: unknown): unknown[][] {
  if (!Array.isArray(value) || value.length === 0 || !value.every(Array.isArray)) {
    throw new InputError(`${arg}: give the "${sheet}" sheet as a range with its header row, e.g. ${SHEET_RANGES[sheet]}`);
  }
  return value as unknown[][];
}

/** Only a date cell: a number there (a column formatted as a number) is a day count, not a time. */
function time(arg: string, row: number, column: string, value: unknown): number {
  if (isDate(value)) return (value as Date).getTime();
  throw new InputError(`${arg}: row ${row}, ${column} is ${describeValue(value)}, not a date; format the column as a date, or sync again to rewrite the sheet`);
}

function amount(arg: string, row: number, column: string, value: unknown): number {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  throw new InputError(`${arg}: row ${row}, ${column} is not a number; sync again to rewrite the sheet`);
}

const PACK_READ = ["Status", "Remaining units", "Effective", "Expires", "USD per unit", "Used last 30 days", "Synced at"] as const;

export interface SheetPack {
  status: string;
  remaining: number;
  effective: number;
  expires: number;
  usdPerUnit: number;
  usedLast30: number;
  syncedAt: number;
}

export function readPackRange(arg: string, value: unknown): SheetPack[] {
  const rows = rowsOf(arg, PACKS_SHEET, value);
  const col = columnsOf(arg, PACKS_SHEET, rows[0]!, PACK_READ);
  const packs: SheetPack[] = [];
  rows.slice(1).forEach((row, i) => {
    if (row.every(isBlank)) return;
    const n = i + 2;
    packs.push({
      status: String(row[col.Status]),
      remaining: amount(arg, n, "Remaining units", row[col["Remaining units"]]),
      effective: time(arg, n, "Effective", row[col.Effective]),
      expires: time(arg, n, "Expires", row[col.Expires]),
      usdPerUnit: amount(arg, n, "USD per unit", row[col["USD per unit"]]),
      usedLast30: amount(arg, n, "Used last 30 days", row[col["Used last 30 days"]]),
      syncedAt: time(arg, n, "Synced at", row[col["Synced at"]]),
    });
  });
  return packs;
}

const USAGE_READ = ["Task ID", "Deducted at", "Units", "Pack ID", "USD"] as const;

export interface SheetUsage {
  taskId: string;
  deductedAt: number;
  units: number;
  packId: string;
  usd: number | "";
}

export function readUsageRange(arg: string, value: unknown): SheetUsage[] {
  const rows = rowsOf(arg, USAGE_SHEET, value);
  const col = columnsOf(arg, USAGE_SHEET, rows[0]!, USAGE_READ);
  const usage: SheetUsage[] = [];
  rows.slice(1).forEach((row, i) => {
    if (row.every(isBlank)) return;
    const n = i + 2;
    const usd = row[col.USD];
    usage.push({
      taskId: String(row[col["Task ID"]]),
      deductedAt: time(arg, n, "Deducted at", row[col["Deducted at"]]),
      units: amount(arg, n, "Units", row[col.Units]),
      packId: String(row[col["Pack ID"]]),
      usd: isBlank(usd) ? "" : amount(arg, n, "USD", usd),
    });
  });
  return usage;
}
