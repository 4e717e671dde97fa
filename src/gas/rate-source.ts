import type { RateContext } from "../core/sheet-settings";
import type { RateTable } from "../core/rates/types";
import { loadRates } from "./storage";

/** The rate table every KLING_ formula uses: the saved one, else the built-in default. */
export function currentRateTable(): RateTable {
  return loadRates().table;
}

/**
 * The rate table with the spreadsheet's locale and time zone, from the same single storage read
 * (the cache entry carries them; they are read from the spreadsheet when the entry is made).
 */
export function currentRates(): RateContext {
  return loadRates();
}
