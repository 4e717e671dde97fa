// KLING_PURCHASE_PLAN on forecasts of any size, against methods that share none of its code: for one
// month, the optimizer behind KLING_BEST_PACKAGE (a residue search); for several months, the
// exhaustive reference on the same problem scaled down (package sizes and forecasts divided by the
// same factor have the same best plan, in units that many times smaller). Cases are random: the
// small problems' every case is in planning.test.ts.
import fc from "fast-check";
import { bestPackages } from "../../src/core/optimizer/best-packages";
import { type PurchasePlan, planPurchases } from "../../src/core/planning/plan";
import type { PackageRow } from "../../src/core/rates/types";
import { Reference, steps } from "./planning-reference";

jest.setTimeout(60_000);

// A fixed seed, so a failure shows again on the next run and every machine checks the same cases;
// MAGNITUDE_SEED=<integer> tries others (fast-check prints the seed of a failing run).
const seed = Number(process.env.MAGNITUDE_SEED ?? 20261129);
if (!Number.isSafeInteger(seed)) throw new Error(`MAGNITUDE_SEED: expected an integer, got ${process.env.MAGNITUDE_SEED}`);
// Which tables the planner gives up on is decided by a count of its steps of work, the same on
// every machine (about 0.3 s at most on a 2-core EPYC), not by its clock.
const WORK = 2_000_000;

const row = (i: number, r: { priceUsd: number; units: number; validityDays: number; concurrency: number; purchaseLimit: number | null }): PackageRow =>
  ({ ...r, name: `P${i}`, source: "test", asOf: "2026" });

test("one month of up to 1e9 units: the plan is the optimizer's cheapest mix of packages valid a month", () => {
  let compared = 0;
  fc.assert(
    fc.property(
      fc.array(fc.record({
        priceUsd: fc.integer({ min: 1, max: 800_000 }).map((c) => c / 100),
        units: fc.constantFrom(100, 1000, 5000, 15000, 45000, 60000, 7, 11, 13, 250),
        validityDays: fc.constantFrom(30, 60, 180),
        concurrency: fc.constantFrom(1, 5, 20),
        purchaseLimit: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null, freq: 4 }),
      }), { minLength: 1, maxLength: 5 }),
      fc.integer({ min: 0, max: 1e9 }),
      fc.constantFrom(1, 5, 20),
      (rows, units, tasks) => {
        const packages = rows.map((r, i) => row(i, r));
        const most = Math.max(...packages.map((p) => p.concurrency));
        const need = { units, concurrency: Math.min(tasks, most), days: 30 };
        let want;
        try {
          want = bestPackages(packages, need);
        } catch (error) {
          if (/purchase limits allow|cannot be optimised exactly/.test((error as Error).message)) return;
          throw error;
        }
        // A table the planner gives up on must say so (within less work than a formula may do, for the
        // test's sake; the deadline is far enough not to decide it).
        let plan: PurchasePlan;
        try {
          plan = planPurchases(packages, [units], [need.concurrency], { maxWork: WORK, deadlineMs: 50_000 });
        } catch (error) {
          if (/cannot be planned exactly/.test((error as Error).message)) return;
          throw error;
        }
        expect({ cost: steps(plan.costUsd), units: plan.unitsBought, packages: plan.packages }).toEqual({ cost: steps(want.costUsd), units: want.units, packages: want.packages });
        compared++;
      },
    ),
    { numRuns: 200, seed },
  );
  // About half the random tables are ones the optimizer refuses (purchase limits too tight), and a
  // few the planner gives up on within its work limit: at least 80 of the 200 are compared (95 to
  // 125 with seeds 1 to 5).
  expect(compared).toBeGreaterThanOrEqual(80);
});

test("up to 3 months scaled up to a billion units: the same plan as the exhaustive search on the small problem", () => {
  const factors = [1000, 250_000, 10_000_000];
  fc.assert(
    fc.property(
      fc.array(fc.record({
        priceUsd: fc.integer({ min: 1, max: 40 }).map((c) => c / 4),
        units: fc.integer({ min: 2, max: 6 }),
        validityDays: fc.constantFrom(30, 60, 90),
        concurrency: fc.constantFrom(1, 2, 3),
        purchaseLimit: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null, freq: 3 }),
      }), { minLength: 1, maxLength: 4 }),
      fc.integer({ min: 1, max: 3 }).chain((H) => fc.tuple(
        fc.array(fc.constantFrom(0, 1, 2, 4, 7), { minLength: H, maxLength: H }),
        fc.array(fc.constantFrom(1, 2, 3), { minLength: H, maxLength: H }),
      )),
      fc.constantFrom(...factors),
      (rows, [demand, concurrency], k) => {
        const small = rows.map((r, i) => row(i, r));
        const most = Math.max(...small.map((p) => p.concurrency));
        const needs = concurrency.map((c) => Math.min(c, most));
        const want = new Reference(small).best(demand, needs);
        const big = small.map((p) => ({ ...p, units: p.units * k, priceUsd: p.priceUsd }));
        let got;
        try {
          const plan = planPurchases(big, demand.map((d) => d * k), needs);
          got = { price: steps(plan.costUsd), unused: plan.unitsExpiring / k, packages: plan.packages };
        } catch (error) {
          if (!/more units than the purchase limits allow/.test((error as Error).message)) throw error;
        }
        expect(got).toEqual(want);
      },
    ),
    { numRuns: 200, seed },
  );
});
