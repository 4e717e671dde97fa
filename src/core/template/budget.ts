// The campaign budget sheet "Insert budget template" adds: one range formula per computed column,
// so a 20-row budget costs a handful of custom-function executions, not one per cell.

export type TemplateValue = string | number | boolean;

export interface BudgetTemplate {
  /** Row by row from A1; text starting with "=" is a formula. */
  cells: TemplateValue[][];
  /** A1 range -> number format. */
  formats: Record<string, string>;
  bold: string[];
  frozenRows: number;
}

const HEADER = ["Shot", "Model", "Quality", "Seconds", "Audio", "Input", "Clips", "Units", "Cost (USD)"];
const EXAMPLES: TemplateValue[][] = [
  ["Hero shot", "kling-v3", "1080p", 10, true, "", 4],
  ["Product turntable", "kling-v3", "720p", 5, false, "", 6],
  ["Talking head", "kling-v3", "1080p", 15, "voice", "", 3],
  ["Remix of the teaser", "kling-v3-omni", "720p", 8, false, "video", 2],
  ["Archive b-roll", "kling-v2-1", "1080p", 10, false, "", 5],
];
export const TEMPLATE_ROWS = 20;
export const USD_FORMAT = '"$"#,##0.00';

export function budgetTemplate(): BudgetTemplate {
  const first = 2;
  const last = first + TEMPLATE_ROWS - 1;
  const col = (letter: string) => `${letter}${first}:${letter}${last}`;
  const keys = ["B", "C", "D", "E", "F"].map(col).join(", ");
  const rowsOnly = (call: string) => `=ARRAYFORMULA(IF(${col("B")}="", "", ${call} * ${col("G")}))`;

  const cells: TemplateValue[][] = [HEADER];
  for (let i = 0; i < TEMPLATE_ROWS; i++) {
    const row: TemplateValue[] = [...(EXAMPLES[i] ?? ["", "", "", "", "", "", ""]), "", ""];
    if (i === 0) {
      row[7] = rowsOnly(`KLING_UNITS(${keys})`);
      row[8] = rowsOnly(`KLING_COST(${keys})`);
    }
    cells.push(row);
  }
  const total = last + 1;
  cells.push(["Total", "", "", "", "", "", `=SUM(${col("G")})`, `=SUM(${col("H")})`, `=SUM(${col("I")})`]);
  cells.push(Array(9).fill(""));
  const keeper = total + 4;
  cells.push(["Cheapest packages for the total units", `=KLING_BEST_PACKAGE(H${total})`, ...Array(7).fill("")]);
  cells.push(["Their price (USD)", `=KLING_BEST_PACKAGE(H${total}, 1, 0, "cost")`, ...Array(7).fill("")]);
  cells.push(["Keeper rate (generations you keep)", 0.7, ...Array(7).fill("")]);
  cells.push(["Budget with rerolls (USD)", `=KLING_EFFECTIVE_COST(I${total}, B${keeper})`, ...Array(7).fill("")]);
  return {
    cells,
    formats: {
      [`D${first}:D${last}`]: "0",
      [`G${first}:G${total}`]: "#,##0",
      [`H${first}:H${total}`]: "#,##0.0",
      [`I${first}:I${total}`]: USD_FORMAT,
      [`B${keeper - 1}`]: USD_FORMAT,
      [`B${keeper}`]: "0%",
      [`B${keeper + 1}`]: USD_FORMAT,
    },
    bold: ["A1:I1", `A${total}:I${total}`],
    frozenRows: 1,
  };
}

/** "Kling budget", or "Kling budget 2", 3, ...: sheet names are unique regardless of case. */
export function freeSheetName(taken: readonly string[], base = "Kling budget"): string {
  const used = new Set(taken.map((name) => name.toLowerCase()));
  if (!used.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) if (!used.has(`${base} ${n}`.toLowerCase())) return `${base} ${n}`;
}
