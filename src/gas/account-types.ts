// What the sidebar's "Kling account" section and the server exchange: plain data, no Apps Script
// globals (the sidebar's type check includes this file). Never a credential: only a key's last four.
import type { ReminderSettings } from "../core/actuals/reminders";

export interface KlingAccountState {
  connected: boolean;
  host: string;
  /** "API key" or "access key + secret key"; "" when not connected. */
  auth: string;
  /** "key ending in ...4f2a"; never more of the key. */
  keyHint: string;
  hosts: readonly string[];
}

export interface KlingAccountAnswer {
  ok: boolean;
  message: string;
  state: KlingAccountState;
}

export interface SyncOutcome {
  ok: boolean;
  message: string;
  packs: number;
  newUsageRows: number;
  /** True when the sync stopped to stay inside the time limit and goes on in a minute. */
  continues: boolean;
}

export interface RemindersState {
  on: boolean;
  settings: ReminderSettings | null;
  email: string;
}

export interface RemindersAnswer {
  ok: boolean;
  message: string;
  state: RemindersState;
}
