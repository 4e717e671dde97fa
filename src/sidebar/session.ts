// The sidebar's state and what each of its buttons does, without the DOM: the view renders a
// RatesSession and calls its methods; tests drive it with a fake server.
import { parseRateCard } from "../core/rates/card";
import { urlProblem } from "../core/rates/url";
import type { Failure, HistoryEntry, Preview, RatesState, Saved } from "../gas/sidebar-types";
import { checkDraft, createDraft, type Draft, type DraftCheck } from "./draft";
import { withoutModel } from "./draft-models";
import { plural, useSheetLocale } from "./format";
import { rebase } from "./rebase";
import type { Run } from "./server";

/** A diff waiting for Apply or Cancel. */
export interface Pending {
  preview: Preview;
  /** The history label Apply saves it with: "Imported CSV", "Restored version 3", ... */
  action: string;
  title: string;
  /** Apply goes through the server's Undo (which keeps Undo walking back), not a plain save. */
  undo?: boolean;
}

export interface ErrorNote {
  message: string;
  problems: string[];
  /** Someone saved first: the view offers Reload. */
  conflict: boolean;
}

export interface StatusNote {
  text: string;
  /** The text reports recalculated KLING cells (a hook for tests). */
  recalculated: boolean;
}

export const EDITED_ACTION = "Edited";

/** Refresh only fetches https URLs the manifest allows: the server's rule, said here as the address is typed. */
export function checkRefreshUrl(url: string, allowed: readonly string[]): string | null {
  if (!allowed.length) return "Refresh is not set up: no rate card address is allowed yet (the add-in's manifest lists them)";
  return urlProblem(url, allowed) ?? null;
}

/** The versions a save would drop from history (an older server may not say: none known). */
export const willDrop = (preview: Preview): HistoryEntry[] => preview.willDrop ?? [];

export class RatesSession {
  state: RatesState | null = null;
  draft: Draft | null = null;
  check: DraftCheck = { changes: [], problems: [] };
  /** What the server is doing ("Saving..."), or null. */
  busy: string | null = null;
  status: StatusNote | null = null;
  error: ErrorNote | null = null;
  pending: Pending | null = null;
  /** After a reload that kept the analyst's edits: rows someone else had changed too. */
  overlaps: string[] = [];
  importText = "";
  refreshUrl = "";
  /** Save found that it would drop versions from history: the view asks before saving anyway. */
  dropping: HistoryEntry[] | null = null;

  constructor(private readonly run: Run, private readonly changed: () => void = () => {}) {}

  get dirty(): boolean {
    return this.check.changes.length > 0;
  }

  get canSave(): boolean {
    return this.dirty && this.check.problems.length === 0 && !this.busy && !this.pending && !this.dropping;
  }

  /** Why import, refresh, reset, restore and undo are off right now, or null. */
  get blocked(): string | null {
    if (this.dirty) return `Save or discard your ${plural(this.check.changes.length, "unsaved change")} first.`;
    return null;
  }

  /** After each edit of the draft (the view edits it with draft.ts); the last outcome note is stale then. */
  edited(): void {
    this.recheck();
    this.status = null;
    this.dropping = null; // asked about the table before this edit
  }

  exportJson(): string {
    return this.state ? `${JSON.stringify(this.state.table, null, 2)}\n` : "";
  }

  load(): Promise<void> {
    return this.task("Loading rates...", async () => {
      this.setState(await this.run("getRatesState"));
    });
  }

  /** Loads the stored version again; unsaved edits are replayed onto it, never dropped. */
  reload(): Promise<void> {
    return this.task("Loading the latest version...", async () => {
      const old = this.dirty ? this.draft : null;
      const state = await this.run("getRatesState");
      this.setState(state);
      if (!old) return;
      const { table, overlaps } = rebase(old.base, old.table, state.table);
      this.draft = createDraft(state.table, state.today, table);
      for (const [model, lengths] of old.extraClips) this.draft.extraClips.set(model, lengths);
      this.recheck();
      this.overlaps = overlaps;
      this.note(`Loaded version ${state.version}; your unsaved edits are kept on top of it.`);
    });
  }

  /** Asks the server first which versions the save would drop from history; if any, waits for saveDropping(). */
  save(): Promise<void> {
    if (!this.canSave || !this.draft || !this.state) return Promise.resolve();
    const table = this.draft.table;
    const base = this.state.version;
    return this.task("Saving...", async () => {
      const check = await this.run("previewRates", table, base);
      if (!check.ok) return this.saved(check);
      const drops = willDrop(check);
      if (drops.length) return void (this.dropping = drops);
      this.saved(await this.run("saveRates", table, base, EDITED_ACTION));
    });
  }

  /** Saves after the analyst agreed to drop `dropping` from history. */
  saveDropping(): Promise<void> {
    if (!this.dropping || !this.draft || !this.state) return Promise.resolve();
    const table = this.draft.table;
    const base = this.state.version;
    this.dropping = null;
    return this.task("Saving...", async () => this.saved(await this.run("saveRates", table, base, EDITED_ACTION)));
  }

  /** Not now: back to editing, nothing saved. */
  keepEditing(): void {
    this.dropping = null;
    this.changed();
  }

  discard(): void {
    if (!this.state || this.busy) return;
    this.setState(this.state);
    this.changed();
  }

  /** A pasted or picked rate card: parsed here like the server would, then diffed by the server. */
  importCard(text: string, fileName?: string): Promise<void> {
    return this.guarded("Reading the rate card...", async (state) => {
      const parsed = parseRateCard(text, state.table, state.today);
      if (!parsed.ok) return void this.fail("The rate card was not read:", parsed.problems);
      const format = parsed.format === "json" ? "JSON" : "CSV";
      const title = `Import ${format}${fileName ? ` from ${fileName}` : ""}`;
      await this.preview(this.run("previewRates", parsed.candidate, state.version), `Imported ${format}`, title);
    });
  }

