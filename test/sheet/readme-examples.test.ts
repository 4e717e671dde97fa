// The README's example formulas, computed by the offline spreadsheet engine on the built bundle:
// every result the README prints must be what the add-in gives.
import { readFileSync } from "node:fs";
import path from "node:path";
import { computeOffline } from "./compute";

const ROOT = path.resolve(__dirname, "..", "..");
const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");

// Rows of the functions table: | ... | `=FORMULA` | `result` |
const examples = [...readme.matchAll(/^\|[^\n]*\| `(=KLING_[^`]+)` \| `([^`]+)` \|$/gm)].map((m) => ({ formula: m[1]!, result: m[2]! }));

test("the README shows examples for every function", () => {
  const names = new Set(examples.map((e) => /^=(KLING_\w+)/.exec(e.formula)![1]));
  for (const name of ["KLING_UNITS", "KLING_COST", "KLING_BEST_PACKAGE", "KLING_EFFECTIVE_COST"]) expect(names).toContain(name);
  expect(examples.length).toBeGreaterThanOrEqual(7);
});

test("each single-cell example in the README gives the result it states", () => {
  const values = computeOffline(examples.map((e) => [e.formula]));
  examples.forEach((e, i) => {
    const got = values[i]![0];
    const expected = /^-?\d+(\.\d+)?$/.test(e.result) ? Number(e.result) : e.result;
    expect({ formula: e.formula, got }).toEqual({ formula: e.formula, got: expected });
  });
});

test("the README's spilled tables are what the formulas spill", () => {
  const tables = [...readme.matchAll(/`(=KLING_[^`]+)` spills\n\n((?:\|[^\n]*\n)+)/g)];
  expect(tables.length).toBe(2);
  for (const [, formula, markdown] of tables) {
    const rows = markdown!.trim().split("\n").filter((line) => !/^\|[-| ]+\|$/.test(line))
      .map((line) => line.slice(1, -1).split("|").map((c) => c.trim()))
      .map((cells) => cells.map((c) => (/^-?\d+(\.\d+)?$/.test(c) ? Number(c) : c === "" ? null : c)));
    const grid = computeOffline([[formula!]]).slice(0, rows.length).map((r) => r.slice(0, rows[0]!.length).map((c) => (c === "" ? null : c)));
    expect(grid).toEqual(rows);
  }
});
