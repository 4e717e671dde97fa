// Sheets reruns a custom function only when its arguments change, so new rates reach the cells
// by rewriting their formulas: clear, flush, set the same text again (flush alone is unreliable).
import type { Recalculated } from "./sidebar-types";

const STRINGS = /"(?:[^"]|"")*"/g;
const KLING_CALL = /\bKLING_[A-Z0-9_]*\s*\(/i;

/** A formula that calls a KLING_ function (a name inside a text literal does not count). */
export function callsKling(formula: string): boolean {
  return formula.startsWith("=") && KLING_CALL.test(formula.replace(STRINGS, '""'));
}

interface Run {
  row: number;
  column: number;
  formulas: string[];
}

/** KLING_ formula cells as runs along each row, so each run is written with one call. */
function klingRuns(formulas: string[][]): Run[] {
  const runs: Run[] = [];
  formulas.forEach((cells, r) => {
    let run: Run | undefined;
    cells.forEach((formula, c) => {
      if (!callsKling(formula)) return void (run = undefined);
      if (run) run.formulas.push(formula);
      else runs.push((run = { row: r + 1, column: c + 1, formulas: [formula] }));
    });
  });
  return runs;
}

export function recalculateKlingFormulas(): Recalculated {
  const found: { sheet: GoogleAppsScript.Spreadsheet.Sheet; runs: Run[] }[] = [];
  for (const sheet of SpreadsheetApp.getActiveSpreadsheet().getSheets()) {
    const rows = sheet.getLastRow();
    const columns = sheet.getLastColumn();
    if (rows === 0 || columns === 0) continue;
    const runs = klingRuns(sheet.getRange(1, 1, rows, columns).getFormulas());
    if (runs.length) found.push({ sheet, runs });
  }
  if (!found.length) return { cells: 0, sheets: 0 };
  for (const { sheet, runs } of found) {
    sheet.getRangeList(runs.map((run) => sheet.getRange(run.row, run.column, 1, run.formulas.length).getA1Notation())).clearContent();
  }
  SpreadsheetApp.flush();
  let cells = 0;
  for (const { sheet, runs } of found) {
    for (const run of runs) {
      sheet.getRange(run.row, run.column, 1, run.formulas.length).setFormulas([run.formulas]);
      cells += run.formulas.length;
    }
  }
  SpreadsheetApp.flush();
  return { cells, sheets: found.length };
}