  /** Removing a model is previewed like an import: the server lists its rates and provider rows going. */
  removeModel(id: string): Promise<void> {
    return this.guarded("Comparing without the model...", async (state) => {
      const name = state.table.models.find((m) => m.id === id)?.name ?? id;
      await this.preview(this.run("previewRates", withoutModel(state.table, id), state.version), `Removed model ${id}`, `Remove ${name}`);
    });
  }

  refresh(): Promise<void> {
    const url = this.refreshUrl.trim();
    return this.guarded("Fetching the rate card...", async (state) => {
      const bad = checkRefreshUrl(url, state.allowedUrlPrefixes);
      if (bad) return void this.fail("Refresh did not start:", [bad]);
      const fetched = await this.run("fetchRateCard", url);
      if (!fetched.ok) return void this.fail("The rate card was not fetched:", fetched.problems);
      state.refreshUrl = fetched.url;
      const parsed = parseRateCard(fetched.text, state.table, state.today);
      if (!parsed.ok) return void this.fail(`The rate card at ${fetched.url} was not read:`, parsed.problems);
      this.busy = "Comparing with the saved rates...";
      this.changed();
      await this.preview(this.run("previewRates", parsed.candidate, state.version), `Refreshed from ${fetched.url}`, `Refresh from ${fetched.url}`);
    });
  }

  reset(): Promise<void> {
    return this.guarded("Comparing with the built-in rates...", (state) =>
      this.preview(this.run("previewReset", state.version), "Reset to built-in rates", "Reset to the built-in rates"));
  }

  restore(version: number): Promise<void> {
    return this.guarded(`Comparing with version ${version}...`, (state) =>
      this.preview(this.run("previewRestore", version, state.version), `Restored version ${version}`, `Restore version ${version}`));
  }

  /** Shows what Undo would change, like Restore; Apply then asks the server to undo. */
  undo(): Promise<void> {
    const target = this.state?.undoTo ?? null;
    if (target === null) return Promise.resolve();
    return this.guarded(`Comparing with version ${target}...`, async (state) => {
      await this.preview(this.run("previewRestore", target, state.version), `Undo to version ${target}`, `Undo: back to version ${target}`);
      if (this.pending) this.pending.undo = true;
    });
  }

  apply(): Promise<void> {
    const pending = this.pending;
    if (!pending || !pending.preview.diff.length) return Promise.resolve();
    return this.task("Saving...", async () => {
      const { table, baseVersion } = pending.preview;
      const result = pending.undo ? await this.run("undoRates", baseVersion) : await this.run("saveRates", table, baseVersion, pending.action);
      this.saved(result);
      if (result.ok && pending.action.startsWith("Imported")) this.importText = ""; // applied: the box is free for the next card
    });
  }

  dismiss(): void {
    this.error = null;
    this.changed();
  }

  cancel(): void {
    if (this.busy) return;
    this.pending = null;
    this.changed();
  }

  recalculate(): Promise<void> {
    return this.task("Recalculating KLING formulas...", async () => {
      const { cells, sheets, note } = await this.run("recalculateKlingFormulas");
      this.note(`Recalculated ${plural(cells, "KLING cell")} in ${plural(sheets, "sheet")}${note ? `, ${note}` : ""}.`, true);
    });
  }

  private setState(state: RatesState): void {
    this.state = state;
    useSheetLocale(state.locale);
    this.draft = createDraft(state.table, state.today);
    this.pending = null;
    this.dropping = null;
    this.overlaps = [];
    this.refreshUrl = state.refreshUrl;
    this.recheck();
  }

  private recheck(): void {
    if (this.draft) this.check = checkDraft(this.draft);
  }

  private saved(result: Saved | Failure): void {
    if (!result.ok) {
      const message = result.conflict ? "Not saved: someone else saved a newer version." : "Not saved:";
      this.fail(message, result.problems, result.conflict === true);
      return;
    }
    this.setState(result.state);
    const { cells, note } = result.recalculated;
    this.note(`Saved version ${result.state.version}; ${plural(cells, "KLING cell")} recalculated${note ? `, ${note}` : ""}`, true);
  }

  private async preview(call: Promise<Preview | Failure>, action: string, title: string): Promise<void> {
    const result = await call;
    if (!result.ok) return this.fail(`${title}: refused.`, result.problems, result.conflict === true);
    this.pending = { preview: result, action, title };
  }

  private note(text: string, recalculated = false): void {
    this.status = { text, recalculated };
  }

  private fail(message: string, problems: string[], conflict = false): void {
    this.error = { message, problems, conflict };
  }

  /** Actions that replace the table: only from a clean draft, so nothing typed is lost. */
  private guarded(label: string, work: (state: RatesState) => Promise<void>): Promise<void> {
    const state = this.state;
    if (!state) return Promise.resolve();
    if (this.blocked) {
      this.fail(this.blocked, []);
      this.changed();
      return Promise.resolve();
    }
    return this.task(label, () => work(state));
  }

  /** One server conversation at a time: busy while it runs, its error shown, the view told. */
  private async task(label: string, work: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = label;
    this.error = null;
    this.status = null;
    this.changed();
    try {
      await work();
    } catch (error) {
      this.fail("The server could not do that:", [(error as Error).message]);
    } finally {
      this.busy = null;
      this.changed();
    }
  }
}
