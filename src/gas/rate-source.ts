import type { RateContext } from "../core/sheet-settings";
import type { RateTable } from "../core/rates/types";
import { loadRateTable } from "./storage";

/** The rate table every KLING_ formula uses: the saved one, else the built-in default. */
export function currentRateTable(): RateTable {
  return loadRateTable();
}

/**
 * The rate table with the spreadsheet's locale and time zone, from the same single storage read.
 * (Stub: the settings are not stored yet; storage.ts will carry them in the cache entry.)
 */
export function currentRates(): RateContext {
  return { table: loadRateTable(), locale: "", timeZone: "" };
}
