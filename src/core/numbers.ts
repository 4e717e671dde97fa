/** Digits after the decimal point as the number is written (1e-7 and the like count as too many). */
export function decimalPlaces(x: number): number {
  const text = String(x);
  return /e/i.test(text) ? Infinity : (text.split(".")[1]?.length ?? 0);
}

// Binary floating point turns 1.1 x 10 into 11.000000000000002. Money figures are shown unrounded,
// so drop only that representation noise: 15 significant digits is below what a double resolves.
export function clean(x: number): number {
  const y = Number(x.toPrecision(15));
  return Number.isFinite(y) ? y : x; // near the largest double, rounding up would overflow
}

/**
 * The whole number `x` stands for when it is one up to floating-point noise (a duration x 86400
 * gives 10.999999999999998 where the cell shows 11); otherwise `x` itself. Sheets shows 15
 * significant digits, so noise below that is what the analyst cannot see.
 */
export function wholeIfNoise(x: number): number {
  if (Number.isInteger(x) || !Number.isFinite(x)) return x;
  const y = clean(x);
  return Number.isInteger(y) ? y : x;
}

// ---------------------------------------------------------------------------------------------
// Numbers typed as text, in the spreadsheet's locale

/** How a locale writes numbers: its decimal mark and its thousands separator. */
export interface Convention {
  decimal: "." | ",";
  /** The thousands separator; a space of any kind and an apostrophe count as one everywhere. */
  group: string;
}

const conventions = new Map<string, Convention | undefined>();

/**
 * The convention of a locale as Sheets names it ("de_DE", "en_US", "es_419"), from the runtime's
 * own locale data (Intl, which Apps Script's V8 has). Undefined when the locale is blank, unknown
 * to the runtime (Intl would silently fall back to another language), or writes digits another way.
 */
export function conventionOf(locale: string): Convention | undefined {
  if (conventions.has(locale)) return conventions.get(locale);
  let found: Convention | undefined;
  try {
    const tag = locale.trim().replace(/_/g, "-");
    if (tag && Intl.NumberFormat.supportedLocalesOf([tag]).length > 0) {
      const format = new Intl.NumberFormat(`${tag}-u-nu-latn`, { useGrouping: true });
      const language = (s: string) => s.split("-")[0]!.toLowerCase();
      // A language the runtime lacks resolves to its default: not this locale's convention.
      if (language(format.resolvedOptions().locale) === language(Intl.getCanonicalLocales(tag)[0] ?? tag)) {
        const parts = format.formatToParts(1234567.5);
        const decimal = parts.find((p) => p.type === "decimal")?.value;
        const group = parts.find((p) => p.type === "group")?.value ?? "";
        if (decimal === "." || decimal === ",") found = { decimal, group: normalizeGroup(group) };
      }
    }
  } catch {
    found = undefined; // a malformed tag: read as if the locale were not known
  }
  conventions.set(locale, found);
  return found;
}

const SPACES = /[\s\u00a0\u2007\u202f]/g;
const normalizeGroup = (s: string) => s.replace(SPACES, " ").replace(/\u2019/g, "'");

/** What a text reads as: a number, a reason it cannot be read safely, or nothing number-like. */
export type TextNumber = { value: number } | { problem: string } | undefined;

interface Reading {
  value: number;
  /** The role each of "." and "," plays in this reading. */
  roles: Map<string, "decimal" | "group">;
}

/**
 * Reads a number typed as text: digits with an optional sign, decimal mark, thousands separators
 * and exponent ("1.234,5" "-0,098" "1 234.5" "1e3"). "." and "," are read in the locale's
 * convention; text the convention cannot decide ("1,234" with no locale) or cannot be ("0,098" in
 * en_US) gives a problem naming both readings, so a value is never taken 1000 times too large or
 * small without a word. Anything else (words, dates) gives undefined.
 */
