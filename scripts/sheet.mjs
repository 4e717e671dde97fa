#!/usr/bin/env node
// Offline "main job" runner: computes a CSV sheet with the add-in's custom
// functions, the way Google Sheets would, and prints it as a text table.
//
//   node scripts/sheet.mjs [file.csv] [--bundle dist/Code.js] [--json] [--raw]
//
// The file's delimiter (comma, semicolon or tab) and decimal convention (1.5 or 1,5, as Excel
// writes CSV in most of Europe) are detected; formulas are read in that convention. Money prints
// with 2 decimals and hours with 1 (--raw prints the computed values whole); the exit status is 1
// when any cell or any row of a range formula failed, after the whole sheet is printed.
//
// dist/Code.js (the Apps Script bundle) is evaluated in a bare `vm` context;
// every global function named KLING_* becomes a HyperFormula custom function.
// Arguments reach the functions as Apps Script delivers them (scalars,
// "" for blanks, 2-D arrays for ranges) and 2-D results spill.
//
// Array results: HyperFormula must know the size of an array result before
// it evaluates anything (parse time). The size is predicted per call, then
// the sheet is recomputed with the sizes the calls really returned until the
// prediction matches (see computeSheetDetailed).

import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { fileURLToPath } from "node:url";
import { parse as parseCsvSync } from "csv-parse/sync";
import {
  ArraySize,
  CellError,
  DetailedCellError,
  EmptyValue,
  ErrorType,
  FunctionArgumentType,
  FunctionPlugin,
  HyperFormula,
  SimpleRangeValue,
} from "hyperformula";

const THIS_FILE = fileURLToPath(import.meta.url);
export const REPO_ROOT = path.resolve(path.dirname(THIS_FILE), "..");
export const DEFAULT_BUNDLE = path.join(REPO_ROOT, "dist", "Code.js");
export const DEFAULT_CSV = "examples/campaign-budget.csv";
export const FUNCTION_PREFIX = /^KLING_/;
/** Upper bound of compute passes (1 is enough unless a spill size was mispredicted). */
export const MAX_PASSES = 8;
const LICENSE_KEY = "gpl-v3";

/** An error the CLI reports as a one-line message (no stack trace). */
export class SheetRunnerError extends Error {
  constructor(message) {
    super(message);
    this.name = "SheetRunnerError";
  }
}

/** An error value in a computed cell, e.g. code "#ERROR!", message "seconds: 16 is too long; ...". */
export class SheetError {
  constructor(code, message = "") {
    this.code = code;
    this.message = message;
  }
  toString() {
    return this.message ? `${this.code} ${this.message}` : this.code;
  }
  toJSON() {
    return { error: this.code, message: this.message };
  }
}

// ---------------------------------------------------------------------------
// Bundle loading
// ---------------------------------------------------------------------------

function errorText(e) {
  if (e && typeof e === "object" && typeof e.message === "string") return e.message;
  return String(e);
}

function displayPath(file) {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}

/**
 * The services a custom function reads, as in a spreadsheet where nothing was
 * saved: no document cache (getDocumentCache gives null outside a document)
 * and empty document properties, so the built-in rates apply.
 */
export function noSavedRates(locale = "en_US") {
  const spreadsheet = { getSpreadsheetLocale: () => locale, getSpreadsheetTimeZone: () => "Etc/UTC" };
  return {
    CacheService: { getDocumentCache: () => null },
    PropertiesService: { getDocumentProperties: () => ({ getProperties: () => ({}) }) },
    // The file's convention stands for the spreadsheet's locale (File > Settings).
    SpreadsheetApp: { getActiveSpreadsheet: () => spreadsheet },
  };
}

/**
 * Evaluates the Apps Script bundle in a bare vm context (no Node globals but
 * the given services) and collects its KLING_* global functions.
 *
 * @param {string} [file] path to the bundle (default: <repo>/dist/Code.js)
 * @param {object} [services] Apps Script services as globals (default: noSavedRates())
 * @returns {{file: string, context: object, names: string[], functions: Map<string, Function>, toRealm: Function}}
 */
