// Pieces every fake shares: the call log, a fake clock, Apps Script style errors and enums, and
// the realm the script runs in (so results are that realm's arrays, dates and errors).

export interface ServiceLog {
  calls: string[];
}

export function newLog(): ServiceLog {
  return { calls: [] };
}

/** Milliseconds of fake time: cache expiry and lock waits use it instead of the wall clock. */
export interface Clock {
  now(): number;
  advance(ms: number): void;
}

export function newClock(start = 0): Clock {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      if (!(ms >= 0)) throw new RangeError(`clock.advance(${ms}): time only moves forward`);
      t += ms;
    },
  };
}

export interface Realm {
  Error: ErrorConstructor;
  Array: ArrayConstructor;
  Object: ObjectConstructor;
  Date: DateConstructor;
}

/** Shared and mutable, so one useRealm() call after loading the script re-points every fake. */
export interface RealmRef {
  current: Realm;
}

export function nodeRealm(): RealmRef {
  return { current: { Error, Array, Object, Date } };
}

/** The script sees service errors as plain Errors named "Exception" ("Exception: message" as text). */
export function exception(realm: RealmRef, message: string): Error {
  const error = new realm.current.Error(message);
  error.name = "Exception";
  return error;
}

export function isDate(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === "[object Date]";
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null; // any realm's Object.prototype
}

/**
 * Copies a result into the script's realm. Without it, `x instanceof Array` or `e instanceof Error`
 * inside the vm would be false for values that in Apps Script are ordinary script values.
 */
export function toRealm<T>(realm: RealmRef, value: T): T {
  const r = realm.current;
  if (Array.isArray(value)) return r.Array.from(value, (v: unknown) => toRealm(realm, v)) as T;
  if (isDate(value)) return new r.Date(value.getTime()) as T;
  if (isPlainObject(value)) {
    const out = new r.Object() as Record<string, unknown>;
    for (const [k, v] of Object.entries(value)) out[k] = toRealm(realm, v);
    return out as T;
  }
  return value;
}

/** Apps Script's name for an argument's type in "The parameters (...) don't match" messages. */
export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "string") return "String";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "Boolean";
  if (Array.isArray(value)) {
    const inner = value.length ? typeName(value[0]) : "Object";
    return `${inner}[]`;
  }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value.constructor.name;
  return "Object";
}

export function signatureError(realm: RealmRef, method: string, args: readonly unknown[]): Error {
  return exception(realm, `The parameters (${args.map(typeName).join(",")}) don't match the method signature for ${method}.`);
}

export interface EnumValue {
  name(): string;
  ordinal(): number;
  toString(): string;
  toJSON(): string;
}

/** Apps Script enums are objects (compare with ===), print as their name and JSON as a string. */
export function makeEnum<const K extends string>(names: readonly K[]): { readonly [P in K]: EnumValue } {
  const out: Partial<Record<K, EnumValue>> = {};
  names.forEach((n, i) => {
    out[n] = Object.freeze({ name: () => n, ordinal: () => i, toString: () => n, toJSON: () => n });
  });
  return Object.freeze(out as { [P in K]: EnumValue });
}

export function isEnumValue(value: unknown, e: Record<string, EnumValue>): value is EnumValue {
  return Object.values(e).includes(value as EnumValue);
}

/** UTF-8 size, which is what the storage quotas count. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
