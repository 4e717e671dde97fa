// The rate table: one versioned document that every KLING_ function reads. The built-in default
// is in default-table.ts; a user's edited table (saved in the spreadsheet) has the same shape and
// is validated by schema.ts before it is ever stored.

export const SCHEMA_VERSION = 1;

export type Audio = "none" | "audio" | "voice";
export type Input = "plain" | "video" | "motion-control";

export const AUDIO_KINDS: readonly Audio[] = ["none", "audio", "voice"];
export const INPUT_KINDS: readonly Input[] = ["plain", "video", "motion-control"];

/** Where a figure came from: a document name, and the date (YYYY, YYYY-MM or YYYY-MM-DD) it holds for. */
export interface Sourced {
  source: string;
  asOf: string;
}

export interface Pricing extends Sourced {
  currency: "USD";
  /** What one resource unit costs when a formula names no price. */
  defaultUnitPriceUsd: number;
  /** The package a planning formula assumes when it names none. */
  defaultPackage: string;
}

export interface QualityRow {
  id: string;
  aliases: string[];
}

export interface ModelRow extends Sourced {
  id: string;
  name: string;
  /** per-second: whole seconds from minSeconds to maxSeconds; per-clip: only the clip lengths its rate rows list. */
  billing: "per-second" | "per-clip";
  minSeconds?: number;
  maxSeconds?: number;
  qualities: string[];
  /** Quality used when the formula leaves quality blank; without it, blank is an error. */
  defaultQuality?: string;
  /** Other quality names this model accepts, e.g. "1080p" for the Master model's "master". */
  qualityAliases?: Record<string, string>;
  audio: Audio[];
  inputs: Input[];
  aliases: string[];
}

export interface RateRow extends Sourced {
  model: string;
  quality: string;
  audio: Audio;
  input: Input;
  /** "second": units per second of video; "clip": units for one clip of exactly `seconds`. */
  per: "second" | "clip";
  seconds?: number;
  units: number;
}

/** The largest rate card (pasted, picked or fetched) that is read. */
export const MAX_CARD_BYTES = 1024 * 1024;

/** The optimizer prices packages in whole steps of 1 / 10^this of a dollar. */
export const MAX_PRICE_DECIMALS = 4;

export interface PackageRow extends Sourced {
  name: string;
  priceUsd: number;
  units: number;
  validityDays: number;
  concurrency: number;
  /** How many of this package one account may buy; null = no limit. */
  purchaseLimit: number | null;
}

export interface ProviderRow extends Sourced {
  provider: string;
  model: string;
  quality: string;
  usdPerSecond: number;
  note: string;
}

export interface RateTable {
  schemaVersion: typeof SCHEMA_VERSION;
  /** 0 for the built-in default; each saved edit gets the next number. */
  version: number;
  pricing: Pricing;
  qualities: QualityRow[];
  models: ModelRow[];
  rates: RateRow[];
  packages: PackageRow[];
  providers: ProviderRow[];
}
