// The purchase plan over a monthly forecast, in the rate table's terms: packages, dollars, units.
// Model: a month is 30 days, packages are bought at the start of a month and stay usable
// floor(validity days / 30) months, units are spent soonest-expiring first, and a month with demand
// needs an active package offering its concurrency (the highest active package's applies; they do
// not add up). Validity and concurrency are the article's; the rest is ours, not a Kling rule.
import { InputError, listOf } from "../errors";
import { clean, decimalPlaces } from "../numbers";
import { MAX_PRICE_DECIMALS, type PackageRow } from "../rates/types";
import { DEADLINE_MS, type PlanItem, PlanTooHardError, type SolveOptions, cheapestSchedule } from "./purchase-plan";
import { spend } from "./spend";

export const DAYS_PER_MONTH = 30;
export const MAX_MONTHS = 120;
/** Forecasts are counted in steps of 1 / 10^this of a unit; finer fractions round up. */
export const UNIT_DECIMALS = 4;

/** Months a package stays usable when bought at the start of a month. */
export const monthsValid = (pkg: PackageRow): number => Math.floor(pkg.validityDays / DAYS_PER_MONTH);

export interface PlanLine {
  pkg: PackageRow;
  count: number;
}

export interface PlanMonth {
  /** Largest packages first. */
  lines: PlanLine[];
  costUsd: number;
  unitsBought: number;
  unitsUsed: number;
  /** Units that expire unused at the end of the month (the last month: also what is left after it). */
  unitsExpiring: number;
}

export interface PurchasePlan {
  months: PlanMonth[];
  costUsd: number;
  unitsBought: number;
  unitsUsed: number;
  unitsExpiring: number;
  packages: number;
}

/** Packages a plan can use: valid at least one month, with prices and sizes the solver can count exactly. */
export function plannable(packages: readonly PackageRow[]): PackageRow[] {
  const usable = packages.filter((p) => monthsValid(p) >= 1);
  for (const p of usable) {
    if (!(p.priceUsd > 0 && p.units > 0) || !Number.isInteger(p.units) || decimalPlaces(p.priceUsd) > MAX_PRICE_DECIMALS) {
      throw new InputError(`rate table: package ${p.name} needs a price above 0 with at most ${MAX_PRICE_DECIMALS} decimals and a whole number of units above 0`);
    }
  }
  if (usable.length === 0) throw new InputError(`rate table: no package stays valid ${DAYS_PER_MONTH} days or more, so none lasts a month`);
  return usable;
}

const count = (n: number) => n.toLocaleString("en-US");

/** What made the exact search too long, in the package table's terms, and what would shorten it. */
function tooHardMessage(error: PlanTooHardError, usable: readonly PackageRow[], items: readonly PlanItem[], months: number, deadlineMs: number): string {
  const head = `monthly_units: this forecast cannot be planned exactly in the time a formula has (the planner stops after ${deadlineMs / 1000} s)`;
  const p = usable[error.item]!, best = usable[error.bestValue];
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const fewer = months > 1 ? `, or plan fewer than ${months} months at a time` : "";
  switch (error.cause) {
    case "steps": {
      const step = gcd(p.units, best!.units);
      // About 10 choices a month plan quickly: a common step of a tenth of the best-value size, rounded up to one digit.
      const tenth = best!.units / 10, digit = 10 ** Math.floor(Math.log10(tenth));
      const wanted = Math.max(step + 1, Math.ceil(tenth / digit) * digit);
      return `${head}: package ${p.name} (${count(p.units)} units) and the best value per unit, ${best!.name} (${count(best!.units)} units), ` +
        `share a step of only ${count(step)} unit${step === 1 ? "" : "s"}, so a month may need up to ${count(error.choices)} amounts of ${p.name} compared; ` +
        `package sizes that are all multiples of ${count(wanted)} units or more plan quickly${fewer}`;
    }
    case "limit": {
      // Or as little as the best without a limit and larger: fewer packages for the same price.
      const it = items[error.item]!, b = items[error.bestValue];
      const cheaper = !b || it.price * b.units < b.price * it.units;
      const why = cheaper ? "costs less per unit than any package without a purchase limit"
        : `costs as little per unit as ${best!.name}, the best value without a purchase limit, and holds more units`;
      return `${head}: package ${p.name} ${why}, so every amount up to its limit of ${count(p.purchaseLimit!)} ` +
        `(${count(error.choices)} amounts a month) must be compared; a lower purchase limit for ${p.name}, or another package as cheap per unit ` +
        `${cheaper ? "" : `and as large as ${p.name} `}without a limit, plans quickly${fewer}`;
    }
    case "mixes": {
      const sizes = usable.filter((_, j) => items[j]!.months === items[error.item]!.months && items[j]!.concurrency === items[error.item]!.concurrency);
      return `${head}: the sizes of ${listOf(sizes.map((x) => `${x.name} (${count(x.units)} units)`), "and")} share no round step, so ${count(error.choices)} ` +
        `amounts of them must be compared; sizes that are multiples of a common step (say 100 units) plan quickly${fewer}`;
    }
    default:
      return `${head}: the months' concurrency and validity give too many combinations${months > 1 ? `; plan fewer than ${months} months at a time` : ""}`;
  }
}

