import { own } from "../own";
import { nameKey } from "../text/names";
import type { Audio, Input, ModelRow, PackageRow, RateRow, RateTable } from "./types";

/**
 * Case, spaces, dots, dashes, a leading "kling", and what a paste brings along (Unicode
 * compatibility forms, a zero-width space, a non-breaking space or hyphen) do not matter in names
 * users type. Plain ASCII, the usual case, skips the Unicode work (see nameKey).
 */
export function normalizeName(text: string): string {
  return nameKey(text).replace(/^kling/, "");
}

/**
 * A rate table's name lookups as plain data (positions in the table's arrays), so they can be
 * computed once, when the table is built or saved, and shipped as JSON with it.
 */
export interface RateLookup {
  /** How names were keyed when it was compiled (NAME_KEYS); a lookup keyed another way is not used. */
  names?: number;
  models: Record<string, number>;
  qualities: Record<string, string>;
  /** Per model id: its own extra quality names (e.g. "1080p" for the Master model). */
  modelQualities: Record<string, Record<string, string>>;
  rates: Record<string, number[]>;
  packages: Record<string, number>;
}

/**
 * Bumped whenever normalizeName changes: a table saved before keeps the lookup compiled then, and
 * its keys would no longer match what formulas type (2: Unicode letters, NFKC, case-folded).
 */
export const NAME_KEYS = 2;

const rateKey = (model: string, quality: string, audio: Audio, input: Input) => `${model}|${quality}|${audio}|${input}`;

export function compileLookup(table: RateTable): RateLookup {
  const lookup: RateLookup = { names: NAME_KEYS, models: {}, qualities: {}, modelQualities: {}, rates: {}, packages: {} };
  table.models.forEach((model, i) => {
    for (const name of [model.id, model.name, ...model.aliases]) lookup.models[normalizeName(name)] = i;
    const extra: Record<string, string> = {};
    for (const [alias, quality] of Object.entries(model.qualityAliases ?? {})) extra[normalizeName(alias)] = quality;
    lookup.modelQualities[model.id] = extra;
  });
  for (const quality of table.qualities) {
    for (const name of [quality.id, ...quality.aliases]) lookup.qualities[normalizeName(name)] = quality.id;
  }
  table.rates.forEach((row, i) => {
    const key = rateKey(row.model, row.quality, row.audio, row.input);
    (lookup.rates[key] ??= []).push(i);
  });
  table.packages.forEach((pkg, i) => (lookup.packages[normalizeName(pkg.name)] = i));
  return lookup;
}

export interface RatesFor {
  perSecond?: RateRow;
  /** Clip rates by clip length in seconds, for per-clip models. */
  clips: Map<number, RateRow>;
}

/** Lookups over one rate table. */
export interface RateIndex {
  readonly table: RateTable;
  findModel(text: string): ModelRow | undefined;
  /** The model's own quality id for a typed name, or undefined. */
  findQuality(model: ModelRow, text: string): string | undefined;
  /** Any quality id the table knows, whichever model offers it. */
  knownQuality(text: string): string | undefined;
  ratesFor(model: string, quality: string, audio: Audio, input: Input): RatesFor | undefined;
  findPackage(text: string): PackageRow | undefined;
}

const indexes = new WeakMap<RateTable, RateIndex>();

/** Uses a lookup computed ahead of time (at build or save time) for this table, if it keys names as this code does. */
export function primeRateIndex(table: RateTable, lookup: RateLookup): void {
  if (lookup.names === NAME_KEYS) indexes.set(table, makeIndex(table, lookup));
}

/** The table's index: primed, or computed on first use and kept for the rest of the execution. */
export function rateIndex(table: RateTable): RateIndex {
  let index = indexes.get(table);
  if (!index) indexes.set(table, (index = makeIndex(table, compileLookup(table))));
  return index;
}

function makeIndex(table: RateTable, lookup: RateLookup): RateIndex {
  // A column of formulas repeats the same few names thousands of times.
  const modelMemo = new Map<string, ModelRow | undefined>();
  const rateMemo = new Map<string, RatesFor | undefined>();
  return {
    table,
    findModel(text) {
      if (modelMemo.has(text)) return modelMemo.get(text);
      const i = own(lookup.models, normalizeName(text));
      const model = i === undefined ? undefined : table.models[i];
      // Only names that are models: a million distinct bad names must not fill memory.
      if (model) modelMemo.set(text, model);
      return model;
    },
    findQuality(model, text) {
      const key = normalizeName(text);
      const id = own(lookup.modelQualities[model.id], key) ?? own(lookup.qualities, key);
      return id !== undefined && model.qualities.includes(id) ? id : undefined;
    },
    knownQuality: (text) => own(lookup.qualities, normalizeName(text)),
    ratesFor(model, quality, audio, input) {
      const key = rateKey(model, quality, audio, input);
      if (rateMemo.has(key)) return rateMemo.get(key);
      const rows = own(lookup.rates, key)?.map((i) => table.rates[i]!);
      let found: RatesFor | undefined;
      if (rows) {
        found = { clips: new Map() };
        for (const row of rows) {
          if (row.per === "second") found.perSecond = row;
          else if (row.seconds !== undefined) found.clips.set(row.seconds, row);
        }
      }
      rateMemo.set(key, found);
      return found;
    },
    findPackage(text) {
      const i = own(lookup.packages, normalizeName(text));
      return i === undefined ? undefined : table.packages[i];
    },
  };
}
