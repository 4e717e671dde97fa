// Exact purchase schedule over months: which packages to buy at the start of which month so that
// every month's demand is met from units that have not yet expired, every month with demand has an
// active package offering its concurrency, and purchase limits hold; least cost, then fewest units
// left unused, then fewest packages. Integers only: prices in price steps, units in unit steps.
import { TooHardError } from "../optimizer/cover";

export interface PlanItem {
  /** Price in integer price steps (above 0). */
  price: number;
  /** Size in integer unit steps (above 0). */
  units: number;
  /** Months a copy stays usable, counting the month it is bought in (at least 1). */
  months: number;
  concurrency: number;
  /** Most copies over the whole horizon; null = no limit. */
  limit: number | null;
}

export interface Schedule {
  /** counts[month][item]: copies bought at the start of that month. */
  counts: number[][];
  price: number;
  units: number;
  items: number;
}


// Bounds that keep a formula from hanging or running out of memory: wall-clock time (Sheets stops a
// custom function at 30 s, and its CPU may be a few times slower than a laptop's), partial plans held
// at once, cells of the mix tables, and amounts tried for one package group in one month.
export const DEADLINE_MS = 8_000;
const MAX_HELD = 50_000;
const MAX_TABLE_CELLS = 2_000_000;
const MAX_AMOUNTS = 100_000;
/** The clock is read once per this many steps of work. */
const CLOCK_EVERY = 1024;

export interface SolveOptions {
  /** Milliseconds before the search gives up (TooHardError); DEADLINE_MS by default. */
  deadlineMs?: number;
  now?: () => number;
  /** Steps of work before the search gives up (TooHardError), besides the deadline; no limit by
   * default. Unlike the clock, the same on every machine (for tests that must decide alike). */
  maxWork?: number;
}

/** Why the exact search stopped, for a message that says what to change. */
export class PlanTooHardError extends TooHardError {
  constructor(
    message: string,
    /** The item whose choices per month were the most (index into the items), and how many. */
    readonly item: number,
    readonly choices: number,
    /** Why that item has so many: its size against the best-value item's, its purchase limit, or the mix table. */
    readonly cause: "steps" | "limit" | "mixes" | "months",
    /** The item with the lowest price per unit among those without a purchase limit, or -1. */
    readonly bestValue: number,
  ) {
    super(message);
  }
}
// Partial plans kept per month by the first pass, which only looks for a good plan to bound the exact one.
const BEAM = 16;
const MID_MONTH_PRUNE = 2_000;

interface History {
  prev: History | null;
  month: number;
  group: number;
  amount: number;
}

/**
 * A partial plan at the start of a month, or during its purchases. Its key is what can change the
 * rest of the plan: s[i] = units that expire in month t+i or later (suffix sums, so spending
 * soonest-expiring first leaves s'[i] = min(s[i+1], s[0] - demand)), cov[i] = 1 when month t+i
 * needs no further package for concurrency, lim = copies bought of each limited item.
 */
interface State {
  s: number[];
  cov: number[];
  lim: number[];
  price: number;
  units: number;
  items: number;
  /** A fourth, internal tie-break: 1-month packages bought later are preferred (see `oneMonthRule`). */
  late: number;
  /** Units bought this month per validity. */
  batch: number[];
  /** Copies of each 1-month item bought this month, and whether anything else covers month t. */
  bought: number[];
  covered: number;
  hist: History | null;
}

/** The order (units left unused = units bought - demand, so fewer units bought), then `late`. */
function before(a: State, b: State): boolean {
  if (a.price !== b.price) return a.price < b.price;
  if (a.units !== b.units) return a.units < b.units;
  if (a.items !== b.items) return a.items < b.items;
  return a.late < b.late;
}

const order = (a: State, b: State) => a.price - b.price || a.units - b.units || a.items - b.items || a.late - b.late;
const keyOf = (st: State) => `${st.s.join(",")};${st.cov.join("")};${st.lim.join(",")}`;

/**
 * With A no worse than B in the order above (prune sorts by it first), A dominates B when it also
 * has at least as many units usable from every future month on, covers every month B covers and
 * has used no more of any purchase limit: whatever B buys from here on, A can buy too, and A's
 * plan is then at least as good.
 */
