// Names as analysts type or paste them: one key per name, whatever the case, the compatibility
// form, the separators or the invisible characters a paste brings along. This runs per cell (the
// lookups), so plain ASCII, the usual case, takes a short path with no Unicode work.

/** Characters that show nothing: zero-width spaces and joiners, soft hyphen, BOM, bidi controls. */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cc}]/gu;
/** Whitespace, dots, underscores and every dash (U+2011 non-breaking hyphen and U+2212 minus included). */
const SEPARATORS = /[\s._\p{Pd}\u2212]+/gu;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Unicode text in one form: NFKC, invisible characters removed, case folded. */
function fold(text: string): string {
  // toUpperCase then toLowerCase is full case folding for all but a few letters (ß -> ss, ς -> σ).
  return text.normalize("NFKC").replace(INVISIBLE, "").toUpperCase().toLowerCase().normalize("NFKC");
}

/**
 * The key a name is compared by: its letters, digits and symbols (NFKC, case-folded), without
 * separators or invisible characters. "Package 1", "package-1" and "Package\u00a01\u200b" share
 * one; names that differ in any letter ("Paket Ü", "Paket Ö"; 海螺, 可灵) never do.
 */
export function nameKey(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return text.toLowerCase().replace(/[\s._-]+/g, "");
  return fold(text).replace(SEPARATORS, "");
}

/** Text with the characters a paste brings along made plain: invisible ones removed, odd spaces and dashes as typed ones. */
export function plainText(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return text;
  return text.replace(INVISIBLE, "").replace(/[^\S\n]/g, " ").replace(/[\p{Pd}\u2212]/gu, "-").normalize("NFC");
}

const SHOWN = /[\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\s\p{Pd}\u2212]/gu;

/** U+200B for a character. */
export const codePoint = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;

/** Text for a message: characters that look like nothing, or like a space or a hyphen, shown as [U+200B]. */
export function showInvisible(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return text;
  return text.replace(SHOWN, (ch) => (ch === " " || ch === "-" ? ch : `[${codePoint(ch)}]`));
}

/**
 * Text a spreadsheet would run as a formula when it lands in a cell (a CSV opened in Excel,
 * values pasted into Sheets): "=...", or +, -, @ followed by a letter, a bracket or another sign.
 * Returns the sign it starts with, or undefined.
 */
export function formulaStart(text: string): string | undefined {
  const t = text.normalize("NFKC").replace(INVISIBLE, "").trimStart();
  if (/^=./su.test(t) || /^[+\-@]\s*[\p{L}(=@+\-]/u.test(t)) return t[0];
  return undefined;
}
