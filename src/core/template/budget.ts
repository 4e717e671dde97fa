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

const HEADER = ["Shot", "Model", "Quality", "Seconds", "Audio", "Input", "Clips", "Units per clip", "Cost per clip (USD)", "Units", "Cost (USD)"];
const EXAMPLES: TemplateValue[][] = [
  ["Hero shot", "kling-v3", "1080p", 10, true, "", 4],
  ["Product turntable", "kling-v3", "720p", 5, false, "", 6],
  ["Talking head", "kling-v3", "1080p", 15, "voice", "", 3],
  ["Remix of the teaser", "kling-v3-omni", "720p", 8, false, "video", 2],
  ["Archive b-roll", "kling-v2-1", "1080p", 10, false, "", 5],
];
export const TEMPLATE_ROWS = 20;
export const USD_FORMAT = '"$"#,##0.00';
const WIDTH = HEADER.length;

/** Where the template puts its figures (1-based rows), for the sheet and its tests. */
export const TEMPLATE_LAYOUT = {
  first: 2,
  last: 1 + TEMPLATE_ROWS,
  total: 2 + TEMPLATE_ROWS,
  problems: 3 + TEMPLATE_ROWS,
  keeper: 5 + TEMPLATE_ROWS,
  rerollUnits: 6 + TEMPLATE_ROWS,
  packages: 7 + TEMPLATE_ROWS,
  packagesCost: 8 + TEMPLATE_ROWS,
  listBudget: 9 + TEMPLATE_ROWS,
};

/**
 * The budget. A bad row (say 16 s) shows its message in the per-clip columns, where the analyst
 * looks; the Units and Cost columns multiply only rows that priced (ISNUMBER), so the totals are
 * those of the good rows, and the line under them counts and names every row left out. Arithmetic
 * on a message would give #VALUE! instead and take every total down with it.
 */
export function budgetTemplate(): BudgetTemplate {
  const { first, last, total, problems, keeper, rerollUnits, packagesCost, listBudget } = TEMPLATE_LAYOUT;
  const col = (letter: string) => `${letter}${first}:${letter}${last}`;
  const keys = ["B", "C", "D", "E", "F"].map(col).join(", ");
  const priced = (perClip: string) => `=ARRAYFORMULA(IF(ISNUMBER(${col("I")}), ${col(perClip)} * ${col("G")}, ""))`;
  // A row's message is non-empty text in the cost column; a blank row is "".
  const isProblem = (then: string, otherwise: string) => `IF(ISTEXT(${col("I")}), IF(LEN(${col("I")}) > 0, ${then}, ${otherwise}), ${otherwise})`;
  const rowNumbers = `SEQUENCE(${TEMPLATE_ROWS}, 1, ${first})`;
  const list = `TEXTJOIN("; ", TRUE, ARRAYFORMULA(${isProblem(`"row " & ${rowNumbers} & ", " & ${col("I")}`, '""')}))`;

  const cells: TemplateValue[][] = [HEADER];
  for (let i = 0; i < TEMPLATE_ROWS; i++) {
    const row: TemplateValue[] = [...(EXAMPLES[i] ?? ["", "", "", "", "", "", ""]), "", "", "", ""];
    if (i === 0) {
      row[7] = `=KLING_UNITS(${keys})`;
      row[8] = `=KLING_COST(${keys})`;
      row[9] = priced("H");
      row[10] = priced("I");
    }
    cells.push(row);
  }
  const line = (label: string, value: TemplateValue, ...rest: TemplateValue[]) => [label, value, ...rest, ...Array(WIDTH - 2 - rest.length).fill("")];
  cells.push(["Total", "", "", "", "", "", `=SUM(${col("G")})`, "", "", `=SUM(${col("J")})`, `=SUM(${col("K")})`]);
  cells.push(line(
    "Rows left out of the totals",
    `=SUM(ARRAYFORMULA(${isProblem("1", "0")}))`,
    `=IF(B${problems} = 0, "none: every row is priced", B${problems} & IF(B${problems} = 1, " row has a problem", " rows have a problem") & ", left out of the totals: " & ${list})`,
  ));
  cells.push(Array(WIDTH).fill(""));
  cells.push(line("Keeper rate (generations you keep)", 0.7));
  cells.push(line("Units needed with rerolls", `=J${total} / B${keeper}`));
  cells.push(line("Cheapest packages for those units", `=KLING_BEST_PACKAGE(B${rerollUnits})`));
  cells.push(line("Their price (USD)", `=KLING_BEST_PACKAGE(B${rerollUnits}, 1, 0, "cost")`));
  cells.push(line("List-price budget with rerolls (USD)", `=KLING_EFFECTIVE_COST(K${total}, B${keeper})`));
  return {
    cells,
    formats: {
      [`D${first}:D${last}`]: "0",
      [`G${first}:G${total}`]: "#,##0",
      [`H${first}:H${last}`]: "#,##0.0",
      [`I${first}:I${last}`]: USD_FORMAT,
      [`J${first}:J${total}`]: "#,##0.0",
      [`K${first}:K${total}`]: USD_FORMAT,
      [`B${keeper}`]: "0%",
      [`B${rerollUnits}`]: "#,##0",
      [`B${packagesCost}`]: USD_FORMAT,
      [`B${listBudget}`]: USD_FORMAT,
    },
    bold: [`A1:K1`, `A${total}:K${total}`, `A${problems}:C${problems}`],
    frozenRows: 1,
  };
}

/** "Kling budget", or "Kling budget 2", 3, ...: sheet names are unique regardless of case. */
export function freeSheetName(taken: readonly string[], base = "Kling budget"): string {
  const used = new Set(taken.map((name) => name.toLowerCase()));
  if (!used.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) if (!used.has(`${base} ${n}`.toLowerCase())) return `${base} ${n}`;
}
