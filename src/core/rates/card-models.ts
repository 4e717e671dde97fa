// The `models` section of a CSV rate card: a model row as a spreadsheet user writes it (lists in
// one cell, lengths as "3-15" or "5|10"), turned into a model row for validateRateTable to judge.
import { DEFAULT_COMPARE_MODEL, modelNamedBy } from "./models";
import type { ModelRow } from "./types";

export const MODEL_FIELDS = ["id", "name", "aliases", "billing", "lengths", "qualities", "defaultQuality", "audio", "inputs", "retired", "source", "asOf"] as const;

/** A cell holding a list: "kling 9|K9", "720p, 1080p" or "720p;1080p". */
const list = (value: unknown): string[] =>
  typeof value === "string" ? value.split(/[|,;]/).map((v) => v.trim()).filter(Boolean) : [];

const BILLING: Record<string, ModelRow["billing"]> = {
  persecond: "per-second", second: "per-second", seconds: "per-second",
  perclip: "per-clip", clip: "per-clip", clips: "per-clip",
};

/** "3-15" or "3 to 15" is a range of whole seconds; "5|10" (or "5, 10") lists the lengths. Anything else is left for validation to name. */
function lengths(text: string): Partial<ModelRow> {
  const range = /^\s*(\d+)\s*(?:-|to|–)\s*(\d+)\s*s?\s*$/i.exec(text);
  if (range) return { minSeconds: Number(range[1]), maxSeconds: Number(range[2]) };
  const items = list(text).map((item) => item.replace(/\s*s$/i, ""));
  return { clipLengths: items.map((item) => (/^\d+$/.test(item) ? Number(item) : item)) as number[] };
}

/** The cells a model row gives, as table fields (lists split, billing and lengths read); absent cells stay absent. */
export function completeModelRow(row: Record<string, unknown>): Record<string, unknown> {
  const { lengths: typedLengths, ...done } = row;
  for (const field of ["aliases", "qualities", "audio", "inputs"]) if (row[field] !== undefined) done[field] = list(row[field]);
  if (row.billing !== undefined) done.billing = BILLING[String(row.billing).toLowerCase().replace(/[^a-z]/g, "")] ?? row.billing;
  if (typeof typedLengths === "string") Object.assign(done, lengths(typedLengths));
  return done;
}

/** What a new model gets that a spreadsheet user would not type: name = id, no aliases, no audio, plain input, billed per second. */
export function newModelDefaults(row: Record<string, unknown>): Record<string, unknown> {
  return { name: row.id, aliases: [], audio: ["none"], inputs: ["plain"], billing: "per-second", ...row };
}

/**
 * Which Kling model a CSV provider row is about: its klingModel cell, else the model its own product
 * name starts with ("Kling 2.6 Pro" -> kling-v2-6), else Kling 3.0, what provider rows compared before.
 */
export function providerKlingModel(row: Record<string, unknown>, models: readonly ModelRow[]): string {
  if (typeof row.klingModel === "string") return row.klingModel;
  return modelNamedBy(String(row.model ?? ""), models) ?? DEFAULT_COMPARE_MODEL;
}
