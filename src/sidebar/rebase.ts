// Someone else saved while the analyst was editing. Reloading must not lose what they typed: their
// row edits (from the version they started on to their draft) are replayed onto the newer version.
import { rateKey } from "../core/rates/diff";
import type { RateTable } from "../core/rates/types";

export interface Rebased {
  table: RateTable;
  /** Rows both sides changed ("packages: Package 2"); the analyst's version was kept. */
  overlaps: string[];
}

type Keyed = Record<string, unknown>;

// The same row keys diffTables uses, so the history and the preview name rows alike.
const KEYS: Record<"qualities" | "models" | "rates" | "packages" | "providers", (row: never) => string> = {
  qualities: (q: { id: string }) => q.id,
  models: (m: { id: string }) => m.id,
  rates: rateKey,
  packages: (p: { name: string }) => p.name,
  providers: (p: { provider: string; quality: string }) => `${p.provider} ${p.quality}`,
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function rebase(base: RateTable, edited: RateTable, latest: RateTable): Rebased {
  const table = JSON.parse(JSON.stringify(latest)) as RateTable;
  const overlaps: string[] = [];
  if (!same(base.pricing, edited.pricing)) {
    if (!same(base.pricing, latest.pricing) && !same(edited.pricing, latest.pricing)) overlaps.push("pricing");
    table.pricing = JSON.parse(JSON.stringify(edited.pricing));
  }
  for (const section of Object.keys(KEYS) as (keyof typeof KEYS)[]) {
    const key = KEYS[section] as (row: Keyed) => string;
    const before = new Map((base[section] as unknown as Keyed[]).map((row) => [key(row), row]));
    const after = new Map((edited[section] as unknown as Keyed[]).map((row) => [key(row), row]));
    const rows = table[section] as unknown as Keyed[];
    const at = (k: string) => rows.findIndex((row) => key(row) === k);
    const note = (k: string, theirs: Keyed | undefined, mine: Keyed | undefined) => {
      const was = before.get(k);
      if (!same(theirs, was) && !same(theirs, mine)) overlaps.push(`${section}: ${k}`);
    };
    for (const k of before.keys()) {
      if (after.has(k)) continue;
      const i = at(k);
      note(k, i >= 0 ? rows[i] : undefined, undefined);
      if (i >= 0) rows.splice(i, 1); // the analyst removed it: gone, even if changed meanwhile (then listed as an overlap)
    }
    for (const [k, mine] of after) {
      if (same(before.get(k), mine)) continue;
      const i = at(k);
      note(k, i >= 0 ? rows[i] : undefined, mine);
      const copy = JSON.parse(JSON.stringify(mine)) as Keyed;
      if (i >= 0) rows[i] = copy;
      else rows.push(copy);
    }
  }
  return { table, overlaps };
}
