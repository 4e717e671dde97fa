// A1 notation as Sheets reads it: "A1", "$B$2", "B2:D10", "Sheet1!A1:B2", "'My sheet'!A1",
// whole columns "A:C", whole rows "2:5", and open-ended "A2:C" (to the last row).

/** Null ends are unbounded: whole columns have no rows, whole rows no columns. */
export interface A1Ref {
  sheetName: string | null;
  startRow: number | null;
  startColumn: number | null;
  endRow: number | null;
  endColumn: number | null;
}

const MAX_COLUMN = 18278; // ZZZ

export function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

export function columnLetters(column: number): string {
  let s = "";
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const PART = /^(?:\$?([A-Za-z]{1,3}))?(?:\$?([0-9]+))?$/;

interface Part {
  column: number | null;
  row: number | null;
}

function parsePart(text: string): Part | null {
  const m = PART.exec(text);
  if (!m || (!m[1] && !m[2])) return null;
  const column = m[1] ? columnNumber(m[1]) : null;
  const row = m[2] ? Number(m[2]) : null;
  if (row === 0 || (column !== null && column > MAX_COLUMN)) return null;
  return { column, row };
}

function splitSheet(text: string): { sheetName: string | null; rest: string } | null {
  if (text.startsWith("'")) {
    const m = /^'((?:[^']|'')+)'!(.*)$/.exec(text);
    return m ? { sheetName: m[1]!.replace(/''/g, "'"), rest: m[2]! } : null;
  }
  const bang = text.lastIndexOf("!");
  if (bang < 0) return { sheetName: null, rest: text };
  if (bang === 0) return null;
  return { sheetName: text.slice(0, bang), rest: text.slice(bang + 1) };
}

/** The reference, or null where Sheets would say "Range not found". */
export function parseA1(text: string): A1Ref | null {
  const split = splitSheet(String(text).trim());
  if (!split) return null;
  const pieces = split.rest.split(":");
  if (pieces.length > 2) return null;
  const a = parsePart(pieces[0]!);
  if (!a) return null;
  const base = { sheetName: split.sheetName };
  if (pieces.length === 1) {
    if (a.row === null || a.column === null) return null; // "A" or "1" alone is not a range
    return { ...base, startRow: a.row, startColumn: a.column, endRow: a.row, endColumn: a.column };
  }
  const b = parsePart(pieces[1]!);
  if (!b) return null;
  const order = (x: number, y: number) => [Math.min(x, y), Math.max(x, y)] as const;
  if (a.row !== null && a.column !== null && b.row !== null && b.column !== null) {
    const [r1, r2] = order(a.row, b.row), [c1, c2] = order(a.column, b.column);
    return { ...base, startRow: r1, startColumn: c1, endRow: r2, endColumn: c2 };
  }
  if (a.row === null && b.row === null && a.column !== null && b.column !== null) {
    const [c1, c2] = order(a.column, b.column);
    return { ...base, startRow: null, startColumn: c1, endRow: null, endColumn: c2 };
  }
  if (a.column === null && b.column === null && a.row !== null && b.row !== null) {
    const [r1, r2] = order(a.row, b.row);
    return { ...base, startRow: r1, startColumn: null, endRow: r2, endColumn: null };
  }
  if (a.row !== null && a.column !== null && b.row === null && b.column !== null) {
    const [c1, c2] = order(a.column, b.column);
    return { ...base, startRow: a.row, startColumn: c1, endRow: null, endColumn: c2 };
  }
  return null;
}

export function quoteSheetName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

/** The notation for a resolved range; a `bounded` flag is false where the reference left that end open. */
export function formatA1(
  r: { row: number; column: number; numRows: number; numColumns: number },
  bounded: { startRow: boolean; endRow: boolean; columns: boolean } = { startRow: true, endRow: true, columns: true },
): string {
  const c1 = columnLetters(r.column), c2 = columnLetters(r.column + r.numColumns - 1);
  const r1 = r.row, r2 = r.row + r.numRows - 1;
  if (!bounded.columns) return `${r1}:${r2}`;
  if (!bounded.startRow) return `${c1}:${c2}`;
  if (!bounded.endRow) return `${c1}${r1}:${c2}`;
  return r.numRows === 1 && r.numColumns === 1 ? `${c1}${r1}` : `${c1}${r1}:${c2}${r2}`;
}
