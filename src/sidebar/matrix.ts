// Rate rows as analysts read them: per model, a matrix of features (rows) by qualities (columns).
// Pure: the view renders what this returns; draft.ts turns cell edits back into rate rows.
import { AUDIO_KINDS, INPUT_KINDS, type Audio, type Input, type ModelRow, type RateRow, type RateTable } from "../core/rates/types";

/** One cell of a matrix: which rate row it stands for (there may be none yet). */
export type CellKey = Pick<RateRow, "model" | "quality" | "audio" | "input" | "per" | "seconds">;

export interface MatrixCell {
  key: CellKey;
  /** Index in table.rates, or -1 for no rate. */
  index: number;
  testId: string;
}

export interface MatrixRow {
  label: string;
  cells: MatrixCell[];
}

export interface ModelMatrix {
  model: ModelRow;
  per: "second" | "clip";
  qualities: string[];
  rows: MatrixRow[];
}

/** "plain", "with audio", "motion control", "video input with audio", ... */
export function featureLabel(audio: Audio, input: Input): string {
  const parts: string[] = [];
  if (input === "video") parts.push("video input");
  if (input === "motion-control") parts.push("motion control");
  if (audio === "audio") parts.push("with audio");
  if (audio === "voice") parts.push("with voice");
  return parts.length ? parts.join(" ") : "plain";
}

/** The model's audio x input combinations: the single features first (as analysts list them), then the mixes. */
export function features(model: ModelRow): { audio: Audio; input: Input }[] {
  const list: { audio: Audio; input: Input }[] = [];
  for (const input of INPUT_KINDS) {
    if (!model.inputs.includes(input)) continue;
    for (const audio of AUDIO_KINDS) if (model.audio.includes(audio)) list.push({ audio, input });
  }
  const mixes = (f: { audio: Audio; input: Input }) => Number(f.audio !== "none") + Number(f.input !== "plain");
  return list.map((f, i) => ({ f, i })).sort((a, b) => mixes(a.f) - mixes(b.f) || a.i - b.i).map(({ f }) => f);
}

export function matches(row: RateRow, key: CellKey): boolean {
  return row.model === key.model && row.quality === key.quality && row.audio === key.audio && row.input === key.input
    && row.per === key.per && (key.per === "second" || row.seconds === key.seconds);
}

export function findRate(table: RateTable, key: CellKey): number {
  return table.rates.findIndex((row) => matches(row, key));
}

export function keyOfRate(row: RateRow): CellKey {
  return { model: row.model, quality: row.quality, audio: row.audio, input: row.input, per: row.per, ...(row.per === "clip" ? { seconds: row.seconds } : {}) };
}

/** Stable hook for browser tests: rate-kling-v3-720p-none-plain, rate-kling-v2-1-720p-none-plain-5s. */
export function rateTestId(key: CellKey): string {
  return `rate-${key.model}-${key.quality}-${key.audio}-${key.input}${key.per === "clip" ? `-${key.seconds}s` : ""}`;
}

/** How the analyst names one rate: "Kling 3.0 720p with audio", "Kling 2.1 1080p 5 s clip". */
export function cellLabel(model: ModelRow, key: CellKey): string {
  const feature = featureLabel(key.audio, key.input);
  const clip = key.per === "clip" ? `${key.seconds} s clip` : "";
  return [model.name, key.quality, clip, feature === "plain" && clip ? "" : feature].filter(Boolean).join(" ");
}

/** Clip lengths a per-clip model has rates for, plus lengths added in the sidebar that have none yet. */
export function clipLengths(table: RateTable, model: ModelRow, extra: readonly number[] = []): number[] {
  const lengths = new Set(extra);
  for (const row of table.rates) if (row.model === model.id && row.per === "clip" && typeof row.seconds === "number") lengths.add(row.seconds);
  return [...lengths].sort((a, b) => a - b);
}

export function modelMatrix(table: RateTable, model: ModelRow, extraClips: readonly number[] = []): ModelMatrix {
  const per = model.billing === "per-clip" ? "clip" : "second";
  const lengths: (number | undefined)[] = per === "clip" ? clipLengths(table, model, extraClips) : [undefined];
  const rows: MatrixRow[] = [];
  for (const seconds of lengths) {
    for (const { audio, input } of features(model)) {
      const feature = featureLabel(audio, input);
      const label = seconds === undefined ? feature : `${seconds} s clip${feature === "plain" ? "" : `, ${feature}`}`;
      const cells = model.qualities.map((quality) => {
        const key: CellKey = { model: model.id, quality, audio, input, per, ...(seconds === undefined ? {} : { seconds }) };
        return { key, index: findRate(table, key), testId: rateTestId(key) };
      });
      rows.push({ label, cells });
    }
  }
  return { model, per, qualities: [...model.qualities], rows };
}

/**
 * Where a new rate row goes so the table keeps its matrix order (quality, clip, input, audio), the
 * order the built-in table is written in: a rate cleared and typed again lands where it was.
 */
export function insertionIndex(table: RateTable, model: ModelRow, key: CellKey): number {
  const order = (k: CellKey) => [
    model.qualities.indexOf(k.quality),
    k.seconds ?? 0,
    INPUT_KINDS.indexOf(k.input),
    AUDIO_KINDS.indexOf(k.audio),
  ];
  const later = (a: number[], b: number[]) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
    return false;
  };
  const mine = order(key);
  let last = -1;
  for (let i = 0; i < table.rates.length; i++) {
    const row = table.rates[i]!;
    if (row.model !== key.model) continue;
    if (later(order(keyOfRate(row)), mine)) return i;
    last = i;
  }
  if (last >= 0) return last + 1;
  // The model's first rate: after the rates of the models listed before it.
  const earlier = new Set(table.models.slice(0, table.models.indexOf(model)).map((m) => m.id));
  let after = 0;
  table.rates.forEach((row, i) => {
    if (earlier.has(row.model)) after = i + 1;
  });
  return table.models.includes(model) ? after : table.rates.length;
}
