// The rate table's home in the spreadsheet: document properties (travel with the file, shared by
// its editors) with the document cache in front. The layout and the rules are in core/rates/versions.ts.
//
// The cache holds two keys: the entry (a version's table, its lookups and the spreadsheet's
// settings) and a marker (the version the store says is current). Only an entry whose version
// equals the marker is used. A save moves the marker to its version before its commit, so once a
// save lands no older entry is used again, whoever put it and whatever fails after the commit.
import { isRecord } from "../core/own";
import { primeRateIndex } from "../core/rates/lookup";
import { defaultRateTable } from "../core/rates/default-table";
import type { RateTable } from "../core/rates/types";
import { type Codec, currentVersion, META_KEY, type Payload, readCurrent, type SavePlan } from "../core/rates/versions";
import type { RateContext, SheetSettings } from "../core/sheet-settings";
import { errorMessage } from "./platform";

export const CACHE_KEY = "kb.rates.current";
export const MARKER_KEY = "kb.rates.marker";
/** A save, or a reader that found the marker in place, fills the cache for the longest time the platform allows. */
const SAVED_SECONDS = 6 * 60 * 60;
/**
 * The marker a save puts before its commit, and the entries of a reader that had to put the marker
 * itself, live briefly: if a save's last step fails, readers go back to the properties within minutes.
 */
const BRIEF_SECONDS = 10 * 60;

/** gzip, then base64: a table compresses about 6x, so 20 versions fit the 500 KB store easily. */
export const gzipCodec: Codec = {
  pack: (json) => Utilities.base64Encode(Utilities.gzip(Utilities.newBlob(json, "application/json")).getBytes()),
  unpack: (text) => Utilities.ungzip(Utilities.newBlob(Utilities.base64Decode(text), "application/x-gzip")).getDataAsString(),
};

const properties = () => PropertiesService.getDocumentProperties();

function documentCache(): GoogleAppsScript.Cache.Cache | null {
  try {
    return CacheService.getDocumentCache();
  } catch {
    return null; // no cache: every execution reads the properties
  }
}

/** One read of the whole store, so the table's parts all come from the same moment. */
export function readSnapshot(): Record<string, string> {
  return properties().getProperties();
}

/** The spreadsheet's locale and time zone; "" for whatever the platform does not say. */
export function sheetSettings(): SheetSettings {
  let spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet | null = null;
  try {
    spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
  } catch {
    return { locale: "", timeZone: "" };
  }
  const read = (get: () => unknown) => {
    try {
      const value = get();
      return typeof value === "string" ? value : "";
    } catch {
      return "";
    }
  };
  return { locale: read(() => spreadsheet?.getSpreadsheetLocale()), timeZone: read(() => spreadsheet?.getSpreadsheetTimeZone()) };
}

interface Entry extends SheetSettings {
  version: number;
  table?: RateTable;
  lookup?: Payload["lookup"];
}

function entryText(version: number, payload: Payload | undefined, settings: SheetSettings): string {
  const entry: Entry = payload ? { version, table: payload.table, lookup: payload.lookup, ...settings } : { version, ...settings };
  return JSON.stringify(entry);
}


/** The rates in a cache entry, or undefined when it is not one this version wrote whole. */
function fromEntry(text: string | undefined, marker: number | undefined): RateContext | undefined {
  if (text === undefined || marker === undefined) return undefined;
  let entry: Partial<Entry>;
  try {
    entry = JSON.parse(text) as Partial<Entry>;
  } catch {
    return undefined;
  }
  if (!isRecord(entry) || entry.version !== marker || typeof entry.locale !== "string" || typeof entry.timeZone !== "string") return undefined;
  if (entry.version === 0) return { table: defaultRateTable(), locale: entry.locale, timeZone: entry.timeZone };
  const { table, lookup } = entry;
  const lists = ["rates", "packages", "providers", "models", "qualities"] as const;
  if (!isRecord(table) || !lists.every((k) => Array.isArray(table[k])) || table.version !== entry.version) return undefined;
  if (!isRecord(lookup) || !(["models", "qualities", "modelQualities", "rates", "packages"] as const).every((k) => isRecord(lookup[k]))) return undefined;
  primeRateIndex(table as RateTable, lookup as Payload["lookup"]);
  return { table: table as RateTable, locale: entry.locale, timeZone: entry.timeZone };
}

