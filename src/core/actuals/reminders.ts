// When the daily check emails its user: units worth more than a threshold will expire unused
// within N days, or this month's actual spend has passed 50, 80 or 100% of the budget. One email
// a day at most, and each budget level once a month.
import { clean } from "../numbers";

export const BUDGET_LEVELS = [0.5, 0.8, 1] as const;

export interface ReminderSettings {
  /** Look-ahead for expiring units, days. */
  days: number;
  /** Expiring value (USD) that is worth an email; 0 = any. */
  thresholdUsd: number;
  /** The cell holding this month's budget in USD, e.g. "Budget!B2"; "" = no budget check. */
  budgetCell: string;
}

export interface ReminderMemory {
  /** yyyy-MM-dd of the last email, in the spreadsheet's time zone. */
  lastSent: string;
  /** "yyyy-MM:0.8": the highest budget level already reported this month. */
  budgetLevel: string;
}

export interface ReminderFacts {
  today: string;
  expiringUsd: number;
  /** USD used from the 1st of this month. */
  monthSpendUsd: number;
  /** The budget cell's value, or undefined when there is none or it is not a number. */
  budgetUsd: number | undefined;
}

export interface ReminderDecision {
  send: boolean;
  subject: string;
  lines: string[];
  memory: ReminderMemory;
}

const usd = (x: number) => `USD ${clean(Math.round(x * 100) / 100).toLocaleString("en-US", { minimumFractionDigits: 2 })}`;

export function decideReminder(settings: ReminderSettings, memory: ReminderMemory, facts: ReminderFacts): ReminderDecision {
  const lines: string[] = [];
  if (facts.expiringUsd > 0 && facts.expiringUsd >= settings.thresholdUsd) {
    lines.push(`${usd(facts.expiringUsd)} of resource units will expire unused within ${settings.days} days at the current burn rate.`);
  }
  const month = facts.today.slice(0, 7);
  let budgetLevel = memory.budgetLevel;
  if (facts.budgetUsd !== undefined && facts.budgetUsd > 0) {
    const share = facts.monthSpendUsd / facts.budgetUsd;
    const reached = [...BUDGET_LEVELS].reverse().find((level) => share >= level);
    const told = memory.budgetLevel.startsWith(`${month}:`) ? Number(memory.budgetLevel.slice(month.length + 1)) : 0;
    if (reached !== undefined && reached > told) {
      lines.push(`This month's actual spend, ${usd(facts.monthSpendUsd)}, has passed ${reached * 100}% of the budget (${usd(facts.budgetUsd)}).`);
      budgetLevel = `${month}:${reached}`;
    }
  }
  const send = lines.length > 0 && memory.lastSent !== facts.today;
  return {
    send,
    subject: "Kling Budget: " + (lines.length > 1 ? "expiring units and budget" : lines[0]?.includes("budget") ? "budget reached" : "units expiring unused"),
    lines,
    // A level not emailed today is told tomorrow; one that was is not told again this month.
    memory: send ? { lastSent: facts.today, budgetLevel } : memory,
  };
}
