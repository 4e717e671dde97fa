import { defaultRateTable } from "../core/rates/default-table";
import type { RateTable } from "../core/rates/types";

/** The rate table every KLING_ formula in this spreadsheet uses. */
export function currentRateTable(): RateTable {
  return defaultRateTable();
}
