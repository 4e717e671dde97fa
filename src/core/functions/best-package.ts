import { readChoice } from "../args/choice";
import { NO_SETTINGS, readQuantity, readWholeNumber } from "../args/numbers";
import { InputError, describeValue, isBlank } from "../errors";
import { type Arg, type CellValue, type Grid, mapCells, single } from "../grid";
import { clean } from "../numbers";
import { type Plan, bestPackages } from "../optimizer/best-packages";
import type { RateTable } from "../rates/types";
import type { SheetSettings } from "../sheet-settings";

const RESULTS = ["plan", "cost", "units", "table"] as const;
type Result = (typeof RESULTS)[number];
const MAX_UNITS = 1e12;

export function readUnitsNeeded(value: unknown, settings: SheetSettings = NO_SETTINGS): number {
  const hint = "give the resource units you need, 0 or more (at most 1,000,000,000,000)";
  // A sum of units with float noise (50000.000000000007) must not buy one more package.
  const units = readQuantity("units", value, hint, { settings });
  if (units < 0) throw new InputError(`units: ${describeValue(units)} is negative; ${hint}`);
  if (units > MAX_UNITS) throw new InputError(`units: ${describeValue(units)} is too large; ${hint}`);
  return units;
}

export function readConcurrency(value: unknown, settings: SheetSettings = NO_SETTINGS): number {
  if (isBlank(value)) return 1;
  return readWholeNumber("concurrency", value, 1, 1e6, "give the concurrent tasks you need, a whole number from 1 (blank = 1)", { settings });
}

function readDays(value: unknown, settings: SheetSettings): number {
  if (isBlank(value)) return 0;
  return readWholeNumber("days", value, 0, 36500, "give the days every package must stay valid, a whole number (blank or 0 = no limit)", { settings });
}

export function planText(plan: Plan): string {
  if (plan.lines.length === 0) return "nothing to buy";
  return plan.lines.map((l) => `${l.count} x ${l.pkg.name}`).join(" + ");
}

function planTable(plan: Plan): Grid {
  const rows: Grid = [["Package", "Count", "USD per unit", "Units", "Cost USD"]];
  for (const { pkg, count } of plan.lines) {
    rows.push([pkg.name, count, clean(pkg.priceUsd / pkg.units), count * pkg.units, clean(count * pkg.priceUsd)]);
  }
  rows.push(["Total", plan.packages, "", plan.units, plan.costUsd]);
  return rows;
}

/** KLING_BEST_PACKAGE: the cheapest mix of packages holding the units, as text, a figure or a table. */
export function klingBestPackage(
  table: RateTable, units: Arg, concurrency: Arg, days: Arg, result: Arg, settings: SheetSettings = NO_SETTINGS,
): CellValue | Grid {
  const kind = readChoice<Result>("result", single("result", result, "one result kind applies to every row"), RESULTS, "plan");
  const solve = (u: unknown, c: unknown, d: unknown) =>
    bestPackages(table.packages, { units: readUnitsNeeded(u, settings), concurrency: readConcurrency(c, settings), days: readDays(d, settings) });
  if (kind === "table") {
    const why = 'result "table" spills one plan; use "plan", "cost" or "units" over a range';
    const u = single("units", units, why);
    if (isBlank(u)) return ""; // a template row with no total yet
    return planTable(solve(u, single("concurrency", concurrency, why), single("days", days, why)));
  }
  return mapCells(["units", "concurrency", "days"], [units, concurrency, days], [0], (u, c, d) => {
    const plan = solve(u, c, d);
    return kind === "cost" ? plan.costUsd : kind === "units" ? plan.units : planText(plan);
  });
}
