// Sync: Kling's resource packs and unit deductions into the sheets "Kling packs" and "Kling usage".
// Everything is fetched before anything is written, and a write that throws puts back what it
// changed (values, formulas and formats), so a failed sync leaves both sheets as they were. Only
// the synced columns and rows are touched: what the analyst adds beside or below them stays.
import { type Deduction, type Pack, deductionKey, readDeductionPage, readPacks } from "../core/actuals/account";
import { DAY_MS } from "../core/actuals/burn";
import {
  PACK_COLUMNS, PACK_DATE_COLUMNS, PACKS_SHEET, type Row, USAGE_COLUMNS, USAGE_DATE_COLUMNS, USAGE_SHEET, newDeductions, packPrice, packRows, usageRow,
} from "../core/actuals/sheets";
import { isBlank } from "../core/errors";
import type { RateTable } from "../core/rates/types";
import type { SyncOutcome } from "./account-types";
import { type Credentials, KlingError, klingClient, readCredentials, RESUME_KEY } from "./kling-api";
import { errorMessage, readUserJson } from "./platform";
import { currentRateTable } from "./rate-source";

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** Packs bought this long ago can still hold units (Kling filters /account/costs by purchase time). */
const PACK_LOOKBACK_DAYS = 400;
/** The first sync reads this much usage; later ones start a day before the newest row they hold. */
const FIRST_USAGE_DAYS = 90;
/** Apps Script stops a menu or sidebar execution at 6 minutes: stop fetching well before. */
const FETCH_BUDGET_MS = 4.5 * 60 * 1000;
const DATE_FORMAT = "yyyy-mm-dd hh:mm";

/** Where an unfinished sync goes on: a cursor of this host's account. */
interface Resume {
  host: string;
  cursor: string;
}

const userProperties = () => PropertiesService.getUserProperties();

/** Kling's exact deduction time of a usage row (the date cell, for rows from before that column). */
function deductedAt(row: unknown[]): number {
  const exact = row[USAGE_COLUMNS.indexOf("Deduction time (ms)")];
  return typeof exact === "number" ? exact : new Date(row[USAGE_COLUMNS.indexOf("Deducted at")] as Date).getTime();
}

interface Usage {
  rows: unknown[][];
  keys: Set<string>;
  /** The sheet row after the last one with anything in the synced columns: new rows go there. */
  next: number;
}

/** The rows the usage sheet holds in its synced columns (never beyond them). */
function existingUsage(sheet: Sheet | null): Usage {
  if (!sheet || sheet.getLastRow() < 2) return { rows: [], keys: new Set(), next: 2 };
  const values = sheet.getRange(2, 1, sheet.getLastRow() - 1, USAGE_COLUMNS.length).getValues();
  let last = -1;
  values.forEach((row, i) => row.some((cell) => !isBlank(cell)) && (last = i));
  const rows = values.filter((row) => !isBlank(row[0]));
  const keys = new Set(rows.map((row) => deductionKey({ taskId: String(row[0]), deductedAt: deductedAt(row), packId: String(row[USAGE_COLUMNS.indexOf("Pack ID")]) })));
  // A row the analyst cleared in the middle is not filled: appending after the last one used never overwrites a row.
  return { rows, keys, next: last + 3 };
}

/** How many rows under its header the last sync wrote to the packs sheet (its Pack column, until the first blank). */
function syncedPackRows(sheet: Sheet): number {
  const height = sheet.getLastRow() - 1;
  if (height < 1) return 0;
  const names = sheet.getRange(2, 1, height, 1).getValues();
  const blank = names.findIndex(([name]) => isBlank(name));
  return blank < 0 ? height : blank;
}

interface Fetched {
  packs: Pack[];
  deductions: Deduction[];
  /** Set when fetching stopped for time with more to read. */
  cursor: string;
}

function fetchAll(credentials: Credentials, now: number, since: number, cursor: string | undefined, started: number): Fetched {
  const client = klingClient(credentials);
  const packs = readPacks(client.packs(now - PACK_LOOKBACK_DAYS * DAY_MS, now));
  const deductions: Deduction[] = [];
  let page = readDeductionPage(client.deductions(cursor ? { cursor } : { fromMs: since, toMs: now }));
  deductions.push(...page.deductions);
  while (page.hasMore) {
    if (Date.now() - started > FETCH_BUDGET_MS) return { packs, deductions, cursor: page.nextCursor };
    page = readDeductionPage(client.deductions({ cursor: page.nextCursor }));
    deductions.push(...page.deductions);
  }
  return { packs, deductions, cursor: "" };
}

const toCells = (row: Row, dateColumns: readonly number[]) => row.map((value, c) => (dateColumns.includes(c) && typeof value === "number" ? new Date(value) : value));

