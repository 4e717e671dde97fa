// Reminders: a daily time-driven trigger (installed by the user from the sidebar, so it runs as
// them) that syncs, then emails them when units will expire unused or the month's spend passes a
// budget level. Settings and what was already told live in the user's properties.
import { type ReminderMemory, type ReminderSettings, decideReminder } from "../core/actuals/reminders";
import { PACKS_SHEET, USAGE_SHEET, readUsageRange } from "../core/actuals/sheets";
import { klingExpiring } from "../core/functions/actuals";
import { InputError } from "../core/errors";
import type { RemindersAnswer, RemindersState } from "./account-types";
import { syncKlingAccount } from "./kling-sync";

const SETTINGS_KEY = "kb.kling.reminders";
const MEMORY_KEY = "kb.kling.remindersTold";
const HANDLER = "klingDailyCheck";
const HOUR = 7;


const userProperties = () => PropertiesService.getUserProperties();

function readJson<T>(key: string): T | undefined {
  try {
    const text = userProperties().getProperty(key);
    return text ? (JSON.parse(text) as T) : undefined;
  } catch {
    return undefined;
  }
}

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
  const settings = readJson<ReminderSettings>(SETTINGS_KEY) ?? null;
  return { on: settings !== null && ourTriggers().length > 0, settings, email: email() };
}

const answer = (ok: boolean, message: string): RemindersAnswer => ({ ok, message, state: getKlingReminders() });

/** Turns the daily check on (or changes it): one trigger, whatever was there before. */
export function setKlingReminders(days: unknown, thresholdUsd: unknown, budgetCell: unknown): RemindersAnswer {
  const d = Number(days), t = Number(thresholdUsd);
  if (!Number.isInteger(d) || d < 1 || d > 180) return answer(false, `days: ${String(days)} is not a whole number from 1 to 180`);
  if (!Number.isFinite(t) || t < 0) return answer(false, `threshold: ${String(thresholdUsd)} is not an amount in USD, 0 or more`);
  const cell = String(budgetCell ?? "").trim();
  if (cell) {
    try {
      const range = SpreadsheetApp.getActiveSpreadsheet().getRange(cell);
      if (range.getNumRows() !== 1 || range.getNumColumns() !== 1) return answer(false, `budget cell: ${cell} is a range; give one cell, e.g. Budget!B2`);
    } catch {
      return answer(false, `budget cell: ${cell} is not a cell of this spreadsheet; give one such as Budget!B2`);
    }
  }
  userProperties().setProperty(SETTINGS_KEY, JSON.stringify({ days: d, thresholdUsd: t, budgetCell: cell } satisfies ReminderSettings));
  for (const trigger of ourTriggers()) ScriptApp.deleteTrigger(trigger);
  ScriptApp.newTrigger(HANDLER).timeBased().everyDays(1).atHour(HOUR).create();
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
  const settings = readJson<ReminderSettings>(SETTINGS_KEY);
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
  const memory = readJson<ReminderMemory>(MEMORY_KEY) ?? { lastSent: "", budgetLevel: "" };
  const decision = decideReminder(settings, memory, { today, expiringUsd, monthSpendUsd, budgetUsd });
  if (!decision.send) return;
  const to = email();
  if (!to) return;
  const lines = [...decision.lines, "", sync.ok ? "Figures from this morning's sync." : `This morning's sync failed (${sync.message}); the figures are from the last sync.`, spreadsheet.getUrl()];
  MailApp.sendEmail(to, decision.subject, lines.join("\n"));
  // Remembered only once sent: a failed send is tried again tomorrow.
  userProperties().setProperty(MEMORY_KEY, JSON.stringify(decision.memory));
}
