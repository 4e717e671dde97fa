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

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** A 1x1 range behaves as its single value. */
function unwrap(arg: Arg): Arg {
  return Array.isArray(arg) && arg.length === 1 && Array.isArray(arg[0]) && arg[0].length === 1 ? arg[0][0] : arg;
}

function shapeOf(name: string, arg: Arg): Shape | undefined {
  if (!Array.isArray(arg)) return undefined;
  const cols = Array.isArray(arg[0]) ? arg[0].length : -1;
  if (arg.length === 0 || cols <= 0 || !arg.every((row) => Array.isArray(row) && row.length === cols)) {
    throw new InputError(`${name}: the range is not a rectangle of cells`);
  }
  return { rows: arg.length, cols, from: name };
}

/**
 * Applies a per-row function over arguments that may be ranges (Google's advice: one call per
 * column). Single values broadcast; ranges must share a shape; the result has that shape.
 * A row where every `key` argument given as a range is blank gives "", so a template column can
 * run past the data (a single value such as "720p" for every row does not make a row non-blank).
 * In a range, a bad row shows its message and the others still compute; a single call throws,
 * which Sheets shows as #ERROR!.
 */
export function mapCells(
  names: readonly string[],
  args: readonly Arg[],
  keys: readonly number[],
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
  if (!shape) return keys.every((k) => isBlank(values[k])) ? "" : fn(...values);
  return mapRange(shape, values, keys, fn);
}

function mapRange(shape: Shape, values: readonly unknown[], keys: readonly number[], fn: (...values: unknown[]) => CellValue): Grid {
  const ranged = values.map((v) => Array.isArray(v));
  const rowKeys = keys.some((k) => ranged[k]) ? keys.filter((k) => ranged[k]) : keys;
  const cell: unknown[] = new Array(values.length);
  // A budget column repeats the same few clips thousands of times: compute each distinct row once.
  const seen = new Map<string, CellValue>();
  const out: Grid = [];
  for (let r = 0; r < shape.rows; r++) {
    const row: CellValue[] = [];
    for (let c = 0; c < shape.cols; c++) {
      let key = "";
      for (let i = 0; i < values.length; i++) {
        const v = ranged[i] ? (values[i] as unknown[][])[r]![c] : values[i];
        cell[i] = v;
        key += `${typeof v}:${String(v)}\u0000`;
      }
      let result = seen.get(key);
      if (result === undefined) {
        result = computeCell(cell, rowKeys, fn);
        seen.set(key, result);
      }
      row.push(result);
    }
    out.push(row);
  }
  return out;
}

function computeCell(cell: unknown[], keys: readonly number[], fn: (...values: unknown[]) => CellValue): CellValue {
  if (keys.every((k) => isBlank(cell[k]))) return "";
  try {
    return fn(...cell);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return error.message;
  }
}

/** For functions that spill a table: the argument must be one value, not a range. */
export function single(name: string, arg: Arg, why: string): unknown {
  const value = unwrap(arg);
  if (Array.isArray(value)) throw new InputError(`${name}: give one value, not a range; ${why}`);
  return value;
}
