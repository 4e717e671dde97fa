// The one way the sidebar talks to the server: google.script.run as typed promises.
import type { KlingAccountAnswer, KlingAccountState, RemindersAnswer, RemindersState, SyncOutcome } from "../gas/account-types";
import type { Failure, Fetched, Preview, RatesState, Recalculated, Saved } from "../gas/sidebar-types";

/** The server functions the sidebar calls (top-level functions of dist/Code.js). */
export interface Api {
  getRatesState(): RatesState;
  previewRates(candidate: unknown, baseVersion: number): Preview | Failure;
  previewReset(baseVersion: number): Preview | Failure;
  previewRestore(version: number, baseVersion: number): Preview | Failure;
  saveRates(candidate: unknown, baseVersion: number, action: string): Saved | Failure;
  undoRates(baseVersion: number): Saved | Failure;
  fetchRateCard(url: string): Fetched | Failure;
  recalculateKlingFormulas(): Recalculated;
  getKlingAccountState(): KlingAccountState;
  connectKlingAccount(host: string, apiKey: string, accessKey: string, secretKey: string): KlingAccountAnswer;
  testKlingConnection(): KlingAccountAnswer;
  disconnectKlingAccount(): KlingAccountAnswer;
  syncKlingAccount(): SyncOutcome;
  getKlingReminders(): RemindersState;
  setKlingReminders(days: unknown, thresholdUsd: unknown, budgetCell: unknown): RemindersAnswer;
  removeKlingReminders(): RemindersAnswer;
}

export type Run = <K extends keyof Api>(name: K, ...args: Parameters<Api[K]>) => Promise<ReturnType<Api[K]>>;

/** The part of google.script.run used here; each with... call returns a runner with the handler set. */
export interface ScriptRunner {
  withSuccessHandler(handler: (value: unknown) => void): ScriptRunner;
  withFailureHandler(handler: (error: unknown) => void): ScriptRunner;
  [name: string]: unknown;
}

/** The message Apps Script gives for a server exception (an Error, or sometimes a bare string). */
function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === "object" && typeof (error as { message?: unknown }).message === "string") return (error as { message: string }).message;
  return String(error);
}

/** A typed promise wrapper over a google.script.run-like runner (a fake one in tests). */
export function createRun(runner: () => ScriptRunner | undefined): Run {
  return (name, ...args) => new Promise((resolve, reject) => {
    const script = runner();
    if (!script) {
      reject(new Error("the sidebar is not connected to its spreadsheet: open it from the Kling Budget menu"));
      return;
    }
    const handled = script
      .withSuccessHandler((value) => resolve(value as never))
      .withFailureHandler((error) => reject(new Error(messageOf(error))));
    const call = handled[name];
    if (typeof call !== "function") {
      reject(new Error(`the server has no function ${name}`));
      return;
    }
    (call as (...a: unknown[]) => void).apply(handled, args); // called on its runner, as google.script.run expects
  });
}

/** google.script.run of the page HtmlService serves. */
export const run: Run = createRun(() => (globalThis as { google?: { script?: { run?: ScriptRunner } } }).google?.script?.run);
