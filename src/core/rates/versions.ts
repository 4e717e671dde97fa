// How saved rate tables are laid out in a key-value store with a small value limit (Apps Script's
// document properties: 9 KB a key and value, 500 KB in all, both counted in UTF-8 bytes), and the
// rules for versions, history and undo. Pure: the Apps Script edge hands in a snapshot of the store
// and carries out the writes planned here.
//
// Layout: `kb.rates` (the meta record: current version, and per kept version its part count and
// what Undo restores; small whatever the history holds), `kb.rates.v<version>.<part>` (the packed
// table), `kb.rates.i<version>` (when, by whom, the summary line; cut to a fixed size).
import { compileLookup, NAME_KEYS, type RateLookup } from "./lookup";
import type { RateTable } from "./types";

export const META_KEY = "kb.rates";
const CHUNK_PREFIX = "kb.rates.v";
const INFO_PREFIX = "kb.rates.i";
export const KEEP_VERSIONS = 20;
/** The platform's limit for one key and its value. */
export const VALUE_LIMIT_BYTES = 9 * 1024;
/** Parts are base64 (one byte a character): under the 9 KB limit with the key. */
export const CHUNK_CHARS = 8000;
/** A table's JSON may be this large: 5x the built-in one. */
export const MAX_TABLE_CHARS = 48 * 1024;
/** The platform's limit for the whole store. */
export const STORE_LIMIT_BYTES = 500 * 1024;
/**
 * What a save may leave in the store in all. The rest is room for the next save, whose new parts
 * are written while the old ones are still there (a packed 48 KB table is under 80 KB).
 */
export const MAX_STORE_BYTES = 400 * 1024;
/** Room kept free while a save writes, for the refresh URL and whatever else shares the store. */
const WRITE_MARGIN_BYTES = 8 * 1024;
/** History lines and emails are cut to these many UTF-8 bytes, so a version's info stays far under 9 KB. */
export const MAX_SUMMARY_BYTES = 1000;
export const MAX_EMAIL_BYTES = 1024; // 254 characters, the longest an address can be, at 4 bytes each
const INFO_RESERVE_BYTES = MAX_SUMMARY_BYTES + MAX_EMAIL_BYTES + 100;

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
  current: number;
  /** Newest first, at most KEEP_VERSIONS; each has its table stored. */
  versions: VersionRecord[];
}

/** The meta record as stored: format 2 keeps the info of each version under its own key. */
interface StoredMeta {
  format: 1 | 2;
  current: number;
  versions: (Pick<VersionRecord, "version" | "chunks" | "undoTo"> & Partial<VersionRecord>)[];
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
export const infoKey = (version: number) => `${INFO_PREFIX}${version}`;
const ours = (key: string) => key === META_KEY || key.startsWith(CHUNK_PREFIX) || key.startsWith(INFO_PREFIX);

export class StoreError extends Error {
  override name = "StoreError";
  /** True when the save was based on an older version than the stored one. */
  constructor(message: string, readonly conflict = false) {
    super(message);
  }
}

/** Size in UTF-8, which is what the platform's limits count. */
export function utf8Bytes(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) (n += 4), i++;
    else n += 3;
  }
  return n;
}

/** The text cut to at most `max` UTF-8 bytes, with "…" where it was cut (never inside a character). */
export function cutToBytes(text: string, max: number): string {
  if (utf8Bytes(text) <= max) return text;
  const chars = Array.from(text);
  let used = 3; // the ellipsis
  let out = "";
  for (const ch of chars) {
    const b = utf8Bytes(ch);
    if (used + b > max) break;
    out += ch;
    used += b;
  }
  return `${out}…`;
}

const entryBytes = (key: string, value: string) => utf8Bytes(key) + utf8Bytes(value);

