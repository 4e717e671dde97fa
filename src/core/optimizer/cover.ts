// Exact minimum-cost cover: buy whole items (packages) so that their units add up to at least a
// demand, minimising cost, then surplus units, then the number of items. Integers only: prices in
// the smallest price step, units in the greatest common step of all item sizes.

export interface Item {
  /** Price in integer price steps. */
  price: number;
  /** Size in integer unit steps. */
  units: number;
  /** Most copies allowed; null = no limit. */
  limit: number | null;
}

/** Counts per item, and their totals. */
export interface Cover {
  counts: number[];
  price: number;
  units: number;
  items: number;
}

export class TooHardError extends Error {}

// Exact enumeration of limited items and the fallback table are capped so a formula cannot hang.
const MAX_LIMITED_COMBINATIONS = 200_000;
const MAX_TABLE_CELLS = 4_000_000;

/** Lexicographic comparison of [price, units, items]. */
export function better(a: Cover, b: Cover | undefined): boolean {
  if (!b) return true;
  if (a.price !== b.price) return a.price < b.price;
  if (a.units !== b.units) return a.units < b.units;
  return a.items < b.items;
}

function total(items: readonly Item[], counts: number[]): Cover {
  let price = 0, units = 0, n = 0;
  counts.forEach((c, i) => {
    price += c * items[i]!.price;
    units += c * items[i]!.units;
    n += c;
  });
  return { counts, price, units, items: n };
}

/**
 * Cheapest cover of `demand` unit steps, or undefined when the limits make it impossible.
 * Limited items are enumerated (their counts are bounded); the unlimited rest is solved exactly
 * by `UnlimitedCover` for each residual demand.
 */
export function cheapestCover(items: readonly Item[], demand: number): Cover | undefined {
  const limited = items.map((_, i) => i).filter((i) => items[i]!.limit !== null);
  const unlimited = items.map((_, i) => i).filter((i) => items[i]!.limit === null);
  const solver = unlimited.length ? new UnlimitedCover(unlimited.map((i) => items[i]!)) : undefined;

  // More copies of an item than it takes to cover the demand alone is never optimal.
  const bounds = limited.map((i) => Math.min(items[i]!.limit!, Math.ceil(Math.max(demand, 0) / items[i]!.units)));
  const combinations = bounds.reduce((acc, b) => acc * (b + 1), 1);
  if (combinations > MAX_LIMITED_COMBINATIONS) throw new TooHardError("too many purchase-limit combinations");

  let best: Cover | undefined;
  const base = limited.map(() => 0);
  for (let k = 0; k < combinations; k++) {
    let rest = k, baseUnits = 0;
    limited.forEach((i, j) => {
      base[j] = rest % (bounds[j]! + 1);
      rest = Math.floor(rest / (bounds[j]! + 1));
      baseUnits += base[j]! * items[i]!.units;
    });
    const residual = demand - baseUnits;
    let tail: number[] | undefined;
    if (residual <= 0) tail = unlimited.map(() => 0);
    else if (solver) tail = solver.solve(residual);
    if (!tail) continue;
    const counts = items.map(() => 0);
    limited.forEach((i, j) => (counts[i] = base[j]!));
    unlimited.forEach((i, j) => (counts[i] = tail![j]!));
    const cover = total(items, counts);
    if (better(cover, best)) best = cover;
  }
  return best;
}

/**
 * Unlimited items. Let b be the item with the lowest price per unit (the largest among equals).
 * Any set of u_b other items holds a subset whose units are a multiple of u_b, and swapping it
 * for copies of b never costs more, never changes the units and never adds items; so an optimum
 * uses fewer than u_b other items, and which ones depends only on the residue of their units
 * modulo u_b. A shortest-path search over those residues (Dijkstra) with lexicographic weights
 * (extra cost over b, extra items) then gives the optimum for any demand in O(u_b log u_b).
 */
export class UnlimitedCover {
  private readonly b: number;
  private readonly extra: Float64Array; // extra cost x u_b of the cheapest path to each residue
  private readonly more: Float64Array; // extra items x u_b along it, the tie-break
  private readonly reach: Float64Array; // units of that path
  private readonly via: Int32Array; // last item on that path, -1 at the start, -2 unreachable
  private dp?: ReturnType<typeof exactTable>;

  constructor(private readonly items: readonly Item[]) {
    let b = 0;
    items.forEach((it, i) => {
      const cur = items[b]!;
      const lhs = it.price * cur.units, rhs = cur.price * it.units;
      if (lhs < rhs || (lhs === rhs && it.units > cur.units)) b = i;
    });
    this.b = b;
    const m = items[b]!.units;
    this.extra = new Float64Array(m).fill(Infinity);
    this.more = new Float64Array(m).fill(Infinity);
    this.reach = new Float64Array(m);
    this.via = new Int32Array(m).fill(-2);
    this.search();
  }