export function readNumberText(text: string, locale: string | Convention | undefined): TextNumber {
  const match = /^([+\-\u2212]?)([0-9.,' \u2019]*?)(?:[eE]([+-]?\d+))?$/.exec(text.replace(SPACES, " ").trim());
  if (!match) return undefined;
  const negative = match[1] !== "";
  const body = match[2]!.replace(/\u2019/g, "'");
  const exponent = match[3];
  if (!/\d/.test(body) || /^[ ']|[ ']$|[., ']{2}/.test(body)) return undefined;
  const marks = [...new Set(body.replace(/\d/g, ""))];
  const either = marks.filter((m) => m === "." || m === ",");
  // Each of "." and "," is a decimal mark or a thousands separator; spaces and apostrophes only separate.
  const readings: Reading[] = [];
  for (let choice = 0; choice < 1 << either.length; choice++) {
    const roles = new Map<string, "decimal" | "group">();
    either.forEach((m, i) => roles.set(m, choice & (1 << i) ? "decimal" : "group"));
    const value = readAs(body, roles, exponent);
    if (value !== undefined) readings.push({ value: negative ? -value : value, roles });
  }
  if (readings.length === 0) return undefined;
  const convention = typeof locale === "string" ? conventionOf(locale) : locale;
  const fits = readings.filter((r) => either.every((m) => fitsConvention(m, r.roles.get(m)!, convention)));
  const values = [...new Set(fits.map((r) => r.value))];
  if (values.length === 1) return { value: values[0]! };
  const quoted = `"${text.trim()}"`;
  const where = typeof locale === "string" && locale.trim() ? locale.trim() : "";
  if (values.length > 1) {
    // Only a lone "." or "," can be read both ways: the locale does not say which it is.
    const [a, b] = fits.map((r) => `${plain(r.value)} (${describeRoles(r.roles)})`);
    const why = convention ? `${where || "the spreadsheet's locale"} does not use "${either[0]}"` : "the spreadsheet's locale is not known";
    return { problem: `${quoted} could be ${a} or ${b}, and ${why} (write it without thousands separators)` };
  }
  // Readable only in a way this locale does not write numbers (or a locale-less text that cannot be read).
  const name = where || "this spreadsheet";
  const others = readings.map((r) => `with ${describeRoles(r.roles)} it would be ${plain(r.value)}`).join("; ");
  return {
    problem: `${quoted} is not a number in ${name}, where ${describeConvention(convention!)}: read that way it is not a number; ${others}. Type it the way ${name} writes numbers, or as a number rather than text`,
  };
}

function describeRoles(roles: Map<string, "decimal" | "group">): string {
  return [...roles].map(([mark, role]) => `"${mark}" ${role === "decimal" ? "as the decimal mark" : "separating thousands"}`).join(" and ");
}

function describeConvention(c: Convention): string {
  const group = c.group === " " ? "spaces separate thousands" : c.group ? `"${c.group}" separates thousands` : "";
  return `${group ? `${group} and ` : ""}"${c.decimal}" is the decimal mark`;
}

function fitsConvention(mark: string, role: "decimal" | "group", convention: Convention | undefined): boolean {
  if (!convention) return true;
  if (mark === convention.decimal) return role === "decimal";
  if (mark === convention.group) return role === "group";
  return true; // a mark the locale does not use says nothing; ambiguity is caught above
}

/** The value of `body` with these roles, or undefined when it is not a well-formed number that way. */
function readAs(body: string, roles: Map<string, "decimal" | "group">, exponent: string | undefined): number | undefined {
  const decimals = [...body].filter((ch) => roles.get(ch) === "decimal");
  if (decimals.length > 1) return undefined;
  const mark = decimals[0];
  const [whole = "", fraction = ""] = mark ? body.split(mark) : [body];
  if (/\D/.test(fraction)) return undefined; // a thousands separator after the decimal mark
  const groupMarks = new Set(whole.replace(/\d/g, ""));
  if (groupMarks.size > 1) return undefined; // one kind of thousands separator
  if (groupMarks.size === 1) {
    if (exponent !== undefined) return undefined;
    const groups = whole.split([...groupMarks][0]!);
    // "1,234,567": a first group of 1-3 digits not starting with 0, then groups of exactly 3.
    if (!/^[1-9]\d{0,2}$/.test(groups[0]!) || groups.slice(1).some((g) => !/^\d{3}$/.test(g))) return undefined;
  }
  const digits = whole.replace(/\D/g, "");
  if (digits === "" && fraction === "") return undefined;
  const n = Number(`${digits || "0"}.${fraction || "0"}e${exponent ?? "0"}`);
  return Number.isFinite(n) ? n : undefined;
}

/** A reading as a message shows it: plain digits with a decimal point and no separators. */
function plain(n: number): string {
  return String(n);
}
