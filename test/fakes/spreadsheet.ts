// SpreadsheetApp over an in-memory spreadsheet. The fake stores what was entered and never computes
// a formula; each cell counts `evaluations`, the times its formula text changed, which is when
// Sheets reruns a custom function. An optional `evaluate` callback supplies results.

import { columnLetters, formatA1, parseA1, quoteSheetName } from "./a1";
import { fakeUi, newUiRecords, type FakeUi, type UiRecords } from "./ui";
import { exception, isDate, makeEnum, nodeRealm, signatureError, toRealm, type EnumValue, type RealmRef, type ServiceLog } from "./support";

export type CellValue = string | number | boolean | Date;
export type Evaluate = (formula: string, where: { sheet: string; a1: string; row: number; column: number }) => CellValue;

// What getNumberFormat() reports for a cell whose format was never set ("Automatic").
export const DEFAULT_NUMBER_FORMAT = "0.###############";
export const DEFAULT_BACKGROUND = "#ffffff";
export const DEFAULT_COLUMN_WIDTH = 100;
export const DEFAULT_MAX_ROWS = 1000;
export const DEFAULT_MAX_COLUMNS = 26;

export interface Cell {
  value: CellValue;
  formula: string; // "" when none; otherwise starts with "="
  numberFormat: string;
  fontWeight: "normal" | "bold";
  background: string;
  horizontalAlignment: string | null;
  note: string;
  evaluations: number;
}

export type WriteKind = "value" | "formula" | "clear" | "numberFormat" | "fontWeight" | "background" | "horizontalAlignment" | "note";

/** What Sheets says when a script writes into a sheet or range the user may not edit. */
export const PROTECTED_MESSAGE = "You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.";

export const ProtectionType = makeEnum(["RANGE", "SHEET"]);

/** A protection a test sets up with protect(): the whole sheet (minus `unprotected`) or one range. */
export interface ProtectionSpec {
  /** "Budget" protects the sheet; "Budget!B2:C9" a range of it. */
  target: string;
  /** Whether the user running the script may edit it (Protection.canEdit()); default false. */
  canEdit?: boolean;
  /** Only warns people who edit it; scripts write through it. */
  warningOnly?: boolean;
  /** For a sheet: A1 ranges of that sheet left editable. */
  unprotected?: string[];
  description?: string;
}

/** The script's call as a fault hook sees it: which method, on which range, the how-manieth of its kind. */
export interface CallInfo {
  method: string;
  range: string; // "Budget!A1:B2"
  /** 1 for the first read (or write) the script makes, counting every range read (or write) since the fake was made. */
  count: number;
}

/**
 * Faults a test injects. `write` runs before every range write (contents or formats; a RangeList
 * write calls it once per range) and may throw: the write is then not made, as with a protected
 * range. `wrote` runs once the write is made. `read` runs after every range read has taken its
 * copy, before the script gets it. A hook that calls userEdit() is someone editing between two of
 * the script's calls.
 */
export interface Faults {
  write?: (call: CallInfo) => void;
  wrote?: (call: CallInfo) => void;
  read?: (call: CallInfo) => void;
}

export interface CellWrite {
  cell: string; // "Sheet1!B2"
  kind: WriteKind;
}

const blankCell = (): Cell => ({
  value: "", formula: "", numberFormat: DEFAULT_NUMBER_FORMAT, fontWeight: "normal",
  background: DEFAULT_BACKGROUND, horizontalAlignment: null, note: "", evaluations: 0,
});

const hasContent = (c: Cell) => c.value !== "" || c.formula !== "";

type Entry = { formula: string } | { value: CellValue };

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const GROUPED_NUMBER = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

/**
 * What a cell holds after the script writes `input`, read as Sheets reads typed input: "=..." is a
 * formula, numeric text becomes a number and TRUE/FALSE a boolean, unless the cell is formatted
 * as plain text ("@") or the text starts with an apostrophe. Dates, currency and percentages typed
 * as text are not recognised by the fake and stay text.
 */
export function enteredAs(input: unknown, numberFormat = DEFAULT_NUMBER_FORMAT): Entry {
  if (input === null || input === undefined) return { value: "" };
  if (isDate(input)) return { value: new Date(input.getTime()) };
  if (typeof input === "number" || typeof input === "boolean") return { value: input };
  const text = String(input);
  if (numberFormat === "@") return { value: text };
  if (text.startsWith("=")) return { formula: text };
  if (text.startsWith("'")) return { value: text.slice(1) };
  const t = text.trim();
  if (NUMBER.test(t)) return { value: Number(t) };
  if (GROUPED_NUMBER.test(t)) return { value: Number(t.replace(/,/g, "")) };
  if (/^(true|false)$/i.test(t)) return { value: t.toLowerCase() === "true" };
  return { value: text };
}

class SheetModel {
  readonly cells = new Map<string, Cell>();
  maxRows = DEFAULT_MAX_ROWS;
  maxColumns = DEFAULT_MAX_COLUMNS;
  frozenRows = 0;
  frozenColumns = 0;
  hidden = false;
  tabColor: string | null = null;
  readonly columnWidths = new Map<number, number>();
  readonly autoResized: number[] = [];
  constructor(public name: string, readonly id: number) {}

  peek(row: number, column: number): Cell {
    return this.cells.get(`${row}:${column}`) ?? blankCell();
  }
  cell(row: number, column: number): Cell {
    const key = `${row}:${column}`;
    let c = this.cells.get(key);
    if (!c) this.cells.set(key, (c = blankCell()));
    return c;
  }
  lastRow(): number {
    let last = 0;
    for (const [k, c] of this.cells) if (hasContent(c)) last = Math.max(last, Number(k.split(":")[0]));
    return last;
  }
  lastColumn(): number {
    let last = 0;
    for (const [k, c] of this.cells) if (hasContent(c)) last = Math.max(last, Number(k.split(":")[1]));
    return last;
  }
}

interface Bounds {
  row: number;
  column: number;
  numRows: number;
  numColumns: number;
}

interface ProtectionModel {
  type: "SHEET" | "RANGE";
  m: SheetModel;
  bounds: Bounds;
  unprotected: Bounds[];
  canEdit: boolean;
  warningOnly: boolean;
  description: string;
}

