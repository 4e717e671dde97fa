import { InputError, isBlank } from "./errors";

/** What a cell can show. */
export type CellValue = string | number | boolean;
export type Grid = CellValue[][];

/**
 * How one formula argument arrives from Sheets: a value, or a range as rows of values.
 * Blank cells arrive as "".
 */
export type Arg = unknown;

interface Shape {
  rows: number;
  cols: number;
  from: string;
}

// Hot loops reach no global by name: where the global object is a host's (node:vm, as the tests
// and bench run the bundle), each such lookup in a cold loop costs more than a Map lookup.
const isArray: (value: unknown) => value is unknown[] = Array.isArray;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** A 1x1 range behaves as its single value. */
function unwrap(arg: Arg): Arg {
  return Array.isArray(arg) && arg.length === 1 && Array.isArray(arg[0]) && arg[0].length === 1 ? arg[0][0] : arg;
}

function shapeOf(name: string, arg: Arg): Shape | undefined {
  if (!Array.isArray(arg)) return undefined;
  const cols = Array.isArray(arg[0]) ? arg[0].length : -1;
  if (arg.length === 0 || cols <= 0 || !isRectangle(arg, cols)) throw new InputError(`${name}: the range is not a rectangle of cells`);
  return { rows: arg.length, cols, from: name };
}

function isRectangle(rows: readonly unknown[], cols: number): boolean {
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (!isArray(row) || row.length !== cols) return false;
  }
  return true;
}

/**
 * Which arguments decide that a row is blank. A plain list: the row is blank when all of them are.
 * With `identity` (KLING_COST's model and quality): also blank when those are, whatever the others
 * hold, because ARRAYFORMULA(D2:D*60) turns a blank row's seconds into 0.
 */
export type BlankKeys = readonly number[] | { readonly keys: readonly number[]; readonly identity: readonly number[] };

/**
 * Applies a per-row function over arguments that may be ranges (Google's advice: one call per
 * column). Single values broadcast; ranges must share a shape; the result has that shape.
 * A row where every key argument given as a range is blank gives "", so a template column can
 * run past the data (a single value such as "720p" for every row does not make a row non-blank);
 * so does a row whose identity arguments are blank, when the first of them is a range (or no key
 * argument is). In a range, a bad row shows its message and the others still compute; a single
 * call throws, which Sheets shows as #ERROR!.
 */
export function mapCells(
  names: readonly string[],
  args: readonly Arg[],
  keys: BlankKeys,
  fn: (...values: unknown[]) => CellValue,
): CellValue | Grid {
  const values = args.some(Array.isArray) ? names.map((_, i) => unwrap(args[i])) : args;
  let shape: Shape | undefined;
  for (let i = 0; i < values.length; i++) {
    const s = shapeOf(names[i] ?? `argument ${i + 1}`, values[i]);
    if (!s) continue;
    if (shape && (shape.rows !== s.rows || shape.cols !== s.cols)) {
      throw new InputError(
        `${shape.from} is ${plural(shape.rows, "row")} x ${plural(shape.cols, "column")} but ${s.from} is ` +
          `${plural(s.rows, "row")} x ${plural(s.cols, "column")}; give ranges of the same shape, or single values`,
      );
    }
    shape ??= s;
  }
  const isBlankRow = blankRule(keys, values.map(Array.isArray));
  if (!shape) return isBlankRow(values) ? "" : fn(...values);
  return mapRange(shape, values, isBlankRow, fn);
}

/** The blank-row test for one call, given which arguments are ranges. */
function blankRule(keys: BlankKeys, ranged: readonly boolean[]): (cell: readonly unknown[]) => boolean {
  const listed = "identity" in keys ? keys : undefined;
  const all = listed ? listed.keys : (keys as readonly number[]);
  const identity = listed ? listed.identity : all;
  const anyRanged = all.some((k) => ranged[k]);
  // Single values broadcast to every row say nothing about one row...
  const rowKeys = anyRanged ? all.filter((k) => ranged[k]) : all;
  // ...unless the row's identity is one value for every row: "kling-v2-1-master" with a blank
  // quality column names a model on every row.
  const rowIdentity = ranged[identity[0]!] ? identity.filter((k) => ranged[k]) : identity;
  const allBlank = (ks: readonly number[], cell: readonly unknown[]) => {
    for (const k of ks) if (!isBlank(cell[k])) return false;
    return true;
  };
  return (cell) => allBlank(rowKeys, cell) || allBlank(rowIdentity, cell);
}

// Distinct rows remembered per call; past this the memo starts over, so a million distinct rows
// cost no more memory than this many.
const MEMO_ROWS = 4096;
// A long message's advice ("; use kling-v3, ...") is written once per call; later rows keep
// their own first part and point to it, so a column of bad rows stays small.
const SEE_FIRST = "see the first row with this problem";
const ADVICE_KEPT = 256;

/** Memo: one Map level per ranged argument, the last level holding the cell. */
type Memo = Map<unknown, unknown>;
const MemoMap = Map;
const newMemo = (): Memo => new MemoMap();