function dominates(a: State, b: State): boolean {
  for (let i = 0; i < a.s.length; i++) if (a.s[i]! < b.s[i]!) return false;
  for (let i = 0; i < a.cov.length; i++) if (a.cov[i]! < b.cov[i]!) return false;
  for (let i = 0; i < a.lim.length; i++) if (a.lim[i]! > b.lim[i]!) return false;
  return true;
}

/**
 * Packages that are interchangeable apart from size and price (same validity and concurrency, no
 * purchase limit) are bought as one amount: for each amount, the cheapest mix (then fewest
 * packages). A package with a purchase limit is a group of its own, its copies counted in State.lim.
 *
 * Mixes of any size come from a bounded table: let b be the member with the lowest price per unit
 * (the largest among equals). Of any u_b / step other members, some add up to a multiple of u_b
 * (their running totals repeat a residue) and swapping them for copies of b costs no more, with
 * fewer packages; so a best mix has fewer than u_b / step others, and past (u_b / step - 1) x the
 * largest member, the best mix for an amount is b plus the best mix for the amount less u_b.
 */
class Group {
  readonly step: number;
  readonly maxSize: number;
  /** Most copies worth buying in one month (see Solver.copyBounds); Infinity = no bound known. */
  maxCopies = Infinity;
  /** The member with the lowest price per unit: its units in steps and its price. */
  private readonly period: number;
  private readonly bestPrice: number;
  private readonly best: number;
  /** Amounts (in steps) from here on repeat the table's last period plus copies of the best member. */
  private readonly tableSize: number;
  // For each amount / step below tableSize: the cheapest mix's price and package count, and its last member.
  private price = [0];
  private count = [0];
  private via = [-1];
  private readonly mixes = new Map<number, Map<number, number>>();

  constructor(
    readonly members: readonly number[],
    private readonly items: readonly PlanItem[],
    readonly months: number,
    readonly concurrency: number,
    readonly limited: number, // index into State.lim, or -1
  ) {
    const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
    this.step = members.reduce((g, j) => gcd(g, items[j]!.units), 0);
    this.maxSize = Math.max(...members.map((j) => items[j]!.units));
    let best = members[0]!;
    for (const j of members) {
      const a = items[j]!, b = items[best]!;
      if (a.price * b.units < b.price * a.units || (a.price * b.units === b.price * a.units && a.units > b.units)) best = j;
    }
    this.best = best;
    this.period = items[best]!.units / this.step;
    this.bestPrice = items[best]!.price;
    this.tableSize = (this.period - 1) * (this.maxSize / this.step) + this.period;
  }

  /** Table cells this group needs for exact mixes of every amount. */
  get cells(): number {
    return this.limited >= 0 ? 0 : this.tableSize;
  }

  /** The cheapest mix of exactly `amount` units (a multiple of step), or undefined if none. */
  mix(amount: number): { price: number; count: number } | undefined {
    const k = amount / this.step;
    if (this.limited >= 0) return { price: k * this.items[this.members[0]!]!.price, count: k };
    const extra = this.extraCopies(k);
    const r = k - extra * this.period;
    if (r >= this.price.length) this.grow(r);
    return Number.isFinite(this.price[r]!) ? { price: this.price[r]! + extra * this.bestPrice, count: this.count[r]! + extra } : undefined;
  }

  /** Copies of the best member beyond the table's reach for k steps. */
  private extraCopies(k: number): number {
    return k < this.tableSize ? 0 : Math.ceil((k - this.tableSize + 1) / this.period);
  }

  /** Adds the copies of each member in the mix for `amount` to out[item], without allocating. */
  addCounts(amount: number, out: number[]): void {
    if (this.limited >= 0) {
      out[this.members[0]!]! += amount / this.step;
      return;
    }
    const extra = this.extraCopies(amount / this.step);
    out[this.best]! += extra;
    for (let k = amount / this.step - extra * this.period; k > 0;) {
      const j = this.members[this.via[k]!]!;
      out[j]! += 1;
      k -= this.items[j]!.units / this.step;
    }
  }

  /** Copies of each member in the mix for `amount`. */
  counts(amount: number): Map<number, number> {
    let out = this.mixes.get(amount);
    if (out) return out;
    out = new Map<number, number>();
    if (this.limited >= 0) {
      out.set(this.members[0]!, amount / this.step);
    } else {
      const extra = this.extraCopies(amount / this.step);
      if (extra > 0) out.set(this.best, extra);
      for (let k = amount / this.step - extra * this.period; k > 0;) {
        const j = this.members[this.via[k]!]!;
        out.set(j, (out.get(j) ?? 0) + 1);
        k -= this.items[j]!.units / this.step;
      }
    }
    if (this.mixes.size < 4096) this.mixes.set(amount, out);
    return out;
  }