interface Boundedness {
  startRow: boolean;
  endRow: boolean;
  columns: boolean;
}

const BOUNDED: Boundedness = { startRow: true, endRow: true, columns: true };

export interface SheetSpec {
  name: string;
  rows?: unknown[][];
  maxRows?: number;
  maxColumns?: number;
}

export interface SpreadsheetOptions {
  id?: string;
  name?: string;
  timeZone?: string;
  locale?: string;
  /** Sheets in order, as { name: rows } or a list of specs. Default: one empty "Sheet1". */
  sheets?: Record<string, unknown[][]> | SheetSpec[];
  evaluate?: Evaluate;
  addonName?: string;
  uiAvailable?: boolean;
  realm?: RealmRef;
}

export function fakeSpreadsheetApp(log: ServiceLog, options: SpreadsheetOptions = {}) {
  const realm = options.realm ?? nodeRealm();
  const records: UiRecords = newUiRecords({ addonName: options.addonName, available: options.uiAvailable });
  const ui: FakeUi = fakeUi(log, records, realm);
  const writes: CellWrite[] = [];
  const config = { evaluate: options.evaluate as Evaluate | undefined };
  const state = {
    id: options.id ?? "fake-spreadsheet-id",
    name: options.name ?? "Kling Budget (fake)",
    timeZone: options.timeZone ?? "Etc/UTC",
    locale: options.locale ?? "en_US",
    sheets: [] as SheetModel[],
    active: null as SheetModel | null,
    activeRange: null as FakeRange | null,
    namedRanges: new Map<string, FakeRange>(),
    nextSheetId: 0,
    flushes: 0,
    protections: [] as ProtectionModel[],
  };
  const faults: Faults = {};
  const counts = { reads: 0, writes: 0 };
  const wrappers = new WeakMap<SheetModel, FakeSheet>();
  const sheetOf = (m: SheetModel) => {
    let s = wrappers.get(m);
    if (!s) wrappers.set(m, (s = new FakeSheet(m)));
    return s;
  };
  const where = (m: SheetModel, row: number, column: number) => `${quoteSheetName(m.name)}!${columnLetters(column)}${row}`;
  const findSheet = (name: string) => state.sheets.find((s) => s.name === name) ?? null;
  // Sheet names are unique regardless of case.
  const nameTaken = (name: string, except?: SheetModel) =>
    state.sheets.some((s) => s !== except && s.name.toLowerCase() === name.toLowerCase());
  const duplicateName = (name: string) =>
    exception(realm, `A sheet with the name "${name}" already exists. Please enter another name.`);

  // --- cell writes: every content change goes through here -------------------------------------

  const writeEntry = (m: SheetModel, row: number, column: number, entry: Entry, byScript = true) => {
    const c = m.cell(row, column);
    const at = where(m, row, column);
    if ("formula" in entry) {
      if (entry.formula !== c.formula) {
        c.formula = entry.formula;
        c.evaluations++;
        c.value = "";
        if (config.evaluate) {
          try {
            c.value = config.evaluate(entry.formula, { sheet: m.name, a1: `${columnLetters(column)}${row}`, row, column });
          } catch {
            c.value = "#ERROR!";
          }
        }
      }
      if (byScript) writes.push({ cell: at, kind: "formula" });
    } else {
      c.formula = "";
      c.value = entry.value;
      if (byScript) writes.push({ cell: at, kind: entry.value === "" ? "clear" : "value" });
    }
  };
  const writeFormat = <K extends "numberFormat" | "fontWeight" | "background" | "horizontalAlignment" | "note">(
    m: SheetModel, row: number, column: number, kind: K, value: Cell[K],
  ) => {
    m.cell(row, column)[kind] = value;
    writes.push({ cell: where(m, row, column), kind });
  };

  // --- protections -----------------------------------------------------------------------------

  const inside = (b: Bounds, row: number, column: number) =>
    row >= b.row && row < b.row + b.numRows && column >= b.column && column < b.column + b.numColumns;
  /** Whether the script's user may not write this cell: a protection they cannot edit covers it. */
  const locked = (m: SheetModel, row: number, column: number) =>
    state.protections.some((p) => p.m === m && !p.canEdit && !p.warningOnly && inside(p.bounds, row, column) && !p.unprotected.some((u) => inside(u, row, column)));
  // Sheets refuses the whole write when any of its cells is protected.
  const refuseProtected = (m: SheetModel, b: Bounds) => {
    if (!state.protections.length) return;
    for (let r = b.row; r < b.row + b.numRows; r++) {
      for (let c = b.column; c < b.column + b.numColumns; c++) if (locked(m, r, c)) throw exception(realm, PROTECTED_MESSAGE);
    }
  };

  class FakeProtection {
    readonly #p: ProtectionModel;
    constructor(p: ProtectionModel) {
      this.#p = p;
    }
    #call(method: string) {
      log.calls.push(`protection.${method}(${quoteSheetName(this.#p.m.name)})`);
    }
    canEdit() { this.#call("canEdit"); return this.#p.canEdit; }
    isWarningOnly() { this.#call("isWarningOnly"); return this.#p.warningOnly; }
    getProtectionType() { this.#call("getProtectionType"); return this.#p.type === "SHEET" ? ProtectionType.SHEET : ProtectionType.RANGE; }
    getDescription() { this.#call("getDescription"); return this.#p.description; }
    getRange() { this.#call("getRange"); return new FakeRange(this.#p.m, this.#p.bounds); }
    getUnprotectedRanges() { this.#call("getUnprotectedRanges"); return toRealm(realm, this.#p.unprotected.map((b) => new FakeRange(this.#p.m, b))); }
  }
  const protectionsOf = (type: EnumValue, m?: SheetModel) => {
    if (type !== ProtectionType.SHEET && type !== ProtectionType.RANGE) throw signatureError(realm, "SpreadsheetApp.Spreadsheet.getProtections", [type]);
    return toRealm(realm, state.protections.filter((p) => p.type === type.name() && (!m || p.m === m)).map((p) => new FakeProtection(p)));
  };

  // --- Range ------------------------------------------------------------------------------------

  const rowsMismatch = (data: number, range: number) =>
    exception(realm, `The number of rows in the data does not match the number of rows in the range. The data has ${data} but the range has ${range}.`);
  const columnsMismatch = (data: number, range: number) =>
    exception(realm, `The number of columns in the data does not match the number of columns in the range. The data has ${data} but the range has ${range}.`);

  class FakeRange {
    readonly #m: SheetModel;
    readonly #b: Bounds;
    readonly #bounded: Boundedness;
    constructor(m: SheetModel, b: Bounds, bounded: Boundedness = BOUNDED) {
      this.#m = m;
      this.#b = b;
      this.#bounded = bounded;
    }
    /** "Sheet1!A1:B2", unlogged. */
    get ref(): string {
      return `${quoteSheetName(this.#m.name)}!${formatA1(this.#b, this.#bounded)}`;
    }
    #call(method: string, extra = "") {
      log.calls.push(`range.${method}(${this.ref}${extra})`);
    }
    #each<T>(fn: (row: number, column: number, i: number, j: number) => T): T[][] {
      const out: T[][] = [];
      for (let i = 0; i < this.#b.numRows; i++) {
        const line: T[] = [];
        for (let j = 0; j < this.#b.numColumns; j++) line.push(fn(this.#b.row + i, this.#b.column + j, i, j));
        out.push(line);
      }
      return out;
    }
    #read<T>(fn: (c: Cell) => T): T[][] {
      const out = toRealm(realm, this.#each((r, c) => fn(this.#m.peek(r, c))));
      faults.read?.({ method: this.#lastMethod(), range: this.ref, count: ++counts.reads });
      return out;
    }
    #lastMethod(): string {
      const last = log.calls[log.calls.length - 1] ?? "";
      return /^range\.(\w+)\(/.exec(last)?.[1] ?? "?";
    }
    #checkGrid(data: unknown, method: string): unknown[][] {
      if (!Array.isArray(data)) throw signatureError(realm, `SpreadsheetApp.Range.${method}`, [data]);
      if (data.length !== this.#b.numRows) throw rowsMismatch(data.length, this.#b.numRows);
      for (const line of data) {
        if (!Array.isArray(line)) throw signatureError(realm, `SpreadsheetApp.Range.${method}`, [data]);
        if (line.length !== this.#b.numColumns) throw columnsMismatch(line.length, this.#b.numColumns);
      }
      return data as unknown[][];
    }
    #fill(fn: (row: number, column: number) => void) {
      const call = { method: this.#lastMethod(), range: this.ref, count: ++counts.writes };
      faults.write?.(call);
      refuseProtected(this.#m, this.#b);
      this.#each(fn);
      faults.wrote?.(call);
      return this;
    }

    getRow() { this.#call("getRow"); return this.#b.row; }
    getColumn() { this.#call("getColumn"); return this.#b.column; }
    getLastRow() { this.#call("getLastRow"); return this.#b.row + this.#b.numRows - 1; }
    getLastColumn() { this.#call("getLastColumn"); return this.#b.column + this.#b.numColumns - 1; }
    getNumRows() { this.#call("getNumRows"); return this.#b.numRows; }
    getNumColumns() { this.#call("getNumColumns"); return this.#b.numColumns; }
    getHeight() { this.#call("getHeight"); return this.#b.numRows; }
    getWidth() { this.#call("getWidth"); return this.#b.numColumns; }
    getA1Notation() { this.#call("getA1Notation"); return formatA1(this.#b, this.#bounded); }
    getSheet() { this.#call("getSheet"); return sheetOf(this.#m); }
    getGridId() { this.#call("getGridId"); return this.#m.id; }

    getValue(): CellValue { this.#call("getValue"); return toRealm(realm, this.#m.peek(this.#b.row, this.#b.column).value); }
    getValues(): CellValue[][] { this.#call("getValues"); return this.#read((c) => c.value); }
    getFormula(): string { this.#call("getFormula"); return this.#m.peek(this.#b.row, this.#b.column).formula; }
    getFormulas(): string[][] { this.#call("getFormulas"); return this.#read((c) => c.formula); }
    getNumberFormat(): string { this.#call("getNumberFormat"); return this.#m.peek(this.#b.row, this.#b.column).numberFormat; }
    getNumberFormats(): string[][] { this.#call("getNumberFormats"); return this.#read((c) => c.numberFormat); }
    getFontWeight(): string { this.#call("getFontWeight"); return this.#m.peek(this.#b.row, this.#b.column).fontWeight; }
    getFontWeights(): string[][] { this.#call("getFontWeights"); return this.#read((c) => c.fontWeight); }
    getBackground(): string { this.#call("getBackground"); return this.#m.peek(this.#b.row, this.#b.column).background; }
    getBackgrounds(): string[][] { this.#call("getBackgrounds"); return this.#read((c) => c.background); }
    getHorizontalAlignment(): string { this.#call("getHorizontalAlignment"); return this.#m.peek(this.#b.row, this.#b.column).horizontalAlignment ?? "general"; }
    getNote(): string { this.#call("getNote"); return this.#m.peek(this.#b.row, this.#b.column).note; }
    getNotes(): string[][] { this.#call("getNotes"); return this.#read((c) => c.note); }
    isBlank(): boolean {
      this.#call("isBlank");
      return this.#each((r, c) => hasContent(this.#m.peek(r, c))).every((line) => line.every((x) => !x));
    }

    setValue(value: unknown) {
      this.#call("setValue");
      return this.#fill((r, c) => writeEntry(this.#m, r, c, enteredAs(value, this.#m.peek(r, c).numberFormat)));
    }
    setValues(values: unknown[][]) {
      this.#call("setValues");
      const grid = this.#checkGrid(values, "setValues");
      return this.#fill((r, c) => writeEntry(this.#m, r, c, enteredAs(grid[r - this.#b.row]![c - this.#b.column], this.#m.peek(r, c).numberFormat)));
    }
    setFormula(formula: string) {
      this.#call("setFormula");
      if (typeof formula !== "string") throw signatureError(realm, "SpreadsheetApp.Range.setFormula", [formula]);
      return this.#fill((r, c) => writeEntry(this.#m, r, c, enteredAs(formula, this.#m.peek(r, c).numberFormat)));
    }
    setFormulas(formulas: string[][]) {
      this.#call("setFormulas");
      const grid = this.#checkGrid(formulas, "setFormulas");
      if (grid.some((line) => line.some((f) => typeof f !== "string"))) throw signatureError(realm, "SpreadsheetApp.Range.setFormulas", [formulas]);
      return this.#fill((r, c) => writeEntry(this.#m, r, c, enteredAs(grid[r - this.#b.row]![c - this.#b.column], this.#m.peek(r, c).numberFormat)));
    }
    clearContent() {
      this.#call("clearContent");
      return this.#fill((r, c) => writeEntry(this.#m, r, c, { value: "" }));
    }
    clearFormat() {
      this.#call("clearFormat");
      return this.#clearFormats();
    }
    #clearFormats() {
      const d = blankCell();
      return this.#fill((r, c) => {
        writeFormat(this.#m, r, c, "numberFormat", d.numberFormat);
        writeFormat(this.#m, r, c, "fontWeight", d.fontWeight);
        writeFormat(this.#m, r, c, "background", d.background);
        writeFormat(this.#m, r, c, "horizontalAlignment", d.horizontalAlignment);
      });
    }
    clearNote() {
      this.#call("clearNote");
      return this.#fill((r, c) => writeFormat(this.#m, r, c, "note", ""));
    }
    /** Contents and formats; `contentsOnly` / `formatOnly` narrow it, as in Sheets. */
    clear(options?: { contentsOnly?: boolean; formatOnly?: boolean }) {
      this.#call("clear");
      const contents = !options?.formatOnly || Boolean(options?.contentsOnly);
      const formats = !options?.contentsOnly || Boolean(options?.formatOnly);
      if (contents) this.#fill((r, c) => writeEntry(this.#m, r, c, { value: "" }));
      if (formats) this.#clearFormats();
      return this;
    }
    setNumberFormat(format: string) {
      this.#call("setNumberFormat", `, ${format}`);
      return this.#fill((r, c) => writeFormat(this.#m, r, c, "numberFormat", String(format)));
    }
    setNumberFormats(formats: string[][]) {
      this.#call("setNumberFormats");
      const grid = this.#checkGrid(formats, "setNumberFormats");
      return this.#fill((r, c) => writeFormat(this.#m, r, c, "numberFormat", String(grid[r - this.#b.row]![c - this.#b.column])));
    }
    setFontWeight(weight: "bold" | "normal" | null) {
      this.#call("setFontWeight", `, ${weight}`);
      if (weight !== null && weight !== "bold" && weight !== "normal") throw exception(realm, `Invalid argument: fontWeight`);
      return this.#fill((r, c) => writeFormat(this.#m, r, c, "fontWeight", weight ?? "normal"));
    }
    setFontWeights(weights: Array<Array<"bold" | "normal" | null>>) {
      this.#call("setFontWeights");
      const grid = this.#checkGrid(weights, "setFontWeights");
      return this.#fill((r, c) => writeFormat(this.#m, r, c, "fontWeight", grid[r - this.#b.row]![c - this.#b.column] === "bold" ? "bold" : "normal"));
    }
    setBackground(color: string | null) {
      this.#call("setBackground", `, ${color}`);
      return this.#fill((r, c) => writeFormat(this.#m, r, c, "background", color ?? DEFAULT_BACKGROUND));
    }
    setHorizontalAlignment(alignment: "left" | "center" | "normal" | "right" | null) {
      this.#call("setHorizontalAlignment", `, ${alignment}`);
      if (alignment !== null && !["left", "center", "normal", "right"].includes(alignment)) throw exception(realm, `Invalid argument: alignment`);
      return this.#fill((r, c) => writeFormat(this.#m, r, c, "horizontalAlignment", alignment === "normal" ? null : alignment));
    }
    setNote(note: string | null) {
      this.#call("setNote");
      return this.#fill((r, c) => writeFormat(this.#m, r, c, "note", note === null ? "" : String(note)));
    }
    setNotes(notes: Array<Array<string | null>>) {
      this.#call("setNotes");
      const grid = this.#checkGrid(notes, "setNotes");
      return this.#fill((r, c) => writeFormat(this.#m, r, c, "note", String(grid[r - this.#b.row]![c - this.#b.column] ?? "")));
    }
    offset(rowOffset: number, columnOffset: number, numRows?: number, numColumns?: number): FakeRange {
      this.#call("offset", `, ${[rowOffset, columnOffset, numRows, numColumns].filter((x) => x !== undefined).join(", ")}`);
      return rangeAt(this.#m, this.#b.row + rowOffset, this.#b.column + columnOffset, numRows ?? this.#b.numRows, numColumns ?? this.#b.numColumns);
    }
    getCell(row: number, column: number): FakeRange {
      this.#call("getCell", `, ${row}, ${column}`);
      if (row < 1 || column < 1 || row > this.#b.numRows || column > this.#b.numColumns) throw exception(realm, "Cell reference out of range");
      return rangeAt(this.#m, this.#b.row + row - 1, this.#b.column + column - 1, 1, 1);
    }
    activate(): FakeRange {
      this.#call("activate");
      state.active = this.#m;
      state.activeRange = this;
      return this;
    }
  }

  const rangeAt = (m: SheetModel, row: number, column: number, numRows: number, numColumns: number, bounded = BOUNDED) => {
    if (![row, column, numRows, numColumns].every(Number.isInteger)) throw signatureError(realm, "SpreadsheetApp.Sheet.getRange", [row, column, numRows, numColumns]);
    if (row < 1) throw exception(realm, "The starting row of the range is too small.");
    if (column < 1) throw exception(realm, "The starting column of the range is too small.");
    if (numRows < 1) throw exception(realm, "The number of rows in the range must be at least 1.");
    if (numColumns < 1) throw exception(realm, "The number of columns in the range must be at least 1.");
    if (row + numRows - 1 > m.maxRows || column + numColumns - 1 > m.maxColumns) {
      throw exception(realm, "The coordinates of the range are outside the dimensions of the sheet.");
    }
    return new FakeRange(m, { row, column, numRows, numColumns }, bounded);
  };

  /** A1 on a given sheet; a prefix naming another sheet is refused (use Spreadsheet.getRange for that). */
  const rangeFromA1 = (m: SheetModel | null, a1: string): FakeRange => {
    if (typeof a1 !== "string") throw signatureError(realm, "SpreadsheetApp.Sheet.getRange", [a1]);
    const ref = parseA1(a1);
    if (!ref) throw exception(realm, "Range not found");
    let target = m;
    if (ref.sheetName !== null) {
      const named = findSheet(ref.sheetName);
      if (!named) throw exception(realm, "Range not found");
      if (m && named !== m) throw new Error(`Sheet.getRange("${a1}") on sheet "${m.name}": the fake refuses another sheet's name here; use Spreadsheet.getRange`);
      target = named;
    }
    if (!target) throw exception(realm, "Range not found");
    const row = ref.startRow ?? 1, column = ref.startColumn ?? 1;
    const endRow = ref.endRow ?? target.maxRows, endColumn = ref.endColumn ?? target.maxColumns;
    if (endRow > target.maxRows || endColumn > target.maxColumns) throw exception(realm, "Range not found");
    const bounded = { startRow: ref.startRow !== null, endRow: ref.endRow !== null, columns: ref.startColumn !== null };
    return new FakeRange(target, { row, column, numRows: endRow - row + 1, numColumns: endColumn - column + 1 }, bounded);
  };

  // --- RangeList --------------------------------------------------------------------------------

  class FakeRangeList {
    readonly #ranges: FakeRange[];
    constructor(ranges: FakeRange[]) {
      this.#ranges = ranges;
    }
    #call(method: string) {
      log.calls.push(`rangeList.${method}(${this.#ranges.map((r) => r.ref).join(", ")})`);
    }
    // The list's own call is what the script made; the per-range work is not logged again.
    #quietly(fn: (r: FakeRange) => unknown) {
      const mark = log.calls.length;
      for (const r of this.#ranges) fn(r);
      log.calls.length = mark;
      return this;
    }
    getRanges(): FakeRange[] { this.#call("getRanges"); return toRealm(realm, [...this.#ranges]); }
    clearContent() { this.#call("clearContent"); return this.#quietly((r) => r.clearContent()); }
    clearFormat() { this.#call("clearFormat"); return this.#quietly((r) => r.clearFormat()); }
    clear(options?: { contentsOnly?: boolean; formatOnly?: boolean }) { this.#call("clear"); return this.#quietly((r) => r.clear(options)); }
    setValue(value: unknown) { this.#call("setValue"); return this.#quietly((r) => r.setValue(value)); }
    setFormula(formula: string) { this.#call("setFormula"); return this.#quietly((r) => r.setFormula(formula)); }
    setNumberFormat(format: string) { this.#call("setNumberFormat"); return this.#quietly((r) => r.setNumberFormat(format)); }
    setFontWeight(weight: "bold" | "normal" | null) { this.#call("setFontWeight"); return this.#quietly((r) => r.setFontWeight(weight)); }
    setBackground(color: string | null) { this.#call("setBackground"); return this.#quietly((r) => r.setBackground(color)); }
    setHorizontalAlignment(a: "left" | "center" | "normal" | "right" | null) { this.#call("setHorizontalAlignment"); return this.#quietly((r) => r.setHorizontalAlignment(a)); }
  }

  // --- Sheet ------------------------------------------------------------------------------------

  class FakeSheet {
    readonly #m: SheetModel;
    constructor(m: SheetModel) {
      this.#m = m;
    }
    #call(method: string, args = "") {
      log.calls.push(`sheet.${method}(${quoteSheetName(this.#m.name)}${args ? `, ${args}` : ""})`);
    }
    getName() { this.#call("getName"); return this.#m.name; }
    setName(name: string) {
      this.#call("setName", name);
      if (nameTaken(name, this.#m)) throw duplicateName(name);
      this.#m.name = String(name);
      return this;
    }
    getSheetId() { this.#call("getSheetId"); return this.#m.id; }
    getIndex() { this.#call("getIndex"); return state.sheets.indexOf(this.#m) + 1; }
    getParent() { this.#call("getParent"); return spreadsheet; }
    getProtections(type: EnumValue) { this.#call("getProtections", String(type)); return protectionsOf(type, this.#m); }
    getMaxRows() { this.#call("getMaxRows"); return this.#m.maxRows; }
    getMaxColumns() { this.#call("getMaxColumns"); return this.#m.maxColumns; }
    getLastRow() { this.#call("getLastRow"); return this.#m.lastRow(); }
    getLastColumn() { this.#call("getLastColumn"); return this.#m.lastColumn(); }
    getRange(a1OrRow: string | number, column?: number, numRows?: number, numColumns?: number): FakeRange {
      if (typeof a1OrRow === "string" && column === undefined) {
        this.#call("getRange", a1OrRow);
        return rangeFromA1(this.#m, a1OrRow);
      }
      this.#call("getRange", [a1OrRow, column, numRows, numColumns].filter((x) => x !== undefined).join(", "));
      if (typeof a1OrRow !== "number" || typeof column !== "number") throw signatureError(realm, "SpreadsheetApp.Sheet.getRange", [a1OrRow, column]);
      return rangeAt(this.#m, a1OrRow, column, numRows ?? 1, numColumns ?? 1);
    }
    getRangeList(a1Notations: string[]): FakeRangeList {
      this.#call("getRangeList", a1Notations.join(", "));
      if (!Array.isArray(a1Notations)) throw signatureError(realm, "SpreadsheetApp.Sheet.getRangeList", [a1Notations]);
      return new FakeRangeList(a1Notations.map((a1) => rangeFromA1(this.#m, a1)));
    }
    getDataRange(): FakeRange {
      this.#call("getDataRange");
      return rangeAt(this.#m, 1, 1, Math.max(this.#m.lastRow(), 1), Math.max(this.#m.lastColumn(), 1));
    }
    appendRow(rowContents: unknown[]) {
      this.#call("appendRow");
      if (!Array.isArray(rowContents)) throw signatureError(realm, "SpreadsheetApp.Sheet.appendRow", [rowContents]);
      const row = this.#m.lastRow() + 1;
      refuseProtected(this.#m, { row, column: 1, numRows: 1, numColumns: Math.max(rowContents.length, 1) });
      this.#m.maxRows = Math.max(this.#m.maxRows, row);
      this.#m.maxColumns = Math.max(this.#m.maxColumns, rowContents.length);
      rowContents.forEach((v, j) => writeEntry(this.#m, row, j + 1, enteredAs(v, this.#m.peek(row, j + 1).numberFormat)));
      return this;
    }
    insertRowsAfter(afterPosition: number, howMany: number) {
      this.#call("insertRowsAfter", `${afterPosition}, ${howMany}`);
      shiftCells(this.#m, "row", afterPosition, howMany);
      this.#m.maxRows += howMany;
      return this;
    }
    insertColumnsAfter(afterPosition: number, howMany: number) {
      this.#call("insertColumnsAfter", `${afterPosition}, ${howMany}`);
      shiftCells(this.#m, "column", afterPosition, howMany);
      this.#m.maxColumns += howMany;
      return this;
    }
    clear() {
      this.#call("clear");
      refuseProtected(this.#m, { row: 1, column: 1, numRows: this.#m.maxRows, numColumns: this.#m.maxColumns });
      for (const key of [...this.#m.cells.keys()]) {
        const [r, c] = key.split(":").map(Number) as [number, number];
        writeEntry(this.#m, r, c, { value: "" });
        for (const k of ["numberFormat", "fontWeight", "background", "horizontalAlignment"] as const) writeFormat(this.#m, r, c, k, blankCell()[k]);
      }
      return this;
    }
    clearContents() {
      this.#call("clearContents");
      refuseProtected(this.#m, { row: 1, column: 1, numRows: this.#m.maxRows, numColumns: this.#m.maxColumns });
      for (const key of [...this.#m.cells.keys()]) {
        const [r, c] = key.split(":").map(Number) as [number, number];
        writeEntry(this.#m, r, c, { value: "" });
      }
      return this;
    }
    getFrozenRows() { this.#call("getFrozenRows"); return this.#m.frozenRows; }
    setFrozenRows(rows: number) {
      this.#call("setFrozenRows", String(rows));
      if (!Number.isInteger(rows) || rows < 0) throw signatureError(realm, "SpreadsheetApp.Sheet.setFrozenRows", [rows]);
      this.#m.frozenRows = rows;
    }
    getFrozenColumns() { this.#call("getFrozenColumns"); return this.#m.frozenColumns; }
    setFrozenColumns(columns: number) {
      this.#call("setFrozenColumns", String(columns));
      if (!Number.isInteger(columns) || columns < 0) throw signatureError(realm, "SpreadsheetApp.Sheet.setFrozenColumns", [columns]);
      this.#m.frozenColumns = columns;
    }
    getColumnWidth(column: number) { this.#call("getColumnWidth", String(column)); return this.#m.columnWidths.get(column) ?? DEFAULT_COLUMN_WIDTH; }
    setColumnWidth(column: number, width: number) {
      this.#call("setColumnWidth", `${column}, ${width}`);
      if (!Number.isInteger(column) || column < 1 || column > this.#m.maxColumns) throw exception(realm, "Those columns are out of bounds.");
      this.#m.columnWidths.set(column, width);
      return this;
    }
    autoResizeColumns(startColumn: number, numColumns: number) {
      this.#call("autoResizeColumns", `${startColumn}, ${numColumns}`);
      if (startColumn < 1 || numColumns < 1 || startColumn + numColumns - 1 > this.#m.maxColumns) throw exception(realm, "Those columns are out of bounds.");
      for (let c = startColumn; c < startColumn + numColumns; c++) this.#m.autoResized.push(c);
      return this;
    }
    autoResizeColumn(column: number) { return this.autoResizeColumns(column, 1); }
    setTabColor(color: string | null) { this.#call("setTabColor", String(color)); this.#m.tabColor = color; return this; }
    hideSheet() { this.#call("hideSheet"); this.#m.hidden = true; return this; }
    showSheet() { this.#call("showSheet"); this.#m.hidden = false; return this; }
    isSheetHidden() { this.#call("isSheetHidden"); return this.#m.hidden; }
    activate() {
      this.#call("activate");
      state.active = this.#m;
      state.activeRange = null;
      return this;
    }
  }

  const shiftCells = (m: SheetModel, axis: "row" | "column", after: number, howMany: number) => {
    const moved = [...m.cells].map(([k, c]) => {
      const [r, col] = k.split(":").map(Number) as [number, number];
      if (axis === "row" && r > after) return [`${r + howMany}:${col}`, c] as const;
      if (axis === "column" && col > after) return [`${r}:${col + howMany}`, c] as const;
      return [k, c] as const;
    });
    m.cells.clear();
    for (const [k, c] of moved) m.cells.set(k, c);
  };

  // --- Spreadsheet ------------------------------------------------------------------------------

  const addSheet = (name: string, index: number, rows?: unknown[][], size?: { maxRows?: number; maxColumns?: number }) => {
    const m = new SheetModel(name, state.nextSheetId === 0 ? 0 : 100000000 + state.nextSheetId);
    state.nextSheetId++;
    if (rows) {
      m.maxRows = Math.max(m.maxRows, rows.length);
      m.maxColumns = Math.max(m.maxColumns, ...rows.map((r) => r.length));
      rows.forEach((line, i) => line.forEach((v, j) => {
        const e = enteredAs(v);
        if ("formula" in e) m.cell(i + 1, j + 1).formula = e.formula; // as opened: no evaluation counted
        else if (e.value !== "") m.cell(i + 1, j + 1).value = e.value;
      }));
    }
    if (size?.maxRows) m.maxRows = size.maxRows;
    if (size?.maxColumns) m.maxColumns = size.maxColumns;
    state.sheets.splice(index, 0, m);
    return m;
  };
  const specs: SheetSpec[] = Array.isArray(options.sheets)
    ? options.sheets
    : Object.entries(options.sheets ?? { Sheet1: [] }).map(([name, rows]) => ({ name, rows }));
  for (const s of specs) {
    if (nameTaken(s.name)) throw new Error(`two sheets named "${s.name}" in the fake's options`);
    addSheet(s.name, state.sheets.length, s.rows, s);
  }
  if (!state.sheets.length) addSheet("Sheet1", 0);
  state.active = state.sheets[0]!;

  const activeSheet = () => state.active ?? state.sheets[0]!;

  const spreadsheet = {
    getId: () => (log.calls.push("spreadsheet.getId()"), state.id),
    getName: () => (log.calls.push("spreadsheet.getName()"), state.name),
    rename: (name: string) => void (log.calls.push(`spreadsheet.rename(${name})`), (state.name = String(name))),
    getUrl: () => (log.calls.push("spreadsheet.getUrl()"), `https://docs.google.com/spreadsheets/d/${state.id}/edit`),
    getSpreadsheetTimeZone: () => (log.calls.push("spreadsheet.getSpreadsheetTimeZone()"), state.timeZone),
    getSpreadsheetLocale: () => (log.calls.push("spreadsheet.getSpreadsheetLocale()"), state.locale),
    getSheets: () => (log.calls.push("spreadsheet.getSheets()"), toRealm(realm, state.sheets.map(sheetOf))),
    getNumSheets: () => (log.calls.push("spreadsheet.getNumSheets()"), state.sheets.length),
    getSheetByName(name: string): FakeSheet | null {
      log.calls.push(`spreadsheet.getSheetByName(${name})`);
      const m = findSheet(name);
      return m ? sheetOf(m) : null;
    },
    getSheetById(id: number): FakeSheet | null {
      log.calls.push(`spreadsheet.getSheetById(${id})`);
      const m = state.sheets.find((s) => s.id === id);
      return m ? sheetOf(m) : null;
    },
    // insertSheet() | (index) | (name) | (name, index); the index is 0-based and the new sheet becomes active.
    insertSheet(nameOrIndex?: string | number, index?: number): FakeSheet {
      log.calls.push(`spreadsheet.insertSheet(${[nameOrIndex, index].filter((x) => x !== undefined).join(", ")})`);
      if (index !== undefined && typeof index !== "number") throw new Error("insertSheet(name, options) is not modelled by the fake");
      let name = typeof nameOrIndex === "string" ? nameOrIndex : null;
      const at = typeof nameOrIndex === "number" ? nameOrIndex : index ?? state.sheets.length;
      if (!Number.isInteger(at) || at < 0 || at > state.sheets.length) throw new Error(`insertSheet: index ${at} is outside 0..${state.sheets.length}; the fake does not know what Sheets does then`);
      if (name === null) {
        let n = state.sheets.length + 1;
        while (nameTaken(`Sheet${n}`)) n++;
        name = `Sheet${n}`;
      }
      if (nameTaken(name)) throw duplicateName(name);
      const m = addSheet(name, at);
      state.active = m;
      state.activeRange = null;
      return sheetOf(m);
    },
    deleteSheet(sheet: FakeSheet) {
      log.calls.push("spreadsheet.deleteSheet()");
      const m = state.sheets.find((s) => wrappers.get(s) === sheet);
      if (!m) throw signatureError(realm, "SpreadsheetApp.Spreadsheet.deleteSheet", [sheet]);
      if (state.sheets.length === 1) throw exception(realm, "You can't remove all the sheets in a document.");
      state.sheets.splice(state.sheets.indexOf(m), 1);
      if (state.active === m) state.active = state.sheets[0]!;
    },
    getActiveSheet: () => (log.calls.push("spreadsheet.getActiveSheet()"), sheetOf(activeSheet())),
    getProtections(type: EnumValue) {
      log.calls.push(`spreadsheet.getProtections(${String(type)})`);
      return protectionsOf(type);
    },
    setActiveSheet(sheet: FakeSheet): FakeSheet {
      log.calls.push("spreadsheet.setActiveSheet()");
      const m = state.sheets.find((s) => wrappers.get(s) === sheet);
      if (!m) throw signatureError(realm, "SpreadsheetApp.Spreadsheet.setActiveSheet", [sheet]);
      state.active = m;
      state.activeRange = null;
      return sheet;
    },
    getActiveRange(): FakeRange {
      log.calls.push("spreadsheet.getActiveRange()");
      return state.activeRange ?? new FakeRange(activeSheet(), { row: 1, column: 1, numRows: 1, numColumns: 1 });
    },
    getRange(a1: string): FakeRange {
      log.calls.push(`spreadsheet.getRange(${a1})`);
      const ref = typeof a1 === "string" ? parseA1(a1) : null;
      return rangeFromA1(ref?.sheetName ? null : activeSheet(), a1);
    },
    getRangeList(a1Notations: string[]): FakeRangeList {
      log.calls.push(`spreadsheet.getRangeList(${a1Notations.join(", ")})`);
      return new FakeRangeList(a1Notations.map((a1) => rangeFromA1(parseA1(a1)?.sheetName ? null : activeSheet(), a1)));
    },
    getRangeByName(name: string): FakeRange | null {
      log.calls.push(`spreadsheet.getRangeByName(${name})`);
      return state.namedRanges.get(name) ?? null;
    },
    setNamedRange(name: string, range: FakeRange) {
      log.calls.push(`spreadsheet.setNamedRange(${name})`);
      if (!(range instanceof FakeRange)) throw signatureError(realm, "SpreadsheetApp.Spreadsheet.setNamedRange", [name, range]);
      state.namedRanges.set(name, range);
    },
    removeNamedRange(name: string) {
      log.calls.push(`spreadsheet.removeNamedRange(${name})`);
      state.namedRanges.delete(name);
    },
    toast(message: string, title = "", timeoutSeconds?: number) {
      log.calls.push(`spreadsheet.toast(${message})`);
      records.toasts.push({ message: String(message), title: String(title), timeoutSeconds: timeoutSeconds ?? null });
    },
  };

  const service = {
    ProtectionType,
    getActiveSpreadsheet: () => (log.calls.push("spreadsheetApp.getActiveSpreadsheet()"), spreadsheet),
    getActive: () => (log.calls.push("spreadsheetApp.getActive()"), spreadsheet),
    getActiveSheet: () => (log.calls.push("spreadsheetApp.getActiveSheet()"), sheetOf(activeSheet())),
    getActiveRange: () => (log.calls.push("spreadsheetApp.getActiveRange()"), spreadsheet.getActiveRange()),
    openById(id: string) {
      log.calls.push(`spreadsheetApp.openById(${id})`);
      if (id !== state.id) throw exception(realm, "Unexpected error while getting the method or property openById on object SpreadsheetApp.");
      return spreadsheet;
    },
    getUi() {
      log.calls.push("spreadsheetApp.getUi()");
      if (!records.available) throw exception(realm, "Cannot call SpreadsheetApp.getUi() from this context.");
      return ui;
    },
    flush() {
      log.calls.push("spreadsheetApp.flush()");
      state.flushes++;
    },
  };

  // --- test-side handle: nothing here is logged ---------------------------------------------------

  const resolve = (ref: string): { m: SheetModel; row: number; column: number } => {
    const a = parseA1(ref);
    if (!a || a.startRow === null || a.startColumn === null) throw new Error(`not a cell reference: ${ref}`);
    const m = a.sheetName === null ? activeSheet() : findSheet(a.sheetName);
    if (!m) throw new Error(`no sheet in ${ref}`);
    return { m, row: a.startRow, column: a.startColumn };
  };
  const snapshot = (): Record<string, Cell> => {
    const out: Record<string, Cell> = {};
    for (const m of state.sheets) {
      const keys = [...m.cells.keys()].map((k) => k.split(":").map(Number) as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      for (const [r, c] of keys) {
        const cell = m.peek(r, c);
        const blank = blankCell();
        const isDefault = (Object.keys(blank) as Array<keyof Cell>).every((k) => cell[k] === blank[k]);
        if (!isDefault) out[where(m, r, c)] = { ...cell };
      }
    }
    return out;
  };
  const rangeOf = (ref: string): { m: SheetModel; bounds: Bounds } => {
    const a = parseA1(ref);
    const m = a?.sheetName ? findSheet(a.sheetName) : null;
    if (!a || !m) throw new Error(`protect: "${ref}" is not a range on a sheet of the fake`);
    const row = a.startRow ?? 1, column = a.startColumn ?? 1;
    const endRow = a.endRow ?? (a.startRow === null ? m.maxRows : row), endColumn = a.endColumn ?? (a.startColumn === null ? m.maxColumns : column);
    return { m, bounds: { row, column, numRows: endRow - row + 1, numColumns: endColumn - column + 1 } };
  };
  const handle = {
    service,
    spreadsheet,
    ui: records,
    config,
    writes,
    /** Fault hooks (see Faults); set and clear them freely. */
    faults,
    /** Range reads and writes the script made so far (what the fault hooks count). */
    counts: () => ({ ...counts, flushes: state.flushes }),
    /**
     * Protects a sheet ("Budget") or a range ("Budget!B2:C9") as an owner would have; by default the
     * user running the script may not edit it, so every write touching it throws PROTECTED_MESSAGE.
     */
    protect: (spec: ProtectionSpec) => {
      const sheet = spec.target.includes("!") ? null : findSheet(spec.target);
      const { m, bounds } = sheet ? { m: sheet, bounds: { row: 1, column: 1, numRows: sheet.maxRows, numColumns: sheet.maxColumns } } : rangeOf(spec.target);
      state.protections.push({
        type: sheet ? "SHEET" : "RANGE", m, bounds,
        unprotected: (spec.unprotected ?? []).map((a1) => rangeOf(`${quoteSheetName(m.name)}!${a1}`).bounds),
        canEdit: spec.canEdit ?? false, warningOnly: spec.warningOnly ?? false, description: spec.description ?? "",
      });
    },
    /** A person types `input` into a cell (not a script write: not logged, not in `writes`, never refused). */
    userEdit: (ref: string, input: unknown) => {
      const { m, row, column } = resolve(ref);
      writeEntry(m, row, column, enteredAs(input, m.peek(row, column).numberFormat), false);
    },
    get flushes() {
      return state.flushes;
    },
    sheetNames: () => state.sheets.map((s) => s.name),
    /** Adds a sheet as if it had been there when the spreadsheet was opened. */
    addSheet: (name: string, rows: unknown[][] = []) => {
      if (nameTaken(name)) throw new Error(`a sheet named "${name}" exists`);
      return sheetOf(addSheet(name, state.sheets.length, rows));
    },
    /** A copy of one cell, e.g. cell("Budget!B2"); without a sheet name, the active sheet. */
    cell: (ref: string): Cell => {
      const { m, row, column } = resolve(ref);
      return { ...m.peek(row, column) };
    },
    /** Sets a cell's value as if Sheets had computed its formula; not a script write. */
    setComputed: (ref: string, value: CellValue) => {
      const { m, row, column } = resolve(ref);
      m.cell(row, column).value = value;
    },
    /** The sheet as entered: formula text where there is one, else the value, up to the last row and column used. */
    grid: (sheetName?: string): CellValue[][] => {
      const m = sheetName === undefined ? activeSheet() : findSheet(sheetName);
      if (!m) throw new Error(`no sheet named ${sheetName}`);
      const out: CellValue[][] = [];
      for (let r = 1; r <= m.lastRow(); r++) {
        const line: CellValue[] = [];
        for (let c = 1; c <= m.lastColumn(); c++) {
          const cell = m.peek(r, c);
          line.push(cell.formula || cell.value);
        }
        out.push(line);
      }
      return out;
    },
    frozenRows: (sheetName: string) => findSheet(sheetName)?.frozenRows ?? null,
    columnWidths: (sheetName: string) => Object.fromEntries(findSheet(sheetName)?.columnWidths ?? []),
    autoResized: (sheetName: string) => [...(findSheet(sheetName)?.autoResized ?? [])],
    /** Every cell that differs from a blank one (value, formula, formats, note, evaluations), keyed "Sheet!A1". */
    snapshot,
    /** The cells written so far, each once, in order of first write; optionally only some kinds of write. */
    writtenCells: (kinds?: WriteKind[]) => [...new Set(writes.filter((w) => !kinds || kinds.includes(w.kind)).map((w) => w.cell))],
    clearWrites: () => void (writes.length = 0),
  };
  return handle;
}

/** Keys whose cells differ between two snapshots (added, removed or changed). */
export function diffSnapshots(before: Record<string, Cell>, after: Record<string, Cell>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const same = (a: Cell | undefined, b: Cell | undefined) =>
    a !== undefined && b !== undefined && (Object.keys(a) as Array<keyof Cell>).every((k) =>
      isDate(a[k]) && isDate(b[k]) ? (a[k] as Date).getTime() === (b[k] as Date).getTime() : a[k] === b[k]);
  return [...keys].filter((k) => !same(before[k], after[k]));
}

export type SpreadsheetHandle = ReturnType<typeof fakeSpreadsheetApp>;
