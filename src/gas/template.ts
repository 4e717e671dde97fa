import { budgetTemplate, freeSheetName } from "../core/template/budget";

/** Adds the campaign budget as a new sheet; never touches an existing one. */
export function insertBudgetTemplate(): string {
  const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
  const name = freeSheetName(spreadsheet.getSheets().map((sheet) => sheet.getName()));
  const sheet = spreadsheet.insertSheet(name);
  const template = budgetTemplate();
  const values = template.cells.map((row) => row.map((cell) => (typeof cell === "string" && cell.startsWith("=") ? "" : cell)));
  sheet.getRange(1, 1, values.length, values[0]!.length).setValues(values);
  template.cells.forEach((row, r) =>
    row.forEach((cell, c) => {
      if (typeof cell === "string" && cell.startsWith("=")) sheet.getRange(r + 1, c + 1).setFormula(cell);
    }),
  );
  for (const [a1, format] of Object.entries(template.formats)) sheet.getRange(a1).setNumberFormat(format);
  for (const a1 of template.bold) sheet.getRange(a1).setFontWeight("bold");
  sheet.setFrozenRows(template.frozenRows);
  spreadsheet.setActiveSheet(sheet);
  return name;
}
