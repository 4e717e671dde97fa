// How saved rate tables are laid out in a key-value store with a small value limit (Apps Script's
// document properties: 9 KB a value, 500 KB in all), and the rules for versions, history and undo.
// Pure: the Apps Script edge hands in a snapshot of the store and carries out the writes planned here.
import { compileLookup, type RateLookup } from "./lookup";
import type { RateTable } from "./types";

export const META_KEY = "kb.rates";
const CHUNK_PREFIX = "kb.rates.v";
export const KEEP_VERSIONS = 20;
/** Under the 9 KB limit with the key. */
export const CHUNK_CHARS = 8000;
/** A table's JSON may be this large: 5x the built-in one, and 21 compressed copies stay far below 500 KB. */
export const MAX_TABLE_CHARS = 48 * 1024;
/** What a save may leave in the store in all; the platform's limit is 500 KB. */
export const MAX_STORE_CHARS = 400 * 1024;

export interface VersionRecord {
  version: number;
  savedAt: string;
  savedBy: string;
  summary: string;
  chunks: number;
  /** The version Undo brings back from this one; null when there is none. */
  undoTo: number | null;
}

export interface Meta {
  format: 1;
  current: number;
  /** Newest first, at most KEEP_VERSIONS; each has its table stored. */
  versions: VersionRecord[];
}

/** What a stored version holds: the table and its name lookups, compiled when it was saved. */
export interface Payload {
  table: RateTable;
  lookup: RateLookup;
}

/** Turns a payload's JSON into store-safe text and back (the edge compresses). */
export interface Codec {
  pack(json: string): string;
  unpack(text: string): string;
}

export const chunkKey = (version: number, index: number) => `${CHUNK_PREFIX}${version}.${index}`;

export class StoreError extends Error {
  override name = "StoreError";
  /** True when the save was based on an older version than the stored one. */
  constructor(message: string, readonly conflict = false) {
    super(message);
  }
}

export function readMeta(snapshot: Readonly<Record<string, string>>): Meta | undefined {
  const text = snapshot[META_KEY];
  if (text === undefined) return undefined;
  const meta = JSON.parse(text) as Meta;
  if (meta.format !== 1 || !Array.isArray(meta.versions)) throw new StoreError("the saved rates are in a format this version of Kling Budget does not read");
  return meta;
}

export function readVersion(snapshot: Readonly<Record<string, string>>, record: VersionRecord, codec: Codec): Payload {
  let text = "";
  for (let i = 0; i < record.chunks; i++) {
    const chunk = snapshot[chunkKey(record.version, i)];
    if (chunk === undefined) throw new StoreError(`the saved rates of version ${record.version} are incomplete (part ${i + 1} of ${record.chunks} is missing)`);
    text += chunk;
  }
  return JSON.parse(codec.unpack(text)) as Payload;
}

/** The current table from a snapshot of the store, or undefined when nothing was ever saved. */
export function readCurrent(snapshot: Readonly<Record<string, string>>, codec: Codec): Payload | undefined {
  const meta = readMeta(snapshot);
  if (!meta) return undefined;
  const record = meta.versions.find((v) => v.version === meta.current);
  if (!record) throw new StoreError(`the saved rates name version ${meta.current}, which is not stored`);
  return readVersion(snapshot, record, codec);
}

export interface SaveRequest {
  table: RateTable;
  baseVersion: number;
  savedAt: string;
  savedBy: string;
  summary: string;
  /** Set when this save restores a version through Undo. */
  undoOf?: VersionRecord | "built-in";
}

export interface SavePlan {
  version: number;
  set: Record<string, string>;
  /** Written last: the save takes effect when this is stored. */
  meta: string;
  remove: string[];
  payload: Payload;
  record: VersionRecord;
}

export function conflictMessage(record: VersionRecord | undefined, current: number): string {
  const by = record?.savedBy ? record.savedBy : "another editor";
  const at = record?.savedAt ? formatUtc(record.savedAt) : "an unknown time";
  return `version ${current} was saved by ${by} at ${at}; reload to see it`;
}

export function formatUtc(iso: string): string {
  return iso.replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, " UTC");
}

/** Plans a save, or throws StoreError (conflict, size) with a message for the analyst; nothing is written here. */
export function planSave(snapshot: Readonly<Record<string, string>>, request: SaveRequest, codec: Codec): SavePlan {
  const meta = readMeta(snapshot) ?? { format: 1, current: 0, versions: [] };
  if (request.baseVersion !== meta.current) {
    throw new StoreError(conflictMessage(meta.versions.find((v) => v.version === meta.current), meta.current), true);
  }
  const version = Math.max(meta.current, ...meta.versions.map((v) => v.version)) + 1;
  const table: RateTable = { ...request.table, version };
  const tableChars = JSON.stringify(table).length;
  if (tableChars > MAX_TABLE_CHARS) {
    throw new StoreError(`the rate table is ${kb(tableChars)} KB as JSON; at most ${kb(MAX_TABLE_CHARS)} KB can be saved in a spreadsheet`);
  }
  const payload: Payload = { table, lookup: compileLookup(table) };
  const packed = codec.pack(JSON.stringify(payload));
  const set: Record<string, string> = {};
  const chunks = Math.max(1, Math.ceil(packed.length / CHUNK_CHARS));
  for (let i = 0; i < chunks; i++) set[chunkKey(version, i)] = packed.slice(i * CHUNK_CHARS, (i + 1) * CHUNK_CHARS);

  let undoTo: number | null = request.baseVersion;
  if (request.undoOf) undoTo = request.undoOf === "built-in" ? null : request.undoOf.undoTo;
  const record: VersionRecord = { version, savedAt: request.savedAt, savedBy: request.savedBy, summary: request.summary, chunks, undoTo };
  const versions = [record, ...meta.versions].slice(0, KEEP_VERSIONS);
  const newMeta: Meta = { format: 1, current: version, versions };
  const metaText = JSON.stringify(newMeta);

  // Whatever this save leaves unreferenced goes: dropped history, and parts of an earlier save that never finished.
  const keep = new Set([META_KEY, ...versions.flatMap((v) => Array.from({ length: v.chunks }, (_, i) => chunkKey(v.version, i)))]);
  const remove = Object.keys(snapshot).filter((key) => key.startsWith(CHUNK_PREFIX) && !keep.has(key));
  const removed = new Set(remove);

  let total = 0;
  for (const [key, value] of Object.entries({ ...snapshot, ...set, [META_KEY]: metaText })) {
    if (!removed.has(key)) total += key.length + value.length;
  }
  if (total > MAX_STORE_CHARS) {
    throw new StoreError(`saving would use ${kb(total)} KB of the spreadsheet's ${kb(MAX_STORE_CHARS)} KB for rates; remove rows you no longer need`);
  }
  return { version, set, meta: metaText, remove, payload, record };
}

const kb = (chars: number) => Math.ceil(chars / 1024);

/** The version Undo would restore from the current one, if its table is still stored. */
export function undoTarget(meta: Meta | undefined): { version: number; record: VersionRecord | "built-in" } | undefined {
  const current = meta?.versions.find((v) => v.version === meta.current);
  if (!current || current.undoTo === null) return undefined;
  if (current.undoTo === 0) return { version: 0, record: "built-in" };
  const record = meta!.versions.find((v) => v.version === current.undoTo);
  return record ? { version: record.version, record } : undefined;
}
