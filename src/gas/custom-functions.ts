// The custom functions as Sheets sees them. Each is a thin call into the core with the current
// rate table. build.mjs copies every JSDoc block here onto the generated top-level wrapper, so
// this text is the formula help in Sheets.
import { klingActual, klingExpiring, klingRunway } from "../core/functions/actuals";
import { klingBestPackage } from "../core/functions/best-package";
import { klingCost, klingUnits } from "../core/functions/clip";
import { klingCompare } from "../core/functions/compare";
import { klingEffectiveCost } from "../core/functions/effective-cost";
import { klingForfeit, klingPurchasePlan, klingRenderHours } from "../core/functions/planning";
import { klingPackages, klingRates } from "../core/functions/tables";
import type { Arg, CellValue, Grid } from "../core/grid";
import type { SheetSettings } from "../core/sheet-settings";
import { currentRateTable, currentRates } from "./rate-source";

/**
 * Resource units one Kling AI video generation deducts. Give ranges to fill a whole column at once.
 *
 * @param {string|string[][]} model Kling model id such as kling-v3, kling-v3-omni, kling-v3-turbo, kling-video-o1, kling-v2-6, kling-v2-5-turbo or kling-v2-1 (KLING_RATES lists them; V3, Omni, O1, 2.6, "2.5 turbo" work too).
 * @param {string|string[][]} quality 720p, 1080p or 4k (std = 720p, pro = 1080p); "master" or blank for kling-v2-1-master.
 * @param {number|number[][]} seconds Clip length in whole seconds the model sells: 3 to 15 for the Kling 3.0 models, 3 to 10 for O1, 5 or 10 for Kling 2.6 and older (a duration cell works too).
 * @param {boolean|string|Array<Array<boolean|string>>} audio Optional. FALSE or blank = no audio, TRUE or "audio" = native audio, "voice" = audio with voice control.
 * @param {string|string[][]} input Optional. Blank, "text" or "image" = plain; "video" = video input (Omni, O1); "motion-control" (Kling 3.0, Kling 2.6).
 * @return {number|number[][]} Resource units for one generation.
 * @customfunction
 */
export function KLING_UNITS(model: Arg, quality: Arg, seconds: Arg, audio?: Arg, input?: Arg): CellValue | Grid {
  const { table, ...settings } = currentRates();
  return klingUnits(table, model, quality, seconds, audio, input, settings);
}

/**
 * USD cost of one Kling AI video generation. Give ranges to fill a whole column at once.
 *
 * @param {string|string[][]} model Kling model id such as kling-v3, kling-v3-omni, kling-v3-turbo, kling-video-o1, kling-v2-6, kling-v2-5-turbo or kling-v2-1 (KLING_RATES lists them; V3, Omni, O1, 2.6, "2.5 turbo" work too).
 * @param {string|string[][]} quality 720p, 1080p or 4k (std = 720p, pro = 1080p); "master" or blank for kling-v2-1-master.
 * @param {number|number[][]} seconds Clip length in whole seconds the model sells: 3 to 15 for the Kling 3.0 models, 3 to 10 for O1, 5 or 10 for Kling 2.6 and older (a duration cell works too).
 * @param {boolean|string|Array<Array<boolean|string>>} audio Optional. FALSE or blank = no audio, TRUE or "audio" = native audio, "voice" = audio with voice control.
 * @param {string|string[][]} input Optional. Blank, "text" or "image" = plain; "video" = video input (Omni, O1); "motion-control" (Kling 3.0, Kling 2.6).
 * @param {number|string} price Optional. USD per unit (e.g. 0.126) or a package name ("Trial S" ... "Package 4"); blank = the rate table's default unit price.
 * @return {number|number[][]} USD for one generation, unrounded.
 * @customfunction
 */
export function KLING_COST(model: Arg, quality: Arg, seconds: Arg, audio?: Arg, input?: Arg, price?: Arg): CellValue | Grid {
  const { table, ...settings } = currentRates();
  return klingCost(table, model, quality, seconds, audio, input, price, settings);
}