  private grow(k: number): void {
    const { price, count, via, members, items, step } = this;
    for (let c = price.length; c <= k; c++) {
      let bp = Infinity, bc = Infinity, bv = -1;
      members.forEach((j, m) => {
        const from = c - items[j]!.units / step;
        if (from < 0 || !Number.isFinite(price[from]!)) return;
        const p = price[from]! + items[j]!.price, n = count[from]! + 1;
        if (p < bp || (p === bp && n < bc)) bp = p, bc = n, bv = m;
      });
      price.push(bp), count.push(bc), via.push(bv);
    }
  }
}

/**
 * The cheapest schedule, or undefined when none meets the demand (purchase limits, or a month whose
 * concurrency no package offers). Throws TooHardError past the work limits.
 *
 * Dynamic programming over months, keeping only partial plans no other dominates (see
 * `dominates`). Two facts about best plans keep each month's choices few. (1) Of a batch (units
 * bought in one month with one validity), dropping a package that no month's concurrency depends
 * on leaves a plan as feasible and strictly cheaper when the batch still holds the demand its
 * validity window can use; so batches stay below that demand plus one package. (2) See
 * `oneMonthRule`. A first pass that keeps only a few partial plans finds a good plan; its cost,
 * with a lower bound on the cost still to come, prunes the exact pass (any plan within that cost
 * survives it, so the exact pass still finds the best).
 */
export function cheapestSchedule(items: readonly PlanItem[], demand: readonly number[], concurrency: readonly number[], options: SolveOptions = {}): Schedule | undefined {
  const now = options.now ?? Date.now;
  const solver = new Solver(items, demand, concurrency, now() + (options.deadlineMs ?? DEADLINE_MS), now, options.maxWork ?? Infinity);
  // A narrow pass can lose every feasible plan (purchase limits, or packages kept for their price
  // that leave a month uncovered); a wider one then, and at worst no bound at all.
  const rough = solver.run(BEAM, Infinity) ?? solver.run(BEAM * 16, Infinity);
  const best = solver.run(0, rough ? rough.price : Infinity);
  return best && solver.schedule(best);
}

class Solver {
  private readonly horizon: number;
  private readonly maxMonths: number;
  private readonly validities: number[];
  private readonly groups: Group[]; // longest validity first, so 1-month groups come last
  private readonly limits: number[];
  /** window[t][v]: demand of months t .. t + validities[v] - 1, all a batch bought in month t can use. */
  private readonly window: number[][];
  /** after[t]: demand of months t and later. */
  private readonly after: number[];
  /** Lowest price per unit step, and per month the least a package offering its concurrency costs beyond that. */
  private readonly perUnit: number;
  private readonly extra: number[];
  /** coverTail[t]: the cover part of the lower bound for months t and later when nothing covers them yet. */
  private readonly coverTail: number[];
  private work = 0;
  private readonly smallestOneMonth: number;
  private readonly scratch: number[];
  /** The unlimited item with the lowest price per unit (the largest among equals), or -1. */
  private readonly bestValue: number;
  /** Per group: why its amounts are bounded, and the most amounts tried for it in one month. */
  private readonly bound: ("steps" | "limit" | "bulk")[];
  private readonly widest: number[];

