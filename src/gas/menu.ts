// The add-on menu and what its items open.
import { syncKlingAccount } from "./kling-sync";
import { recalculateKlingFormulas } from "./recalc";

/** dist/Sidebar.html, written by build.mjs. */
const SIDEBAR_FILE = "Sidebar";

/** Only builds the menu: in AuthMode.NONE (add-on installed, not yet used in this file) nothing else is allowed. */
export function onOpen(_event?: GoogleAppsScript.Events.SheetsOnOpen): void {
  SpreadsheetApp.getUi()
    .createAddonMenu()
    .addItem("Rates...", "showRatesSidebar")
    .addItem("Recalculate KLING formulas", "recalculateFromMenu")
    .addSeparator()
    .addItem("Insert budget template", "insertBudgetTemplate")
    .addSeparator()
    .addItem("Sync Kling account", "syncKlingAccountFromMenu")
    .addToUi();
}

export function onInstall(event?: GoogleAppsScript.Events.AddonOnInstall): void {
  onOpen(event as GoogleAppsScript.Events.SheetsOnOpen | undefined);
}

export function showRatesSidebar(): void {
  SpreadsheetApp.getUi().showSidebar(HtmlService.createHtmlOutputFromFile(SIDEBAR_FILE).setTitle("Kling Budget rates"));
}

export function recalculateFromMenu(): void {
  const { cells, sheets, note } = recalculateKlingFormulas();
  const done = cells ? `${cells} KLING formula cell${cells === 1 ? "" : "s"} on ${sheets} sheet${sheets === 1 ? "" : "s"} recalculated` : "";
  const message = [done || (note ? "No KLING formula cells recalculated" : "No KLING formulas in this spreadsheet"), note].filter(Boolean).join(", ");
  // A toast shows for a few seconds; one that says what was left undone stays until closed (-1).
  if (note) SpreadsheetApp.getActiveSpreadsheet().toast(message, "Kling Budget", -1);
  else SpreadsheetApp.getActiveSpreadsheet().toast(message, "Kling Budget");
}

export function syncKlingAccountFromMenu(): void {
  SpreadsheetApp.getActiveSpreadsheet().toast(syncKlingAccount().message, "Kling Budget");
}
