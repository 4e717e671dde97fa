// What the sidebar calls through google.script.run. Arguments and results are plain data
// (strings, numbers, booleans, arrays, objects): no Dates, no class instances; their types are in
// sidebar-types.ts, which the sidebar shares.
import { defaultRateTable } from "../core/rates/default-table";
import { diffTables, summarize } from "../core/rates/diff";
import { validateRateTable } from "../core/rates/schema";
import type { RateTable } from "../core/rates/types";
import {
  conflictMessage, historyLimits, KEEP_VERSIONS, type Meta, planSave, readCurrent, readMeta, readVersion, StoreError, undoTarget, type VersionRecord,
} from "../core/rates/versions";
import { recalculateKlingFormulas } from "./recalc";
import { REFRESH_URL_KEY, urlPrefixes } from "./refresh";
import type { Failure, HistoryEntry, Preview, RatesState, Saved, VersionInfo } from "./sidebar-types";
import { errorMessage } from "./platform";
import { gzipCodec, readSnapshot, SaveNotStored, sheetSettings, writeSave } from "./storage";

/** Why a document lock wait gives up: long enough for another save, short enough for a sidebar click. */
const LOCK_MS = 10_000;

const BUILT_IN: HistoryEntry = { version: 0, savedAt: "", savedBy: "", summary: "Built-in rates (the pricing article)", restorable: true };

function who(): string {
  try {
    return Session.getActiveUser().getEmail() || "";
  } catch {
    return ""; // the platform does not always say who is editing
  }
}

function today(timeZone: string): string {
  return Utilities.formatDate(new Date(), timeZone || "UTC", "yyyy-MM-dd");
}

const failure = (problems: string[], conflict = false): Failure => (conflict ? { ok: false, problems, conflict } : { ok: false, problems });

const entryOf = (v: VersionRecord): HistoryEntry => ({ version: v.version, savedAt: v.savedAt, savedBy: v.savedBy, summary: v.summary, restorable: true });

function stateOf(snapshot: Record<string, string>): RatesState {
  const settings = sheetSettings();
  const meta = readMeta(snapshot);
  const payload = readCurrent(snapshot, gzipCodec);
  const record = meta?.versions.find((v) => v.version === meta.current);
  const info: VersionInfo = record
    ? { version: record.version, savedAt: record.savedAt, savedBy: record.savedBy, summary: record.summary }
    : { version: 0, savedAt: "", savedBy: "", summary: BUILT_IN.summary };
  return {
    ...info,
    table: payload?.table ?? defaultRateTable(),
    history: [...(meta?.versions ?? []).map(entryOf), BUILT_IN],
    historyKept: { versions: KEEP_VERSIONS, kilobytes: Math.floor(historyLimits(snapshot).bytes / 1024) },
    undoTo: undoTarget(meta)?.version ?? null,
    refreshUrl: snapshot[REFRESH_URL_KEY] ?? "",
    allowedUrlPrefixes: [...urlPrefixes()],
    today: today(settings.timeZone),
    locale: settings.locale,
  };
}

export function getRatesState(): RatesState {
  return stateOf(readSnapshot());
}

function storedTable(snapshot: Record<string, string>): RateTable {
  return readCurrent(snapshot, gzipCodec)?.table ?? defaultRateTable();
}

/** The refusal for work based on an older version than the stored one, if it is. */
function conflict(meta: Meta | undefined, baseVersion: number): Failure | undefined {
  const current = meta?.current ?? 0;
  if (current === baseVersion) return undefined;
  return failure([conflictMessage(meta?.versions.find((v) => v.version === current), current)], true);
}

function preview(after: RateTable, baseVersion: number, snapshot = readSnapshot()): Preview | Failure {
  const refused = conflict(readMeta(snapshot), baseVersion);
  if (refused) return refused;
  const diff = diffTables(storedTable(snapshot), after);
  const summary = summarize(diff);
  let willDrop: HistoryEntry[];
  try {
    // The save's own plan on the same store, so the sidebar names exactly the versions it will drop.
    willDrop = planSave(snapshot, { table: after, baseVersion, savedAt: "", savedBy: "", summary }, gzipCodec).dropped.map(entryOf);
  } catch (error) {
    if (error instanceof StoreError) return failure([error.message], error.conflict);
    throw error;
  }
  return { ok: true, baseVersion, diff, summary, table: after, willDrop };
}