export function loadBundle(file = DEFAULT_BUNDLE, services = noSavedRates()) {
  const abs = path.resolve(file);
  if (!fs.existsSync(abs)) {
    throw new SheetRunnerError(`${displayPath(abs)} not found - run npm run build first`);
  }
  const code = fs.readFileSync(abs, "utf8");
  const context = vm.createContext({ ...services });
  try {
    new vm.Script(code, { filename: abs }).runInContext(context, { timeout: 30_000 });
  } catch (e) {
    throw new SheetRunnerError(`${displayPath(abs)} failed to evaluate: ${errorText(e)}`);
  }
  const global = vm.runInContext("globalThis", context);
  const names = Array.from(vm.runInContext("Object.getOwnPropertyNames(globalThis)", context))
    .filter((name) => FUNCTION_PREFIX.test(name) && typeof global[name] === "function")
    .sort();
  const functions = new Map(names.map((name) => [name, global[name]]));
  // Copies a 2-D array into arrays of the bundle's own realm, so code in the
  // bundle that checks `x instanceof Array` works as in Apps Script.
  const toRealm = vm.runInContext(
    "(function (rows) { var out = []; for (var i = 0; i < rows.length; i++) { var row = []; " +
      "for (var j = 0; j < rows[i].length; j++) row.push(rows[i][j]); out.push(row); } return out; })",
    context,
  );
  return { file: abs, context, names, functions, toRealm };
}

/** Accepts a loadBundle() result or a plain {KLING_X: fn} object. */
function normalizeBundle(bundle) {
  if (bundle && bundle.functions instanceof Map) return bundle;
  if (!bundle || typeof bundle !== "object") throw new TypeError("computeSheet: bundle is required");
  const names = Object.keys(bundle).filter((n) => FUNCTION_PREFIX.test(n) && typeof bundle[n] === "function");
  return {
    file: "(object)",
    names,
    functions: new Map(names.map((n) => [n, bundle[n]])),
    toRealm: (rows) => rows.map((r) => r.slice()),
  };
}

// ---------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------

const DELIMITERS = [",", ";", "\t"];

function parseWith(text, delimiter) {
  return parseCsvSync(text, { delimiter, relax_column_count: true, relax_quotes: true, bom: true, skip_empty_lines: false });
}

/**
 * The file's delimiter: the one that splits the most lines into more than one cell (a comma file
 * read with ";" is one column, and the other way round). Ties go to the comma.
 */