function markerOf(text: string | undefined): number | undefined {
  const n = text === undefined ? Number.NaN : Number(text);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

function tableOf(payload: Payload | undefined): RateTable {
  if (!payload) return defaultRateTable();
  primeRateIndex(payload.table, payload.lookup);
  return payload.table;
}

/**
 * The rates every KLING_ formula uses, with the spreadsheet's settings. Warm: one cache read (the
 * entry and the marker together). Cold (the cache may drop anything at any time, or a save just
 * moved the marker): one properties read, then the cache is filled for the next execution.
 */
export function loadRates(): RateContext {
  const cache = documentCache();
  let found: Record<string, string> = {};
  try {
    found = cache?.getAll([CACHE_KEY, MARKER_KEY]) ?? {};
  } catch {
    // A cache that fails costs this execution a properties read, never the answer.
  }
  const marker = markerOf(found[MARKER_KEY]);
  const warm = fromEntry(found[CACHE_KEY], marker);
  if (warm) return warm;

  let snapshot = readSnapshot();
  let version = currentVersion(snapshot);
  let payload = readCurrent(snapshot, gzipCodec);
  const settings = sheetSettings();
  if (cache) {
    try {
      if (marker === version) {
        // The marker is only ever moved forward by a save, before it commits: if one lands after
        // the read above, it has moved the marker past this entry already, and it is never used.
        cache.put(CACHE_KEY, entryText(version, payload, settings), SAVED_SECONDS);
      } else if (marker === undefined || marker < version) {
        // No marker: put one, then read the store again. A save that landed in between is seen
        // there, and this execution answers with it and takes its entry back out.
        cache.putAll({ [CACHE_KEY]: entryText(version, payload, settings), [MARKER_KEY]: String(version) }, BRIEF_SECONDS);
        snapshot = readSnapshot();
        if (currentVersion(snapshot) !== version) {
          version = currentVersion(snapshot);
          payload = readCurrent(snapshot, gzipCodec);
          cache.removeAll([CACHE_KEY, MARKER_KEY]);
        }
      }
      // A marker ahead of the store: a save is on its way (or failed); its entry will come with it.
    } catch {
      // A cache that refuses costs the next execution a properties read.
    }
  }
  return { table: tableOf(payload), ...settings };
}

/** Thrown when a save did not take effect; the message says so for the analyst. */
export class SaveNotStored extends Error {
  override name = "SaveNotStored";
}


/**
 * Carries out a planned save; the caller holds the document lock. Returns once the meta key is
 * stored (the commit); throws SaveNotStored when it was not, and then the old table is whole. What
 * comes after the commit (removing old parts, refreshing the cache) is best effort.
 */
export function writeSave(plan: SavePlan, previous: number): void {
  const store = properties();
  const cache = documentCache();
  // Before the commit: move the marker, so no entry of the old version is used once the save lands.
  try {
    cache?.put(MARKER_KEY, String(plan.version), BRIEF_SECONDS);
  } catch {
    try {
      cache?.removeAll([CACHE_KEY, MARKER_KEY]);
    } catch (error) {
      throw new SaveNotStored(`the rates were not saved: Google's cache did not answer (${errorMessage(error)}), and formulas could have kept the old rates; nothing changed, try again in a moment`);
    }
  }
  try {
    if (plan.trim) {
      if (plan.trim.meta) store.setProperty(META_KEY, plan.trim.meta);
      for (const key of plan.trim.remove) store.deleteProperty(key);
    }
    store.setProperties(plan.set);
    store.setProperty(META_KEY, plan.meta);
  } catch (error) {
    const stored = committed(plan);
    if (stored === false) {
      try {
        cache?.put(MARKER_KEY, String(previous), SAVED_SECONDS); // the old entry is good again
      } catch {
        // it will expire; until then formulas read the properties
      }
      throw new SaveNotStored(`the rates were not saved (${errorMessage(error)}); the saved rates are unchanged`);
    }
    if (stored === undefined) {
      throw new SaveNotStored(`the rates may not have been saved (${errorMessage(error)}); reload to see which version is current`);
    }
  }
  for (const key of plan.remove) {
    try {
      store.deleteProperty(key);
    } catch {
      break; // the next save removes what is left
    }
  }
  try {
    cache?.putAll({ [CACHE_KEY]: entryText(plan.version, plan.payload, sheetSettings()), [MARKER_KEY]: String(plan.version) }, SAVED_SECONDS);
  } catch {
    // The marker already names the new version: formulas read it from the properties.
  }
}

/** Whether a write that threw stored the meta record anyway; undefined when the store cannot say. */
function committed(plan: SavePlan): boolean | undefined {
  try {
    return properties().getProperty(META_KEY) === plan.meta;
  } catch {
    return undefined;
  }
}