/**
 * The least-cost plan for `demand` units per month (then fewest units expiring unused, then fewest
 * packages) with `concurrency` tasks needed per month. Demand and concurrency are read and checked
 * by the caller; this checks what only the package table can tell.
 */
export function planPurchases(packages: readonly PackageRow[], demand: readonly number[], concurrency: readonly number[], options: SolveOptions = {}): PurchasePlan {
  const usable = plannable(packages);
  const most = Math.max(...usable.map((p) => p.concurrency));
  concurrency.forEach((c, t) => {
    if (c > most) throw new InputError(`concurrency: month ${t + 1} needs ${c} concurrent tasks; no package offers more than ${most}`);
  });

  const unitScale = 10 ** Math.min(UNIT_DECIMALS, Math.max(0, ...demand.map((d) => decimalPlaces(clean(d)))));
  const need = demand.map((d) => Math.ceil(clean(d * unitScale)));
  const priceScale = 10 ** Math.max(...usable.map((p) => decimalPlaces(p.priceUsd)));
  const items: PlanItem[] = usable.map((p) => ({
    price: Math.round(p.priceUsd * priceScale), units: p.units * unitScale, months: monthsValid(p),
    concurrency: p.concurrency, limit: p.purchaseLimit,
  }));
  const total = need.reduce((a, b) => a + b, 0);
  // Sums of units and of prices must stay exact: at most the demand plus a package per item and
  // month, at the dearest price per unit.
  const ceiling = total + demand.length * items.reduce((a, it) => a + it.units, 0);
  const dearest = Math.max(...items.map((it) => it.price / it.units));
  if (!Number.isSafeInteger(ceiling * 4) || !Number.isSafeInteger(Math.ceil(ceiling * dearest) * 4)) {
    throw new InputError("monthly_units: the forecast is too large to plan exactly");
  }

  let schedule;
  try {
    schedule = cheapestSchedule(items, need, concurrency, options);
  } catch (error) {
    if (!(error instanceof PlanTooHardError)) throw error;
    throw new InputError(tooHardMessage(error, usable, items, demand.length, options.deadlineMs ?? DEADLINE_MS));
  }
  if (!schedule) {
    const limits = usable.filter((p) => p.purchaseLimit !== null).map((p) => `${p.name} at most ${p.purchaseLimit}`);
    throw new InputError(`monthly_units: the forecast needs more units than the purchase limits allow (${listOf(limits, "and")})`);
  }

  const batches = schedule.counts.flatMap((row, t) => row.flatMap((n, j) => (n > 0 ? [{ month: t, last: t + items[j]!.months - 1, units: n * items[j]!.units }] : [])));
  const spent = spend(batches, need);
  const units = (steps: number) => clean(steps / unitScale);
  const months = schedule.counts.map((row, t): PlanMonth => {
    const lines = usable.map((pkg, j) => ({ pkg, count: row[j]! })).filter((l) => l.count > 0)
      .sort((x, y) => y.pkg.units - x.pkg.units || x.pkg.priceUsd - y.pkg.priceUsd);
    const price = row.reduce((sum, n, j) => sum + n * items[j]!.price, 0);
    const bought = row.reduce((sum, n, j) => sum + n * items[j]!.units, 0);
    return { lines, costUsd: clean(price / priceScale), unitsBought: units(bought), unitsUsed: units(spent.used[t]!), unitsExpiring: units(spent.expiring[t]!) };
  });
  return {
    months,
    costUsd: clean(schedule.price / priceScale),
    unitsBought: units(schedule.units),
    unitsUsed: units(spent.used.reduce((a, b) => a + b, 0)),
    unitsExpiring: units(spent.expiring.reduce((a, b) => a + b, 0)),
    packages: schedule.items,
  };
}
