// The exhaustive reference the planner is compared with (test/core/planning*.test.ts): independent
// of the planner's code, searching every purchase of every month.
import type { PackageRow } from "../../src/core/rates/types";

export interface Outcome {
  price: number;
  unused: number;
  packages: number;
}

/** Prices are counted in steps of $0.0001, the rate table's finest. */
export const steps = (usd: number) => Math.round(usd * 10_000);

/**
 * Every purchase of every month, searched in full. What is held is kept by the month it expires in
 * and the concurrency it offers (units left, and whether such a package is active at all, since a
 * package with no units left still offers its concurrency until it expires); each month spends
 * soonest-expiring first and counts what expires unused; whatever is left after the last month is
 * unused too. The only cut: two or more copies of one package in one month whose others alone hold
 * the demand of its validity window are never cheapest (dropping one leaves a plan that still meets
 * every month and still offers that package's concurrency), so a month buys at most
 * max(1, ceil(window demand / size)) copies of a package. Memoised on the exact state (the months
 * still to come with their demand and concurrency, what is held, the limits used), which does not
 * change what is searched (the limits used are counted for packages with a purchase limit only: for
 * the others they cannot change what comes next). A Reference keeps its memo for every forecast
 * planned with its packages.
 * Forecasts are in tenths of a unit (the tests' finest), counted as integers.
 */
/** Lexicographic: less cost, then fewer units unused, then fewer packages. */
const better = (price: number, unused: number, packages: number, p: number, u: number, n: number) =>
  price < p || (price === p && (unused < u || (unused === u && packages < n)));

export class Reference {
  private readonly items: { price: number; units: number; months: number; conc: number; limit: number | null }[];
  private readonly concs: number[];
  private readonly slotOf: number[];
  private readonly slots: number;
  private readonly memo = new Map<string, Outcome | null>();

  constructor(packages: readonly PackageRow[]) {
    this.items = packages.map((p) => ({ price: steps(p.priceUsd), units: p.units * 10, months: Math.floor(p.validityDays / 30), conc: p.concurrency, limit: p.purchaseLimit }))
      .filter((it) => it.months >= 1);
    this.concs = [...new Set(this.items.map((it) => it.conc))];
    const C = this.concs.length;
    // Slot (left, c) = left * C + c: packages expiring `left` months after this one, offering concs[c].
    this.slotOf = this.items.map((it) => (it.months - 1) * C + this.concs.indexOf(it.conc));
    this.slots = Math.max(1, ...this.items.map((it) => it.months)) * C;
  }

  best(demand: readonly number[], concurrency: readonly number[]): Outcome | undefined {
    const need = demand.map((d) => Math.round(d * 10));
    // The memo key's first part: the months still to come, as text once per forecast.
    const suffix = need.map((_, k) => `${need.slice(k).join(",")}|${concurrency.slice(k).join(",")}`);
    const empty = new Array<number>(this.slots).fill(0);
    const best = this.search(need, concurrency, suffix, 0, empty, empty, this.items.map(() => 0));
    return best ? { ...best, unused: best.unused / 10 } : undefined;
  }

  private search(need: readonly number[], conc: readonly number[], suffix: readonly string[], k: number,
    units: readonly number[], active: readonly number[], used: readonly number[]): Outcome | undefined {
    const { items, concs, slotOf } = this;
    const C = concs.length;
    if (k === need.length) return { price: 0, unused: units.reduce((a, b) => a + b, 0), packages: 0 };
    const key = `${suffix[k]}|${units.join(",")}|${active.join("")}|${used.join(",")}`;
    const known = this.memo.get(key);
    if (known !== undefined) return known ?? undefined;
    const bounds = items.map((it, j) => {
      let window = 0;
      for (let f = k; f < Math.min(need.length, k + it.months); f++) window += need[f]!;
      const b = Math.max(1, Math.ceil(window / it.units));
      return it.limit === null ? b : Math.min(b, it.limit - used[j]!);
    });
    // Every combination of counts. Combinations that leave the same holdings (units and active
    // packages per slot, limits used) lead to the same futures: of those only the cheapest, then
    // the one with fewest packages, can be best, so each is followed once.
    interface Buy { held: number[]; on: number[]; used: number[]; price: number; packages: number }
    let buys = new Map<string, Buy>([["", { held: units.slice(), on: active.slice(), used: used.slice(), price: 0, packages: 0 }]]);
    items.forEach((it, i) => {
      const next = new Map<string, Buy>();
      for (const b of buys.values()) {
        for (let c = 0; c <= bounds[i]!; c++) {
          const held = b.held.slice(), on = b.on.slice(), u = b.used.slice();
          if (c > 0) {
            held[slotOf[i]!]! += c * it.units;
            on[slotOf[i]!] = 1;
            if (it.limit !== null) u[i]! += c;
          }
          const buy = { held, on, used: u, price: b.price + c * it.price, packages: b.packages + c };
          const key = `${held.join(",")}|${on.join("")}|${u.join(",")}`;
          const seen = next.get(key);
          if (!seen || buy.price < seen.price || (buy.price === seen.price && buy.packages < seen.packages)) next.set(key, buy);
        }
      }
      buys = next;
    });
    // After this month's spending, holdings that are the same from next month on have the same
    // futures too: of those, the cheapest, then fewest expiring now, then fewest packages.
    interface Step { units: number[]; active: number[]; used: number[]; price: number; expired: number; packages: number }
    const steps = new Map<string, Step>();
    for (const { held, on, used: u, price, packages } of buys.values()) {
      // Concurrency: a month with demand needs an active package (bought, not yet expired) offering it.
      let ok = need[k]! === 0;
      for (let s = 0; s < on.length && !ok; s++) if (on[s] === 1 && concs[s % C]! >= conc[k]!) ok = true;
      if (!ok) continue;
      let rest = need[k]!;
      for (let s = 0; s < held.length && rest > 0; s++) {
        const take = Math.min(rest, held[s]!);
        held[s]! -= take;
        rest -= take;
      }
      if (rest > 0) continue;
      let expired = 0;
      for (let s = 0; s < C; s++) expired += held[s]!;
      // One month on: what expired goes, the rest moves one month closer to expiry.
      const step = {
        units: [...held.slice(C), ...new Array<number>(C).fill(0)], active: [...on.slice(C), ...new Array<number>(C).fill(0)],
        used: u, price, expired, packages,
      };
      const key = `${step.units.join(",")}|${step.active.join("")}|${u.join(",")}`;
      const seen = steps.get(key);
      if (!seen || better(step.price, step.expired, step.packages, seen.price, seen.expired, seen.packages)) steps.set(key, step);
    }
    let best: Outcome | undefined;
    for (const step of steps.values()) {
      const tail = this.search(need, conc, suffix, k + 1, step.units, step.active, step.used);
      if (!tail) continue;
      const total = { price: step.price + tail.price, unused: step.expired + tail.unused, packages: step.packages + tail.packages };
      if (!best || better(total.price, total.unused, total.packages, best.price, best.unused, best.packages)) best = total;
    }
    this.memo.set(key, best ?? null);
    return best;
  }
}