  constructor(
    private readonly items: readonly PlanItem[],
    private readonly demand: readonly number[],
    private readonly need: readonly number[],
    private readonly deadline: number,
    private readonly now: () => number,
    private readonly maxWork: number,
  ) {
    const H = (this.horizon = demand.length);
    this.maxMonths = Math.max(1, ...items.map((it) => it.months));
    this.validities = [...new Set(items.map((it) => it.months))];
    this.limits = [];
    const byKind = new Map<string, number[]>();
    const groups: Group[] = [];
    items.forEach((it, j) => {
      if (it.limit !== null) {
        this.limits.push(it.limit);
        groups.push(new Group([j], items, it.months, it.concurrency, this.limits.length - 1));
        return;
      }
      const kind = `${it.months}/${it.concurrency}`;
      if (!byKind.has(kind)) byKind.set(kind, []);
      byKind.get(kind)!.push(j);
    });
    for (const members of byKind.values()) groups.push(new Group(members, items, items[members[0]!]!.months, items[members[0]!]!.concurrency, -1));
    let bestValue = -1;
    items.forEach((it, j) => {
      const b = items[bestValue];
      if (it.limit !== null) return;
      if (!b || it.price * b.units < b.price * it.units || (it.price * b.units === b.price * it.units && it.units > b.units)) bestValue = j;
    });
    this.bestValue = bestValue;
    this.scratch = items.map(() => 0);
    this.smallestOneMonth = Math.min(...items.filter((it) => it.months === 1).map((it) => it.units));
    // Longest validity first, and the group holding the best-value item last: it buys the bulk,
    // so by then the month's other purchases are known and its amount is what the month still lacks.
    const bulk = (g: Group) => (g.members.includes(this.bestValue) ? 1 : 0);
    this.groups = groups.sort((a, b) => bulk(a) - bulk(b) || b.months - a.months);
    this.bound = this.groups.map((g) => (bulk(g) ? "bulk" : "limit"));
    this.copyBounds();
    this.widest = this.groups.map(() => 0);
    let cells = 0;
    for (const g of this.groups) cells += g.cells;
    if (cells > MAX_TABLE_CELLS) {
      const g = this.groups.reduce((a, b) => (b.cells > a.cells ? b : a));
      throw new PlanTooHardError("too many package mixes", g.members.reduce((a, b) => (items[b]!.units > items[a]!.units ? b : a)), g.cells, "mixes", this.bestValue);
    }
    this.after = new Array<number>(H + 1).fill(0);
    for (let t = H - 1; t >= 0; t--) this.after[t] = this.after[t + 1]! + demand[t]!;
    this.window = demand.map((_, t) => this.validities.map((m) => this.after[t]! - this.after[Math.min(H, t + m)]!));
    this.perUnit = Math.min(...items.map((it) => it.price / it.units));
    this.extra = this.need.map((c) => Math.min(...items.filter((it) => it.concurrency >= c).map((it) => it.price - it.units * this.perUnit)));
    this.coverTail = new Array<number>(H + this.maxMonths + 1).fill(0);
    for (let t = H - 1; t >= 0; t--) {
      this.coverTail[t] = demand[t]! > 0 ? this.extra[t]! + this.coverTail[t + this.maxMonths]! : this.coverTail[t + 1]!;
    }
  }

  /**
   * A lower bound on the price still to pay from month t: every unit step that the demand from
   * some month on lacks costs at least the lowest price per unit, and months a single package
   * cannot both reach, still uncovered, each need a package of their concurrency, which costs at
   * least its `extra` beyond its units' worth. Shrunk slightly so rounding can only weaken it.
   */
  private lowerBound(st: State, t: number): number {
    const L = st.s.length;
    let lack = this.after[Math.min(this.horizon, t + L)]!;
    for (let i = 0; i < L; i++) lack = Math.max(lack, this.after[t + i]! - st.s[i]!);
    let cover = 0, next = t;
    for (let i = 0; i < L; i++) {
      if (t + i >= next && st.cov[i] === 0) cover += this.extra[t + i]!, next = t + i + this.maxMonths;
    }
    cover += this.coverTail[Math.max(next, t + L)]!;
    return (lack * this.perUnit + cover) * (1 - 1e-9);
  }

