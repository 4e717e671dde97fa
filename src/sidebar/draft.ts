// The table being edited in the sidebar, and every edit an analyst can make to it. Pure (no DOM):
// the view calls these and re-reads the draft; tests drive them directly.
//
// The draft may hold what was typed even when it is not valid yet ("abc" as a rate, a blank price):
// validateRateTable then names the row and field, and Save stays off until it is fixed.
import { diffTables, rateKey, type DiffLine } from "../core/rates/diff";
import { providerModel } from "../core/rates/models";
import { validateRateTable } from "../core/rates/schema";
import type { PackageRow, Pricing, ProviderRow, RateRow, RateTable, Sourced } from "../core/rates/types";
import { parseNumber } from "./format";
import { type CellKey, findRate, insertionIndex } from "./matrix";

/** What an edited row says it came from, unless the analyst writes a source themselves. */
export const EDITED_SOURCE = "Edited in Kling Budget";

type Row = Sourced & Record<string, unknown>;

export interface Draft {
  /** The stored table the edits started from. */
  readonly base: RateTable;
  /** YYYY-MM-DD, the as-of date an edited row gets. */
  readonly today: string;
  readonly table: RateTable;
  /** Each draft row's stored counterpart (same key), to tell a real change from an edit typed back. */
  readonly origin: WeakMap<object, Row>;
  /** Rows whose source / asOf the analyst typed: value edits no longer overwrite them. */
  readonly ownSource: WeakSet<object>;
  readonly ownAsOf: WeakSet<object>;
  /** Clip lengths shown for per-clip models although no rate has them (added, or cleared in this draft). */
  readonly extraClips: Map<string, number[]>;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const packageKey = (p: PackageRow) => p.name;
const providerKey = (p: ProviderRow) => `${p.provider} ${providerModel(p)} ${p.quality}`;

/** A draft of `base`; `start` (default: base itself) is the table the analyst sees, e.g. their edits replayed onto a newer version. */
export function createDraft(base: RateTable, today: string, start: RateTable = base): Draft {
  const draft: Draft = {
    base,
    today,
    table: clone(start),
    origin: new WeakMap(),
    ownSource: new WeakSet(),
    ownAsOf: new WeakSet(),
    extraClips: new Map(),
  };
  const link = <T extends Sourced>(rows: T[], baseRows: T[], key: (row: T) => string) => {
    const byKey = new Map(baseRows.map((row) => [key(row), row]));
    for (const row of rows) {
      const from = byKey.get(key(row));
      if (from) draft.origin.set(row, from as unknown as Row);
    }
  };
  draft.origin.set(draft.table.pricing, base.pricing as unknown as Row);
  link(draft.table.rates, base.rates, rateKey);
  link(draft.table.packages, base.packages, packageKey);
  link(draft.table.providers, base.providers, providerKey);
  return draft;
}

/** A row's fields as one string, in a fixed order (a stored row's keys may be in any order). */
const fieldsOf = (row: object, meta = true) => JSON.stringify(
  Object.entries(row).filter(([k, v]) => v !== undefined && (meta || (k !== "source" && k !== "asOf"))).sort(([a], [b]) => (a < b ? -1 : 1)),
);

/** The row differs from the stored row it started as, or is new. */
export function isChanged(draft: Draft, row: object): boolean {
  const from = draft.origin.get(row);
  return !from || fieldsOf(from) !== fieldsOf(row);
}

/**
 * After a value edit: the row is dated today and sourced "Edited in Kling Budget", unless the
 * analyst typed its source or date; typed back to its stored values, it gets its stored ones again.
 */
function stamp(draft: Draft, row: Row): void {
  const from = draft.origin.get(row);
  const same = from !== undefined && fieldsOf(from, false) === fieldsOf(row, false);
  if (!draft.ownSource.has(row)) row.source = same ? from.source : EDITED_SOURCE;
  if (!draft.ownAsOf.has(row)) row.asOf = same ? from.asOf : draft.today;
}

/** Typing the source or date of a row: kept as typed from now on. */
function setMeta(draft: Draft, row: Row, field: "source" | "asOf", text: string): void {
  (field === "source" ? draft.ownSource : draft.ownAsOf).add(row);
  row[field] = text;
}

export type CellChange = "added" | "changed" | "removed" | "none";

/** A matrix cell typed into: a number adds or updates its rate row, blank removes it. */
export function setRate(draft: Draft, key: CellKey, text: string): CellChange {
  const { rates } = draft.table;
  const index = findRate(draft.table, key);
  const units = parseNumber(text);
  if (units === undefined) {
    if (index < 0) return "none";
    rates.splice(index, 1);
    if (key.per === "clip" && key.seconds !== undefined) keepClip(draft, key.model, key.seconds); // the row stays on screen, empty
    return "removed";
  }
  if (index >= 0) {
    const row = rates[index]!;
    (row as unknown as Row).units = units;
    stamp(draft, row as unknown as Row);
    return "changed";
  }
  const model = draft.table.models.find((m) => m.id === key.model);
  if (!model) return "none";
  const row = {
    model: key.model, quality: key.quality, audio: key.audio, input: key.input, per: key.per,
    ...(key.per === "clip" ? { seconds: key.seconds } : {}),
    units, source: EDITED_SOURCE, asOf: draft.today,
  } as RateRow;
  const from = draft.base.rates.find((r) => rateKey(r) === rateKey(row));
  if (from) draft.origin.set(row, from as unknown as Row); // cleared and typed again: still the stored row
  rates.splice(insertionIndex(draft.table, model, key), 0, row);
  stamp(draft, row as unknown as Row);
  return "added";
}

export function setRateMeta(draft: Draft, index: number, field: "source" | "asOf", text: string): void {
  const row = draft.table.rates[index];
  if (row) setMeta(draft, row as unknown as Row, field, text);
}

function keepClip(draft: Draft, model: string, seconds: number): void {
  const list = draft.extraClips.get(model) ?? [];
  if (!list.includes(seconds)) draft.extraClips.set(model, [...list, seconds]);
}

/** Shows an empty row for a new clip length of a per-clip model; returns a problem or null. */
export function addClipLength(draft: Draft, model: string, text: string): string | null {
  const seconds = parseNumber(text);
  if (typeof seconds !== "number" || !Number.isInteger(seconds) || seconds < 1) return `clip length: "${text.trim()}" is not a whole number of seconds`;
  const m = draft.table.models.find((row) => row.id === model);
  if (!m || m.billing !== "per-clip") return `${model} does not bill per clip`;
  const taken = draft.table.rates.some((r) => r.model === model && r.seconds === seconds) || (draft.extraClips.get(model) ?? []).includes(seconds);
  if (taken) return `${m.name} already has a ${seconds} s clip row`;
  keepClip(draft, model, seconds);
  return null;
}

type Field<T> = { [K in keyof T]: K extends "source" | "asOf" ? never : K }[keyof T] & string;
export type PricingField = Field<Pricing>;
export type PackageField = Field<PackageRow>;
export type ProviderField = Field<ProviderRow>;
export type MetaField = "source" | "asOf";

const NUMBER_FIELDS = new Set(["defaultUnitPriceUsd", "priceUsd", "units", "validityDays", "concurrency", "purchaseLimit", "usdPerSecond"]);

/** A typed field value: numbers parsed, a blank purchase limit is "none" (null), other text kept. */
function fieldValue(field: string, text: string): unknown {
  if (!NUMBER_FIELDS.has(field)) return text;
  const value = parseNumber(text);
  return field === "purchaseLimit" && value === undefined ? null : value;
}

function editRow(draft: Draft, row: Row, field: string, text: string): void {
  if (field === "source" || field === "asOf") return setMeta(draft, row, field, text);
  row[field] = fieldValue(field, text);
  stamp(draft, row);
}

export function editPricing(draft: Draft, field: PricingField | MetaField, text: string): void {
  editRow(draft, draft.table.pricing as unknown as Row, field, text);
}

export function editPackage(draft: Draft, index: number, field: PackageField | MetaField, text: string): void {
  const row = draft.table.packages[index];
  if (!row) return;
  const before = row.name;
  editRow(draft, row as unknown as Row, field, text);
  // The default package follows its rename, so renaming it does not break every planning formula.
  if (field === "name" && draft.table.pricing.defaultPackage === before && !draft.table.packages.some((p) => p !== row && p.name === before)) {
    editPricing(draft, "defaultPackage", text);
  }
}

export function addPackage(draft: Draft): number {
  draft.table.packages.push({
    name: "", priceUsd: undefined, units: undefined, validityDays: undefined, concurrency: 1, purchaseLimit: null,
    source: EDITED_SOURCE, asOf: draft.today,
  } as unknown as PackageRow);
  return draft.table.packages.length - 1;
}

export function removePackage(draft: Draft, index: number): void {
  draft.table.packages.splice(index, 1);
}

export function editProvider(draft: Draft, index: number, field: ProviderField | MetaField, text: string): void {
  const row = draft.table.providers[index];
  if (row) editRow(draft, row as unknown as Row, field, text);
}

export function addProvider(draft: Draft): number {
  draft.table.providers.push({
    provider: "", model: "", quality: draft.table.qualities[0]?.id ?? "", usdPerSecond: undefined, note: "",
    source: EDITED_SOURCE, asOf: draft.today,
  } as unknown as ProviderRow);
  return draft.table.providers.length - 1;
}

export function removeProvider(draft: Draft, index: number): void {
  draft.table.providers.splice(index, 1);
}

export interface DraftCheck {
  /** Row-by-row changes from the stored table. */
  changes: DiffLine[];
  /** What validation finds, each naming the row and field; empty when the draft can be saved. */
  problems: string[];
}

export function checkDraft(draft: Draft): DraftCheck {
  const changes = diffTables(draft.base, draft.table);
  const result = validateRateTable(draft.table);
  return { changes, problems: result.ok ? [] : result.problems };
}
