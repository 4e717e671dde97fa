import fc from "fast-check";
import { klingBestPackage } from "../../src/core/functions/best-package";
import { bestPackages } from "../../src/core/optimizer/best-packages";
import { defaultRateTable } from "../../src/core/rates/default-table";
import type { PackageRow } from "../../src/core/rates/types";

const table = defaultRateTable();
const cents = (usd: number) => Math.round(usd * 100);

interface Best {
  cents: number;
  units: number;
  packages: number;
}

/**
 * Every count vector, by brute force: slow, so it only vouches for `reference` below on small demands.
 * Its cuts only drop vectors with a copy that could be removed at a saving, so it is the true minimum.
 */
function exhaustive(packages: readonly PackageRow[], units: number, concurrency: number, days: number): Best | undefined {
  // Largest first, so the cut below prunes early.
  const valid = packages.filter((p) => days === 0 || p.validityDays >= days).sort((a, b) => b.units - a.units);
  // Asking for more concurrency than any valid package offers is an error even for 0 units.
  if (!valid.some((p) => p.concurrency >= concurrency)) return undefined;
  // More copies than it takes to cover the demand alone cannot be cheapest.
  const bounds = valid.map((p) => Math.min(p.purchaseLimit ?? Infinity, Math.ceil(units / p.units)));
  const prices = valid.map((p) => cents(p.priceUsd));
  let best: Best | undefined;
  const visit = (i: number, c: number, u: number, n: number, conc: number): void => {
    if (i === valid.length) {
      if (u < units || (units > 0 && conc < concurrency)) return;
      if (!best || c < best.cents || (c === best.cents && (u < best.units || (u === best.units && n < best.packages)))) {
        best = { cents: c, units: u, packages: n };
      }
      return;
    }
    const p = valid[i]!;
    for (let k = 0; k <= bounds[i]!; k++) {
      visit(i + 1, c + k * prices[i]!, u + k * p.units, n + k, k > 0 ? Math.max(conc, p.concurrency) : conc);
      // Once covered, another copy of this package only adds surplus (one copy is kept, for concurrency).
      if (k >= 1 && u + k * p.units >= units) break;
    }
  };
  visit(0, 0, 0, 0, 0);
  return best;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * The same minimum as `exhaustive` (fewest cents, then fewest units, then fewest packages), by a
 * knapsack table over exact totals in steps of the packages' common divisor: one table per package
 * set, concurrency and validity, built once up to `maxUnits` and then read for every demand up to it.
 * best[a][s]: cheapest (cents, then packages) way to buy exactly s steps; a = 1 once a package with
 * enough concurrency is in it (the brute force's "at least one qualifying package").
 */
function referenceTable(packages: readonly PackageRow[], concurrency: number, days: number, maxUnits: number): (units: number) => Best | undefined {
  const valid = packages.filter((p) => days === 0 || p.validityDays >= days);
  if (!valid.some((p) => p.concurrency >= concurrency)) return () => undefined;
  const usable = valid.filter((p) => p.purchaseLimit !== 0);
  const step = usable.reduce((g, p) => gcd(g, p.units), 0) || 1;
  // An optimum holds less than demand + the largest package: otherwise one copy could go at a saving.
  const top = Math.ceil(maxUnits / step) + Math.max(0, ...usable.map((p) => p.units / step));
  // Flag 0 / flag 1 rows: cheapest cents and, at that cost, fewest packages.
  const cost = [new Float64Array(top + 1).fill(Infinity), new Float64Array(top + 1).fill(Infinity)] as const;
  const count = [new Float64Array(top + 1), new Float64Array(top + 1)] as const;
  cost[0][0] = 0;
  const relax = (a: 0 | 1, to: 0 | 1, s: number, u: number, c: number) => {
    const total = cost[a][s - u]! + c, n = count[a][s - u]! + 1;
    if (total < cost[to][s]! || (total === cost[to][s]! && n < count[to][s]!)) {
      cost[to][s] = total;
      count[to][s] = n;
    }
  };
  for (const p of usable) {
    const u = p.units / step, c = cents(p.priceUsd), q = p.concurrency >= concurrency ? 1 : 0;
    // Unlimited: upward, so a total may already hold copies of p. Limited: one copy per downward pass.
    const copies = p.purchaseLimit ?? 1, upward = p.purchaseLimit === null;
    for (let k = 0; k < copies; k++) {
      for (let i = u; i <= top; i++) {
        const s = upward ? i : top + u - i;
        relax(0, q, s, u, c);
        relax(1, 1, s, u, c);
      }
    }
  }
  return (units) => {
    if (units > maxUnits) throw new Error(`reference table built up to ${maxUnits} units, asked for ${units}`);
    if (units === 0) return { cents: 0, units: 0, packages: 0 };
    let best: Best | undefined;
    // Ascending, strict: among equal costs the fewest units win; each total already has the fewest packages.
    for (let s = Math.ceil(units / step); s <= top; s++) {
      if (cost[1][s]! < (best?.cents ?? Infinity)) best = { cents: cost[1][s]!, units: s * step, packages: count[1]![s]! };
    }
    return best;
  };
}

// Tables by package set (by identity), concurrency and validity, so each is built once per test file.
const tables = new WeakMap<readonly PackageRow[], Map<string, (units: number) => Best | undefined>>();
function reference(packages: readonly PackageRow[], units: number, concurrency: number, days: number, maxUnits = units): Best | undefined {
  const bySet = tables.get(packages) ?? new Map<string, (units: number) => Best | undefined>();
  tables.set(packages, bySet);
  const key = `${concurrency}/${days}/${maxUnits}`;
  let table = bySet.get(key);
  if (!table) bySet.set(key, (table = referenceTable(packages, concurrency, days, maxUnits)));
  return table(units);
}

function solved(packages: readonly PackageRow[], units: number, concurrency: number, days: number): Best | string {
  try {
    const plan = bestPackages(packages, { units, concurrency, days });
    // The plan's own lines must add up to what it reports.
    const lineUnits = plan.lines.reduce((s, l) => s + l.count * l.pkg.units, 0);
    const lineCents = plan.lines.reduce((s, l) => s + l.count * cents(l.pkg.priceUsd), 0);
    expect(lineUnits).toBe(plan.units);
    expect(lineCents).toBe(cents(plan.costUsd));
    expect(plan.units).toBeGreaterThanOrEqual(units);
    if (units > 0) expect(Math.max(...plan.lines.map((l) => l.pkg.concurrency))).toBeGreaterThanOrEqual(concurrency);
    for (const l of plan.lines) if (days > 0) expect(l.pkg.validityDays).toBeGreaterThanOrEqual(days);
    return { cents: cents(plan.costUsd), units: plan.units, packages: plan.packages };
  } catch (error) {
    return (error as Error).message;
  }
}

// Small demands for the default packages: the reference tables are built once up to this.
const SMALL = 110_000;
const smallDemand = fc.integer({ min: 0, max: SMALL });
const defaultConcurrency = fc.constantFrom(1, 5, 6, 10, 20);
const defaultDays = fc.constantFrom(0, 30, 31, 60, 180);

// Random package sets: odd sizes, tied unit prices, purchase limits, packages that can't anchor.
const packageSet = fc.array(
  fc.record({
    priceUsd: fc.integer({ min: 1, max: 5000 }).map((c) => c / 100),
    units: fc.integer({ min: 2, max: 30 }).chain((k) => fc.constantFrom(k, k * 7, k * 25)),
    validityDays: fc.constantFrom(30, 90, 180),
    concurrency: fc.constantFrom(1, 5, 20),
    purchaseLimit: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
  }),
  { minLength: 1, maxLength: 4 },
).map((rows) => rows.map((r, i): PackageRow => ({ ...r, name: `P${i}`, source: "test", asOf: "2026" })));

describe("the reference table agrees with brute force", () => {
  test("the default packages, every concurrency and validity, small demands and their edges", () => {
    // The brute force grows fast with the demand; a few dozen thousand units stay quick.
    const demands = [0, 1, 99, 100, 101, 999, 1000, 1001, 4550, 4999, 5000, 5001, 6200, 9999, 15_050, 25_000, 45_001];
    for (const concurrency of [1, 5, 6, 10, 20]) {
      for (const days of [0, 30, 31, 60, 180]) {
        for (const units of demands) {
          expect(reference(table.packages, units, concurrency, days, SMALL)).toEqual(exhaustive(table.packages, units, concurrency, days));
        }
      }
    }
  });

  test("random package tables with purchase limits", () => {
    fc.assert(
      fc.property(packageSet, fc.integer({ min: 0, max: 400 }), fc.constantFrom(1, 5, 20), fc.constantFrom(0, 60, 180), (packages, units, concurrency, days) => {
        expect(reference(packages, units, concurrency, days)).toEqual(exhaustive(packages, units, concurrency, days));
      }),
      { numRuns: 600 },
    );
  });
});

describe("KLING_BEST_PACKAGE against the exact reference", () => {
  test("the default packages: hundreds of random small demands, concurrency and validity", () => {
    fc.assert(
      fc.property(smallDemand, defaultConcurrency, defaultDays, (units, concurrency, days) => {
        const expected = reference(table.packages, units, concurrency, days, SMALL);
        expect(solved(table.packages, units, concurrency, days)).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  test("random package tables with purchase limits", () => {
    fc.assert(
      fc.property(packageSet, fc.integer({ min: 0, max: 400 }), fc.constantFrom(1, 5, 20), fc.constantFrom(0, 60, 180), (packages, units, concurrency, days) => {
        const expected = reference(packages, units, concurrency, days);
        const got = solved(packages, units, concurrency, days);
        if (expected) expect(got).toEqual(expected);
        else expect(typeof got).toBe("string"); // no feasible plan: a message, not a number
      }),
      { numRuns: 600 },
    );
  });
});

/** An independent exact table over every total (in 100-unit steps), for demands too large to enumerate. */
function exactByTable(packages: readonly PackageRow[], units: number, concurrency: number, days: number): Best {
  const step = 100;
  const valid = packages.filter((p) => days === 0 || p.validityDays >= days);
  const need = Math.ceil(units / step), top = need + Math.max(...valid.map((p) => p.units / step));
  // best[s][a]: cheapest exact total s; a = whether a package with enough concurrency is in it.
  const best: (Best | undefined)[][] = Array.from({ length: top + 1 }, () => [undefined, undefined]);
  best[0]![0] = { cents: 0, units: 0, packages: 0 };
  const lt = (x: Best, y: Best | undefined) => !y || x.cents < y.cents || (x.cents === y.cents && x.packages < y.packages);
  for (let s = 1; s <= top; s++) {
    for (const p of valid) {
      const from = s - p.units / step;
      if (from < 0) continue;
      for (const a of [0, 1]) {
        const prev = best[from]![a];
        if (!prev) continue;
        const cand = { cents: prev.cents + cents(p.priceUsd), units: s * step, packages: prev.packages + 1 };
        const na = a || p.concurrency >= concurrency ? 1 : 0;
        if (lt(cand, best[s]![na])) best[s]![na] = cand;
      }
    }
  }
  let answer: Best | undefined;
  for (let s = need; s <= top; s++) {
    const c = best[s]![1];
    if (c && (!answer || c.cents < answer.cents)) answer = c;
  }
  return answer!;
}

const MEDIUM = 3_000_000;

test("medium demands match the exact reference (default packages)", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: MEDIUM }), fc.constantFrom(1, 20), fc.constantFrom(0, 60), (units, concurrency, days) => {
      expect(solved(table.packages, units, concurrency, days)).toEqual(reference(table.packages, units, concurrency, days, MEDIUM));
    }),
    { numRuns: 60 },
  );
});

test("at medium demands the reference agrees with a table built for each demand alone", () => {
  // Beyond the brute force's reach: a second, per-demand table (one build per demand, so few demands).
  for (const [units, concurrency, days] of [[2_999_999, 1, 0], [1_234_567, 20, 0], [640_050, 1, 60], [MEDIUM, 20, 60]] as const) {
    expect(reference(table.packages, units, concurrency, days, MEDIUM)).toEqual(exactByTable(table.packages, units, concurrency, days));
  }
});

describe("hand-checked plans where the biggest package is not the answer", () => {
  const best = (units: unknown, concurrency: unknown = "", days: unknown = "", result: unknown = "") =>
    klingBestPackage(table, units, concurrency, days, result);

  test("100,000 units valid 60 days: 2 x Package 3 + 2 x Package 1 = $12,740", () => {
    // 2 x 45,000 + 2 x 5,000 = 100,000 units for 2 x 5,670 + 2 x 700; Package 4 twice would be $15,120.
    expect(best(100000, "", 60)).toBe("2 x Package 3 + 2 x Package 1");
    expect(best(100000, "", 60, "cost")).toBe(12740);
    expect(best(100000, "", 60, "units")).toBe(100000);
  });

  test("50,000 units with 10 parallel tasks: one Standard package for the concurrency, Trial units for the rest", () => {
    // Trial packages cap at 5 tasks, so one 20-task package is needed; Package 1 is the cheapest of those.
    expect(best(50000, 10)).toBe("1 x Package 1 + 45 x Trial L");
    expect(best(50000, 10, "", "cost")).toBe(700 + 45 * 98);
  });

  test("without a concurrency need the cheaper Trial rate wins", () => {
    expect(best(4550)).toBe("4 x Trial L + 6 x Trial S");
    expect(best(4550, "", "", "cost")).toBeCloseTo(4 * 98 + 6 * 9.8, 10);
  });

  test("the table result spills one row per package and a total row", () => {
    expect(best(100000, 1, 60, "table")).toEqual([
      ["Package", "Count", "USD per unit", "Units", "Cost USD"],
      ["Package 3", 2, 0.126, 90000, 11340],
      ["Package 1", 2, 0.14, 10000, 1400],
      ["Total", 4, "", 100000, 12740],
    ]);
  });

  test("no units: nothing to buy", () => {
    expect(best(0)).toBe("nothing to buy");
    expect(best(0, "", "", "cost")).toBe(0);
  });

  test("impossible constraints are errors that say what exists", () => {
    expect(() => best(1000, 25)).toThrow("concurrency: no package offers 25 concurrent tasks; the most is 20");
    expect(() => best(1000, 10, 200)).toThrow("days: no package stays valid 200 days; the longest validity is 180 days");
    expect(() => best(1000, 1, 60, "cheapest")).toThrow('result: "cheapest" is not one of the choices; use "plan", "cost", "units", "table"');
    expect(() => best(-5)).toThrow("units: -5 is negative");
    expect(() => best([[1000], [2000]], "", "", "table")).toThrow('units: give one value, not a range; result "table" spills one plan');
  });

  test("a column of demands gives a column of plans, bad rows show their message", () => {
    expect(best([[100000], [""], [-1], [50000]], [[1], [1], [1], [10]], 60, "cost")).toEqual([
      [12740], [""], ["units: -1 is negative; give the resource units you need, 0 or more (at most 1,000,000,000,000)"], [best(50000, 10, 60, "cost")],
    ]);
  });
});
