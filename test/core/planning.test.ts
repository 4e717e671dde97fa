// KLING_PURCHASE_PLAN against an exhaustive search on every small case, the article's rules on
// hand-checked cases, and the messages for bad input. Expected figures come from the search or
// from arithmetic written out here, never from the planner itself.
import fc from "fast-check";
import { planPurchases, type PurchasePlan } from "../../src/core/planning/plan";
import { defaultRateTable } from "../../src/core/rates/default-table";
import type { PackageRow } from "../../src/core/rates/types";

const table = defaultRateTable();
// The exhaustive comparisons take seconds each.
jest.setTimeout(120_000);

/** Prices are counted in steps of $0.0001, the rate table's finest. */
const steps = (usd: number) => Math.round(usd * 10_000);

interface Outcome {
  price: number;
  unused: number;
  packages: number;
}

const pkg = (name: string, priceUsd: number, units: number, validityDays: number, concurrency: number, purchaseLimit: number | null = null): PackageRow =>
  ({ name, priceUsd, units, validityDays, concurrency, purchaseLimit, source: "test", asOf: "2026" });

/**
 * The reference: every purchase of every month, searched in full. What is held is kept by the
 * month it expires in and the concurrency it offers (units left, and whether such a package is
 * active at all, since a package with no units left still offers its concurrency until it expires);
 * each month spends soonest-expiring first and counts what expires unused; whatever is left after
 * the last month is unused too. The only cut: two or more copies of one package in one month whose
 * others alone hold the demand of its validity window are never cheapest (dropping one leaves a plan
 * that still meets every month and still offers that package's concurrency), so a month buys at
 * most max(1, ceil(window demand / size)) copies of a package. Memoised on the exact state (the
 * months still to come with their demand and concurrency, what is held, the limits used), which
 * does not change what is searched; `memo` may be shared between calls with the same packages.
 */
function exhaustive(packages: readonly PackageRow[], demand: readonly number[], concurrency: readonly number[], memo = new Map<string, Outcome | undefined>()): Outcome | undefined {
  // Tests use forecasts in tenths of a unit: count them as integers.
  const items = packages.map((p) => ({ price: steps(p.priceUsd), units: p.units * 10, months: Math.floor(p.validityDays / 30), conc: p.concurrency, limit: p.purchaseLimit }))
    .filter((it) => it.months >= 1);
  const concs = [...new Set(items.map((it) => it.conc))];
  const M = Math.max(1, ...items.map((it) => it.months));
  // Slot (left, c) = left * C + c: packages expiring `left` months after this one, offering concs[c].
  const C = concs.length;
  const slotOf = items.map((it) => (it.months - 1) * C + concs.indexOf(it.conc));
  const better = (a: Outcome, b: Outcome | undefined) =>
    !b || a.price < b.price || (a.price === b.price && (a.unused < b.unused || (a.unused === b.unused && a.packages < b.packages)));

  const search = (need: readonly number[], conc: readonly number[], units: readonly number[], active: readonly number[], used: readonly number[]): Outcome | undefined => {
    if (need.length === 0) return { price: 0, unused: units.reduce((a, b) => a + b, 0), packages: 0 };
    const key = `${need.join(",")}|${conc.join(",")}|${units.join(",")}|${active.join("")}|${used.join(",")}`;
    if (memo.has(key)) return memo.get(key);
    const bounds = items.map((it, j) => {
      let window = 0;
      for (let f = 0; f < Math.min(need.length, it.months); f++) window += need[f]!;
      const b = Math.max(1, Math.ceil(window / it.units));
      return it.limit === null ? b : Math.min(b, it.limit - used[j]!);
    });
    let best: Outcome | undefined;
    const counts = items.map(() => 0);
    const visit = (j: number): void => {
      if (j < items.length) {
        for (let n = 0; n <= bounds[j]!; n++) {
          counts[j] = n;
          visit(j + 1);
        }
        counts[j] = 0;
        return;
      }
      const held = units.slice(), on = active.slice();
      let price = 0, packages = 0;
      items.forEach((it, i) => {
        if (counts[i] === 0) return;
        held[slotOf[i]!]! += counts[i]! * it.units;
        on[slotOf[i]!] = 1;
        price += counts[i]! * it.price;
        packages += counts[i]!;
      });
      // Concurrency: a month with demand needs an active package (bought, not yet expired) offering it.
      if (need[0]! > 0 && !on.some((a, k) => a === 1 && concs[k % C]! >= conc[0]!)) return;
      let rest = need[0]!;
      for (let k = 0; k < held.length && rest > 0; k++) {
        const take = Math.min(rest, held[k]!);
        held[k]! -= take;
        rest -= take;
      }
      if (rest > 0) return;
      const expired = held.slice(0, C).reduce((a, b) => a + b, 0);
      // One month on: what expired goes, the rest moves one month closer to expiry.
      const nextUnits = [...held.slice(C), ...new Array<number>(C).fill(0)];
      const nextActive = [...on.slice(C), ...new Array<number>(C).fill(0)];
      const tail = search(need.slice(1), conc.slice(1), nextUnits, nextActive, used.map((u, i) => u + counts[i]!));
      if (!tail) return;
      const total = { price: price + tail.price, unused: expired + tail.unused, packages: packages + tail.packages };
      if (better(total, best)) best = total;
    };
    visit(0);
    memo.set(key, best);
    return best;
  };
  const empty = new Array<number>(M * C).fill(0);
  const best = search(demand.map((d) => Math.round(d * 10)), concurrency, empty, empty, items.map(() => 0));
  return best && { ...best, unused: best.unused / 10 };
}

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
    const memo = new Map<string, Outcome | undefined>();
    const most = Math.max(...packages.filter((p) => p.validityDays >= 30).map((p) => p.concurrency), 0);
    if (most === 0) continue; // no package lasts a month: an error, tested below
    for (const demand of sequences(values, H)) {
      for (const concurrency of sequences(needs, H)) {
        if (concurrency.some((c) => c > most)) continue; // an error, tested below
        const got = planned(packages, demand, concurrency);
        const want = exhaustive(packages, demand, concurrency, memo);
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
        expect(got.outcome).toEqual(exhaustive(packages, demand, needs));
      }),
      { numRuns: 400 },
    );
  });
});
