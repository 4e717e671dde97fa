// Units bought up front that expire before the use eats them.
import { clean } from "../numbers";

/**
 * Of `units` bought at the start of month 1 and usable `months` months, what `use` (units per
 * month, month 1 first; months past the list use nothing) leaves unspent when they expire.
 */
export function forfeitUnits(units: number, months: number, use: readonly number[]): number {
  let spent = 0;
  for (let m = 0; m < Math.min(months, use.length); m++) spent += use[m]!;
  return Math.max(0, clean(units - spent));
}
