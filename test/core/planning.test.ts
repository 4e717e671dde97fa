// KLING_PURCHASE_PLAN against an exhaustive search on every small case, the article's rules on
// hand-checked cases, and the messages for bad input. Expected figures come from the search or
// from arithmetic written out here, never from the planner itself.
import fc from "fast-check";
import { planPurchases, type PurchasePlan } from "../../src/core/planning/plan";
import { defaultRateTable } from "../../src/core/rates/default-table";
import type { PackageRow } from "../../src/core/rates/types";
import { type Outcome, Reference, steps } from "./planning-reference";

const table = defaultRateTable();
// The largest comparisons take seconds each on a busy machine.
jest.setTimeout(60_000);

const pkg = (name: string, priceUsd: number, units: number, validityDays: number, concurrency: number, purchaseLimit: number | null = null): PackageRow =>
  ({ name, priceUsd, units, validityDays, concurrency, purchaseLimit, source: "test", asOf: "2026" });

/** The planner's answer in the same terms, with what is wrong in its plan (see `check`). */
function planned(packages: readonly PackageRow[], demand: readonly number[], concurrency: readonly number[]): { outcome?: Outcome; problems: string[] } {
  let plan: PurchasePlan;
  try {
    plan = planPurchases(packages, demand, concurrency);
  } catch (error) {
    if (/more units than the purchase limits allow/.test((error as Error).message)) return { problems: [] };
    throw error;
  }
  return { outcome: { price: steps(plan.costUsd), unused: plan.unitsExpiring, packages: plan.packages }, problems: check(plan, demand, concurrency) };
}

const near = (a: number, b: number) => Math.abs(a - b) < 1e-9;

/** Spends the plan's own lines month by month: they must meet every month, keep to the limits and add up to its figures. */
function check(plan: PurchasePlan, demand: readonly number[], concurrency: readonly number[]): string[] {
  const problems: string[] = [];
  const live: { last: number; left: number; conc: number }[] = [];
  const bought = new Map<PackageRow, number>();
  let price = 0, units = 0, packages = 0, unused = 0;
  plan.months.forEach((month, t) => {
    let monthPrice = 0, monthUnits = 0;
    for (const { pkg: p, count } of month.lines) {
      for (let k = 0; k < count; k++) live.push({ last: t + Math.floor(p.validityDays / 30) - 1, left: p.units * 10, conc: p.concurrency });
      bought.set(p, (bought.get(p) ?? 0) + count);
      monthPrice += count * steps(p.priceUsd);
      monthUnits += count * p.units;
      packages += count;
    }
    if (steps(month.costUsd) !== monthPrice) problems.push(`month ${t + 1}: cost ${month.costUsd}, its lines cost ${monthPrice / 10_000}`);
    if (month.unitsBought !== monthUnits) problems.push(`month ${t + 1}: ${month.unitsBought} units bought, its lines hold ${monthUnits}`);
    price += monthPrice, units += monthUnits;
    const need = Math.round(demand[t]! * 10);
    if (need > 0 && !live.some((b) => b.last >= t && b.conc >= concurrency[t]!)) problems.push(`month ${t + 1}: no active package offers ${concurrency[t]} tasks`);
    let rest = need;
    for (const b of live.filter((x) => x.last >= t).sort((x, y) => x.last - y.last)) {
      const take = Math.min(rest, b.left);
      b.left -= take, rest -= take;
    }
    if (rest > 0) problems.push(`month ${t + 1}: ${rest / 10} units short`);
    if (!near(month.unitsUsed, demand[t]!)) problems.push(`month ${t + 1}: ${month.unitsUsed} units used, the forecast is ${demand[t]}`);
    const last = t === plan.months.length - 1;
    const expiring = live.filter((b) => b.last === t || (last && b.last > t)).reduce((s, b) => s + b.left, 0) / 10;
    if (!near(month.unitsExpiring, expiring)) problems.push(`month ${t + 1}: ${month.unitsExpiring} units expiring, spending the lines leaves ${expiring}`);
    unused += expiring;
    for (let i = live.length - 1; i >= 0; i--) if (live[i]!.last <= t) live.splice(i, 1);
  });
  for (const [p, n] of bought) if (p.purchaseLimit !== null && n > p.purchaseLimit) problems.push(`${n} x ${p.name}, limit ${p.purchaseLimit}`);
  if (steps(plan.costUsd) !== price) problems.push(`cost ${plan.costUsd}, the lines cost ${price / 10_000}`);
  if (plan.unitsBought !== units) problems.push(`${plan.unitsBought} units bought, the lines hold ${units}`);
  if (plan.packages !== packages) problems.push(`${plan.packages} packages, the lines have ${packages}`);
  if (!near(plan.unitsExpiring, unused)) problems.push(`${plan.unitsExpiring} units expiring, the months add up to ${unused}`);
  return problems;
}

