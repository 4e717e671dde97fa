// The rate table's fields in the words the sidebar shows, for messages and for CSV headers.
// Messages never show the internal names (priceUsd, validityDays); a CSV header may use either.

export const FIELD_LABELS: Record<string, string> = {
  schemaVersion: "format version",
  currency: "currency",
  defaultUnitPriceUsd: "default unit price ($ per unit)",
  defaultPackage: "default package",
  source: "source",
  asOf: "as of",
  id: "id",
  name: "name",
  billing: "billing",
  minSeconds: "shortest clip (s)",
  maxSeconds: "longest clip (s)",
  qualities: "qualities",
  defaultQuality: "default quality",
  qualityAliases: "other quality names",
  audio: "audio",
  inputs: "inputs",
  aliases: "short names",
  model: "model",
  quality: "quality",
  input: "input",
  per: "billed per",
  seconds: "clip length (s)",
  units: "units",
  priceUsd: "price ($)",
  validityDays: "valid (days)",
  concurrency: "concurrency",
  purchaseLimit: "purchase limit",
  provider: "provider",
  usdPerSecond: "USD per second",
  note: "note",
  klingModel: "Kling model",
  clipLengths: "clip lengths",
  lengths: "clip lengths",
  retired: "retired",
};

/** A field as the sidebar names it; a path such as qualityAliases.1080p keeps its tail, and a list's item is counted from 1. */
export function fieldLabel(path: string): string {
  const [head = "", ...rest] = path.split(".");
  return [FIELD_LABELS[head] ?? head, ...rest.map((part) => (/^\d+$/.test(part) ? `(value ${Number(part) + 1})` : part))].join(" ");
}
