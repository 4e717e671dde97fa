import type { Audio, Input, ModelRow, PackageRow, RateRow, RateTable } from "./types";

/** Case, spaces, dots, dashes and a leading "kling" do not matter in names users type. */
export function normalizeName(text: string): string {
  return text.toLowerCase().replace(/[\s._-]+/g, "").replace(/^kling/, "");
}

export interface RatesFor {
  perSecond?: RateRow;
  /** Clip rates by clip length in seconds, for per-clip models. */
  clips: Map<number, RateRow>;
}

/** Lookups over one rate table, built once per table on first use. */
export interface RateIndex {
  readonly table: RateTable;
  findModel(text: string): ModelRow | undefined;
  /** The model's own quality id for a typed name, or undefined. */
  findQuality(model: ModelRow, text: string): string | undefined;
  /** Any quality id the table knows, whichever model offers it. */
  knownQuality(text: string): string | undefined;
  ratesFor(model: string, quality: string, audio: Audio, input: Input): RatesFor | undefined;
  findPackage(text: string): PackageRow | undefined;
  findPackageByName(name: string): PackageRow | undefined;
}

const indexes = new WeakMap<RateTable, RateIndex>();

export function rateIndex(table: RateTable): RateIndex {
  let index = indexes.get(table);
  if (!index) {
    index = buildIndex(table);
    indexes.set(table, index);
  }
  return index;
}

const rateKey = (model: string, quality: string, audio: Audio, input: Input) => `${model}|${quality}|${audio}|${input}`;

function buildIndex(table: RateTable): RateIndex {
  const models = new Map<string, ModelRow>();
  for (const model of table.models) {
    for (const name of [model.id, model.name, ...model.aliases]) models.set(normalizeName(name), model);
  }
  const qualities = new Map<string, string>();
  for (const quality of table.qualities) {
    for (const name of [quality.id, ...quality.aliases]) qualities.set(normalizeName(name), quality.id);
  }
  const rates = new Map<string, RatesFor>();
  for (const row of table.rates) {
    const key = rateKey(row.model, row.quality, row.audio, row.input);
    let entry = rates.get(key);
    if (!entry) rates.set(key, (entry = { clips: new Map() }));
    if (row.per === "second") entry.perSecond = row;
    else if (row.seconds !== undefined) entry.clips.set(row.seconds, row);
  }
  const packages = new Map<string, PackageRow>();
  for (const pkg of table.packages) packages.set(normalizeName(pkg.name), pkg);

  // Formulas over a column repeat the same few names thousands of times.
  const modelMemo = new Map<string, ModelRow | undefined>();

  return {
    table,
    findModel(text) {
      if (modelMemo.has(text)) return modelMemo.get(text);
      const model = models.get(normalizeName(text));
      modelMemo.set(text, model);
      return model;
    },
    findQuality(model, text) {
      const key = normalizeName(text);
      for (const [alias, target] of Object.entries(model.qualityAliases ?? {})) {
        if (normalizeName(alias) === key) return target;
      }
      const id = qualities.get(key);
      return id !== undefined && model.qualities.includes(id) ? id : undefined;
    },
    knownQuality: (text) => qualities.get(normalizeName(text)),
    ratesFor: (model, quality, audio, input) => rates.get(rateKey(model, quality, audio, input)),
    findPackage: (text) => packages.get(normalizeName(text)),
    findPackageByName: (name) => table.packages.find((p) => p.name === name),
  };
}
