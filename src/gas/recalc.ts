// Sheets reruns a custom function only when its formula changes, so new rates reach the cells by
// rewriting their formulas. Each block of KLING_ cells is written twice: first as "=(formula)",
// which computes the same but is a different text, then back to its own text. Every write leaves
// every cell holding a working formula, so a stop between any two writes (an error, a quota, the
// 6-minute limit) loses nothing. Before each write the block is read again: a cell someone changed
// meanwhile is left as they left it.
import { errorMessage } from "./platform";
import type { Recalculated } from "./sidebar-types";

const STRINGS = /"(?:[^"]|"")*"/g;
const KLING_CALL = /\bKLING_[A-Z0-9_]*\s*\(/i;

/** Where the menu item is, as the user sees it. */
export const RECALCULATE_ITEM = "Extensions > Kling Budget > Recalculate KLING formulas";
/** Cells per write: bounds each write's time and what one failed write can touch. */
export const CELLS_PER_BLOCK = 5_000;
/** No block starts after this: the execution (save included) may run 6 minutes in all. */
const TIME_BUDGET_MS = 4 * 60_000;
/** Waits for another recalculation's block; a block takes seconds. */
const LOCK_MS = 30_000;
/** Blocks in a row that may fail (other than protected ones) before the rest is left for later. */
const MAX_FAILURES = 3;

/** A formula that calls a KLING_ function (a name inside a text literal does not count). */
export function callsKling(formula: string): boolean {
  return formula.startsWith("=") && KLING_CALL.test(formula.replace(STRINGS, '""'));
}

/** The same formula as a different text: what makes Sheets compute the cell again. */
export function bracketed(formula: string): string {
  return `=(${formula.slice(1)})`;
}

/** A rectangle of KLING_ cells (1-based position) with their formulas as the scan read them. */
interface Block {
  row: number;
  column: number;
  formulas: string[][];
}

interface Rect {
  row: number;
  column: number;
  rows: number;
  columns: number;
}

interface LockedArea extends Rect {
  sheetId: number;
  except: Rect[];
}

const within = (r: Rect, row: number, column: number) =>
  row >= r.row && row < r.row + r.rows && column >= r.column && column < r.column + r.columns;

function rectOf(range: GoogleAppsScript.Spreadsheet.Range): Rect {
  return { row: range.getRow(), column: range.getColumn(), rows: range.getNumRows(), columns: range.getNumColumns() };
}

/** Sheets and ranges the user may not edit; writing there would throw. Unreadable protections are left to the writes. */
function lockedAreas(spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet): LockedArea[] {
  const areas: LockedArea[] = [];
  try {
    const { SHEET, RANGE } = SpreadsheetApp.ProtectionType;
    for (const type of [SHEET, RANGE]) {
      for (const protection of spreadsheet.getProtections(type)) {
        if (protection.canEdit() || protection.isWarningOnly()) continue;
        const range = protection.getRange();
        const except = type === SHEET ? protection.getUnprotectedRanges().map(rectOf) : [];
        areas.push({ sheetId: range.getGridId(), ...rectOf(range), except });
      }
    }
  } catch {
    // Without the list, a write into a protected range throws and is counted as protected below.
  }
  return areas;
}

/**
 * Rectangles covering the cells to rewrite: runs along each row, stacked while the next row has a
 * run over the same columns, each at most CELLS_PER_BLOCK cells. A column of KLING_ cells is one
 * tall block; a filled table is a few wide ones.
 */
export function blocksOf(formulas: string[][], rewrite: (row: number, column: number) => boolean): Block[] {
  const blocks: Block[] = [];
  let open = new Map<string, Block>();
  formulas.forEach((cells, r) => {
    const next = new Map<string, Block>();
    let c = 0;
    while (c < cells.length) {
      if (!rewrite(r, c)) {
        c++;
        continue;
      }
      let end = c;
      while (end < cells.length && end - c < CELLS_PER_BLOCK && rewrite(r, end)) end++;
      const key = `${c}:${end}`;
      const line = cells.slice(c, end);
      const above = open.get(key);
      if (above && (above.formulas.length + 1) * line.length <= CELLS_PER_BLOCK) {
        above.formulas.push(line);
        next.set(key, above);
      } else {
        const block = { row: r + 1, column: c + 1, formulas: [line] };
        blocks.push(block);
        next.set(key, block);
      }
      c = end;
    }
    open = next;
  });
  return blocks;
}

/** Writes `text(formula)` into the picked cells of a block: one call for the whole block, else one per run. */
function write(sheet: GoogleAppsScript.Spreadsheet.Sheet, block: Block, picked: boolean[][], text: (formula: string) => string): void {
  if (picked.every((line) => line.every(Boolean))) {
    sheet.getRange(block.row, block.column, block.formulas.length, block.formulas[0]!.length).setFormulas(block.formulas.map((line) => line.map(text)));
    return;
  }
  picked.forEach((line, i) => {
    let j = 0;
    while (j < line.length) {
      if (!line[j]) {
        j++;
        continue;
      }
      let end = j;
      while (end < line.length && line[end]) end++;
      sheet.getRange(block.row + i, block.column + j, 1, end - j).setFormulas([block.formulas[i]!.slice(j, end).map(text)]);
      j = end;
    }
  });
}

const count = (grid: boolean[][]) => grid.reduce((n, line) => n + line.filter(Boolean).length, 0);
const isProtection = (error: unknown) => /protect/i.test(errorMessage(error));

interface Tally {
  cells: number;
  protected: number;
  edited: number;
  failed: number;
  bracketed: number;
  /** Why `failed` cells were not recalculated (the first reason seen). */
  reason: string;
}

const emptyTally = (): Tally => ({ cells: 0, protected: 0, edited: 0, failed: 0, bracketed: 0, reason: "" });

/**
 * One block: read it, write the bracketed texts over the cells nobody changed, read again, write
 * the own texts back over the cells still bracketed. Counts each cell of the block once. Throws
 * when the block cannot be read; its cells then hold their own or the bracketed text.
 */
function rewriteBlock(sheet: GoogleAppsScript.Spreadsheet.Sheet, block: Block): Tally {
  const t = emptyTally();
  const range = sheet.getRange(block.row, block.column, block.formulas.length, block.formulas[0]!.length);
  const now = range.getFormulas();
  const mine = block.formulas.map((line, i) => line.map((f, j) => now[i]![j] === f));
  if (!count(mine)) return { ...t, edited: block.formulas.length * block.formulas[0]!.length };
  let refused: unknown;
  try {
    write(sheet, block, mine, bracketed);
  } catch (error) {
    refused = error;
  }
  SpreadsheetApp.flush();
  const after = range.getFormulas();
  const restore = block.formulas.map((line, i) => line.map((f, j) => mine[i]![j]! && after[i]![j] === bracketed(f)));
  let untouched = 0;
  block.formulas.forEach((line, i) => line.forEach((f, j) => {
    if (restore[i]![j]) t.cells++;
    else if (!mine[i]![j] || after[i]![j] !== f) t.edited++; // changed by someone after the scan: theirs now
    else if (refused === undefined) t.cells++; // the platform kept the text as it was: nothing to put back
    else untouched++;
  }));
  if (isProtection(refused)) t.protected = untouched;
  else if (untouched) {
    t.failed = untouched;
    t.reason = `a write failed: ${errorMessage(refused)}`;
  }
  if (count(restore)) {
    try {
      write(sheet, block, restore, (f) => f);
    } catch {
      let still: string[][] | undefined;
      try {
        still = range.getFormulas();
      } catch {
        // unknown: count every cell that was bracketed
      }
      t.bracketed = block.formulas.reduce((n, line, i) => n + line.filter((f, j) => restore[i]![j] && (!still || still[i]![j] === bracketed(f))).length, 0);
    }
  }
  return t;
}

/** Why some KLING_ cells were not recalculated and what to do, for people; "" when all were. */
export function noteOf(tally: Tally): string {
  const were = (n: number) => (n === 1 ? "was" : "were");
  const parts: string[] = [];
  if (tally.protected) parts.push(`${tally.protected} in protected ranges ${were(tally.protected)} not: ${RECALCULATE_ITEM} when you can edit them`);
  if (tally.failed) parts.push(`${tally.failed} ${were(tally.failed)} not (${tally.reason}): ${RECALCULATE_ITEM} again`);
  else if (tally.reason) parts.push(`some may not have been (${tally.reason}): ${RECALCULATE_ITEM} again`);
  if (tally.edited) parts.push(`${tally.edited} changed by someone meanwhile ${were(tally.edited)} left as they are`);
  if (tally.bracketed) parts.push(`${tally.bracketed} kept their formula in extra brackets, =( ), because putting the text back failed; they compute the same`);
  return parts.join("; ");
}

const size = (block: Block) => block.formulas.length * block.formulas[0]!.length;

/**
 * Makes every KLING_ formula in every sheet compute again. Never throws for a platform fault:
 * what could not be done is counted and said in `note`.
 */
export function recalculateKlingFormulas(): Recalculated {
  const started = Date.now();
  const tally = emptyTally();
  const sheetsDone = new Set<GoogleAppsScript.Spreadsheet.Sheet>();
  try {
    const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
    const work: { sheet: GoogleAppsScript.Spreadsheet.Sheet; block: Block }[] = [];
    let areas: LockedArea[] | undefined;
    for (const sheet of spreadsheet.getSheets()) {
      const rows = sheet.getLastRow();
      const columns = sheet.getLastColumn();
      if (rows === 0 || columns === 0) continue;
      const formulas = sheet.getRange(1, 1, rows, columns).getFormulas();
      if (!formulas.some((line) => line.some(callsKling))) continue;
      areas ??= lockedAreas(spreadsheet);
      const id = areas.length ? sheet.getSheetId() : 0;
      const here = areas.filter((a) => a.sheetId === id);
      const locked = (r: number, c: number) => here.some((a) => within(a, r, c) && !a.except.some((e) => within(e, r, c)));
      for (const block of blocksOf(formulas, (r, c) => {
        if (!callsKling(formulas[r]![c]!)) return false;
        if (!here.length || !locked(r + 1, c + 1)) return true;
        tally.protected++;
        return false;
      })) work.push({ sheet, block });
    }
    const lock = work.length ? LockService.getDocumentLock() : null;
    let failures = 0;
    for (let w = 0; w < work.length; w++) {
      const { sheet, block } = work[w]!;
      const stop = Date.now() - started > TIME_BUDGET_MS ? "time ran out"
        : failures >= MAX_FAILURES ? `writes kept failing: ${tally.reason.replace(/^a write failed: /, "")}`
        : tryLock(lock!) ? "" : "another recalculation kept the spreadsheet busy";
      if (stop) {
        tally.failed += work.slice(w).reduce((n, rest) => n + size(rest.block), 0);
        tally.reason = stop;
        break;
      }
      let t: Tally;
      try {
        t = rewriteBlock(sheet, block);
      } catch (error) {
        t = { ...emptyTally(), failed: size(block), reason: `Sheets failed: ${errorMessage(error)}` };
      } finally {
        lock!.releaseLock();
      }
      failures = t.failed ? failures + 1 : 0;
      if (t.cells) sheetsDone.add(sheet);
      tally.cells += t.cells;
      tally.protected += t.protected;
      tally.edited += t.edited;
      tally.failed += t.failed;
      tally.bracketed += t.bracketed;
      tally.reason ||= t.reason;
    }
  } catch (error) {
    tally.reason = `Sheets failed: ${errorMessage(error)}`; // before any block, or between two: the cells are whole
  }
  return {
    cells: tally.cells,
    sheets: sheetsDone.size,
    skipped: { protected: tally.protected, edited: tally.edited, failed: tally.failed },
    bracketed: tally.bracketed,
    note: noteOf(tally),
  };
}

function tryLock(lock: GoogleAppsScript.Lock.Lock): boolean {
  try {
    return lock.tryLock(LOCK_MS);
  } catch {
    return false;
  }
}