/**
 * The hot loop reads each row's values, walks the memo and writes the cell; everything else
 * (computing a row not seen before, messages, the memo's bound) is in `Cells.miss`, so the loop
 * stays small and V8 optimizes it soon even in a cold execution.
 */
function mapRange(shape: Shape, values: readonly unknown[], isBlankRow: (cell: readonly unknown[]) => boolean, fn: (...values: unknown[]) => CellValue): Grid {
  // A bad row's message needs no stack trace, and capturing one costs more than the rest of the
  // row (a million bad rows: seconds). Cells.miss turns them back on for a fault in the code.
  stackLimit = errors.stackTraceLimit;
  errors.stackTraceLimit = 0;
  try {
    return mapRows(shape, values, isBlankRow, fn);
  } finally {
    errors.stackTraceLimit = stackLimit;
  }
}
const errors = Error as { stackTraceLimit?: number };
let stackLimit: number | undefined;

function mapRows(shape: Shape, values: readonly unknown[], isBlankRow: (cell: readonly unknown[]) => boolean, fn: (...values: unknown[]) => CellValue): Grid {
  const at: number[] = [];
  const columns: unknown[][][] = [];
  for (let i = 0; i < values.length; i++) {
    if (Array.isArray(values[i])) {
      at.push(i);
      columns.push(values[i] as unknown[][]);
    }
  }
  const cells = new Cells(values, at, columns, isBlankRow, fn);
  const last = columns.length - 1;
  const lastColumn = columns[last]!;
  const { rows, cols } = shape;
  const out: Grid = [];
  for (let r = 0; r < rows; r++) {
    const row: CellValue[] = [];
    for (let c = 0; c < cols; c++) {
      let node = cells.memo;
      for (let j = 0; j < last; j++) {
        const v = columns[j]![r]![c];
        let next = node.get(v) as Memo | undefined;
        if (next === undefined) node.set(v, (next = newMemo()));
        node = next;
      }
      const v = lastColumn[r]![c];
      const known = node.get(v) as CellValue | undefined;
      row.push(known === undefined ? cells.miss(node, v, r, c) : known);
    }
    out.push(row);
  }
  return out;
}

/** A range call's state beyond the hot loop. */
class Cells {
  // A budget column repeats the same few clips thousands of times: each distinct row is computed once.
  memo: Memo = newMemo();
  private remembered = 0;
  private readonly adviceShown = new Set<string>();
  private readonly cell: unknown[];

  constructor(
    values: readonly unknown[],
    private readonly at: readonly number[],
    private readonly columns: readonly unknown[][][],
    private readonly isBlankRow: (cell: readonly unknown[]) => boolean,
    private readonly fn: (...values: unknown[]) => CellValue,
  ) {
    this.cell = values.slice();
  }

  /** Computes the cell at (r, c), remembers it under `v` in `node`, and gives what the cell shows. */
  miss(node: Memo, v: unknown, r: number, c: number): CellValue {
    for (let j = 0; j < this.at.length; j++) this.cell[this.at[j]!] = this.columns[j]![r]![c];
    const outcome = computeCell(this.cell, this.isBlankRow, this.fn);
    let shown: CellValue, remember: CellValue;
    if (typeof outcome !== "object") shown = remember = outcome;
    else {
      // A message: in full the first time its advice appears, short after that.
      const short = shortened(outcome.message);
      if (short !== undefined && this.adviceShown.has(short.advice)) shown = remember = short.text;
      else {
        shown = remember = outcome.message;
        if (short !== undefined && this.adviceShown.size < ADVICE_KEPT) {
          this.adviceShown.add(short.advice);
          remember = short.text;
        }
      }
    }
    node.set(v, remember);
    if (++this.remembered >= MEMO_ROWS) {
      this.memo = newMemo();
      this.remembered = 0;
    }
    return shown;
  }
}

/** A message with long advice after its first "; ", as its first part pointing to the full text. */
function shortened(message: string): { advice: string; text: string } | undefined {
  const cut = message.indexOf("; ");
  if (cut < 0 || message.length - cut - 2 <= SEE_FIRST.length + 20) return undefined;
  // A fresh copy, so the short text does not keep the full message alive through a slice
  // (normalize() would do that too, but changes the text: compatibility characters such as U+F900).
  return { advice: message.slice(cut + 2), text: JSON.parse(JSON.stringify(`${message.slice(0, cut)}; ${SEE_FIRST}`)) as string };
}

function computeCell(cell: unknown[], isBlankRow: (cell: readonly unknown[]) => boolean, fn: (...values: unknown[]) => CellValue): CellValue | InputError {
  if (isBlankRow(cell)) return "";
  try {
    return fn(...cell);
  } catch (error) {
    if (error instanceof InputError) return error;
    // A fault in the code: run the row again with stack traces on, so what escapes has one.
    errors.stackTraceLimit = stackLimit;
    fn(...cell);
    throw error;
  }
}

/** For functions that spill a table: the argument must be one value, not a range. */
export function single(name: string, arg: Arg, why: string): unknown {
  const value = unwrap(arg);
  if (Array.isArray(value)) throw new InputError(`${name}: give one value, not a range; ${why}`);
  return value;
}
