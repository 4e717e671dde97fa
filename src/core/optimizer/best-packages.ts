import { InputError, listOf } from "../errors";
import { clean, decimalPlaces } from "../numbers";
import { MAX_PRICE_DECIMALS, type PackageRow } from "../rates/types";
import { type Cover, type Item, TooHardError, better, cheapestCover } from "./cover";

export interface Need {
  units: number;
  /** Concurrent tasks that at least one package in the mix must offer (they do not add up). */
  concurrency: number;
  /** Days every package in the mix must stay valid; 0 = no limit. */
  days: number;
}

export interface PlanLine {
  pkg: PackageRow;
  count: number;
}

export interface Plan {
  /** Largest packages first. */
  lines: PlanLine[];
  costUsd: number;
  units: number;
  packages: number;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * The cheapest mix of packages holding at least `need.units`: fewest dollars, then fewest surplus
 * units, then fewest packages. Exact (see cover.ts), in integer cents and unit steps.
 */
export function bestPackages(packages: readonly PackageRow[], need: Need): Plan {
  const valid = packages.filter((p) => need.days === 0 || p.validityDays >= need.days);
  if (valid.length === 0) {
    const longest = Math.max(...packages.map((p) => p.validityDays));
    throw new InputError(`days: no package stays valid ${need.days} days; the longest validity is ${longest} days`);
  }
  const anchors = valid.filter((p) => p.concurrency >= need.concurrency);
  if (anchors.length === 0) {
    const most = Math.max(...valid.map((p) => p.concurrency));
    const within = need.days ? ` among packages valid ${need.days} days` : "";
    throw new InputError(`concurrency: no package offers ${need.concurrency} concurrent tasks${within}; the most is ${most}`);
  }
  if (need.units <= 0) return { lines: [], costUsd: 0, units: 0, packages: 0 };

  for (const p of valid) {
    if (!(p.priceUsd > 0 && p.units > 0) || !Number.isInteger(p.units) || decimalPlaces(p.priceUsd) > MAX_PRICE_DECIMALS) {
      throw new InputError(`rate table: package ${p.name} needs a price above 0 with at most ${MAX_PRICE_DECIMALS} decimals and a whole number of units above 0`);
    }
  }
  const scale = 10 ** Math.max(...valid.map((p) => decimalPlaces(p.priceUsd)));
  const step = valid.reduce((g, p) => gcd(g, p.units), 0);
  const items: Item[] = valid.map((p) => ({ price: Math.round(p.priceUsd * scale), units: p.units / step, limit: p.purchaseLimit }));
  const demand = Math.ceil(clean(need.units / step));

  let best: Cover | undefined;
  try {
    if (anchors.length === valid.length) {
      best = cheapestCover(items, demand);
    } else {
      // Some package must provide the concurrency: force one of each candidate in turn.
      for (const anchor of anchors) {
        const a = valid.indexOf(anchor);
        const it = items[a]!;
        if (it.limit === 0) continue;
        const rest = items.map((x, i) => (i === a && x.limit !== null ? { ...x, limit: x.limit - 1 } : x));
        const cover = cheapestCover(rest, demand - it.units);
        if (!cover) continue;
        cover.counts[a]! += 1;
        const candidate = { counts: cover.counts, price: cover.price + it.price, units: cover.units + it.units, items: cover.items + 1 };
        if (better(candidate, best)) best = candidate;
      }
    }
  } catch (error) {
    if (!(error instanceof TooHardError)) throw error;
    throw new InputError(`units: ${need.units} cannot be optimised exactly with this rate table (${error.message}); use package sizes in round steps`);
  }
  if (!best) {
    throw new InputError(`units: ${need.units} is more than the purchase limits allow (${listOf(valid.filter((p) => p.purchaseLimit !== null).map((p) => `${p.name} at most ${p.purchaseLimit}`), "and")})`);
  }
  if (!Number.isSafeInteger(best.price)) throw new InputError(`units: ${need.units} is too large to price exactly`);

  const lines = valid
    .map((pkg, i) => ({ pkg, count: best!.counts[i]! }))
    .filter((line) => line.count > 0)
    .sort((x, y) => y.pkg.units - x.pkg.units || x.pkg.priceUsd - y.pkg.priceUsd);
  return { lines, costUsd: clean(best.price / scale), units: best.units * step, packages: best.items };
}
