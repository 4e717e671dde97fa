// The budget template's formulas, computed by the offline spreadsheet engine on the built bundle,
// against the same figures asked one clip at a time.
import { computeOffline } from "./compute";
import { budgetTemplate, freeSheetName, TEMPLATE_LAYOUT, TEMPLATE_ROWS } from "../../src/core/template/budget";
import { loadBundle } from "../bundle/harness";

const template = budgetTemplate();
const L = TEMPLATE_LAYOUT;
// The engine reads typed text, as a user would type it.
const typedOf = (cells: unknown[][]) => cells.map((row) => row.map((cell) => (typeof cell === "boolean" ? (cell ? "TRUE" : "FALSE") : String(cell))));
const typed = typedOf(template.cells);
const H = 7, I = 8, J = 9, K = 10;

test("one range formula per computed column, not one per cell", () => {
  const formulas = template.cells.flat().filter((c) => typeof c === "string" && c.startsWith("="));
  const perColumn = (col: number) => template.cells.slice(1, TEMPLATE_ROWS + 1).filter((row) => String(row[col]).startsWith("=")).length;
  for (const col of [H, I, J, K]) expect(perColumn(col)).toBe(1);
  expect(formulas.length).toBeLessThan(14);
});

test("units, cost, totals, the packages for the units with rerolls and the reroll budget compute, and agree with single calls", () => {
  const values = computeOffline(typed);
  const { call } = loadBundle();
  let units = 0;
  let cost = 0;
  for (let r = 1; r <= TEMPLATE_ROWS; r++) {
    const [, model, quality, seconds, audio, input, clips] = template.cells[r]!;
    if (model === "") {
      expect([H, I, J, K].map((c) => values[r]![c])).toEqual(["", "", "", ""]);
      continue;
    }
    const oneUnits = call("KLING_UNITS", model, quality, seconds, audio, input) as number;
    const oneCost = call("KLING_COST", model, quality, seconds, audio, input) as number;
    expect(values[r]![H]).toBe(oneUnits);
    expect(values[r]![I]).toBe(oneCost);
    expect(values[r]![J]).toBeCloseTo(oneUnits * (clips as number), 9);
    expect(values[r]![K]).toBeCloseTo(oneCost * (clips as number), 9);
    units += oneUnits * (clips as number);
    cost += oneCost * (clips as number);
  }
  const row = (n: number) => values[n - 1]!;
  expect(row(L.total)[0]).toBe("Total");
  expect(row(L.total)[J]).toBeCloseTo(units, 9);
  expect(row(L.total)[K]).toBeCloseTo(cost, 9);
  expect(row(L.problems)[1]).toBe(0);
  expect(row(L.problems)[2]).toBe("none: every row is priced");
  const withRerolls = units / 0.7;
  expect(row(L.rerollUnits)[1]).toBeCloseTo(withRerolls, 6); // the engine rounds quotients to 10 decimals
  expect(row(L.packages)[1]).toBe(call("KLING_BEST_PACKAGE", row(L.rerollUnits)[1]));
  expect(row(L.packagesCost)[1]).toBe(call("KLING_BEST_PACKAGE", row(L.rerollUnits)[1], 1, 0, "cost"));
  expect(row(L.listBudget)[1]).toBeCloseTo(cost / 0.7, 9);
});

test("one bad row (16 s) shows its message in its row, is counted and named under the totals, and the good rows still total", () => {
  const cells = template.cells.map((r) => [...r]);
  const bad = 3; // the template's row 4, a kling-v3 shot
  cells[bad]![3] = 16;
  const values = computeOffline(typedOf(cells));
  const { call } = loadBundle();
  const message = "seconds: 16 is too long; kling-v3 makes 3 to 15 s per generation";
  expect(values[bad]![H]).toBe(message);
  expect(values[bad]![I]).toBe(message);
  expect([values[bad]![J], values[bad]![K]]).toEqual(["", ""]);
  let units = 0;
  let cost = 0;
  for (let r = 1; r <= TEMPLATE_ROWS; r++) {
    const [, model, quality, seconds, audio, input, clips] = cells[r]!;
    if (model === "" || r === bad) continue;
    units += (call("KLING_UNITS", model, quality, seconds, audio, input) as number) * (clips as number);
    cost += (call("KLING_COST", model, quality, seconds, audio, input) as number) * (clips as number);
  }
  const row = (n: number) => values[n - 1]!;
  expect(row(L.total)[J]).toBeCloseTo(units, 9);
  expect(row(L.total)[K]).toBeCloseTo(cost, 9);
  expect(row(L.problems)[1]).toBe(1);
  expect(row(L.problems)[2]).toBe(`1 row has a problem, left out of the totals: row 4, ${message}`);
  expect(typeof row(L.packages)[1]).toBe("string");
  expect(row(L.packagesCost)[1]).toBe(call("KLING_BEST_PACKAGE", units / 0.7, 1, 0, "cost"));
  expect(row(L.listBudget)[1]).toBeCloseTo(cost / 0.7, 9);
});

test("two bad rows are both counted and named", () => {
  const cells = template.cells.map((r) => [...r]);
  cells[2]![1] = "kling-v9";
  cells[4]![2] = "8k";
  const values = computeOffline(typedOf(cells));
  const problems = values[L.problems - 1]!;
  expect(problems[1]).toBe(2);
  expect(problems[2]).toMatch(/^2 rows have a problem, left out of the totals: row 3, model: "kling-v9" is not a known model; .*; row 5, quality: "8k" /);
});

test("a free sheet name is chosen, never an existing one (names are unique regardless of case)", () => {
  expect(freeSheetName(["Sheet1"])).toBe("Kling budget");
  expect(freeSheetName(["kling BUDGET", "Kling budget 2"])).toBe("Kling budget 3");
});