export function detectDelimiter(text) {
  let best = { delimiter: ",", score: -1 };
  for (const delimiter of DELIMITERS) {
    let rows;
    try {
      rows = parseWith(text, delimiter);
    } catch {
      continue;
    }
    const score = rows.filter((r) => r.length > 1).length;
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

/** Formula text outside its string literals. */
const outsideStrings = (formula) => formula.replace(/"(?:[^"]|"")*"/g, '""');

/**
 * The decimal convention of a file's cells: "," when numbers are written 0,85 (then formulas
 * separate arguments with ";", as Sheets and Excel do in those locales), else ".". A file that
 * writes both 0,85 and 0.85 is refused, naming a cell of each, rather than misread.
 */
export function detectConvention(rows, delimiter) {
  const comma = [];
  const point = [];
  let semicolonArgs = false;
  rows.forEach((row, r) =>
    row.forEach((cell, c) => {
      if (typeof cell !== "string") return;
      const text = cell.trim();
      const at = `${columnLetter(c)}${r + 1}`;
      if (text.startsWith("=")) {
        // Only a formula that separates arguments with ";" can hold a decimal comma (=A1*0,7).
        const bare = outsideStrings(text);
        if (bare.includes(";")) {
          semicolonArgs = true;
          if (/\d,\d/.test(bare)) comma.push(`${at} ${text}`);
        }
        return;
      }
      // 0,85 / 1.234,5 / 12,5%: a comma decimal; 0.85 / 1,234.5: a point. 1,234 alone says nothing.
      if (/^[-+]?\d{1,3}(\.\d{3})*,\d+%?$/.test(text) && !/^[-+]?\d{1,3},\d{3}$/.test(text)) comma.push(`${at} "${text}"`);
      else if (/^[-+]?\d{1,3}(,\d{3})*\.\d+%?$/.test(text) && !/^[-+]?\d{1,3}\.\d{3}$/.test(text)) point.push(`${at} "${text}"`);
    }),
  );
  if (delimiter === ",") {
    if (comma.length) throw new SheetRunnerError(`this file separates cells with commas but writes a decimal comma (${comma[0]}); save it with semicolons, or write decimals with a point`);
    return { decimal: ".", argSeparator: "," };
  }
  if (comma.length && point.length) {
    throw new SheetRunnerError(`this file writes decimals both ways (${comma[0]} and ${point[0]}); use one decimal mark throughout`);
  }
  const decimal = comma.length || (semicolonArgs && !point.length) ? "," : ".";
  return { decimal, argSeparator: decimal === "," || semicolonArgs ? ";" : "," };
}

/**
 * Parses CSV text into rows of raw cell texts (formulas, numbers, "70%" stay
 * text here; HyperFormula parses them like typed input), with the file's delimiter.
 */
export function parseCsv(text, delimiter = detectDelimiter(text)) {
  let rows;
  try {
    rows = parseWith(text, delimiter);
  } catch (e) {
    throw new SheetRunnerError(`invalid CSV: ${errorText(e)}`);
  }
  const width = Math.max(0, ...rows.map((r) => r.length));
  return rows.map((r) => {
    const out = r.map((cell) => (cell === "" ? null : cell));
    while (out.length < width) out.push(null);
    return out;
  });
}

/** The engine's settings for a file's convention (the separators must all differ). */
function conventionConfig({ decimal = ".", argSeparator = "," } = {}) {
  if (decimal === ",") return { decimalSeparator: ",", functionArgSeparator: ";", thousandSeparator: ".", arrayColumnSeparator: ";", arrayRowSeparator: "|" };
  return argSeparator === ";"
    ? { decimalSeparator: ".", functionArgSeparator: ";", thousandSeparator: ",", arrayColumnSeparator: ";", arrayRowSeparator: "|" }
    : { decimalSeparator: ".", functionArgSeparator: ",", thousandSeparator: "" };
}

/** The locale a file's convention stands for, handed to the functions as the spreadsheet's. */
export const localeOf = (convention) => (convention?.decimal === "," ? "de_DE" : "en_US");

// ---------------------------------------------------------------------------
// Value conversion between HyperFormula and Apps Script conventions
// ---------------------------------------------------------------------------

const ERROR_CODES = {
  DIV_BY_ZERO: "#DIV/0!",
  NA: "#N/A",
  NAME: "#NAME?",
  NUM: "#NUM!",
  REF: "#REF!",
  VALUE: "#VALUE!",
  CYCLE: "#CYCLE!",
  SPILL: "#SPILL!",
  LIC: "#LIC!",
  ERROR: "#ERROR!",
  NULL: "#NULL!",
};

function errorCode(cellError) {
  return ERROR_CODES[cellError.type] ?? `#${cellError.type}!`;
}

/** Scalar from HyperFormula -> Apps Script value: blank -> "", rich numbers (70%, dates) -> plain number. */
function toScriptScalar(v) {
  if (v === EmptyValue || v === undefined || v === null) return "";
  if (typeof v === "object" && typeof v.val === "number") return v.val;
  return v;
}

/** A cell inside a range argument. Errors inside ranges arrive as their code text (e.g. "#DIV/0!"). */
function toScriptRangeCell(v) {
  if (v instanceof CellError) return errorCode(v);
  return toScriptScalar(v);
}

function isDate(v) {
  return Object.prototype.toString.call(v) === "[object Date]";
}

/** One returned element -> HyperFormula scalar. */
function toCellValue(v) {
  if (v === undefined || v === null) return EmptyValue;
  switch (typeof v) {
    case "number":
      return Number.isFinite(v) ? v : new CellError(ErrorType.NUM, `result is ${v}`);
    case "string":
    case "boolean":
      return v;
    case "bigint":
      return Number(v);
    default:
      if (isDate(v)) return Number.isNaN(v.getTime()) ? new CellError(ErrorType.VALUE, "invalid Date") : v.toISOString();
      if (Array.isArray(v)) return new CellError(ErrorType.VALUE, "array nested inside an array cell");
      return String(v);
  }
}

/**
 * A function's return value -> rows of HyperFormula scalars (at least 1x1).
 * A 1-D array becomes one column (one element per row); ragged rows are padded.
 */
function toGrid(result) {
  if (!Array.isArray(result)) return [[toCellValue(result)]];
  if (result.length === 0) return [[EmptyValue]];
  const rows = Array.from(result, (row) => (Array.isArray(row) ? Array.from(row, toCellValue) : [toCellValue(row)]));
  const width = Math.max(1, ...rows.map((r) => r.length));
  for (const row of rows) while (row.length < width) row.push(EmptyValue);
  return rows;
}

/** Pads (with blanks) or cuts `grid` to exactly h x w. */
function conform(grid, h, w) {
  const out = [];
  for (let r = 0; r < h; r++) {
    const src = grid[r] ?? [];
    const row = [];
    for (let c = 0; c < w; c++) row.push(c < src.length ? src[c] : EmptyValue);
    out.push(row);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Literal arguments (for predicting array sizes at parse time)
// ---------------------------------------------------------------------------

const NOT_LITERAL = Symbol("not literal");

/** Value of an argument AST made only of literals, or NOT_LITERAL. */
function literalValue(ast) {
  switch (ast.type) {
    case "NUMBER":
    case "STRING":
      return ast.value;
    case "EMPTY":
      return "";
    case "PARENTHESES":
      return literalValue(ast.expression);
    case "MINUS_UNARY_OP":
    case "PLUS_UNARY_OP":
    case "PERCENT_OP": {
      const v = literalValue(ast.value);
      if (typeof v !== "number") return NOT_LITERAL;
      return ast.type === "MINUS_UNARY_OP" ? -v : ast.type === "PERCENT_OP" ? v / 100 : v;
    }
    case "NAMED_EXPRESSION": {
      const name = String(ast.expressionName).toUpperCase();
      return name === "TRUE" ? true : name === "FALSE" ? false : NOT_LITERAL;
    }
    case "FUNCTION_CALL":
      if (ast.args.length === 0 && ast.procedureName === "TRUE") return true;
      if (ast.args.length === 0 && ast.procedureName === "FALSE") return false;
      return NOT_LITERAL;
    case "ARRAY": {
      const rows = [];
      for (const row of ast.args) {
        const out = [];
        for (const cell of row) {
          const v = literalValue(cell);
          if (v === NOT_LITERAL || Array.isArray(v)) return NOT_LITERAL;
          out.push(v);
        }
        rows.push(out);
      }
      return rows;
    }
    default:
      return NOT_LITERAL;
  }
}

// ---------------------------------------------------------------------------
// HyperFormula plugin
// ---------------------------------------------------------------------------

// What a KLING_ call's cells are, for printing and for the exit status: money (2 decimals), hours
// (1 decimal), and row messages inside a range result of a function that gives numbers.
const MONEY_HEADER = /usd|cost|\$|price|budget/i;
const HOURS_HEADER = /hours/i;

function describeOutput(name, args, value) {
  const words = args.filter((a) => typeof a === "string").map((a) => a.trim().toLowerCase());
  const money = /^KLING_(COST|EFFECTIVE_COST)$/.test(name) || (/^KLING_(BEST_PACKAGE|PURCHASE_PLAN)$/.test(name) && words.includes("cost")) || (name === "KLING_FORFEIT" && words.includes("usd"));
  const numeric = money || /^KLING_(UNITS|RENDER_HOURS|FORFEIT)$/.test(name) || (/^KLING_(BEST_PACKAGE|PURCHASE_PLAN)$/.test(name) && words.some((w) => ["units", "forfeit"].includes(w)));
  const rows = Array.isArray(value) ? value.map((r) => (Array.isArray(r) ? r : [r])) : [[value]];
  const kinds = rows.map((r) => r.map(() => (money ? "money" : name === "KLING_RENDER_HOURS" ? "hours" : "")));
  if (!numeric && rows.length > 1 && rows[0].every((h) => typeof h === "string")) {
    // A spilled table: each column is what its own header says.
    rows[0].forEach((header, c) => {
      // A price per unit ($0.098) is not a sum of money: it keeps its digits.
      const kind = /per unit/i.test(header) ? "" : MONEY_HEADER.test(header) ? "money" : HOURS_HEADER.test(header) ? "hours" : "";
      for (let r = 1; r < rows.length; r++) kinds[r][c] = kind;
    });
  }
  const problems = [];
  if (numeric) rows.forEach((r, i) => r.forEach((v, j) => typeof v === "string" && v !== "" && problems.push({ dr: i, dc: j, message: v })));
  return { kinds, problems };
}

function sizeKey(size) {
  return `${size.h}x${size.w}`;
}

/** Identifies one call in one formula cell (stable across engine rebuilds). */
function callKey(name, ast, state) {
  const a = state.formulaAddress;
  let args;
  try {
    args = JSON.stringify(ast.args, (k, v) => (k === "leadingWhitespace" || k === "internalWhitespace" ? undefined : v));
  } catch {
    args = `#${ast.args.length}`;
  }
  return `${a.sheet}!R${a.row}C${a.col}|${name}|${args}`;
}

/**
 * Builds a FunctionPlugin class exposing every bundle function. `pass` holds
 * the size hints from earlier passes and records predicted/actual sizes.
 */
function makePlugin(bundle, pass) {
  class KlingBundlePlugin extends FunctionPlugin {}
  const implemented = {};

  const invoke = (name, args) => {
    try {
      return { value: bundle.functions.get(name).apply(undefined, args) };
    } catch (e) {
      return { error: new CellError(ErrorType.ERROR, errorText(e)) };
    }
  };

  bundle.names.forEach((name, i) => {
    const id = name.toUpperCase();
    const method = `kling${i}`;
    const sizeMethod = `kling${i}Size`;
    implemented[id] = {
      method,
      sizeOfResultArrayMethod: sizeMethod,
      // Any number of arguments, each a scalar or a range; we convert them ourselves.
      parameters: [{ argumentType: FunctionArgumentType.ANY, optionalArg: true }],
      repeatLastArgs: 1,
      enableArrayArithmeticForArguments: true,
      vectorizationForbidden: true,
    };

    KlingBundlePlugin.prototype[method] = function (ast, state) {
      const args = [];
      for (const argAst of ast.args) {
        const v = this.evaluateAst(argAst, state);
        if (v instanceof CellError) return v; // error argument -> same error
        if (v instanceof SimpleRangeValue) {
          args.push(bundle.toRealm(v.data.map((row) => row.map(toScriptRangeCell))));
        } else {
          args.push(toScriptScalar(v));
        }
      }
      const key = callKey(id, ast, state);
      const predicted = pass.predicted.get(key);
      const out = invoke(name, args);
      if (out.error) {
        pass.actual.set(key, { h: 1, w: 1 });
        return out.error;
      }
      let grid = toGrid(out.value);
      const actual = { h: grid.length, w: grid[0].length };
      pass.actual.set(key, actual);
      pass.outputs?.set(`${state.formulaAddress.row},${state.formulaAddress.col}`, describeOutput(id, args, out.value));
      // The engine reserved exactly the predicted area; fit the result to it
      // (a mismatch triggers another pass with the actual size).
      if (predicted && sizeKey(predicted) !== sizeKey(actual)) grid = conform(grid, predicted.h, predicted.w);
      if (grid.length === 1 && grid[0].length === 1) return grid[0][0];
      return SimpleRangeValue.onlyValues(grid);
    };

    KlingBundlePlugin.prototype[sizeMethod] = function (ast, state) {
      const key = callKey(id, ast, state);
      let size = pass.hints.get(key);
      if (!size) {
        const literals = ast.args.map(literalValue);
        if (literals.every((v) => v !== NOT_LITERAL)) {
          // Only literals: the size is known now, just call the function.
          const out = invoke(
            name,
            literals.map((v) => (Array.isArray(v) ? bundle.toRealm(v) : v)),
          );
          if (out.error) size = { h: 1, w: 1 };
          else {
            const grid = toGrid(out.value);
            size = { h: grid.length, w: grid[0].length };
          }
        } else {
          // Range arguments: the result has their (broadcast) shape. Values
          // read from cells: assume one cell; corrected by the next pass.
          const arrayState = { ...state, arraysFlag: true };
          size = { h: 1, w: 1 };
          for (const argAst of ast.args) {
            const s = this.arraySizeForAst(argAst, arrayState);
            size = { h: Math.max(size.h, s.height), w: Math.max(size.w, s.width) };
          }
        }
      }
      pass.predicted.set(key, size);
      return new ArraySize(size.w, size.h);
    };
  });

  KlingBundlePlugin.implementedFunctions = implemented;
  return KlingBundlePlugin;
}

function registerTranslations(names) {
  const translations = {};
  for (const name of names) translations[name.toUpperCase()] = name.toUpperCase();
  for (const code of HyperFormula.getRegisteredLanguagesCodes()) {
    HyperFormula.getLanguage(code).extendFunctions(translations);
  }
}

function exportCell(v) {
  if (v instanceof DetailedCellError) return new SheetError(v.value, v.message);
  if (v === undefined) return null;
  return v;
}

// ---------------------------------------------------------------------------
// Computing a sheet
// ---------------------------------------------------------------------------

// Google Sheets accepts TRUE / FALSE without parentheses inside formulas;
// HyperFormula only knows the functions TRUE() / FALSE().
const BOOLEAN_NAMES = [
  { name: "TRUE", expression: "=TRUE()" },
  { name: "FALSE", expression: "=FALSE()" },
];

/**
 * Computes a sheet with the bundle's functions.
 *
 * @param {Array<Array<string|number|boolean|null>>} rows raw cells ("=..." formulas, "12", "70%", ...)
 * @param {object} bundle loadBundle() result (or a plain {KLING_X: fn} object)
 * @param {{decimal: string, argSeparator: string}} [convention] how the file writes decimals and separates arguments
 * @returns {{values: Array<Array<number|string|boolean|null|SheetError>>, passes: number, converged: boolean, functions: string[]}}
 */
export function computeSheetDetailed(rows, bundle, convention = { decimal: ".", argSeparator: "," }) {
  const b = normalizeBundle(bundle);
  registerTranslations(b.names);
  const data = rows.map((row) => row.map((cell) => (cell === undefined || cell === "" ? null : cell)));
  const hints = new Map();
  let values = [];
  let lastOutputs = new Map();
  for (let passNo = 1; passNo <= MAX_PASSES; passNo++) {
    const pass = { hints, predicted: new Map(), actual: new Map(), outputs: new Map() };
    lastOutputs = pass.outputs;
    const plugin = makePlugin(b, pass);
    const hf = HyperFormula.buildFromArray(
      data,
      // No smart rounding: the values keep full precision (--raw, --json); the table rounds for print.
      { licenseKey: LICENSE_KEY, functionPlugins: [...HyperFormula.getAllFunctionPlugins(), plugin], smartRounding: false, ...conventionConfig(convention) },
      BOOLEAN_NAMES,
    );
    try {
      values = hf.getSheetValues(0).map((row) => row.map(exportCell));
    } finally {
      hf.destroy();
    }
    const width = Math.max(0, ...data.map((r) => r.length), ...values.map((r) => r.length));
    while (values.length < data.length) values.push([]);
    for (const row of values) while (row.length < width) row.push(null);
    let mismatch = false;
    for (const [key, actual] of pass.actual) {
      const predicted = pass.predicted.get(key);
      if (predicted && sizeKey(predicted) !== sizeKey(actual)) mismatch = true;
      hints.set(key, actual);
    }
    // A call that was sized by guess and then not evaluated (typically #SPILL!
    // because the guessed area was not free): probe it as one cell next pass,
    // which always evaluates and so measures the real size.
    for (const [key, predicted] of pass.predicted) {
      if (!pass.actual.has(key) && !hints.has(key) && sizeKey(predicted) !== "1x1") {
        hints.set(key, { h: 1, w: 1 });
        mismatch = true;
      }
    }
    if (!mismatch) return { values, passes: passNo, converged: true, functions: b.names, ...cellKinds(data, values, pass.outputs) };
  }
  return { values, passes: MAX_PASSES, converged: false, functions: b.names, ...cellKinds(data, values, lastOutputs) };
}

/**
 * Each computed cell's kind ("money", "hours" or "") and the row messages of range results. A
 * KLING_ call says what its cells are; other computed cells (SUM, ARRAYFORMULA) are what their
 * column's header says ("Total USD" is money, "Render hours" hours). Typed cells print as typed.
 */
function cellKinds(data, values, outputs) {
  const kinds = values.map((row) => row.map(() => ""));
  const problems = [];
  const header = values[0] ?? [];
  values.forEach((row, r) => row.forEach((v, c) => {
    const typed = data[r]?.[c];
    if (typeof v !== "number" || (typed !== null && typed !== undefined && !String(typed).startsWith("="))) return;
    const h = typeof header[c] === "string" ? header[c] : "";
    kinds[r][c] = MONEY_HEADER.test(h) ? "money" : HOURS_HEADER.test(h) ? "hours" : "";
  }));
  for (const [at, out] of outputs) {
    const [row, col] = at.split(",").map(Number);
    out.kinds.forEach((line, i) => line.forEach((kind, j) => {
      if (kinds[row + i] && j + col < kinds[row + i].length) kinds[row + i][col + j] = kind;
    }));
    for (const p of out.problems) problems.push({ address: `${columnLetter(col + p.dc)}${row + p.dr + 1}`, message: p.message });
  }
  return { kinds, problems };
}

/** Like computeSheetDetailed, returning only the 2-D array of values (errors as SheetError). */
export function computeSheet(rows, bundle) {
  return computeSheetDetailed(rows, bundle).values;
}

// ---------------------------------------------------------------------------
// Text table
// ---------------------------------------------------------------------------

/** "A".."Z", "AA", ... for a 0-based column index. */
export function columnLetter(index) {
  let s = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Full text of a computed cell (numbers without float noise). */
export function cellText(v, kind = "", raw = false) {
  if (v === null || v === undefined) return "";
  if (typeof v === "number" && raw) return String(v);
  if (typeof v === "number" && kind === "money") return v.toFixed(2);
  if (typeof v === "number" && kind === "hours") return v.toFixed(1);
  if (typeof v === "number") return String(Number(v.toPrecision(12)));
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  return String(v);
}

/**
 * Formats computed values as an aligned text table with column letters and
 * row numbers. Long texts are cut to `maxCellWidth` characters with "…".
 */
export function formatTable(values, { maxCellWidth = 60, kinds = [], raw = false } = {}) {
  const width = Math.max(0, ...values.map((r) => r.length));
  const cut = (s) => {
    const flat = s.replace(/\s*\n\s*/g, " ");
    return flat.length > maxCellWidth ? `${flat.slice(0, maxCellWidth - 1)}…` : flat;
  };
  const cells = values.map((row, r) =>
    Array.from({ length: width }, (_, c) => ({
      text: cut(cellText(row[c], kinds[r]?.[c], raw)),
      right: typeof row[c] === "number" || typeof row[c] === "boolean",
    })),
  );
  const rowLabelWidth = String(values.length).length;
  const colWidths = Array.from({ length: width }, (_, c) =>
    Math.max(columnLetter(c).length, ...cells.map((row) => row[c].text.length)),
  );
  const line = (label, parts) => `${label.padStart(rowLabelWidth)} | ${parts.join(" | ")}`.trimEnd();
  const out = [line("", colWidths.map((w, c) => columnLetter(c).padEnd(w)))];
  out.push(`${"-".repeat(rowLabelWidth)}-+-${colWidths.map((w) => "-".repeat(w)).join("-+-")}`);
  cells.forEach((row, r) => {
    let used = row.length;
    while (used > 0 && row[used - 1].text === "") used--; // no separators after the last filled cell
    const parts = row.slice(0, used).map((cell, c) => (cell.right ? cell.text.padStart(colWidths[c]) : cell.text.padEnd(colWidths[c])));
    out.push(line(String(r + 1), parts));
  });
  return out.join("\n");
}

// ---------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------

/** Finds a CSV path relative to the cwd, then to the repo root. */
export function resolveCsvPath(file = DEFAULT_CSV) {
  const candidates = path.isAbsolute(file) ? [file] : [path.resolve(process.cwd(), file), path.resolve(REPO_ROOT, file)];
  const found = candidates.find((p) => fs.existsSync(p) && fs.statSync(p).isFile());
  if (!found) throw new SheetRunnerError(`CSV file not found: ${file} (looked in ${[...new Set(candidates)].join(", ")})`);
  return found;
}

const USAGE = `usage: node scripts/sheet.mjs [file.csv] [--bundle dist/Code.js] [--json] [--raw]

Computes the CSV sheet with the KLING_* functions of the Apps Script bundle
and prints it as a table. Default file: ${DEFAULT_CSV}. Comma, semicolon
and tab separated files are read, with decimal points or decimal commas.
Money prints with 2 decimals, hours with 1. Exits 1 when a cell failed.
  --bundle FILE  bundle to load instead of dist/Code.js
  --json         print the computed values as JSON instead of a table
  --raw          print numbers with full precision`;

export function main(argv = process.argv.slice(2)) {
  let csvArg;
  let bundleArg;
  let json = false;
  let raw = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-h" || a === "--help") {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    } else if (a === "--json") json = true;
    else if (a === "--raw") raw = true;
    else if (a === "--bundle") bundleArg = argv[++i];
    else if (a.startsWith("--bundle=")) bundleArg = a.slice("--bundle=".length);
    else if (a.startsWith("-") || csvArg !== undefined) {
      process.stderr.write(`sheet: unexpected argument ${a}\n${USAGE}\n`);
      return 2;
    } else csvArg = a;
  }
  try {
    const csvPath = resolveCsvPath(csvArg);
    let rows;
    let convention;
    try {
      const text = fs.readFileSync(csvPath, "utf8");
      const delimiter = detectDelimiter(text);
      rows = parseCsv(text, delimiter);
      convention = detectConvention(rows, delimiter);
    } catch (e) {
      throw e instanceof SheetRunnerError ? new SheetRunnerError(`${displayPath(csvPath)}: ${e.message}`) : e;
    }
    const bundle = loadBundle(bundleArg === undefined ? DEFAULT_BUNDLE : path.resolve(bundleArg), noSavedRates(localeOf(convention)));
    if (bundle.names.length === 0) {
      process.stderr.write(`sheet: warning: ${displayPath(bundle.file)} defines no KLING_* functions\n`);
    }
    const result = computeSheetDetailed(rows, bundle, convention);
    if (!result.converged) {
      process.stderr.write(`sheet: warning: array sizes still changing after ${result.passes} passes; spills may be cut\n`);
    }
    // Failed: an error cell, or a row message inside a range result that should be numbers.
    const errors = result.values.flatMap((row, r) =>
      row.flatMap((cell, c) => (cell instanceof SheetError ? [`${columnLetter(c)}${r + 1}: ${cell}`] : [])));
    const problems = result.problems.map((p) => `${p.address}: ${p.message}`);
    if (json) {
      process.stdout.write(`${JSON.stringify(result.values)}\n`);
      return errors.length || problems.length ? 1 : 0;
    }
    process.stdout.write(`${formatTable(result.values, { kinds: result.kinds, raw })}\n`);
    // The table shortens long texts; an error's whole message is what tells the analyst what to fix.
    if (errors.length) process.stdout.write(`\nErrors:\n${errors.map((e) => `  ${e}`).join("\n")}\n`);
    if (problems.length) process.stdout.write(`\nRows with a problem:\n${problems.map((e) => `  ${e}`).join("\n")}\n`);
    return errors.length || problems.length ? 1 : 0;
  } catch (e) {
    if (e instanceof SheetRunnerError) {
      process.stderr.write(`sheet: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

function isMainModule() {
  if (!process.argv[1]) return false;
  try {
    return fs.realpathSync(process.argv[1]) === fs.realpathSync(THIS_FILE);
  } catch {
    return false;
  }
}

if (isMainModule()) {
  process.exitCode = main();
}
