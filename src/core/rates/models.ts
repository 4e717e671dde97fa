// The model catalogue's own rules: which clip lengths a model sells, retired models, and which Kling
// model a provider row is compared with. Kept apart from schema.ts and card.ts, which call in here.
import { listOf } from "../errors";
import { normalizeName } from "./lookup";
import type { ModelRow, ProviderRow, RateTable } from "./types";

/** What provider rows saved before klingModel existed were all about. */
export const DEFAULT_COMPARE_MODEL = "kling-v3";

export const providerModel = (row: ProviderRow): string => row.klingModel ?? DEFAULT_COMPARE_MODEL;

/** The key a provider row is known by: one price per provider, Kling model and quality. */
export const providerKey = (row: ProviderRow): string => `${normalizeName(row.provider)}|${providerModel(row)}|${row.quality}`;

/** "3 to 15 s" or "5 s or 10 s": the lengths as an analyst reads them. */
export function describeLengths(model: ModelRow): string {
  if (model.clipLengths?.length) return listOf([...model.clipLengths].sort((a, b) => a - b).map((s) => `${s} s`));
  return `${model.minSeconds ?? 1} to ${model.maxSeconds ?? "any number of"} s`;
}

/** Whether the model sells a clip of `seconds` (whole seconds already checked). */
export function sellsLength(model: ModelRow, seconds: number): boolean {
  if (model.clipLengths?.length) return model.clipLengths.includes(seconds);
  return seconds >= (model.minSeconds ?? 1) && (model.maxSeconds === undefined || seconds <= model.maxSeconds);
}

/**
 * The Kling model a provider's own product name stands for: the model whose id, name or alias is
 * the longest start of it ("Kling 2.6 Pro" -> kling-v2-6, "Kling V3.0 image-to-video" -> kling-v3).
 */
export function modelNamedBy(text: string, models: readonly ModelRow[]): string | undefined {
  const typed = normalizeName(text);
  let best: { id: string; length: number } | undefined;
  for (const m of models) {
    for (const name of [m.id, m.name, ...m.aliases]) {
      const n = normalizeName(name);
      if (n && typed.startsWith(n) && n.length > (best?.length ?? 0)) best = { id: m.id, length: n.length };
    }
  }
  return best?.id;
}

/** The rows that tie models, clip lengths and provider rows together; each names its row. */
export function catalogueProblems(table: RateTable, label: (section: string, index: number) => string): string[] {
  const problems: string[] = [];
  table.models.forEach((m, i) => {
    const where = label("models", i);
    if (m.clipLengths) {
      if (!m.clipLengths.length) problems.push(`${where}, clip lengths: give at least one clip length, or leave it out`);
      if (new Set(m.clipLengths).size !== m.clipLengths.length) problems.push(`${where}, clip lengths: a length is listed twice`);
      if (m.minSeconds !== undefined || m.maxSeconds !== undefined) problems.push(`${where}: give its clip lengths or its shortest and longest clip (s), not both`);
    }
  });
  const models = new Map(table.models.map((m) => [m.id, m]));
  table.rates.forEach((r, i) => {
    const m = models.get(r.model);
    if (m?.clipLengths && r.per === "clip" && r.seconds !== undefined && !m.clipLengths.includes(r.seconds)) {
      problems.push(`${label("rates", i)}, clip length (s): ${m.id} sells ${describeLengths(m)} clips, not ${r.seconds} s`);
    }
  });
  const seen = new Map<string, number>();
  table.providers.forEach((p, i) => {
    if (p.klingModel !== undefined && !models.has(p.klingModel)) {
      problems.push(`${label("providers", i)}, Kling model: ${p.klingModel} is not in the models list`);
    }
    const key = providerKey(p);
    const first = seen.get(key);
    if (first !== undefined) problems.push(`${label("providers", i)}: repeats the provider, Kling model and quality of ${label("providers", first)}`);
    else seen.set(key, i);
  });
  return problems;
}
