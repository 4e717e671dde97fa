// Reminders: a daily time-driven trigger (installed by the user from the sidebar, so it runs as
// them) that syncs, then emails them when units will expire unused or the month's spend passes a
// budget level. Settings and what was already told live in the user's properties.
import { type ReminderMemory, type ReminderSettings, decideReminder } from "../core/actuals/reminders";
import { PACKS_SHEET, USAGE_SHEET, readUsageRange } from "../core/actuals/sheets";
import { klingExpiring } from "../core/functions/actuals";
import { readNumber, readWholeNumber } from "../core/args/numbers";
import { InputError } from "../core/errors";
import type { RemindersAnswer, RemindersState } from "./account-types";
import { syncKlingAccount } from "./kling-sync";
import { errorMessage, readUserJson } from "./platform";
import { sheetSettings } from "./storage";

const SETTINGS_KEY = "kb.kling.reminders";
const MEMORY_KEY = "kb.kling.remindersTold";
const HANDLER = "klingDailyCheck";
const HOUR = 7;


const userProperties = () => PropertiesService.getUserProperties();

function email(): string {
  try {
    return Session.getEffectiveUser().getEmail() || "";
  } catch {
    return "";
  }
}

function ourTriggers() {
  return ScriptApp.getProjectTriggers().filter((t) => t.getHandlerFunction() === HANDLER);
}

export function getKlingReminders(): RemindersState {
  const settings = readUserJson<ReminderSettings>(SETTINGS_KEY) ?? null;
  return { on: settings !== null && ourTriggers().length > 0, settings, email: email() };
}

const answer = (ok: boolean, message: string): RemindersAnswer => ({ ok, message, state: getKlingReminders() });

/**
 * Turns the daily check on (or changes it): one trigger, whatever was there before. The fields come
 * as typed in the sidebar and are read in the spreadsheet's locale, like every other number.
 */
export function setKlingReminders(days: unknown, thresholdUsd: unknown, budgetCell: unknown): RemindersAnswer {
  const settings = sheetSettings();
  let d: number, t: number;
  try {
    d = readWholeNumber("Expiring within (days)", days, 1, 180, "give a whole number of days from 1 to 180", { settings });
    t = readNumber("When worth at least (USD)", thresholdUsd, "give an amount in USD, 0 or more (0 = any amount)", { settings });
    if (t < 0) return answer(false, `When worth at least (USD): ${t} is negative; give an amount in USD, 0 or more (0 = any amount)`);
  } catch (error) {
    if (error instanceof InputError) return answer(false, error.message);
    throw error;
  }
  const cell = String(budgetCell ?? "").trim();
  if (cell) {
    try {
      const range = SpreadsheetApp.getActiveSpreadsheet().getRange(cell);
      if (range.getNumRows() !== 1 || range.getNumColumns() !== 1) return answer(false, `Monthly budget cell: ${cell} is a range; give one cell, e.g. Budget!B2`);
    } catch {
      return answer(false, `Monthly budget cell: ${cell} is not a cell of this spreadsheet; give one such as Budget!B2`);
    }
  }
  // The new trigger first: if the platform refuses it, the reminders that were on stay on.
  const old = ourTriggers();
  try {
    ScriptApp.newTrigger(HANDLER).timeBased().everyDays(1).atHour(HOUR).create();
  } catch (error) {
    return answer(false, `Reminders were not changed: Google did not let the add-in set a daily trigger (${errorMessage(error)})`);
  }
  userProperties().setProperty(SETTINGS_KEY, JSON.stringify({ days: d, thresholdUsd: t, budgetCell: cell } satisfies ReminderSettings));
  for (const trigger of old) {
    try {
      ScriptApp.deleteTrigger(trigger);
    } catch {
      // A second trigger only runs the same check: still one email a day at most.
    }
  }
  return answer(true, `Reminders on: a sync every morning, and an email to ${email() || "you"} when needed (one a day at most)`);
}

export function removeKlingReminders(): RemindersAnswer {
  for (const trigger of ourTriggers()) ScriptApp.deleteTrigger(trigger);
  userProperties().deleteProperty(SETTINGS_KEY);
  userProperties().deleteProperty(MEMORY_KEY);
  return answer(true, "Reminders off");
}

function sheetValues(name: string): unknown[][] | undefined {
  const sheet = SpreadsheetApp.getActiveSpreadsheet().getSheetByName(name);
  if (!sheet || sheet.getLastRow() < 2) return undefined;
  return sheet.getRange(1, 1, sheet.getLastRow(), sheet.getLastColumn()).getValues();
}

/** The trigger's handler: sync, then email when the figures call for it. */
export function klingDailyCheck(): void {
  const settings = readUserJson<ReminderSettings>(SETTINGS_KEY);
  if (!settings) return;
  const sync = syncKlingAccount();
  const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
  const timeZone = spreadsheet.getSpreadsheetTimeZone();
  const now = new Date(Date.now());
  const today = Utilities.formatDate(now, timeZone, "yyyy-MM-dd");
  const month = today.slice(0, 7);

  let expiringUsd = 0, monthSpendUsd = 0;
  const packs = sheetValues(PACKS_SHEET), usage = sheetValues(USAGE_SHEET);
  try {
    if (packs) expiringUsd = klingExpiring(packs, settings.days, "", "usd");
    for (const u of usage ? readUsageRange("usage", usage) : []) {
      if (u.usd !== "" && Utilities.formatDate(new Date(u.deductedAt), timeZone, "yyyy-MM") === month) monthSpendUsd += u.usd;
    }
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
  }
  let budgetUsd: number | undefined;
  if (settings.budgetCell) {
    try {
      const value = spreadsheet.getRange(settings.budgetCell).getValue();
      budgetUsd = typeof value === "number" ? value : undefined;
    } catch {
      budgetUsd = undefined;
    }
  }
  const memory = readUserJson<ReminderMemory>(MEMORY_KEY) ?? { lastSent: "", budgetLevel: "" };
  const decision = decideReminder(settings, memory, { today, expiringUsd, monthSpendUsd, budgetUsd });
  if (!decision.send) return;
  const to = email();
  if (!to) return;
  const lines = [...decision.lines, "", sync.ok ? "Figures from this morning's sync." : `This morning's sync failed (${sync.message}); the figures are from the last sync.`, spreadsheet.getUrl()];
  MailApp.sendEmail(to, decision.subject, lines.join("\n"));
  // Remembered only once sent: a failed send is tried again tomorrow.
  userProperties().setProperty(MEMORY_KEY, JSON.stringify(decision.memory));
}