  private search(): void {
    const { items, b, extra, more, reach, via } = this;
    const m = items[b]!.units, pb = items[b]!.price;
    const weights = items.map((it) => ({ e: it.price * m - pb * it.units, n: m - it.units }));
    const done = new Uint8Array(m);
    const heap = new MinHeap((x, y) => extra[x]! - extra[y]! || more[x]! - more[y]!);
    extra[0] = 0, more[0] = 0, via[0] = -1;
    heap.push(0);
    while (heap.size) {
      const r = heap.pop();
      if (done[r]) continue;
      done[r] = 1;
      items.forEach((it, j) => {
        if (j === b) return;
        const s = (r + it.units) % m;
        const e = extra[r]! + weights[j]!.e, n = more[r]! + weights[j]!.n;
        if (e < extra[s]! || (e === extra[s]! && n < more[s]!)) {
          extra[s] = e, more[s] = n, reach[s] = reach[r]! + it.units, via[s] = j;
          heap.push(s);
        }
      });
    }
  }

  /** Counts per item (in constructor order) covering `demand` > 0 unit steps. */
  solve(demand: number): number[] {
    const { items, b, reach, via } = this;
    const m = items[b]!.units;
    // For residue r the total is the least U >= demand with U = r (mod m).
    let best = -1, bestUnits = 0;
    for (let r = 0; r < m; r++) {
      if (via[r] === -2) continue;
      const units = demand + ((((r - demand) % m) + m) % m);
      if (best < 0 || this.beats(r, units, best, bestUnits)) best = r, bestUnits = units;
    }
    // The residue bound is exact when the winner's other items fit under its total; otherwise
    // (small demands) an exact table over every total up to demand + largest item decides.
    if (reach[best]! > bestUnits) return this.table(demand);
    const counts = items.map(() => 0);
    for (let r = best; via[r]! >= 0;) {
      const j = via[r]!;
      counts[j]! += 1;
      r = (((r - items[j]!.units) % m) + m) % m;
    }
    counts[b] = (bestUnits - reach[best]!) / m;
    return counts;
  }

  /** Is residue r (total `units`) better than residue s (total `sUnits`)? */
  private beats(r: number, units: number, s: number, sUnits: number): boolean {
    const { extra, more, reach, items, b } = this;
    // Cost x m is extra + price_b x total; compare differences, which stay small and exact.
    const cost = extra[r]! - extra[s]! + items[b]!.price * (units - sUnits);
    if (cost !== 0) return cost < 0;
    if (units !== sUnits) return units < sUnits;
    const count = more[r]! + units - (more[s]! + sUnits);
    if (count !== 0) return count < 0;
    // A full tie: prefer the residue whose bound is attained.
    return reach[r]! <= units && reach[s]! > sUnits;
  }

  private table(demand: number): number[] {
    const { items } = this;
    const largest = Math.max(...items.map((it) => it.units));
    const cells = demand + largest;
    if (cells > MAX_TABLE_CELLS) throw new TooHardError("package sizes too fine-grained for this demand");
    if (!this.dp || this.dp.cells < cells) this.dp = exactTable(items, cells);
    const { price, via } = this.dp;
    // Ascending totals, so among equal prices the smaller total (less surplus) is kept.
    let best = -1;
    for (let s = demand; s < cells; s++) {
      if (price[s]! < (best < 0 ? Infinity : price[best]!)) best = s;
    }
    const counts = items.map(() => 0);
    for (let s = best; s > 0; s -= items[via[s]!]!.units) counts[via[s]!]! += 1;
    return counts;
  }
}

/** Cheapest way (then fewest items) to buy exactly s unit steps, for every s below `cells`. */
function exactTable(items: readonly Item[], cells: number) {
  const price = new Float64Array(cells).fill(Infinity);
  const count = new Float64Array(cells).fill(Infinity);
  const via = new Int8Array(cells).fill(-1);
  price[0] = 0, count[0] = 0;
  for (let s = 1; s < cells; s++) {
    for (let j = 0; j < items.length; j++) {
      const it = items[j]!;
      if (it.units > s) continue;
      const p = price[s - it.units]! + it.price, c = count[s - it.units]! + 1;
      if (p < price[s]! || (p === price[s]! && c < count[s]!)) price[s] = p, count[s] = c, via[s] = j;
    }
  }
  return { cells, price, count, via };
}

class MinHeap {
  private readonly data: number[] = [];
  constructor(private readonly less: (a: number, b: number) => number) {}
  get size(): number {
    return this.data.length;
  }
  push(x: number): void {
    const d = this.data;
    d.push(x);
    for (let i = d.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (this.less(d[i]!, d[p]!) >= 0) break;
      [d[i], d[p]] = [d[p]!, d[i]!];
      i = p;
    }
  }
  pop(): number {
    const d = this.data;
    const top = d[0]!;
    const last = d.pop()!;
    if (d.length) {
      d[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < d.length && this.less(d[l]!, d[m]!) < 0) m = l;
        if (r < d.length && this.less(d[r]!, d[m]!) < 0) m = r;
        if (m === i) break;
        [d[i], d[m]] = [d[m]!, d[i]!];
        i = m;
      }
    }
    return top;
  }
}