/** Checks a table from an edit, an import or a refresh, and shows what saving it would change. */
export function previewRates(candidate: unknown, baseVersion: number): Preview | Failure {
  const checked = validateRateTable(candidate);
  return checked.ok ? preview(checked.table, baseVersion) : failure(checked.problems);
}

export function previewReset(baseVersion: number): Preview | Failure {
  return preview(defaultRateTable(), baseVersion);
}

export function previewRestore(version: number, baseVersion: number): Preview | Failure {
  const snapshot = readSnapshot();
  if (version === 0) return preview(defaultRateTable(), baseVersion, snapshot);
  const record = readMeta(snapshot)?.versions.find((v) => v.version === version);
  if (!record) return failure([`version ${version} is no longer stored; history keeps the last ${KEEP_VERSIONS} versions, fewer when the rate table is large`]);
  return preview(readVersion(snapshot, record, gzipCodec).table, baseVersion, snapshot);
}

interface Change {
  table: RateTable;
  /** Starts the history line; the diff's summary follows. */
  label: string;
  undoOf?: VersionRecord | "built-in";
}

/**
 * Stores the next version under the document lock, then makes every KLING_ formula recompute.
 * `change` picks the table from the store as it is once the lock is held.
 */
function commit(baseVersion: number, change: (snapshot: Record<string, string>, meta: Meta | undefined) => Change | Failure): Saved | Failure {
  const lock = LockService.getDocumentLock();
  if (!lock.tryLock(LOCK_MS)) return failure(["another editor is saving the rates right now; try again in a moment"]);
  let saved = 0;
  try {
    // Up to the commit in writeSave, a failure leaves the saved rates as they were, and says so.
    const snapshot = readSnapshot();
    const meta = readMeta(snapshot);
    const refused = conflict(meta, baseVersion);
    if (refused) return refused;
    const picked = change(snapshot, meta);
    if ("ok" in picked) return picked;
    const diff = diffTables(storedTable(snapshot), picked.table);
    if (diff.length === 0) return failure([`nothing to save: the rates are the same as version ${baseVersion}`]);
    const plan = planSave(snapshot, {
      table: picked.table, baseVersion, savedAt: new Date().toISOString(), savedBy: who(),
      summary: `${picked.label}: ${summarize(diff)}`, undoOf: picked.undoOf,
    }, gzipCodec);
    writeSave(plan, meta?.current ?? 0);
    saved = plan.version;
  } catch (error) {
    if (error instanceof StoreError) return failure([error.message], error.conflict);
    if (error instanceof SaveNotStored) return failure([error.message]);
    return failure([`the rates were not saved (${errorMessage(error)}); the saved rates are unchanged`]);
  } finally {
    try {
      lock.releaseLock();
    } catch {
      // The platform releases it when the execution ends; a saved version stays saved.
    }
  }
  // Stored: from here on the answer is "saved", whatever the recalculation manages.
  const recalculated = recalculateKlingFormulas();
  try {
    return { ok: true, state: getRatesState(), recalculated };
  } catch (error) {
    // A quota or a stop while reading it back must not make a stored version look unsaved.
    return failure([`version ${saved} is saved, but reading it back failed (${errorMessage(error)}); reload to see it`], true);
  }
}

/** Saves a table the sidebar built (edits, import, refresh, reset, restore); `action` starts its history line. */
export function saveRates(candidate: unknown, baseVersion: number, action: string): Saved | Failure {
  const checked = validateRateTable(candidate);
  if (!checked.ok) return failure(checked.problems);
  const label = String(action ?? "").trim().slice(0, 200) || "Saved";
  return commit(baseVersion, () => ({ table: checked.table, label }));
}

/** Brings back the version Undo points at, as a new version: history only grows. */
export function undoRates(baseVersion: number): Saved | Failure {
  return commit(baseVersion, (snapshot, meta) => {
    const target = undoTarget(meta);
    if (!target) return failure(["there is nothing to undo"]);
    const table = target.record === "built-in" ? defaultRateTable() : readVersion(snapshot, target.record, gzipCodec).table;
    return { table, label: `Undo to version ${target.version}`, undoOf: target.record };
  });
}