/**
 * The cheapest mix of Kling resource packages that holds at least the units: fewest dollars, then fewest surplus units, then fewest packages.
 *
 * @param {number|number[][]} units Resource units needed.
 * @param {number|number[][]} concurrency Optional. Concurrent tasks at least one package must offer (they do not add up); blank = 1.
 * @param {number|number[][]} days Optional. Days every package must stay valid; blank or 0 = no limit.
 * @param {string} result Optional. "plan" (text such as "1 x Package 1 + 45 x Trial L", the default), "cost" (USD), "units" (units bought) or "table" (one row per package and a total row).
 * @return {string|number|Array<Array<string|number>>} The plan, its cost, its units, or a table.
 * @customfunction
 */
export function KLING_BEST_PACKAGE(units: Arg, concurrency?: Arg, days?: Arg, result?: Arg): CellValue | Grid {
  const { table, ...settings } = currentRates();
  return klingBestPackage(table, units, concurrency, days, result, settings);
}

/**
 * The Kling resource packages, one row each with a header row: price, units, USD per unit, validity, concurrent tasks, purchase limit, source and date.
 *
 * @return {Array<Array<string|number>>} The package table.
 * @customfunction
 */
export function KLING_PACKAGES(): Grid {
  return klingPackages(currentRateTable());
}

/**
 * Every clip rate in the rate table, one row each with a header row: model, quality, audio, input, billing, units, USD at the default unit price, source, date, and the date a retired model was retired.
 *
 * @return {Array<Array<string|number>>} The rate table.
 * @customfunction
 */
export function KLING_RATES(): Grid {
  return klingRates(currentRateTable());
}

/**
 * One clip's price from Kling (at the default unit price) and from each other provider in the rate table that sells that model: USD per second and USD for the clip.
 *
 * @param {string} quality 720p, 1080p or 4k (std = 720p, pro = 1080p), as the model offers.
 * @param {number} seconds Clip length in whole seconds, one the model sells (3 to 15 for Kling 3.0).
 * @param {string} model Optional. The Kling model to compare, e.g. "kling-v2-6" or "Omni"; blank = Kling 3.0.
 * @return {Array<Array<string|number>>} One row per provider, with a header row.
 * @customfunction
 */
export function KLING_COMPARE(quality: Arg, seconds: Arg, model?: Arg): Grid {
  const { table, ...settings } = currentRates();
  return klingCompare(table, quality, seconds, model ?? "", settings);
}

/**
 * The cost of a usable clip when only part of the generations are kept: cost / keeper_rate.
 *
 * @param {number|number[][]} cost USD for one generation, e.g. from KLING_COST.
 * @param {number|number[][]} keeper_rate Share of generations kept: 70% or 0.7 (more than 0, at most 1).
 * @return {number|number[][]} USD per usable clip.
 * @customfunction
 */
export function KLING_EFFECTIVE_COST(cost: Arg, keeper_rate: Arg): CellValue | Grid {
  return klingEffectiveCost(cost, keeper_rate, settingsWhenNeeded());
}

/**
 * Which Kling resource packages to buy in which month for a monthly forecast: least total cost, then fewest units expiring unused, then fewest packages. Packages are bought at the start of a month and last floor(valid days / 30) months; units are spent soonest-expiring first; a month with use needs an active package offering its concurrency.
 *
 * @param {number|number[][]} monthly_units Forecast units per month, month 1 first: one row or one column, at most 120 months (blank = 0).
 * @param {number|number[][]} concurrency Optional. Concurrent tasks needed: one number for every month, or a range as long as monthly_units; blank = 1.
 * @param {string} result Optional. "table" (the default: month, packages bought, cost, units bought, units used, units expiring unused, and a total row), "cost" (total USD) or "forfeit" (units expiring unused in all).
 * @return {string|number|Array<Array<string|number>>} The plan as a table, its cost, or its units expiring unused.
 * @customfunction
 */
export function KLING_PURCHASE_PLAN(monthly_units: Arg, concurrency?: Arg, result?: Arg): CellValue | Grid {
  const { table, ...settings } = currentRates();
  return klingPurchasePlan(table, monthly_units, concurrency, result, settings);
}

/**
 * Units that expire unused when you buy units of one package up front (at the start of month 1) and use some every month; the package lasts floor(valid days / 30) months.
 *
 * @param {number|number[][]} units Units bought up front.
 * @param {number|number[][]} monthly_use Units used per month: one number for every month, or a row or column of months, month 1 first.
 * @param {string|string[][]} package_name Optional. The package bought ("Trial S" ... "Package 4"); blank = the rate table's default package.
 * @param {string} result Optional. "units" (the default) or "usd" (their value at the package's unit price).
 * @return {number|number[][]} Units expiring unused, or their value in USD.
 * @customfunction
 */