  /** `beam` > 0 keeps only that many partial plans per month (a quick, inexact pass); 0 = exact. */
  run(beam: number, bound: number): State | undefined {
    const { horizon, items, demand } = this;
    let states: State[] = [{
      s: [], cov: [], lim: this.limits.map(() => 0), price: 0, units: 0, items: 0, late: 0,
      batch: [], bought: [], covered: 0, hist: null,
    }];
    for (let t = 0; t < horizon; t++) {
      const L = Math.min(this.maxMonths, horizon - t);
      states = states.map((st) => {
        const s = st.s.slice(0, L), cov = st.cov.slice(0, L);
        // Months without demand need no package for concurrency.
        while (s.length < L) s.push(0), cov.push(demand[t + s.length - 1]! > 0 ? 0 : 1);
        return { ...st, s, cov, batch: this.validities.map(() => 0), bought: items.map(() => 0), covered: cov[0]! };
      });
      for (let g = 0; g < this.groups.length; g++) {
        states = this.buy(states, g, t, bound);
        // Between a month's packages the narrow pass narrows (not after the last package: the month's
        // demand and concurrency must be met first); the exact pass drops dominated partial plans
        // when they are many (the comparisons cost more than they save on a few hundred).
        if (g < this.groups.length - 1) {
          if (beam > 0) states = this.narrow(states, t, beam);
          else if (states.length > MID_MONTH_PRUNE) states = this.prune(states);
        }
      }
      const next = new Map<string, State>();
      for (const st of states) {
        if (st.cov[0] === 0 || st.s[0]! < demand[t]!) continue;
        const left = st.s[0]! - demand[t]!;
        const s = st.s.slice(1).map((x) => Math.min(x, left));
        if (!this.oneMonthRule(st.bought, st.covered, t, s[0] ?? 0)) continue;
        const after: State = { ...st, s, cov: st.cov.slice(1) };
        if (after.price + this.lowerBound(after, t + 1) > bound) continue;
        const key = keyOf(after);
        const seen = next.get(key);
        if (!seen || before(after, seen)) next.set(key, after);
      }
      // The narrow pass only looks for a good plan: it narrows first, sparing itself the comparisons.
      states = beam > 0 ? this.narrow(this.prune(this.narrow([...next.values()], t + 1, beam * 4)), t + 1, beam) : this.prune([...next.values()]);
      if (states.length === 0) return undefined;
    }
    return states.reduce((a, b) => (before(b, a) ? b : a));
  }

  /** The `beam` partial plans that look cheapest in the end (price so far plus the lower bound). */
  private narrow(states: State[], t: number, beam: number): State[] {
    if (states.length <= beam) return states;
    const guess = new Map(states.map((st) => [st, st.price + this.lowerBound(st, t)]));
    return states.sort((a, b) => guess.get(a)! - guess.get(b)! || order(a, b)).slice(0, beam);
  }

  /**
   * A copy q of a 1-month package bought in month t that month t's concurrency does not depend on
   * can move to any later month f that spends at least q's units of those available in month t:
   * the plan is as good, with q bought later, which the fourth tie-break prefers. It can be dropped
   * (a cheaper plan) if at least q's units available in month t are never spent. So in a best plan
   * each later month spends fewer than q's units of those carried out of month t, and fewer than
   * q's go unused: at most (later months they can reach + 1) x (q's units - 1) are carried.
   */
  private reachOf(t: number): number {
    return Math.min(this.maxMonths - 1, this.horizon - 1 - t) + 1;
  }

  private oneMonthRule(bought: readonly number[], covered: number, t: number, carried: number): boolean {
    if (carried === 0) return true;
    const reach = this.reachOf(t);
    const n = (q: number) => bought[q]!;
    for (let q = 0; q < this.items.length; q++) {
      const it = this.items[q]!;
      if (it.months !== 1 || n(q) === 0 || carried <= reach * (it.units - 1)) continue;
      let spare = n(q) > 1 || covered === 1;
      for (let r = 0; r < this.items.length && !spare; r++) {
        if (r !== q && n(r) > 0 && this.items[r]!.concurrency >= this.need[t]!) spare = true; // another 1-month item covers
      }
      if (spare) return false;
    }
    return true;
  }

