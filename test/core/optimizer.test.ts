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

/** Every count vector, by brute force: the reference the optimizer must match. */
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

describe("KLING_BEST_PACKAGE against exhaustive search", () => {
  test("the default packages: hundreds of random small demands, concurrency and validity", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 110_000 }),
        fc.constantFrom(1, 5, 6, 10, 20),
        fc.constantFrom(0, 30, 31, 60, 180),
        (units, concurrency, days) => {
          const expected = exhaustive(table.packages, units, concurrency, days);
          expect(solved(table.packages, units, concurrency, days)).toEqual(expected);
        },
      ),
      { numRuns: 400 },
    );
  });

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

  test("random package tables with purchase limits", () => {
    fc.assert(
      fc.property(packageSet, fc.integer({ min: 0, max: 400 }), fc.constantFrom(1, 5, 20), fc.constantFrom(0, 60, 180), (packages, units, concurrency, days) => {
        const expected = exhaustive(packages, units, concurrency, days);
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

test("medium demands match an independent exact table (default packages)", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 3_000_000 }), fc.constantFrom(1, 20), fc.constantFrom(0, 60), (units, concurrency, days) => {
      expect(solved(table.packages, units, concurrency, days)).toEqual(exactByTable(table.packages, units, concurrency, days));
    }),
    { numRuns: 60 },
  );
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
