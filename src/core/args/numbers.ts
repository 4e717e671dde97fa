import { InputError, describeValue, isBlank, isDate } from "../errors";

interface NumberOptions {
  /** Accept "70%" as 0.7 (Sheets already turns a 70% cell into 0.7). */
  percent?: boolean;
  /** A unit users may type after the number, e.g. /^(s|sec|secs|seconds?)$/ for "10 s". */
  suffix?: RegExp;
}

/**
 * Reads a cell as a number. Text that is clearly a number ("1,000", "$0.14", "10 s") is accepted,
 * because pasted data often arrives as text. `hint` says what is allowed, for the message.
 */
export function readNumber(arg: string, value: unknown, hint: string, options: NumberOptions = {}): number {
  if (typeof value === "number") {
    if (Number.isFinite(value)) return value;
    throw new InputError(`${arg}: ${describeValue(value)} is not a usable number; ${hint}`);
  }
  if (typeof value === "string" && !isBlank(value)) {
    const parsed = parseNumberText(value, options);
    if (parsed !== undefined) return parsed;
  }
  const what = isBlank(value) ? "blank" : isDate(value) ? "a date was given" : `${describeValue(value)} is not a number`;
  throw new InputError(`${arg}: ${what}; ${hint}`);
}

function parseNumberText(text: string, options: NumberOptions): number | undefined {
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
  body = body.replace(/^\$/, "").replace(/,(?=\d{3}(\D|$))/g, "");
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(body)) return undefined;
  const n = Number(body) / divisor;
  return Number.isFinite(n) ? n : undefined;
}

/** A whole number within [min, max]. */
export function readWholeNumber(arg: string, value: unknown, min: number, max: number, hint: string): number {
  const n = readNumber(arg, value, hint);
  if (!Number.isInteger(n)) throw new InputError(`${arg}: ${describeValue(n)} is not a whole number; ${hint}`);
  if (n < min) throw new InputError(`${arg}: ${describeValue(n)} is too small; ${hint}`);
  if (n > max) throw new InputError(`${arg}: ${describeValue(n)} is too large; ${hint}`);
  return n;
}
