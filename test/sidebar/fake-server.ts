// An in-memory stand-in for the server functions the sidebar calls, on the real core validation
// and diff, so session tests see the same answers a spreadsheet would give (versions, conflicts).
import { defaultRateTable } from "../../src/core/rates/default-table";
import { diffTables, summarize } from "../../src/core/rates/diff";
import { validateRateTable } from "../../src/core/rates/schema";
import type { RateTable } from "../../src/core/rates/types";
import type { Failure, Preview, RatesState, Saved } from "../../src/gas/sidebar-types";
import type { Api, Run } from "../../src/sidebar/server";

interface Stored {
  version: number;
  table: RateTable;
  savedAt: string;
  savedBy: string;
  summary: string;
  undoTo: number | null;
}

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export const TODAY = "2026-11-24";
export const ALLOWED = "https://rates.example.com/";

export class FakeServer {
  readonly versions: Stored[] = [{ version: 0, table: copy(defaultRateTable()), savedAt: "", savedBy: "", summary: "Built-in rates", undoTo: null }];
  readonly calls: { name: keyof Api; args: unknown[] }[] = [];
  readonly cards = new Map<string, string>();
  refreshUrl = "";

  get current(): Stored {
    return this.versions[this.versions.length - 1]!;
  }

  state(): RatesState {
    const c = this.current;
    return copy({
      version: c.version, savedAt: c.savedAt, savedBy: c.savedBy, summary: c.summary, table: c.table,
      history: [...this.versions].reverse().map((v) => ({ version: v.version, savedAt: v.savedAt, savedBy: v.savedBy, summary: v.summary, restorable: true })),
      historyKept: { versions: 20, kilobytes: 400 },
      undoTo: c.undoTo, refreshUrl: this.refreshUrl, allowedUrlPrefixes: [ALLOWED], today: TODAY,
    });
  }

  preview(candidate: unknown, baseVersion: number): Preview | Failure {
    const checked = validateRateTable(candidate);
    if (!checked.ok) return { ok: false, problems: checked.problems };
    const diff = diffTables(this.current.table, checked.table);
    return { ok: true, baseVersion, diff, summary: summarize(diff), table: checked.table, willDrop: [] };
  }

  save(candidate: unknown, baseVersion: number, action: string, by = "ann@example.com"): Saved | Failure {
    const c = this.current;
    if (baseVersion !== c.version) return { ok: false, conflict: true, problems: [`version ${c.version} was saved by ${c.savedBy || "unknown"} at ${c.savedAt}; reload to see it`] };
    const checked = validateRateTable(candidate);
    if (!checked.ok) return { ok: false, problems: checked.problems };
    const version = c.version + 1;
    this.versions.push({
      version, table: { ...copy(checked.table), version }, savedAt: `2026-11-24T12:0${version}:00.000Z`, savedBy: by,
      summary: `${action}: ${summarize(diffTables(c.table, checked.table))}`, undoTo: c.version,
    });
    return { ok: true, state: this.state(), recalculated: { cells: 7, sheets: 2 } };
  }

  private readonly api: Api = {
    getRatesState: () => this.state(),
    previewRates: (candidate, base) => this.preview(candidate, base),
    previewReset: (base) => this.preview(defaultRateTable(), base),
    previewRestore: (version, base) => this.preview(this.versions.find((v) => v.version === version)!.table, base),
    saveRates: (candidate, base, action) => this.save(candidate, base, action),
    undoRates: (base) => {
      const target = this.versions.find((v) => v.version === this.current.undoTo);
      return target ? this.save(target.table, base, `Undid version ${this.current.version}`) : { ok: false, problems: ["nothing to undo"] };
    },
    fetchRateCard: (url) => {
      const text = this.cards.get(url);
      if (text === undefined) throw new Error(`HTTP 404 for ${url}`);
      this.refreshUrl = url;
      return { ok: true, url, text, bytes: text.length };
    },
    recalculateKlingFormulas: () => ({ cells: 7, sheets: 2 }),
  };

  /** What google.script.run would do: arguments and results cross as JSON, answers come later. */
  readonly run: Run = (name, ...args) => {
    const sent = copy(args);
    this.calls.push({ name, args: sent });
    return new Promise((resolve, reject) => setTimeout(() => {
      try {
        resolve(copy((this.api[name] as (...a: unknown[]) => never)(...sent)));
      } catch (error) {
        reject(error);
      }
    }, 0));
  };

  /** Another editor saves in between. */
  colleagueSaves(edit: (table: RateTable) => void): void {
    const table = copy(this.current.table);
    edit(table);
    const saved = this.save(table, this.current.version, "Edited", "bob@example.com");
    if (!saved.ok) throw new Error(saved.problems.join("; "));
  }
}