/**
 * Plans every forecast of H months from `values` with every concurrency from `needs`, for every
 * non-empty subset of `family`, and lists where the planner differs from the exhaustive search or
 * its plan is wrong. (Checked with plain comparisons and one assertion per test: a hundred thousand
 * calls to expect would take longer than the planning.)
 */
function compareAll(family: readonly PackageRow[], H: number, values: readonly number[], needs: readonly number[]) {
  const mismatches: unknown[] = [];
  let cases = 0;
  for (const packages of subsets(family)) {
    const reference = new Reference(packages);
    const most = Math.max(...packages.filter((p) => p.validityDays >= 30).map((p) => p.concurrency), 0);
    if (most === 0) continue; // no package lasts a month: an error, tested below
    for (const demand of sequences(values, H)) {
      for (const concurrency of sequences(needs, H)) {
        if (concurrency.some((c) => c > most)) continue; // an error, tested below
        const got = planned(packages, demand, concurrency);
        const want = reference.best(demand, concurrency);
        if (got.problems.length || JSON.stringify(got.outcome) !== JSON.stringify(want)) {
          mismatches.push({ packages: packages.map((p) => p.name), demand, concurrency, got, want });
        }
        cases++;
      }
    }
  }
  return { cases, mismatches: mismatches.slice(0, 5) };
}

/** Every non-empty subset. */
const subsets = <T>(xs: readonly T[]): T[][] =>
  Array.from({ length: 2 ** xs.length - 1 }, (_, m) => xs.filter((_, i) => ((m + 1) >> i) & 1));

/** Every sequence of `length` values from `values`. */
const sequences = (values: readonly number[], length: number): number[][] =>
  length === 0 ? [[]] : sequences(values, length - 1).flatMap((s) => values.map((v) => [...s, v]));

