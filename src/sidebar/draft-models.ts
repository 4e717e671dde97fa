// Adding, renaming and removing models in the sidebar. Pure (no DOM), like draft.ts: a new model
// goes into the draft with no rates (its grid shows empty); removing one is a whole new table the
// server previews, so its rates and provider rows go only after the analyst sees the list.
import { completeModelRow, newModelDefaults } from "../core/rates/card-models";
import { normalizeName } from "../core/rates/lookup";
import { providerModel } from "../core/rates/models";
import type { ModelRow, RateTable } from "../core/rates/types";
import { EDITED_SOURCE, type Draft } from "./draft";

/** What the Add model form holds, as typed. Lists are comma-separated; lengths "3-15" or "5, 10". */
export interface ModelForm {
  id: string;
  name: string;
  aliases: string;
  billing: "per-second" | "per-clip";
  lengths: string;
  qualities: string[];
  audio: string[];
  inputs: string[];
}

/** Adds the model to the draft with no rates; returns a problem to show at the form, or null. */
export function addModel(draft: Draft, form: ModelForm): string | null {
  const id = form.id.trim();
  if (!id) return "model id: give one, such as kling-v4";
  const taken = draft.table.models.find((m) => [m.id, m.name, ...m.aliases].some((n) => normalizeName(n) === normalizeName(id)));
  if (taken) return `model id: "${id}" already names ${taken.id}`;
  if (!form.lengths.trim()) return "clip lengths: give the lengths it sells, such as 3-15 or 5, 10";
  if (!form.qualities.length) return "qualities: tick at least one";
  const typed: Record<string, unknown> = {
    id, billing: form.billing, lengths: form.lengths, qualities: form.qualities.join("|"),
    audio: (form.audio.length ? form.audio : ["none"]).join("|"), inputs: (form.inputs.length ? form.inputs : ["plain"]).join("|"),
    aliases: form.aliases, source: EDITED_SOURCE, asOf: draft.today,
  };
  if (form.name.trim()) typed.name = form.name.trim();
  const row = newModelDefaults(completeModelRow(typed)) as unknown as ModelRow;
  draft.table.models.push(row);
  // A per-clip model's grid has one row per clip length, shown empty until rates are typed.
  if (row.billing === "per-clip" && row.clipLengths) draft.extraClips.set(row.id, row.clipLengths.filter((s) => typeof s === "number"));
  return null;
}

/** The name formulas and the sidebar show; the id (what rates point at) stays. */
export function renameModel(draft: Draft, id: string, name: string): void {
  const model = draft.table.models.find((m) => m.id === id);
  if (!model) return;
  model.name = name;
  model.source = EDITED_SOURCE;
  model.asOf = draft.today;
}

/** The table without the model, its rates and the provider rows compared with it. */
export function withoutModel(table: RateTable, id: string): RateTable {
  return {
    ...table,
    models: table.models.filter((m) => m.id !== id),
    rates: table.rates.filter((r) => r.model !== id),
    providers: table.providers.filter((p) => providerModel(p) !== id),
  };
}

/** The lengths a clip-price line can use: what the model sells, as numbers. */
export function soldLengths(model: ModelRow): number[] {
  if (model.clipLengths?.length) return [...model.clipLengths].sort((a, b) => a - b);
  const from = model.minSeconds ?? 1;
  const to = model.maxSeconds ?? from;
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}
