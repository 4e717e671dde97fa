// Utilities and Blob. Apps Script byte arrays are Java bytes: plain JS arrays of -128..127, never
// Uint8Array. The fake hands out exactly that, so code written for Uint8Array fails here as it
// would in production.

import { createHash, createHmac, randomUUID } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import {
  exception,
  isDate,
  makeEnum,
  newClock,
  nodeRealm,
  signatureError,
  toRealm,
  type Clock,
  type EnumValue,
  type RealmRef,
  type ServiceLog,
} from "./support";

export function toSignedBytes(data: Uint8Array): number[] {
  return Array.from(data, (b) => (b > 127 ? b - 256 : b));
}

export const Charset = makeEnum(["US_ASCII", "UTF_8"]);
export const DigestAlgorithm = makeEnum(["MD2", "MD5", "SHA_1", "SHA_256", "SHA_384", "SHA_512"]);

const NODE_DIGEST: Record<string, string> = { MD5: "md5", SHA_1: "sha1", SHA_256: "sha256", SHA_384: "sha384", SHA_512: "sha512" };

function nodeEncoding(charset: unknown): BufferEncoding {
  const name = String(charset ?? "UTF-8").toUpperCase().replace(/_/g, "-");
  if (name === "UTF-8" || name === "UTF8") return "utf8";
  if (name === "US-ASCII" || name === "ASCII") return "ascii";
  if (name === "ISO-8859-1" || name === "LATIN1") return "latin1";
  throw new Error(`charset ${String(charset)} is not modelled by the fake`);
}

/**
 * Accepts what Apps Script accepts as Byte[]: a plain array of integers. Values 128..255 are taken
 * modulo 256 (they arrive from code that built unsigned bytes); a typed array is refused.
 */
export function bytesFrom(realm: RealmRef, data: unknown, method: string, args: readonly unknown[]): Buffer {
  if (!Array.isArray(data) || !data.every((b) => Number.isInteger(b) && b >= -128 && b <= 255)) {
    throw signatureError(realm, method, args);
  }
  return Buffer.from(data.map((b: number) => b & 0xff));
}

export class FakeBlob {
  #bytes: Buffer;
  #contentType: string | null;
  #name: string | null;
  readonly #log: ServiceLog;
  readonly #realm: RealmRef;

  constructor(log: ServiceLog, realm: RealmRef, bytes: Buffer, contentType: string | null, name: string | null) {
    this.#log = log;
    this.#realm = realm;
    this.#bytes = Buffer.from(bytes);
    this.#contentType = contentType;
    this.#name = name;
  }

