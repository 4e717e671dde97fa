// What an import, refresh, reset or restore would change, row by row, shown before anything is saved.
import { showInvisible } from "../text/names";
import { fieldLabel } from "./fields";
import { providerModel } from "./models";
import type { PackageRow, ProviderRow, QualityRow, RateRow, RateTable } from "./types";

export type Section = "pricing" | "qualities" | "models" | "rates" | "packages" | "providers";

export interface FieldChange {
  /** The field in the sidebar's words ("price ($)", not priceUsd). */
  field: string;
  from: string;
  to: string;
}

export interface DiffLine {
  section: Section;
  kind: "added" | "removed" | "changed";
  /** The row as an analyst names it, e.g. "kling-v3 720p with audio" or "Package 1"; invisible characters shown as [U+200B]. */
  key: string;
  /** Changed fields; for an added or removed row, its fields with the missing side blank. */
  changes: FieldChange[];
}

export const SECTIONS: readonly Section[] = ["pricing", "qualities", "models", "rates", "packages", "providers"];

export function rateKey(r: RateRow): string {
  const parts = [r.model, r.quality];
  if (r.audio !== "none") parts.push(r.audio === "audio" ? "with audio" : "with voice");
  if (r.input !== "plain") parts.push(r.input === "video" ? "video input" : "motion control");
  if (r.per === "clip") parts.push(`${r.seconds ?? "?"} s clip`);
  return parts.join(" ");
}

const keyOf: { [S in Section]: (row: never) => string } = {
  pricing: () => "pricing",
  qualities: (q: QualityRow) => q.id,
  models: (m: { id: string }) => m.id,
  rates: rateKey,
  packages: (p: PackageRow) => p.name,
  providers: (p: ProviderRow) => `${p.provider} ${providerModel(p)} ${p.quality}`,
};

export function showValue(value: unknown): string {
  if (value === undefined) return "";
  if (value === null) return "none";
  if (Array.isArray(value)) return value.map(showValue).join(", ");
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}: ${showValue(v)}`).join(", ");
  }
  return typeof value === "string" ? showInvisible(value) : String(value);
}

function fieldChanges(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): FieldChange[] {
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const from = showValue(before?.[field]);
    const to = showValue(after?.[field]);
    if (from !== to) changes.push({ field: fieldLabel(field), from, to });
  }
  return changes;
}

/** Row-by-row differences, in table order: changed and removed rows as in `before`, then added rows. */
export function diffTables(before: RateTable, after: RateTable): DiffLine[] {
  const lines: DiffLine[] = [];
  for (const section of SECTIONS) {
    const rowsOf = (t: RateTable) => (section === "pricing" ? [t.pricing] : t[section]) as unknown as Record<string, unknown>[];
    const key = keyOf[section] as (row: Record<string, unknown>) => string;
    const next = new Map(rowsOf(after).map((row) => [key(row), row]));
    const seen = new Set<string>();
    for (const row of rowsOf(before)) {
      const k = key(row);
      seen.add(k);
      const other = next.get(k);
      if (!other) lines.push({ section, kind: "removed", key: showInvisible(k), changes: fieldChanges(row, undefined) });
      else {
        const changes = fieldChanges(row, other);
        if (changes.length) lines.push({ section, kind: "changed", key: showInvisible(k), changes });
      }
    }
    for (const [k, row] of next) {
      if (!seen.has(k)) lines.push({ section, kind: "added", key: showInvisible(k), changes: fieldChanges(undefined, row) });
    }
  }
  return lines;
}

const MAX_SUMMARY = 200;

/** One line for the history: the change itself when it is small, counts per section otherwise. */
export function summarize(lines: readonly DiffLine[]): string {
  if (lines.length === 0) return "no changes";
  const one = (line: DiffLine) => {
    if (line.kind !== "changed") return `${line.key} ${line.kind}`;
    return `${line.key}: ${line.changes.map((c) => `${c.field} ${c.from || "blank"} -> ${c.to || "blank"}`).join(", ")}`;
  };
  if (lines.length <= 2) {
    const text = lines.map(one).join("; ");
    if (text.length <= MAX_SUMMARY) return text;
  }
  const parts: string[] = [];
  for (const section of SECTIONS) {
    const of = lines.filter((l) => l.section === section);
    if (!of.length) continue;
    if (section === "pricing") {
      parts.push("pricing changed");
      continue;
    }
    const counts = (["changed", "added", "removed"] as const)
      .map((kind) => [kind, of.filter((l) => l.kind === kind).length] as const)
      .filter(([, n]) => n > 0)
      .map(([kind, n]) => `${n} ${kind}`);
    parts.push(`${section} ${counts.join(", ")}`);
  }
  return parts.join("; ");
}