  /**
   * The amounts of group g worth trying in month t from state st. A batch (units of one validity
   * bought this month) never reaches the demand its window can use plus the group's largest
   * package, unless it is one package bought for its concurrency; and a 1-month group's amount
   * beyond what `oneMonthRule` and waste allow is never part of a best plan.
   */
  private amounts(st: State, g: number, t: number): number[] {
    const group = this.groups[g]!;
    const v = this.validities.indexOf(group.months);
    const reach = Math.min(group.months, st.s.length);
    let covers = false;
    for (let i = 0; i < reach; i++) if (st.cov[i] === 0 && group.concurrency >= this.need[t + i]!) covers = true;
    const room = this.window[t]![v]! - st.batch[v]!;
    let top = room <= 0 ? 0 : room + group.maxSize - 1;
    const base = this.demand[t]! - st.s[0]!;
    // A batch is spent after everything that expires sooner; what month t does not take of it is
    // less than one package, or that package could be bought a month later (see `copyBounds`).
    const sooner = st.s[0]! - (group.months < st.s.length ? st.s[group.months]! : 0);
    top = Math.min(top, Math.max(0, this.demand[t]! - sooner) + group.maxSize - 1);
    if (group.months === 1) {
      // What later months may still take of the units carried out of month t (`oneMonthRule`);
      // while groups of longer validity are still to come, that is not known yet.
      const laterCarry = this.groups.slice(g + 1).some((x) => x.months > 1);
      const cap = (Math.min(this.maxMonths - 1, this.horizon - 1 - t) + 1) * (group.maxSize - 1);
      const carry = laterCarry ? cap : Math.min(st.s[1] ?? 0, cap);
      top = Math.min(top, Math.max(0, base + carry + group.maxSize - 1));
    }
    if (group.maxCopies < Infinity) top = Math.min(top, group.maxCopies * group.maxSize);
    // The last group bought must meet what the month still lacks.
    const low = g === this.groups.length - 1 ? Math.max(0, base) : 0;
    if (group.limited >= 0) {
      const u = this.items[group.members[0]!]!.units;
      top = Math.min(top, (this.limits[group.limited]! - st.lim[group.limited]!) * u);
    }
    const out = [0];
    const first = Math.max(group.step, Math.ceil(low / group.step) * group.step);
    const n = top >= first ? Math.floor((top - first) / group.step) + 1 : 0;
    if (n > this.widest[g]!) this.widest[g] = n;
    if (n > MAX_AMOUNTS) this.tooHard("too many amounts to try in one month");
    for (let a = first; a <= top; a += group.step) out.push(a);
    if (covers) {
      for (const j of group.members) {
        const u = this.items[j]!.units;
        if ((u > top || u < first) && (group.limited < 0 || st.lim[group.limited]! < this.limits[group.limited]!)) out.push(u);
      }
    }
    return out;
  }

  /** Every state with each worthwhile amount of group g bought in month t, merged by key. */
  private buy(states: State[], g: number, t: number, bound: number): State[] {
    const group = this.groups[g]!;
    const v = this.validities.indexOf(group.months);
    const next = new Map<string, State>();
    const last = g === this.groups.length - 1, d = this.demand[t]!;
    for (const st of states) {
      const reach = Math.min(group.months, st.s.length);
      for (const amount of this.amounts(st, g, t)) {
        this.spend(1);
        let cur = st;
        if (amount > 0) {
          const mix = group.mix(amount);
          if (!mix || mix.count > group.maxCopies) continue;
          if (last) {
            // The month ends with this group: what the month-end checks would refuse is never copied.
            if (st.cov[0] === 0 && group.concurrency < this.need[t]!) continue;
            const left = st.s[0]! + amount - d;
            if (left < 0) continue;
            const carried = Math.min((st.s[1] ?? 0) + (reach > 1 ? amount : 0), left);
            const covered = group.months > 1 && group.concurrency >= this.need[t]! ? 1 : st.covered;
            // Only a carry past what the smallest 1-month item allows needs the mix's members.
            if (carried > this.reachOf(t) * (this.smallestOneMonth - 1)) {
              const bought = this.scratch;
              for (let j = 0; j < bought.length; j++) bought[j] = st.bought[j]!;
              if (group.months === 1) group.addCounts(amount, bought);
              if (!this.oneMonthRule(bought, covered, t, carried)) continue;
            }
          }
          // The units part of the lower bound first, before anything is copied.
          let lack = this.after[Math.min(this.horizon, t + st.s.length)]!;
          for (let i = 0; i < st.s.length; i++) lack = Math.max(lack, this.after[t + i]! - st.s[i]! - (i < reach ? amount : 0));
          if (st.price + mix.price + lack * this.perUnit * (1 - 1e-9) > bound) continue;
          const s = st.s.slice(), cov = st.cov.slice(), batch = st.batch.slice();
          for (let i = 0; i < reach; i++) {
            s[i]! += amount;
            if (group.concurrency >= this.need[t + i]!) cov[i] = 1;
          }
          batch[v]! += amount;
          let bought = st.bought, covered = st.covered;
          if (group.months === 1) {
            bought = bought.slice();
            for (const [j, n] of group.counts(amount)) bought[j]! += n;
          } else if (group.concurrency >= this.need[t]!) {
            covered = 1;
          }
          let lim = st.lim;
          if (group.limited >= 0) (lim = lim.slice())[group.limited]! += mix.count;
          cur = {
            s, cov, lim, price: st.price + mix.price, units: st.units + amount, items: st.items + mix.count,
            late: st.late + (group.months === 1 ? mix.count * (this.horizon - t) : 0), batch, bought, covered,
            hist: { prev: st.hist, month: t, group: g, amount },
          };
          if (cur.price + this.lowerBound(cur, t) > bound) continue;
        }
        const key = keyOf(cur);
        const seen = next.get(key);
        if (!seen || before(cur, seen)) next.set(key, cur);
      }
      if (next.size > MAX_HELD) this.tooHard("too many partial plans");
    }
    return [...next.values()];
  }