function parseMeta(snapshot: Readonly<Record<string, string>>): StoredMeta | undefined {
  const text = snapshot[META_KEY];
  if (text === undefined) return undefined;
  const meta = JSON.parse(text) as StoredMeta;
  if ((meta.format !== 1 && meta.format !== 2) || !Array.isArray(meta.versions)) {
    throw new StoreError("the saved rates are in a format this version of Kling Budget does not read");
  }
  return meta;
}

function infoOf(snapshot: Readonly<Record<string, string>>, version: number): Pick<VersionRecord, "savedAt" | "savedBy" | "summary"> | undefined {
  const text = snapshot[infoKey(version)];
  if (text === undefined) return undefined;
  try {
    const info = JSON.parse(text) as Record<string, unknown>;
    const s = (v: unknown) => (typeof v === "string" ? v : "");
    return { savedAt: s(info.savedAt), savedBy: s(info.savedBy), summary: s(info.summary) };
  } catch {
    return undefined; // a damaged history line must not make the rates unreadable
  }
}

export function readMeta(snapshot: Readonly<Record<string, string>>): Meta | undefined {
  const meta = parseMeta(snapshot);
  if (!meta) return undefined;
  return {
    current: meta.current,
    versions: meta.versions.map((v) => {
      const info = infoOf(snapshot, v.version) ?? { savedAt: v.savedAt ?? "", savedBy: v.savedBy ?? "", summary: v.summary ?? "" };
      return { version: v.version, chunks: v.chunks, undoTo: v.undoTo, ...info };
    }),
  };
}

export function readVersion(snapshot: Readonly<Record<string, string>>, record: Pick<VersionRecord, "version" | "chunks">, codec: Codec): Payload {
  let text = "";
  for (let i = 0; i < record.chunks; i++) {
    const chunk = snapshot[chunkKey(record.version, i)];
    if (chunk === undefined) throw new StoreError(`the saved rates of version ${record.version} are incomplete (part ${i + 1} of ${record.chunks} is missing)`);
    text += chunk;
  }
  const payload = JSON.parse(codec.unpack(text)) as Payload;
  // Saved before names were keyed as they are now: compiled again here, once per read of the store
  // (the cache then carries the new lookup), never once per formula.
  return payload.lookup?.names === NAME_KEYS ? payload : { table: payload.table, lookup: compileLookup(payload.table) };
}

/** The current table from a snapshot of the store, or undefined when nothing was ever saved. */
export function readCurrent(snapshot: Readonly<Record<string, string>>, codec: Codec): Payload | undefined {
  const meta = parseMeta(snapshot);
  if (!meta) return undefined;
  const record = meta.versions.find((v) => v.version === meta.current);
  if (!record) throw new StoreError(`the saved rates name version ${meta.current}, which is not stored`);
  return readVersion(snapshot, record, codec);
}

/** The version number the store says is current; 0 when nothing was ever saved. */
export function currentVersion(snapshot: Readonly<Record<string, string>>): number {
  return parseMeta(snapshot)?.current ?? 0;
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
  /**
   * Only when the store has no room for the new parts beside the old ones: a meta record without
   * the versions this save drops anyway, then their parts removed. Written before anything else;
   * the current table stays whole.
   */
  trim?: { meta: string; remove: string[] };
  set: Record<string, string>;
  /** Written after `set`: the save takes effect when this is stored (the commit). */
  meta: string;
  /** Removed after the commit; best effort (the next save removes whatever is left). */
  remove: string[];
  payload: Payload;
  record: VersionRecord;
  /** Versions this save drops from history, newest first. */
  dropped: VersionRecord[];
}

export function conflictMessage(record: VersionRecord | undefined, current: number): string {
  const by = record?.savedBy ? record.savedBy : "another editor";
  const at = record?.savedAt ? formatUtc(record.savedAt) : "an unknown time";
  return `version ${current} was saved by ${by} at ${at}; reload to see it`;
}

export function formatUtc(iso: string): string {
  return iso.replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, " UTC");
}

