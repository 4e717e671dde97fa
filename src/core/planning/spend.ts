// Spending bought units month by month, soonest-expiring first: what each month uses and what
// expires unused. Integers (unit steps) in, integers out.

export interface Batch {
  /** Month it is bought in (0 = the first month) and the last month it can be spent in. */
  month: number;
  last: number;
  units: number;
}

export interface Spending {
  used: number[];
  /** Units that expire unused at the end of each month; the last month also holds what is left after it. */
  expiring: number[];
  /** The first month whose demand the batches cannot meet, or -1. */
  short: number;
}

export function spend(batches: readonly Batch[], demand: readonly number[]): Spending {
  const left = batches.map((b) => b.units);
  const order = batches.map((_, i) => i).sort((a, b) => batches[a]!.last - batches[b]!.last);
  const used = demand.map(() => 0), expiring = demand.map(() => 0);
  let short = -1;
  demand.forEach((need, t) => {
    let rest = need;
    for (const i of order) {
      const b = batches[i]!;
      if (rest === 0) break;
      if (b.month > t || b.last < t) continue;
      const take = Math.min(rest, left[i]!);
      left[i]! -= take;
      rest -= take;
    }
    used[t] = need - rest;
    if (rest > 0 && short < 0) short = t;
    batches.forEach((b, i) => {
      if (b.last === t || (t === demand.length - 1 && b.month <= t && b.last > t)) expiring[t]! += left[i]!, (left[i] = 0);
    });
  });
  return { used, expiring, short };
}