  /** Keeps the states no other state dominates (see `dominates`). */
  private prune(states: State[]): State[] {
    states.sort(order);
    const kept: State[] = [];
    for (const st of states) {
      let i = 0;
      while (i < kept.length && !dominates(kept[i]!, st)) i++;
      this.spend(i + 1);
      if (i === kept.length) kept.push(st);
    }
    return kept;
  }

  private spend(work: number): void {
    const before = this.work;
    this.work += work;
    if (this.work > this.maxWork) this.tooHard("too much work");
    if (Math.floor(this.work / CLOCK_EVERY) !== Math.floor(before / CLOCK_EVERY) && this.now() > this.deadline) this.tooHard("out of time");
  }

  /** Stops the search, naming the group whose choices per month were the most. */
  private tooHard(why: string): never {
    let g = 0;
    this.widest.forEach((n, i) => {
      if (n > this.widest[g]!) g = i;
    });
    const group = this.groups[g]!;
    const item = group.members.reduce((a, b) => (this.items[b]!.units > this.items[a]!.units ? b : a));
    const cause = this.widest[g]! <= 16 ? "months" : this.bound[g] === "steps" ? "steps" : this.bound[g] === "limit" ? "limit" : "mixes";
    throw new PlanTooHardError(why, item, this.widest[g]!, cause, this.bestValue);
  }

  /**
   * Most copies of each group worth buying in one month. Let b be the best-value item (lowest price
   * per unit, no purchase limit). In a best plan, among best plans the one that buys latest: (1) a
   * batch (a group's purchase in one month) carries fewer units past its month than its smallest
   * package holds, else that package could be bought a month later (its units serve the same later
   * months, the batch's other packages keep the concurrency) or, in the last month, dropped; so all
   * but one of its packages are spent entirely in their month. (2) Of u_b / step such packages of
   * items no better per unit than b, some add up to a multiple of u_b (running totals repeat a
   * residue), and copies of b bought that month instead cost no more, with fewer packages (or the
   * same, and fewer that are not b). So a group other than b's buys at most 1 + min(u_b / g - 1,
   * sum over its items of (u_b / gcd(u, u_b) - 1)) packages a month, g the common step of b and the
   * group's sizes. "Fewer packages" needs the items swapped out to be no larger than b when they
   * cost the same per unit: m copies of b replacing k larger ones are more packages (m > k) at the
   * same cost. Such an item has a purchase limit (b is the largest of the best without one), and
   * like an item better per unit than b, its group is bounded by that limit only.
   */
  private copyBounds(): void {
    const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
    const b = this.items[this.bestValue];
    if (!b) return;
    this.groups.forEach((group, g) => {
      if (this.bound[g] === "bulk") return;
      const members = group.members.map((j) => this.items[j]!);
      if (members.some((it) => it.price * b.units < b.price * it.units || (it.price * b.units === b.price * it.units && it.units > b.units))) return;
      const step = members.reduce((x, it) => gcd(x, it.units), b.units);
      const pairs = members.reduce((sum, it) => sum + b.units / gcd(it.units, b.units) - 1, 0);
      group.maxCopies = 1 + Math.min(b.units / step - 1, pairs);
      this.bound[g] = "steps";
    });
  }

  schedule(st: State): Schedule {
    const counts = this.demand.map(() => this.items.map(() => 0));
    for (let h = st.hist; h; h = h.prev) {
      for (const [j, n] of this.groups[h.group]!.counts(h.amount)) counts[h.month]![j]! += n;
    }
    return { counts, price: st.price, units: st.units, items: st.items };
  }
}


