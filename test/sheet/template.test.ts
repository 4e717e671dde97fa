// The budget template's formulas, computed by the offline spreadsheet engine on the built bundle,
// against the same figures asked one clip at a time.
import { computeOffline } from "./compute";
import { budgetTemplate, freeSheetName, TEMPLATE_ROWS } from "../../src/core/template/budget";
import { loadBundle } from "../bundle/harness";


const template = budgetTemplate();
// The engine reads typed text, as a user would type it.
const typed = template.cells.map((row) => row.map((cell) => (typeof cell === "boolean" ? (cell ? "TRUE" : "FALSE") : String(cell))));

test("one range formula per computed column, not one per cell", () => {
  const formulas = template.cells.flat().filter((c) => typeof c === "string" && c.startsWith("="));
  const perColumn = (col: number) => template.cells.slice(1, TEMPLATE_ROWS + 1).filter((row) => String(row[col]).startsWith("=")).length;
  expect(perColumn(7)).toBe(1);
  expect(perColumn(8)).toBe(1);
  expect(formulas.length).toBeLessThan(10);
});

test("units, cost, totals, the cheapest packages and the reroll budget compute, and agree with single calls", () => {
  const values = computeOffline(typed);
  const { call } = loadBundle();
  let units = 0;
  let cost = 0;
  for (let r = 1; r <= TEMPLATE_ROWS; r++) {
    const [, model, quality, seconds, audio, input, clips] = template.cells[r]!;
    if (model === "") {
      expect([values[r]![7], values[r]![8]]).toEqual(["", ""]);
      continue;
    }
    const oneUnits = call("KLING_UNITS", model, quality, seconds, audio, input) as number;
    const oneCost = call("KLING_COST", model, quality, seconds, audio, input) as number;
    expect(values[r]![7]).toBeCloseTo(oneUnits * (clips as number), 9);
    expect(values[r]![8]).toBeCloseTo(oneCost * (clips as number), 9);
    units += oneUnits * (clips as number);
    cost += oneCost * (clips as number);
  }
  const total = TEMPLATE_ROWS + 1;
  expect(values[total]![0]).toBe("Total");
  expect(values[total]![7]).toBeCloseTo(units, 9);
  expect(values[total]![8]).toBeCloseTo(cost, 9);
  expect(values[total + 2]![1]).toBe(call("KLING_BEST_PACKAGE", units));
  expect(values[total + 3]![1]).toBeCloseTo(call("KLING_BEST_PACKAGE", units, 1, 0, "cost") as number, 9);
  expect(values[total + 5]![1]).toBeCloseTo(cost / 0.7, 9);
});

test("a free sheet name is chosen, never an existing one (names are unique regardless of case)", () => {
  expect(freeSheetName(["Sheet1"])).toBe("Kling budget");
  expect(freeSheetName(["kling BUDGET", "Kling budget 2"])).toBe("Kling budget 3");
});
