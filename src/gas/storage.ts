// The rate table's home in the spreadsheet: document properties (travel with the file, shared by
// its editors) with the document cache in front. The layout and the rules are in core/rates/versions.ts.
import { primeRateIndex } from "../core/rates/lookup";
import { defaultRateTable } from "../core/rates/default-table";
import type { RateTable } from "../core/rates/types";
import { type Codec, META_KEY, type Payload, type SavePlan, readCurrent } from "../core/rates/versions";

export const CACHE_KEY = "kb.rates.current";
/** A save refreshes the cache for the longest time the platform allows. */
const SAVED_SECONDS = 6 * 60 * 60;
/**
 * A reader that found the cache empty fills it only briefly: if a save lands between its read and
 * its put, the stale entry it leaves lasts minutes, not hours.
 */
const READER_SECONDS = 10 * 60;

/** gzip, then base64: a table compresses about 6x, so 20 versions fit the 500 KB store easily. */
export const gzipCodec: Codec = {
  pack: (json) => Utilities.base64Encode(Utilities.gzip(Utilities.newBlob(json, "application/json")).getBytes()),
  unpack: (text) => Utilities.ungzip(Utilities.newBlob(Utilities.base64Decode(text), "application/x-gzip")).getDataAsString(),
};

const properties = () => PropertiesService.getDocumentProperties();
const cache = () => CacheService.getDocumentCache();

/** One read of the whole store, so the table's parts all come from the same moment. */
export function readSnapshot(): Record<string, string> {
  return properties().getProperties();
}

function tableOf(payload: Payload | undefined): RateTable {
  if (!payload) return defaultRateTable();
  primeRateIndex(payload.table, payload.lookup);
  return payload.table;
}

/**
 * The table every KLING_ formula uses. Warm: one cache read. Cold (the cache may drop anything at
 * any time): one properties read, then the cache is filled for the next execution.
 */
export function loadRateTable(): RateTable {
  const documentCache = cache();
  const cached = documentCache?.get(CACHE_KEY);
  if (cached) {
    const payload = JSON.parse(cached) as Partial<Payload> & { version: number };
    return payload.version === 0 ? defaultRateTable() : tableOf(payload as Payload);
  }
  const payload = readCurrent(readSnapshot(), gzipCodec);
  try {
    documentCache?.put(CACHE_KEY, cacheEntry(payload), READER_SECONDS);
  } catch {
    // A cache that refuses the entry only costs the next execution a properties read.
  }
  return tableOf(payload);
}

function cacheEntry(payload: Payload | undefined): string {
  return payload ? JSON.stringify({ version: payload.table.version, table: payload.table, lookup: payload.lookup }) : '{"version":0}';
}

/** Carries out a planned save; the caller holds the document lock. The meta key goes last: it makes the save take effect. */
export function writeSave(plan: SavePlan): void {
  const store = properties();
  store.setProperties(plan.set);
  store.setProperty(META_KEY, plan.meta);
  for (const key of plan.remove) store.deleteProperty(key);
  try {
    cache()?.put(CACHE_KEY, cacheEntry(plan.payload), SAVED_SECONDS);
  } catch {
    cache()?.remove(CACHE_KEY);
  }
}