  // Unlogged reads, for the fakes themselves and for tests.
  get buffer(): Buffer {
    return Buffer.from(this.#bytes);
  }
  get name(): string | null {
    return this.#name;
  }
  get contentType(): string | null {
    return this.#contentType;
  }

  getBytes(): number[] {
    this.#log.calls.push("blob.getBytes()");
    return toRealm(this.#realm, toSignedBytes(this.#bytes));
  }
  getDataAsString(charset?: string): string {
    this.#log.calls.push("blob.getDataAsString()");
    return this.#bytes.toString(nodeEncoding(charset));
  }
  getContentType(): string | null {
    this.#log.calls.push("blob.getContentType()");
    return this.#contentType;
  }
  getName(): string | null {
    this.#log.calls.push("blob.getName()");
    return this.#name;
  }
  isGoogleType(): boolean {
    return false;
  }
  getAs(contentType: string): FakeBlob {
    this.#log.calls.push(`blob.getAs(${contentType})`);
    if (contentType !== this.#contentType) throw new Error(`blob.getAs(${contentType}): conversion is not modelled by the fake`);
    return this.copyBlob();
  }
  copyBlob(): FakeBlob {
    this.#log.calls.push("blob.copyBlob()");
    return new FakeBlob(this.#log, this.#realm, this.#bytes, this.#contentType, this.#name);
  }
  setBytes(data: number[]): FakeBlob {
    this.#log.calls.push("blob.setBytes()");
    this.#bytes = bytesFrom(this.#realm, data, "Blob.setBytes", [data]);
    return this;
  }
  setDataFromString(text: string, charset?: string): FakeBlob {
    this.#log.calls.push("blob.setDataFromString()");
    this.#bytes = Buffer.from(String(text), nodeEncoding(charset));
    return this;
  }
  setContentType(contentType: string | null): FakeBlob {
    this.#log.calls.push(`blob.setContentType(${contentType})`);
    this.#contentType = contentType;
    return this;
  }
  setName(name: string): FakeBlob {
    this.#log.calls.push(`blob.setName(${name})`);
    this.#name = name;
    return this;
  }
}

function isBlob(value: unknown): value is FakeBlob {
  return value instanceof FakeBlob;
}

const JAVA_LETTERS = /[A-Za-z]/;
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

interface ZonedTime {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  weekday: number; // 0 = Sunday
  offsetMinutes: number;
}

/** Fixed offsets ("GMT+2", "GMT-05:30") Java understands and Node's Intl does not. */
function fixedOffset(tz: string): number | null {
  const m = /^(?:GMT|UTC)([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(tz);
  if (!m) return tz === "GMT" || tz === "UTC" ? 0 : null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === "-" ? -minutes : minutes;
}

function zoned(date: Date, tz: string): ZonedTime {
  let offset = fixedOffset(tz);
  if (offset === null) {
    try {
      const parts = Object.fromEntries(
        new Intl.DateTimeFormat("en-US", {
          timeZone: tz, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric",
          hour: "numeric", minute: "numeric", second: "numeric",
        }).formatToParts(date).map((p) => [p.type, p.value]),
      );
      const asUtc = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
      offset = Math.round((asUtc - (date.getTime() - date.getUTCMilliseconds())) / 60000);
    } catch {
      offset = 0; // Java's TimeZone.getTimeZone falls back to GMT for an unknown id
    }
  }
  const shifted = new Date(date.getTime() + offset * 60000);
  return {
    year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(), minute: shifted.getUTCMinutes(), second: shifted.getUTCSeconds(),
    ms: shifted.getUTCMilliseconds(), weekday: shifted.getUTCDay(), offsetMinutes: offset,
  };
}

const pad = (n: number, width: number) => String(Math.abs(n)).padStart(width, "0");

function offsetText(minutes: number, colon: boolean, withMinutes: boolean): string {
  const sign = minutes < 0 ? "-" : "+";
  const h = pad(Math.trunc(Math.abs(minutes) / 60), 2), m = pad(Math.abs(minutes) % 60, 2);
  return withMinutes ? `${sign}${h}${colon ? ":" : ""}${m}` : `${sign}${h}`;
}

/** The common subset of java.text.SimpleDateFormat; unmodelled letters throw rather than print something wrong. */
export function formatJavaDate(date: Date, tz: string, pattern: string): string {
  const t = zoned(date, tz);
  let out = "";
  for (let i = 0; i < pattern.length;) {
    const ch = pattern[i]!;
    if (ch === "'") {
      // '' is a quote, in or out of a quoted run
      if (pattern[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      for (i++; ; i++) {
        if (i >= pattern.length) throw new Error("Unterminated quote");
        if (pattern[i] === "'" && pattern[i + 1] === "'") (out += "'"), i++;
        else if (pattern[i] === "'") break;
        else out += pattern[i];
      }
      i++;
      continue;
    }
    if (!JAVA_LETTERS.test(ch)) {
      out += ch;
      i++;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === ch) n++;
    i += n;
    switch (ch) {
      case "y": out += n === 2 ? pad(t.year % 100, 2) : pad(t.year, n); break;
      case "M": out += n >= 4 ? MONTHS[t.month - 1] : n === 3 ? MONTHS[t.month - 1]!.slice(0, 3) : pad(t.month, n); break;
      case "d": out += pad(t.day, n); break;
      case "H": out += pad(t.hour, n); break;
      case "h": out += pad(t.hour % 12 || 12, n); break;
      case "m": out += pad(t.minute, n); break;
      case "s": out += pad(t.second, n); break;
      case "S": out += pad(t.ms, n); break;
      case "E": out += n >= 4 ? DAYS[t.weekday] : DAYS[t.weekday]!.slice(0, 3); break;
      case "a": out += t.hour < 12 ? "AM" : "PM"; break;
      case "Z": out += offsetText(t.offsetMinutes, false, true); break;
      case "X": out += t.offsetMinutes === 0 ? "Z" : offsetText(t.offsetMinutes, n >= 3, n >= 2); break;
      case "G": case "Y": case "L": case "w": case "W": case "D": case "F": case "u": case "k": case "K": case "z":
        throw new Error(`formatDate: pattern letter '${ch}' is not modelled by the fake`);
      default:
        throw new Error(`Illegal pattern character '${ch}'`);
    }
  }
  return out;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64_WEB_SAFE = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}(?:==)?|[A-Za-z0-9_-]{3}=?)?$/;

export function fakeUtilities(log: ServiceLog, options: { realm?: RealmRef; clock?: Clock } = {}) {
  const realm = options.realm ?? nodeRealm();
  const clock = options.clock ?? newClock();
  const blob = (bytes: Buffer, contentType: string | null, name: string | null) => new FakeBlob(log, realm, bytes, contentType, name);
  const dataBytes = (data: unknown, charset: unknown, method: string, args: readonly unknown[]) =>
    typeof data === "string" ? Buffer.from(data, nodeEncoding(charset)) : bytesFrom(realm, data, method, args);
  const requireBlob = (value: unknown, method: string, args: readonly unknown[]): FakeBlob => {
    if (!isBlob(value)) throw signatureError(realm, method, args);
    return value;
  };
  const service = {
    Charset,
    DigestAlgorithm,
    newBlob(data: unknown, contentType?: string, name?: string): FakeBlob {
      log.calls.push(`utilities.newBlob(${[contentType, name].filter((x) => x !== undefined).join(", ")})`);
      const args = [data, contentType, name].filter((x) => x !== undefined);
      const bytes = dataBytes(data, undefined, "Utilities.newBlob", args);
      // A blob made from a string is text/plain unless told otherwise; from bytes it has no type.
      return blob(bytes, contentType ?? (typeof data === "string" ? "text/plain" : null), name ?? null);
    },
    gzip(source: FakeBlob, name?: string): FakeBlob {
      log.calls.push(`utilities.gzip(${name ?? ""})`);
      const b = requireBlob(source, "Utilities.gzip", name === undefined ? [source] : [source, name]);
      return blob(gzipSync(b.buffer), "application/x-gzip", name ?? b.name ?? "archive.gz");
    },
    ungzip(source: FakeBlob): FakeBlob {
      log.calls.push("utilities.ungzip()");
      const b = requireBlob(source, "Utilities.ungzip", [source]);
      let out: Buffer;
      try {
        out = gunzipSync(b.buffer);
      } catch {
        throw exception(realm, "Invalid argument: blob (not gzip data)");
      }
      const gzName = b.name;
      return blob(out, null, gzName ? gzName.replace(/\.gz$/, "") : null);
    },
    base64Encode(data: unknown, charset?: EnumValue | string): string {
      log.calls.push("utilities.base64Encode()");
      return dataBytes(data, charset, "Utilities.base64Encode", charset === undefined ? [data] : [data, charset]).toString("base64");
    },
    base64EncodeWebSafe(data: unknown, charset?: EnumValue | string): string {
      log.calls.push("utilities.base64EncodeWebSafe()");
      const b64 = dataBytes(data, charset, "Utilities.base64EncodeWebSafe", charset === undefined ? [data] : [data, charset]).toString("base64");
      return b64.replace(/\+/g, "-").replace(/\//g, "_");
    },
    base64Decode(encoded: string): number[] {
      log.calls.push("utilities.base64Decode()");
      if (typeof encoded !== "string") throw signatureError(realm, "Utilities.base64Decode", [encoded]);
      if (!BASE64.test(encoded)) throw exception(realm, "Could not decode string.");
      return toRealm(realm, toSignedBytes(Buffer.from(encoded, "base64")));
    },
    base64DecodeWebSafe(encoded: string): number[] {
      log.calls.push("utilities.base64DecodeWebSafe()");
      if (typeof encoded !== "string") throw signatureError(realm, "Utilities.base64DecodeWebSafe", [encoded]);
      if (!BASE64_WEB_SAFE.test(encoded)) throw exception(realm, "Could not decode string.");
      return toRealm(realm, toSignedBytes(Buffer.from(encoded, "base64url")));
    },
    computeDigest(algorithm: EnumValue, value: unknown, charset?: EnumValue | string): number[] {
      log.calls.push(`utilities.computeDigest(${String(algorithm)})`);
      const nodeName = NODE_DIGEST[String(algorithm)];
      if (!nodeName) throw new Error(`computeDigest(${String(algorithm)}) is not modelled by the fake`);
      const bytes = dataBytes(value, charset, "Utilities.computeDigest", [algorithm, value]);
      return toRealm(realm, toSignedBytes(createHash(nodeName).update(bytes).digest()));
    },
    /** HMAC-SHA256 of a string (UTF-8) or bytes with a string or byte key, as signed bytes. */
    computeHmacSha256Signature(value: unknown, key: unknown, charset?: EnumValue | string): number[] {
      log.calls.push("utilities.computeHmacSha256Signature()");
      const args = charset === undefined ? [value, key] : [value, key, charset];
      const keyBytes = dataBytes(key, charset, "Utilities.computeHmacSha256Signature", args);
      const bytes = dataBytes(value, charset, "Utilities.computeHmacSha256Signature", args);
      return toRealm(realm, toSignedBytes(createHmac("sha256", keyBytes).update(bytes).digest()));
    },
    formatDate(date: Date, timeZone: string, format: string): string {
      log.calls.push(`utilities.formatDate(${timeZone}, ${format})`);
      if (!isDate(date) || typeof timeZone !== "string" || typeof format !== "string") {
        throw signatureError(realm, "Utilities.formatDate", [date, timeZone, format]);
      }
      try {
        return formatJavaDate(date, timeZone, format);
      } catch (error) {
        throw exception(realm, (error as Error).message);
      }
    },
    getUuid(): string {
      log.calls.push("utilities.getUuid()");
      return randomUUID();
    },
    /** Advances the fake clock; nothing really waits. */
    sleep(milliseconds: number): void {
      log.calls.push(`utilities.sleep(${milliseconds})`);
      clock.advance(milliseconds);
    },
  };
  return { service };
}
