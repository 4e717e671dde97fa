import type { RateTable } from "../core/rates/types";
import { loadRateTable } from "./storage";

/** The rate table every KLING_ formula in this spreadsheet uses: the saved one, else the built-in default. */
export function currentRateTable(): RateTable {
  return loadRateTable();
}