/** Writes both sheets; on a throw, undoes what it wrote and rethrows. */
function writeSheets(table: RateTable, fetched: Fetched, usage: Usage, now: number, writePacks: boolean): number {
  const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
  const undo: (() => void)[] = [];
  const sheetFor = (name: string): Sheet => {
    const found = spreadsheet.getSheetByName(name);
    if (found) return found;
    const made = spreadsheet.insertSheet(name);
    undo.push(() => spreadsheet.deleteSheet(made));
    return made;
  };
  /** Writes a block of values (dates formatted as dates), remembering what was there, formulas included. */
  const writeBlock = (sheet: Sheet, row: number, values: unknown[][], dateColumns: readonly number[]) => {
    const range = sheet.getRange(row, 1, values.length, values[0]!.length);
    const before = range.getValues();
    const formulas = range.getFormulas();
    const formats = range.getNumberFormats();
    undo.push(() => {
      range.setValues(before.map((line, r) => line.map((value, c) => formulas[r]![c] || value)));
      range.setNumberFormats(formats);
    });
    range.setValues(values);
    range.setNumberFormats(values.map((line, r) => line.map((_, c) => (dateColumns.includes(c) && !(row === 1 && r === 0) ? DATE_FORMAT : formats[r]![c]!))));
  };
  try {
    const prices = new Map(fetched.packs.map((p) => [p.id, packPrice(table, p).usdPerUnit]));
    const fresh = newDeductions(usage.keys, fetched.deductions);
    const usageSheet = sheetFor(USAGE_SHEET);
    const rows = fresh.map((d) => toCells(usageRow(table, d, prices.get(d.packId)), USAGE_DATE_COLUMNS));
    if (usage.next === 2) writeBlock(usageSheet, 1, [[...USAGE_COLUMNS], ...rows], USAGE_DATE_COLUMNS);
    else if (rows.length) writeBlock(usageSheet, usage.next, rows, USAGE_DATE_COLUMNS);
    if (writePacks) {
      const all = [
        ...usage.rows.map((row) => ({ deductedAt: deductedAt(row), units: Number(row[USAGE_COLUMNS.indexOf("Units")]), packId: String(row[USAGE_COLUMNS.indexOf("Pack ID")]) })),
        ...fresh,
      ];
      const packs = packRows(table, fetched.packs, all, now).map((row) => toCells(row, PACK_DATE_COLUMNS));
      const packsSheet = sheetFor(PACKS_SHEET);
      // Rows left from a sync with more packs are blanked; nothing below them is touched.
      const height = Math.max(packs.length, syncedPackRows(packsSheet)) + 1;
      const blank = PACK_COLUMNS.map(() => "");
      writeBlock(packsSheet, 1, [[...PACK_COLUMNS], ...packs, ...Array.from({ length: height - packs.length - 1 }, () => blank)], PACK_DATE_COLUMNS);
    }
    return fresh.length;
  } catch (error) {
    for (const step of undo.reverse()) {
      try {
        step();
      } catch {
        // Keep undoing the rest: each step restores its own range.
      }
    }
    throw error;
  }
}

/** A one-off trigger that runs the sync again in a minute; false when the platform refused it. */
function continueLater(): boolean {
  try {
    for (const trigger of ScriptApp.getProjectTriggers()) {
      if (trigger.getHandlerFunction() === "syncKlingAccount" && trigger.getEventType() === ScriptApp.EventType.CLOCK) ScriptApp.deleteTrigger(trigger);
    }
    ScriptApp.newTrigger("syncKlingAccount").timeBased().after(60 * 1000).create();
    return true;
  } catch {
    return false;
  }
}

const failed = (message: string): SyncOutcome => ({ ok: false, message, packs: 0, newUsageRows: 0, continues: false });

/** Sync Kling account: the menu item, the sidebar button and the continuation trigger all call this. */
export function syncKlingAccount(): SyncOutcome {
  const started = Date.now();
  const credentials = readCredentials();
  if (!credentials) return failed("Connect your Kling account first (Kling Budget > Rates... > Kling account)");
  const lock = LockService.getDocumentLock();
  if (!lock.tryLock(10_000)) return failed("Another sync or save is running; try again in a moment");
  try {
    const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
    const usage = existingUsage(spreadsheet.getSheetByName(USAGE_SHEET));
    const newest = usage.rows.reduce((max, row) => Math.max(max, deductedAt(row)), -Infinity);
    const now = Date.now();
    const since = Number.isFinite(newest) ? newest - DAY_MS : now - FIRST_USAGE_DAYS * DAY_MS;
    const resume = readUserJson<Resume>(RESUME_KEY);
    const cursor = resume?.host === credentials.host ? resume.cursor : undefined;
    let fetched: Fetched;
    try {
      fetched = fetchAll(credentials, now, since, cursor, started);
    } catch (error) {
      if (!(error instanceof KlingError) && (error as Error).name !== "KlingAnswerError") throw error;
      // A cursor Kling no longer takes must not block every later sync: the next one reads by time
      // (from a day before the newest row held), and rows it already has are not added twice.
      if (cursor) userProperties().deleteProperty(RESUME_KEY);
      return failed(`Sync failed; the sheets are unchanged. ${errorMessage(error)}`);
    }
    const done = fetched.cursor === "";
    let added: number;
    try {
      added = writeSheets(currentRateTable(), fetched, usage, now, done);
    } catch (error) {
      return failed(`Sync failed while writing; the sheets are as they were. ${errorMessage(error)}`);
    }
    if (!done) {
      userProperties().setProperty(RESUME_KEY, JSON.stringify({ host: credentials.host, cursor: fetched.cursor } satisfies Resume));
      const rows = `${added} usage row${added === 1 ? "" : "s"} synced so far`;
      return continueLater()
        ? { ok: true, message: `${rows}; the rest follows in about a minute`, packs: 0, newUsageRows: added, continues: true }
        : { ok: true, message: `${rows}; press Sync again to read the rest (Google did not let the add-in schedule it)`, packs: 0, newUsageRows: added, continues: false };
    }
    userProperties().deleteProperty(RESUME_KEY);
    return { ok: true, message: `Synced ${fetched.packs.length} pack${fetched.packs.length === 1 ? "" : "s"} and ${added} new usage row${added === 1 ? "" : "s"}`, packs: fetched.packs.length, newUsageRows: added, continues: false };
  } finally {
    lock.releaseLock();
  }
}
