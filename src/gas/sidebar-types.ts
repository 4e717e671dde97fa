// The plain data the sidebar and the server exchange through google.script.run (no Dates, no
// class instances). Types only, so the sidebar can share them without Apps Script's globals.
import type { DiffLine } from "../core/rates/diff";
import type { RateTable } from "../core/rates/types";

export interface VersionInfo {
  version: number;
  /** ISO 8601 UTC; "" for the built-in table. */
  savedAt: string;
  /** The saver's email when the platform gives it, else "". */
  savedBy: string;
  summary: string;
}

export interface HistoryEntry extends VersionInfo {
  /** Its table is still stored (the versions history keeps, and the built-in version 0). */
  restorable: boolean;
}

export interface RatesState extends VersionInfo {
  table: RateTable;
  /** Newest first, the current version included. */
  history: HistoryEntry[];
  /**
   * How much history may hold in this spreadsheet: at most `versions` saved versions and
   * `kilobytes` KB of document properties (less when other scripts of the file use some); the
   * oldest versions go first when a save needs the room.
   */
  historyKept: { versions: number; kilobytes: number };
  /** The version Undo would bring back, or null when there is nothing to undo. */
  undoTo: number | null;
  refreshUrl: string;
  /** URL prefixes the manifest lets Refresh fetch. */
  allowedUrlPrefixes: string[];
  /** Today in the spreadsheet's time zone, YYYY-MM-DD, for dating edited rows. */
  today: string;
  /** The spreadsheet's locale ("de_DE"; "" when not known): numbers are typed and shown in its convention. */
  locale: string;
}

export interface Failure {
  ok: false;
  /** Each names the row and field and what is allowed. */
  problems: string[];
  /** Set when the save was based on an older version than the stored one. */
  conflict?: boolean;
}

export interface Preview {
  ok: true;
  baseVersion: number;
  diff: DiffLine[];
  summary: string;
  /** The validated table that Apply would save. */
  table: RateTable;
  /** Versions saving this would drop from history (by count or by size), newest first, oldest last; empty when none. */
  willDrop: HistoryEntry[];
}

export interface Recalculated {
  /** KLING_ cells written again, so they computed with the saved rates. */
  cells: number;
  /** Sheets with at least one of those cells. */
  sheets: number;
  /**
   * KLING_ cells left as they were: in a sheet or range the user may not edit; changed by someone
   * while the recalculation ran (left as they left them); or a write failed, time ran out, or
   * another recalculation kept the spreadsheet busy.
   */
  skipped: { protected: number; edited: number; failed: number };
  /** Of `cells`, those left as "=(formula)" because writing their own text back failed; they compute the same. */
  bracketed: number;
  /** What was not recalculated and what to do, for people; "" when every KLING_ cell was. */
  note: string;
}

export interface Saved {
  ok: true;
  state: RatesState;
  recalculated: Recalculated;
}

export interface Fetched {
  ok: true;
  url: string;
  text: string;
  bytes: number;
}