export function KLING_FORFEIT(units: Arg, monthly_use: Arg, package_name?: Arg, result?: Arg): CellValue | Grid {
  const { table, ...settings } = currentRates();
  return klingForfeit(table, units, monthly_use, package_name, result, settings);
}

/**
 * Wall-clock hours to generate a batch of clips: ceil(clips / concurrency) rounds of minutes_per_clip, plus the queue wait once.
 *
 * @param {number|number[][]} clips Clips in the batch, a whole number.
 * @param {number|number[][]} concurrency Tasks that run at once, at most what your packages offer (in the built-in rates Trial 5, Standard 20).
 * @param {number|number[][]} minutes_per_clip Minutes one clip takes to generate.
 * @param {number|number[][]} queue_minutes Optional. Minutes the batch waits in the queue before it starts (peak-hour waits can pass 30); blank = 0.
 * @return {number|number[][]} Hours, unrounded.
 * @customfunction
 */
export function KLING_RENDER_HOURS(clips: Arg, concurrency: Arg, minutes_per_clip: Arg, queue_minutes?: Arg): CellValue | Grid {
  const { table, ...settings } = currentRates();
  return klingRenderHours(table, clips, concurrency, minutes_per_clip, queue_minutes, settings);
}

// KLING_EFFECTIVE_COST needs no rates: it reads storage (for the locale and time zone) only when
// a text number or a date arrives, so plain numbers keep it free of storage calls.
function settingsWhenNeeded(): SheetSettings {
  let read: SheetSettings | undefined;
  const get = () => (read ??= currentRates());
  return { get locale() { return get().locale; }, get timeZone() { return get().timeZone; } };
}

/**
 * Resource units (or USD) your Kling resource packs will forfeit (expire unused) within the next days, if you keep using units at a steady rate, spending the soonest-expiring pack first. Counts from the time of the last sync.
 *
 * @param {string[][]} packs The synced "Kling packs" sheet with its header row, e.g. 'Kling packs'!A:Q (Extensions > Kling Budget > Sync Kling account writes it).
 * @param {number} days Optional. Days to look ahead from the last sync; blank = 30.
 * @param {number} monthly_use Optional. Units you expect to use per 30 days; blank = what the packs' last 30 days of usage used.
 * @param {string} result Optional. "units" (the default) or "usd" (their value at each pack's unit price).
 * @return {number} Units, or USD, forfeited within the days.
 * @customfunction
 */
export function KLING_EXPIRING(packs: Arg, days?: Arg, monthly_use?: Arg, result?: Arg): CellValue {
  return klingExpiring(packs, days, monthly_use, result, settingsWhenNeeded());
}

/**
 * Days from the last sync until your Kling resource packs hold no usable unit, at the rate the last 30 days of usage used them (units that expire first are spent first; an expired pack's units are gone).
 *
 * @param {string[][]} packs The synced "Kling packs" sheet with its header row, e.g. 'Kling packs'!A:Q.
 * @param {string[][]} usage The synced "Kling usage" sheet with its header row, e.g. 'Kling usage'!A:R.
 * @return {number} Days, unrounded.
 * @customfunction
 */
export function KLING_RUNWAY(packs: Arg, usage: Arg): CellValue {
  return klingRunway(packs, usage);
}

/**
 * Resource units (or USD) Kling actually deducted in a period, from the synced usage: budget against actual.
 *
 * @param {string[][]} usage The synced "Kling usage" sheet with its header row, e.g. 'Kling usage'!A:R.
 * @param {Date} from Optional. First day of the period (a date cell); blank = from the first synced row.
 * @param {Date} to Optional. Day after the period (not included); blank = up to the last synced row.
 * @param {string} result Optional. "units" (the default) or "usd" (at each pack's unit price, from the usage sheet's USD column).
 * @return {number} Units, or USD, deducted in the period.
 * @customfunction
 */
export function KLING_ACTUAL(usage: Arg, from?: Arg, to?: Arg, result?: Arg): CellValue {
  return klingActual(usage, from, to, result);
}