const kb = (bytes: number) => Math.ceil(bytes / 1024);

/** "providers 38 KB, rates 9 KB": the table's largest sections, for a message that says what to remove. */
function largestSections(table: RateTable): string {
  return (["rates", "packages", "providers", "models"] as const)
    .map((section) => [section, JSON.stringify(table[section] ?? []).length] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .map(([section, chars]) => `${section} ${kb(chars)} KB`)
    .join(", ");
}

/** Bytes of the store's entries that are not the rates' (other scripts of the spreadsheet, the refresh URL). */
function otherBytes(snapshot: Readonly<Record<string, string>>): number {
  let total = 0;
  for (const [key, value] of Object.entries(snapshot)) if (!ours(key)) total += entryBytes(key, value);
  return total;
}

/** How much the rates' history may hold in this store: the count, and the bytes left beside everything else. */
export function historyLimits(snapshot: Readonly<Record<string, string>>): { versions: number; bytes: number } {
  return { versions: KEEP_VERSIONS, bytes: Math.max(0, MAX_STORE_BYTES - otherBytes(snapshot)) };
}

function versionKeys(record: Pick<VersionRecord, "version" | "chunks">): string[] {
  return [...Array.from({ length: record.chunks }, (_, i) => chunkKey(record.version, i)), infoKey(record.version)];
}

/** Plans a save, or throws StoreError (conflict, size) with a message for the analyst; nothing is written here. */
export function planSave(snapshot: Readonly<Record<string, string>>, request: SaveRequest, codec: Codec): SavePlan {
  const stored = parseMeta(snapshot);
  const meta = readMeta(snapshot) ?? { current: 0, versions: [] };
  if (request.baseVersion !== meta.current) {
    throw new StoreError(conflictMessage(meta.versions.find((v) => v.version === meta.current), meta.current), true);
  }
  const version = Math.max(meta.current, ...meta.versions.map((v) => v.version)) + 1;
  const table: RateTable = { ...request.table, version };
  const tableChars = JSON.stringify(table).length;
  const removeRows = `remove rows you no longer need (the largest: ${largestSections(table)})`;
  if (tableChars > MAX_TABLE_CHARS) {
    throw new StoreError(`the rate table is ${kb(tableChars)} KB as JSON; at most ${kb(MAX_TABLE_CHARS)} KB can be saved in a spreadsheet: ${removeRows}`);
  }
  const payload: Payload = { table, lookup: compileLookup(table) };
  const packed = codec.pack(JSON.stringify(payload));
  const set: Record<string, string> = {};
  const chunks = Math.max(1, Math.ceil(packed.length / CHUNK_CHARS));
  for (let i = 0; i < chunks; i++) set[chunkKey(version, i)] = packed.slice(i * CHUNK_CHARS, (i + 1) * CHUNK_CHARS);

  let undoTo: number | null = request.baseVersion;
  if (request.undoOf) undoTo = request.undoOf === "built-in" ? null : request.undoOf.undoTo;
  const record: VersionRecord = {
    version, chunks, undoTo, savedAt: request.savedAt,
    savedBy: cutToBytes(request.savedBy, MAX_EMAIL_BYTES), summary: cutToBytes(request.summary, MAX_SUMMARY_BYTES),
  };
  const infoText = (r: VersionRecord) => JSON.stringify({ savedAt: r.savedAt, savedBy: cutToBytes(r.savedBy, MAX_EMAIL_BYTES), summary: cutToBytes(r.summary, MAX_SUMMARY_BYTES) });
  set[infoKey(version)] = infoText(record);

  // History by count and by bytes: the newest versions that fit stay, the oldest go first.
  const limits = historyLimits(snapshot);
  const metaAllowance = 2048; // the meta record: about 40 bytes a version
  const sizeOf = (r: VersionRecord) => {
    let bytes = 0;
    for (const key of versionKeys(r)) {
      const value = set[key] ?? snapshot[key] ?? (key === infoKey(r.version) ? infoText(r) : undefined);
      if (value === undefined) return undefined; // a part is missing: it cannot be restored, so it is not kept
      bytes += entryBytes(key, value);
    }
    return bytes;
  };
  // The new version's info counts at its largest, so a preview (which has no summary yet) plans the same drops.
  const newBytes = sizeOf(record)! - entryBytes(infoKey(version), set[infoKey(version)]!) + utf8Bytes(infoKey(version)) + INFO_RESERVE_BYTES;
  let used = metaAllowance + newBytes;
  if (used > limits.bytes) {
    throw new StoreError(`the rate table needs ${kb(used)} KB stored but only ${kb(limits.bytes)} KB are free beside the other data of this spreadsheet: ${removeRows}`);
  }
  const versions: VersionRecord[] = [record];
  const dropped: VersionRecord[] = [];
  let full = false;
  for (const old of meta.versions) {
    const bytes = sizeOf(old);
    full ||= versions.length >= KEEP_VERSIONS || (bytes !== undefined && used + bytes > limits.bytes);
    if (full || bytes === undefined) {
      dropped.push(old);
      continue;
    }
    versions.push(old);
    used += bytes;
    // Versions saved before info had its own key get one now.
    if (snapshot[infoKey(old.version)] === undefined) set[infoKey(old.version)] = infoText(old);
  }
  const newMeta: StoredMeta = { format: 2, current: version, versions: versions.map((v) => ({ version: v.version, chunks: v.chunks, undoTo: v.undoTo })) };
  const metaText = JSON.stringify(newMeta);

  // Whatever this save leaves unreferenced goes: dropped history, and parts of an earlier save that never finished.
  const keep = new Set([META_KEY, ...versions.flatMap(versionKeys)]);
  const remove = Object.keys(snapshot).filter((key) => ours(key) && !keep.has(key));

  // New parts are written while the old ones are still there. When that would pass the platform's
  // limit, the parts of versions this save drops go first (never the current table's).
  let peak = 0;
  for (const [key, value] of Object.entries({ ...snapshot, ...set })) peak += entryBytes(key, value);
  let trim: SavePlan["trim"];
  if (peak > STORE_LIMIT_BYTES - WRITE_MARGIN_BYTES) {
    const live = stored?.versions.find((v) => v.version === meta.current);
    const liveKeys = new Set(live ? versionKeys(live) : []);
    const early = remove.filter((key) => !liveKeys.has(key));
    const droppedNumbers = new Set(dropped.map((v) => v.version).filter((v) => v !== meta.current));
    const trimmed: StoredMeta | undefined = stored && { ...stored, versions: stored.versions.filter((v) => !droppedNumbers.has(v.version)) };
    trim = { meta: trimmed && droppedNumbers.size ? JSON.stringify(trimmed) : "", remove: early };
    for (const key of early) peak -= entryBytes(key, snapshot[key]!);
    if (trim.meta) peak += entryBytes(META_KEY, trim.meta) - entryBytes(META_KEY, snapshot[META_KEY]!);
    if (peak > STORE_LIMIT_BYTES - WRITE_MARGIN_BYTES) {
      throw new StoreError(`the rate table needs ${kb(newBytes)} KB stored beside the current one, and the spreadsheet's document properties are full: ${removeRows}`);
    }
  }
  return { version, trim, set, meta: metaText, remove, payload, record, dropped };
}

/** The version Undo would restore from the current one, if its table is still stored. */
export function undoTarget(meta: Meta | undefined): { version: number; record: VersionRecord | "built-in" } | undefined {
  const current = meta?.versions.find((v) => v.version === meta.current);
  if (!current || current.undoTo === null) return undefined;
  if (current.undoTo === 0) return { version: 0, record: "built-in" };
  const record = meta!.versions.find((v) => v.version === current.undoTo);
  return record ? { version: record.version, record } : undefined;
}
