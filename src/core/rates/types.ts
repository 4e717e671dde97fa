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
  /** How its rates are written: units per second, or units per whole clip. */
  billing: "per-second" | "per-clip";
  /** The clip lengths it sells: every whole second from minSeconds to maxSeconds, or the clipLengths listed. */
  minSeconds?: number;
  maxSeconds?: number;
  clipLengths?: number[];
  /** The date Kling retired it (or announced it retires); its rates stay for old budgets. */
  retired?: string;
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
  /** The provider's own name for what it sells. */
  model: string;
  /** The Kling model id it is compared with; absent (tables saved before it existed) = kling-v3. */
  klingModel?: string;
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
