// Text in and out of the sidebar: numbers as analysts type them, money, dates. No DOM here.
import { conventionOf, readNumberText } from "../core/numbers";

// The spreadsheet's locale (File > Settings), as the server reports it: numbers are typed and shown
// in its convention, by the same rules the custom functions read text with. Set once per load.
let sheetLocale = "";

export function useSheetLocale(locale: string): void {
  sheetLocale = locale;
}

/**
 * A number as typed in a cell, in the spreadsheet's locale: "0.6", ".5", " 1,000 ", "$9.80" in
 * en_US; "0,6" and "11.000" (eleven thousand) in de_DE. Blank is undefined. Anything else, and text
 * the locale could read two ways, is kept as the text itself, so validation names the row and field
 * ("must be a number") instead of the sidebar silently dropping or misreading what was typed;
 * numberNote says why.
 */
export function parseNumber(text: string, locale = sheetLocale): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  const read = readNumberText(trimmed.replace(/^\$\s*/, ""), locale);
  return read && "value" in read ? read.value : trimmed;
}

/** What a number field says under what was typed: how it was read when that is not plain, or why it was not. */
export function numberNote(text: string, locale = sheetLocale): string {
  const trimmed = text.trim();
  if (trimmed === "") return "";
  const read = readNumberText(trimmed.replace(/^\$\s*/, ""), locale);
  if (!read) return "";
  if ("problem" in read) return read.problem;
  const shown = showNumber(read.value, locale);
  return shown === trimmed ? "" : `read as ${shown}`;
}

/** What an input shows for a table value (a number with the locale's decimal mark, text being typed, or nothing). */
export function showNumber(value: unknown, locale = sheetLocale): string {
  if (value === undefined || value === null) return "";
  if (typeof value !== "number") return String(value);
  return conventionOf(locale)?.decimal === "," ? String(value).replace(".", ",") : String(value);
}

/** US dollars for a figure, up to 4 decimals ("$0.084", "$5,670"); "" when it is not a number. */
export function usd(amount: unknown): string {
  if (typeof amount !== "number" || !Number.isFinite(amount)) return "";
  return `$${amount.toLocaleString("en-US", { maximumFractionDigits: 4 })}`;
}

/** units x price, or undefined while either is not a number yet. */
export function times(units: unknown, price: unknown): number | undefined {
  if (typeof units !== "number" || typeof price !== "number" || !Number.isFinite(units * price)) return undefined;
  return Number((units * price).toPrecision(12)); // drops float noise such as 0.08399999999
}

/** A package's price per unit, or "" while its price or units are not numbers. */
export function unitPrice(priceUsd: unknown, units: unknown): string {
  if (typeof priceUsd !== "number" || typeof units !== "number" || units <= 0) return "";
  return usd(Number((priceUsd / units).toPrecision(12)));
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * An ISO time as "2026-05-01 14:03" in the viewer's time zone. `offsetMinutes` is
 * Date#getTimezoneOffset's (minutes behind UTC); tests pass it, the sidebar leaves the local one.
 */
export function formatWhen(iso: string, offsetMinutes?: number): string {
  if (!iso) return "";
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  const offset = offsetMinutes ?? new Date(time).getTimezoneOffset();
  const d = new Date(time - offset * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export interface Saving {
  version: number;
  savedAt: string;
  savedBy: string;
}

/** "built-in rates" for version 0, else "saved 2026-05-01 14:03 by ann@example.com" (blank by = unknown). */
export function savedLine(info: Saving, offsetMinutes?: number): string {
  if (info.version === 0 && !info.savedAt) return "built-in rates";
  const when = formatWhen(info.savedAt, offsetMinutes) || "at an unknown time";
  return `saved ${when} by ${info.savedBy || "unknown"}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