describe("KLING_PURCHASE_PLAN against exhaustive search", () => {
  // Different validities (1, 2, 3 months), concurrency and purchase limits, and prices where
  // neither the biggest nor the cheapest per unit always wins. E lasts under a month, so no plan can
  // use it: with it every subset repeats one without it, so it is in the short horizons only.
  const mixed = [
    pkg("A", 3, 2, 30, 1),
    pkg("B", 5, 4, 60, 2),
    pkg("C", 6, 5, 90, 1, 1),
    pkg("D", 2, 1, 45, 3, 2),
  ];
  const E = pkg("E", 1, 9, 20, 3);
  // Per horizon: the packages, the forecast values each month takes, and the concurrency values.
  test.each([
    [1, "A to E", [0, 1, 2.5, 6, 11], [1, 2, 3]],
    [2, "A to E", [0, 1, 2.5, 6], [1, 2, 3]],
    [3, "A to D", [0, 1, 2.5, 6], [1, 3]],
    [4, "A to D", [0, 1.5, 4], [1, 3]],
  ])("mixed packages, %i months: every subset of %s, every forecast from %j, every concurrency from %j", (H, which, values, needs) => {
    const { cases, mismatches } = compareAll(which === "A to E" ? [...mixed, E] : mixed, H, values, needs);
    expect(mismatches).toEqual([]);
    expect(cases).toBeGreaterThan(0);
  });

  // Equal prices per unit with purchase limits: a limited package as cheap per unit as the best
  // package without a limit and larger than it (L against U) saves packages at no cost; smaller ones
  // (S) and ones of another size step (V) must not. Each pair has one package the other lacks.
  const equal = [
    pkg("L", 0.5, 4, 30, 1, 2),
    pkg("U", 0.25, 2, 30, 1),
    pkg("S", 0.125, 1, 60, 2, 1),
    pkg("V", 0.375, 3, 60, 2, 1),
  ];
  test.each([
    [1, [0, 1, 2.5, 5, 7, 11], [1, 2]],
    [2, [0, 3, 7], [1, 2]],
  ])("equal prices per unit with purchase limits, %i months: every subset, every forecast from %j, every concurrency from %j", (H, values, needs) => {
    const { cases, mismatches } = compareAll(equal, H, values, needs);
    expect(mismatches).toEqual([]);
    expect(cases).toBeGreaterThan(0);
  });

  // The reviewer's case: 7 units from A ($0.50, 4 units, at most 2) and B ($0.25, 2 units) cost at
  // least $1 (both $0.125 a unit, and 8 is the least even number of units from 7); 8 units are 2 x A
  // or A + 2 x B or 4 x B, so 2 x A, 1 unit unused. The same with sizes and forecast times k.
  test.each([1, 1000, 250_000, 10_000_000])("a limited package as cheap per unit as the best without a limit, but larger: 2 x A, not A + 2 x B (sizes x %i)", (k) => {
    const packages = [pkg("A", 0.5, 4 * k, 30, 1, 2), pkg("B", 0.25, 2 * k, 30, 1)];
    const plan = planPurchases(packages, [7 * k], [1]);
    expect({ cost: plan.costUsd, unused: plan.unitsExpiring, packages: plan.packages, lines: plan.months[0]!.lines.map((l) => [l.pkg.name, l.count]) })
      .toEqual({ cost: 1, unused: k, packages: 2, lines: [["A", 2]] });
  });

  // The built-in packages with units and prices divided by 100 (so each keeps its unit price):
  // Trial S and L (1 and 10 units, 1 month, 5 tasks), Package 1 and 3 (50 and 450 units, 6 months,
  // 20 tasks). Package 2 and 4 differ from these only in size and price.
  const scaled = table.packages.filter((p) => ["Trial S", "Trial L", "Package 1", "Package 3"].includes(p.name))
    .map((p) => ({ ...p, units: p.units / 100, priceUsd: p.priceUsd / 100 }));
  test.each([
    [1, [0, 0.6, 9.5, 12, 55, 160], [1, 5, 20]],
    [2, [0, 0.6, 9.5, 12], [5, 20]],
    [3, [0, 3, 12], [5, 20]],
    [4, [0, 0.6, 3], [5, 20]],
  ])("built-in packages scaled down, %i months: every subset, every forecast from %j, every concurrency from %j", (H, values, needs) => {
    const { cases, mismatches } = compareAll(scaled, H, values, needs);
    expect(mismatches).toEqual([]);
    expect(cases).toBeGreaterThan(0);
  });

  // Longer horizons than every-case enumeration reaches, on random small package tables.
  const randomTable = fc.array(
    fc.record({
      priceUsd: fc.integer({ min: 1, max: 40 }).map((c) => c / 4),
      units: fc.integer({ min: 2, max: 6 }),
      validityDays: fc.constantFrom(30, 60, 90),
      concurrency: fc.constantFrom(1, 2, 3),
      purchaseLimit: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null, freq: 3 }),
    }),
    { minLength: 1, maxLength: 3 },
  ).map((rows) => rows.map((r, i): PackageRow => ({ ...r, name: `P${i}`, source: "test", asOf: "2026" })));

  test("random small tables over 5 and 6 months", () => {
    fc.assert(
      fc.property(randomTable, fc.integer({ min: 5, max: 6 }).chain((H) => fc.tuple(
        fc.array(fc.constantFrom(0, 0.5, 1, 2, 4), { minLength: H, maxLength: H }),
        fc.array(fc.constantFrom(1, 2, 3), { minLength: H, maxLength: H }),
      )), (packages, [demand, concurrency]) => {
        const most = Math.max(...packages.map((p) => p.concurrency));
        const needs = concurrency.map((c) => Math.min(c, most));
        const got = planned(packages, demand, needs);
        expect(got.problems).toEqual([]);
        expect(got.outcome).toEqual(new Reference(packages).best(demand, needs));
      }),
      { numRuns: 400 },
    );
  });
});
