// Text in and out of the sidebar: numbers as analysts type them, money, dates. No DOM here.

/**
 * A number as typed in a cell: "0.6", ".5", " 1,000 ", "$9.80". Blank is undefined. Anything else
 * is kept as the text itself, so validation names the row and field ("must be a number") instead of
 * the sidebar silently dropping what was typed.
 */
export function parseNumber(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  let plain = trimmed.replace(/^\$\s*/, "");
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(plain)) plain = plain.replace(/,/g, "");
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(plain) ? Number(plain) : trimmed;
}

/** What an input shows for a table value (a number, text being typed, or nothing). */
export function showNumber(value: unknown): string {
  if (value === undefined || value === null) return "";
  return String(value);
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
