import { InputError, describeValue, isBlank, isDate } from "../errors";
import { readNumberText, wholeIfNoise } from "../numbers";
import type { SheetSettings } from "../sheet-settings";
import { durationSeconds, durationText, nearDayZero } from "./duration";

/** Text that is a number, but not one this locale reads safely: the message names both readings. */
export class NumberReadingError extends InputError {}

/** Settings that say nothing: text is read only where every locale reads it alike, durations not at all. */
export const NO_SETTINGS: SheetSettings = { locale: "", timeZone: "" };

export interface NumberOptions {
  /** Accept "70%" as 0.7 (Sheets already turns a 70% cell into 0.7). */
  percent?: boolean;
  /** A unit users may type after the number, e.g. /^(s|sec|secs|seconds?)$/ for "10 s". */
  suffix?: RegExp;
  /** The spreadsheet's locale (text numbers) and time zone (durations). */
  settings?: SheetSettings;
  /** Accept a duration cell (0:00:10) as this many of it per second: 1 for seconds, 1/60 for minutes. */
  perSecond?: number;
}

/**
 * Reads a cell as a number. Text that is a number in the spreadsheet's locale ("1,000" in en_US,
 * "0,098" in de_DE, "$0.14", "10 s") is accepted, because pasted data often arrives as text; text
 * that locale could read two ways is refused with both readings. `hint` says what is allowed.
 */
export function readNumber(arg: string, value: unknown, hint: string, options: NumberOptions = {}): number {
  if (typeof value === "number") {
    if (Number.isFinite(value)) return value;
    throw new InputError(`${arg}: ${describeValue(value)} is not a usable number; ${hint}`);
  }
  if (typeof value === "string" && !isBlank(value)) {
    const parsed = parseNumberText(value, options);
    if (parsed && "value" in parsed) return parsed.value;
    if (parsed) throw new NumberReadingError(`${arg}: ${parsed.problem}; ${hint}`);
  }
  if (isDate(value)) {
    // Sheets hands a duration cell (0:00:10) over as a Date: its length is the number.
    const zone = options.settings?.timeZone ?? "";
    const seconds = durationSeconds(value, zone);
    if (seconds !== undefined && options.perSecond) return seconds * options.perSecond;
    const what = seconds !== undefined ? `a duration (${durationText(seconds)}) was given`
      : zone || !options.perSecond || !nearDayZero(value) ? "a date was given"
      : "a date or a duration was given, and the spreadsheet's time zone is not known to tell which";
    throw new InputError(`${arg}: ${what}; ${hint}`);
  }
  const what = isBlank(value) ? "blank" : `${describeValue(value)} is not a number`;
  throw new InputError(`${arg}: ${what}; ${hint}`);
}

function parseNumberText(text: string, options: NumberOptions): { value: number } | { problem: string } | undefined {
  let body = text.trim().toLowerCase();
  let divisor = 1;
  if (options.percent && body.endsWith("%")) {
    body = body.slice(0, -1).trim();
    divisor = 100; // 35 / 100 is exactly 0.35; 35 * 0.01 is not
  }
  if (options.suffix) {
    const match = /^(.*?)\s*([a-z]+)$/.exec(body);
    if (match && options.suffix.test(match[2] ?? "")) body = match[1] ?? "";
  }
  body = body.replace(/^\$\s*/, "");
  const read = readNumberText(body, options.settings?.locale ?? "");
  if (!read || !("value" in read)) return read;
  const n = read.value / divisor;
  return Number.isFinite(n) ? { value: n } : undefined;
}

/**
 * A number, a duration when `perSecond` is given, with floating-point noise around a whole number
 * dropped (A1*86400 of a 0:00:11 duration is 10.999999999999998, which the cell shows as 11).
 */
export function readQuantity(arg: string, value: unknown, hint: string, options: NumberOptions = {}): number {
  return wholeIfNoise(readNumber(arg, value, hint, options));
}

/** A whole number within [min, max]; within floating-point noise of one counts. */
export function readWholeNumber(arg: string, value: unknown, min: number, max: number, hint: string, options: NumberOptions = {}): number {
  const n = readQuantity(arg, value, hint, options);
  if (!Number.isInteger(n)) throw new InputError(`${arg}: ${describeValue(n)} is not a whole number; ${hint}`);
  if (n < min) throw new InputError(`${arg}: ${describeValue(n)} is too small; ${hint}`);
  if (n > max) throw new InputError(`${arg}: ${describeValue(n)} is too large; ${hint}`);
  return n;
}
