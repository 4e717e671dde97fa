// Small in-memory stand-ins for the Apps Script services, for running dist/Code.js in Node.
// Every call is logged, so a test can count what one execution asked of the services.

import { randomUUID } from "node:crypto";
import {
  byteLength,
  exception,
  makeEnum,
  newClock,
  nodeRealm,
  toRealm,
  type Clock,
  type RealmRef,
  type ServiceLog,
} from "./support";

export { newLog, type ServiceLog } from "./support";

interface Shared {
  realm?: RealmRef;
  clock?: Clock;
}

// ---------------------------------------------------------------------------------------------
// PropertiesService

export const PROPERTY_VALUE_LIMIT = 9 * 1024;
export const PROPERTY_STORE_LIMIT = 500 * 1024;
const QUOTA_MESSAGE = "You have exceeded the property storage quota. Please remove some properties and try again.";

function storeSize(data: Map<string, string>): number {
  let total = 0;
  for (const [k, v] of data) total += byteLength(k) + byteLength(v);
  return total;
}

/**
 * What a test puts between a script and a fake store, to act as the platform does on a bad day.
 * `before` runs before a call (throw to refuse it: nothing changes; or act meanwhile, as another
 * execution would); `after` runs once the call took effect (throw: it did its work, then failed).
 * Each gets the call as the log writes it, e.g. "properties.setProperty(kb.rates)".
 */
export interface Intercept {
  before?: (call: string) => void;
  after?: (call: string) => void;
}

/** Runs a logged call through its store's intercept. */
function step<T>(log: ServiceLog, intercept: Intercept, call: string, run: () => T): T {
  log.calls.push(call);
  intercept.before?.(call);
  const result = run();
  intercept.after?.(call);
  return result;
}

/** A hook that lets `n` calls matching `pattern` through and fails the next one, once, with `message`. */
export function failNth(n: number, pattern: RegExp | ((call: string) => boolean), message = "Service error: the call failed"): (call: string) => void {
  const matches = typeof pattern === "function" ? pattern : (call: string) => pattern.test(call);
  let seen = 0;
  return (call) => {
    if (!matches(call)) return;
    if (seen++ === n) {
      const error = new Error(message);
      error.name = "Exception";
      throw error;
    }
  };
}

/** Writes and deletes of a property store, for failNth. */
export const PROPERTY_WRITES = /^\w*[pP]roperties\.(setProperty|setProperties|deleteProperty|deleteAllProperties)\(/;
/** Puts and removes of a cache, for failNth. */
export const CACHE_WRITES = /^\w*[cC]ache\.(put|putAll|remove|removeAll)\(/;

function propertyStore(log: ServiceLog, prefix: string, data: Map<string, string>, realm: RealmRef, intercept: Intercept = {}) {
  const checkValue = (key: string, value: string) => {
    if (byteLength(key) + byteLength(value) > PROPERTY_VALUE_LIMIT) throw exception(realm, "Argument too large: value");
  };
  // The quota is checked against the store as it would be after the write; a refused write changes nothing.
  const commit = (next: Map<string, string>) => {
    if (storeSize(next) > PROPERTY_STORE_LIMIT) throw exception(realm, QUOTA_MESSAGE);
    data.clear();
    for (const [k, v] of next) data.set(k, v);
  };
  const store = {
    getProperty(key: string): string | null {
      return step(log, intercept, `${prefix}.getProperty(${key})`, () => data.get(String(key)) ?? null);
    },
    getProperties(): Record<string, string> {
      return step(log, intercept, `${prefix}.getProperties()`, () => toRealm(realm, Object.fromEntries(data)));
    },
    getKeys(): string[] {
      return step(log, intercept, `${prefix}.getKeys()`, () => toRealm(realm, [...data.keys()]));
    },
    setProperty(key: string, value: string) {
      return step(log, intercept, `${prefix}.setProperty(${key})`, () => {
        const k = String(key), v = String(value);
        checkValue(k, v);
        commit(new Map(data).set(k, v));
        return store;
      });
    },
    setProperties(properties: Record<string, unknown>, deleteAllOthers = false) {
      return step(log, intercept, `${prefix}.setProperties(${Object.keys(properties).join(",")}${deleteAllOthers ? "; deleteAllOthers" : ""})`, () => {
        const next = deleteAllOthers ? new Map<string, string>() : new Map(data);
        for (const [k, raw] of Object.entries(properties)) {
          const v = String(raw);
          checkValue(k, v);
          next.set(k, v);
        }
        commit(next);
        return store;
      });
    },
    deleteProperty(key: string) {
      return step(log, intercept, `${prefix}.deleteProperty(${key})`, () => (data.delete(String(key)), store));
    },
    deleteAllProperties() {
      return step(log, intercept, `${prefix}.deleteAllProperties()`, () => (data.clear(), store));
    },
  };
  return store;
}

/**
 * PropertiesService: document, script and user properties as string maps. The real limits are
 * checked: 9 KB a key+value and 500 KB a store, both counted in UTF-8 bytes.
 */
export function fakePropertiesService(
  log: ServiceLog,
  initial: Record<string, string> = {},
  options: Shared & { script?: Record<string, string>; user?: Record<string, string> } = {},
) {
  const realm = options.realm ?? nodeRealm();
  const data = new Map(Object.entries(initial));
  const scriptData = new Map(Object.entries(options.script ?? {}));
  const userData = new Map(Object.entries(options.user ?? {}));
  const intercept: Intercept = {};
  const documentStore = propertyStore(log, "properties", data, realm, intercept);
  const scriptStore = propertyStore(log, "scriptProperties", scriptData, realm);
  const userStore = propertyStore(log, "userProperties", userData, realm);
  return {
    service: {
      getDocumentProperties: () => documentStore,
      getScriptProperties: () => scriptStore,
      getUserProperties: () => userStore,
    },
    data,
    scriptData,
    userData,
    /** Faults and interleavings for the document properties (see Intercept). */
    intercept,
  };
}

// ---------------------------------------------------------------------------------------------
// CacheService

export const CACHE_VALUE_LIMIT = 100 * 1024;
export const CACHE_KEY_LIMIT = 250;
export const CACHE_DEFAULT_SECONDS = 600;
export const CACHE_MAX_SECONDS = 21600;
export const CACHE_ITEM_CAP = 1000;
const CACHE_KEPT_ON_OVERFLOW = 900;

interface CacheEntry {
  value: string;
  expirationInSeconds: number; // as the script asked
  expiresAt: number; // fake-clock ms
}

function cacheStore(log: ServiceLog, prefix: string, realm: RealmRef, clock: Clock) {
  const intercept: Intercept = {};
  const entries = new Map<string, CacheEntry>();
  const data = new Map<string, string>(); // live values only, for tests to read
  const purge = () => {
    for (const [k, e] of entries) {
      if (e.expiresAt <= clock.now()) {
        entries.delete(k);
        data.delete(k);
      }
    }
  };
  const check = (key: string, value: string, seconds: number) => {
    if (key.length > CACHE_KEY_LIMIT) throw exception(realm, "Argument too large: key");
    if (byteLength(value) > CACHE_VALUE_LIMIT) throw exception(realm, "Argument too large: value");
    if (!Number.isFinite(seconds) || seconds < 1) throw exception(realm, `Invalid argument: expirationInSeconds`);
  };
  const write = (key: string, value: string, seconds: number) => {
    // Asking for more than 6 hours gets 6 hours; the asked-for figure stays readable for tests.
    const lifetime = Math.min(seconds, CACHE_MAX_SECONDS);
    entries.delete(key);
    entries.set(key, { value, expirationInSeconds: seconds, expiresAt: clock.now() + lifetime * 1000 });
    data.set(key, value);
  };
  // Past 1,000 items the cache keeps the 900 farthest from expiry, as documented.
  const cap = () => {
    if (entries.size <= CACHE_ITEM_CAP) return;
    const keep = [...entries].sort((a, b) => b[1].expiresAt - a[1].expiresAt).slice(0, CACHE_KEPT_ON_OVERFLOW);
    const kept = new Set(keep.map(([k]) => k));
    for (const k of [...entries.keys()]) if (!kept.has(k)) (entries.delete(k), data.delete(k));
  };
  const cache = {
    get(key: string): string | null {
      return step(log, intercept, `${prefix}.get(${key})`, () => {
        purge();
        return entries.get(String(key))?.value ?? null;
      });
    },
    getAll(keys: string[]): Record<string, string> {
      return step(log, intercept, `${prefix}.getAll(${keys.join(",")})`, () => {
        purge();
        const out: Record<string, string> = {};
        for (const k of keys) {
          const e = entries.get(String(k));
          if (e) out[String(k)] = e.value;
        }
        return toRealm(realm, out);
      });
    },
    put(key: string, value: string, expirationInSeconds = CACHE_DEFAULT_SECONDS) {
      step(log, intercept, `${prefix}.put(${key})`, () => {
        purge();
        const k = String(key), v = String(value);
        check(k, v, expirationInSeconds);
        write(k, v, expirationInSeconds);
        cap();
      });
    },
    putAll(values: Record<string, unknown>, expirationInSeconds = CACHE_DEFAULT_SECONDS) {
      step(log, intercept, `${prefix}.putAll(${Object.keys(values).join(",")})`, () => {
        purge();
        const pairs = Object.entries(values).map(([k, v]) => [k, String(v)] as const);
        for (const [k, v] of pairs) check(k, v, expirationInSeconds);
        for (const [k, v] of pairs) write(k, v, expirationInSeconds);
        cap();
      });
    },
    remove(key: string) {
      step(log, intercept, `${prefix}.remove(${key})`, () => (entries.delete(String(key)), data.delete(String(key))));
    },
    removeAll(keys: string[]) {
      step(log, intercept, `${prefix}.removeAll(${keys.join(",")})`, () => {
        for (const k of keys) (entries.delete(String(k)), data.delete(String(k)));
      });
    },
  };
  return {
    cache,
    data,
    /** What the script asked for on its last put of `key`, or null. */
    expirationOf: (key: string) => entries.get(key)?.expirationInSeconds ?? null,
    purge,
    dropAll: () => (entries.clear(), data.clear()),
    /** The cache forgets one key, as the real one may at any time. */
    drop: (key: string) => (entries.delete(key), data.delete(key)),
    intercept,
  };
}

/** CacheService on a fake clock: entries expire as time is advanced, and the cache can drop everything, as the real one may. */
export function fakeCacheService(log: ServiceLog, options: Shared = {}) {
  const realm = options.realm ?? nodeRealm();
  const clock = options.clock ?? newClock();
  const documentCache = cacheStore(log, "cache", realm, clock);
  const scriptCache = cacheStore(log, "scriptCache", realm, clock);
  const userCache = cacheStore(log, "userCache", realm, clock);
  return {
    service: {
      getDocumentCache: () => documentCache.cache,
      getScriptCache: () => scriptCache.cache,
      getUserCache: () => userCache.cache,
    },
    data: documentCache.data,
    expirationOf: documentCache.expirationOf,
    /** Faults and interleavings for the document cache (see Intercept). */
    intercept: documentCache.intercept,
    /** The document cache forgets one key. */
    drop: documentCache.drop,
    script: scriptCache,
    user: userCache,
    dropAll: () => {
      documentCache.dropAll();
      scriptCache.dropAll();
      userCache.dropAll();
    },
    /** Moves the fake clock on; whatever expired is gone from the caches at once. */
    advance: (seconds: number) => {
      clock.advance(seconds * 1000);
      for (const c of [documentCache, scriptCache, userCache]) c.purge();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// LockService

export const LOCK_TIMEOUT_MESSAGE = "Lock timeout: another process was holding the lock for too long.";
export type LockScope = "document" | "script" | "user";

interface LockState {
  holder: object | null; // the Lock object of this execution that holds it
  elsewhere: { owner: string; releaseAt: number } | null; // another execution
}

/**
 * LockService for one execution. Each get*Lock() call returns a new Lock object; a lock is held by
 * one Lock object, or by "another execution" that a test sets up with holdElsewhere().
 */
export function fakeLockService(log: ServiceLog, options: Shared = {}) {
  const realm = options.realm ?? nodeRealm();
  const clock = options.clock ?? newClock();
  const states: Record<LockScope, LockState> = {
    document: { holder: null, elsewhere: null },
    script: { holder: null, elsewhere: null },
    user: { holder: null, elsewhere: null },
  };
  const settleElsewhere = (s: LockState) => {
    if (s.elsewhere && s.elsewhere.releaseAt <= clock.now()) s.elsewhere = null;
  };
  const newLock = (scope: LockScope) => {
    const s = states[scope];
    const p = `${scope}Lock`;
    // Waits (on the fake clock) up to timeout for the lock; true when this object holds it.
    const acquire = (timeoutInMillis: number): boolean => {
      settleElsewhere(s);
      if (s.holder === lock) return true;
      if (!(timeoutInMillis >= 0)) return false;
      const busyUntil = s.elsewhere ? s.elsewhere.releaseAt : s.holder ? Infinity : clock.now();
      if (busyUntil - clock.now() > timeoutInMillis) {
        clock.advance(timeoutInMillis);
        return false;
      }
      clock.advance(busyUntil - clock.now());
      s.elsewhere = null;
      s.holder = lock;
      return true;
    };
    const lock = {
      tryLock(timeoutInMillis: number): boolean {
        log.calls.push(`${p}.tryLock(${timeoutInMillis})`);
        return acquire(timeoutInMillis);
      },
      waitLock(timeoutInMillis: number): void {
        log.calls.push(`${p}.waitLock(${timeoutInMillis})`);
        if (!acquire(timeoutInMillis)) throw exception(realm, LOCK_TIMEOUT_MESSAGE);
      },
      releaseLock(): void {
        log.calls.push(`${p}.releaseLock()`);
        if (s.holder === lock) s.holder = null;
      },
      hasLock(): boolean {
        log.calls.push(`${p}.hasLock()`);
        return s.holder === lock;
      },
    };
    return lock;
  };
  return {
    service: {
      getDocumentLock: () => (log.calls.push("lockService.getDocumentLock()"), newLock("document")),
      getScriptLock: () => (log.calls.push("lockService.getScriptLock()"), newLock("script")),
      getUserLock: () => (log.calls.push("lockService.getUserLock()"), newLock("user")),
    },
    /** Another execution takes the lock; it lets go after releaseAfterMs of fake time (never, by default). */
    holdElsewhere(scope: LockScope = "document", releaseAfterMs = Infinity, owner = "another execution") {
      if (states[scope].holder) throw new Error(`the ${scope} lock is held by this execution`);
      states[scope].elsewhere = { owner, releaseAt: clock.now() + releaseAfterMs };
    },
    releaseElsewhere(scope: LockScope = "document") {
      states[scope].elsewhere = null;
    },
    /** "this execution", the other owner's name, or null. */
    holder(scope: LockScope = "document"): string | null {
      settleElsewhere(states[scope]);
      const s = states[scope];
      return s.holder ? "this execution" : s.elsewhere ? s.elsewhere.owner : null;
    },
    /** What Apps Script does when an execution ends: its locks are released. */
    endExecution() {
      for (const s of Object.values(states)) s.holder = null;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Session, ScriptApp, Logger and console

export interface SessionOptions {
  activeUserEmail?: string; // "" unless configured: consumer accounts and other domains get ""
  effectiveUserEmail?: string;
  scriptTimeZone?: string;
  locale?: string;
}

export function fakeSession(log: ServiceLog, options: SessionOptions = {}) {
  const config = {
    activeUserEmail: options.activeUserEmail ?? "",
    effectiveUserEmail: options.effectiveUserEmail ?? "",
    scriptTimeZone: options.scriptTimeZone ?? "Etc/UTC", // as dist/appsscript.json says
    locale: options.locale ?? "en",
  };
  const temporaryKey = randomUUID().replace(/-/g, "");
  const user = (which: "active" | "effective") => ({
    getEmail(): string {
      log.calls.push(`${which}User.getEmail()`);
      return which === "active" ? config.activeUserEmail : config.effectiveUserEmail;
    },
  });
  return {
    service: {
      getActiveUser: () => (log.calls.push("session.getActiveUser()"), user("active")),
      getEffectiveUser: () => (log.calls.push("session.getEffectiveUser()"), user("effective")),
      getScriptTimeZone: () => (log.calls.push("session.getScriptTimeZone()"), config.scriptTimeZone),
      getActiveUserLocale: () => (log.calls.push("session.getActiveUserLocale()"), config.locale),
      getTemporaryActiveUserKey: () => (log.calls.push("session.getTemporaryActiveUserKey()"), temporaryKey),
    },
    /** Change what the session reports, e.g. to test a user whose email is hidden. */
    config,
  };
}

export const AuthMode = makeEnum(["NONE", "CUSTOM_FUNCTION", "LIMITED", "FULL"]);
export const AuthorizationStatus = makeEnum(["REQUIRED", "NOT_REQUIRED"]);

/** ScriptApp: the AuthMode enum (only ScriptApp has it; SpreadsheetApp.AuthMode does not exist). */
export interface FakeTrigger {
  handler: string;
  /** "after" (one-off, ms) or "everyDays" (days, at an hour). */
  kind: "after" | "everyDays";
  value: number;
  atHour?: number;
}

const EventType = makeEnum(["CLOCK", "ON_OPEN", "ON_EDIT", "ON_FORM_SUBMIT", "ON_CHANGE"]);

export function fakeScriptApp(log: ServiceLog, options: { scriptId?: string } = {}) {
  const scriptId = options.scriptId ?? "fake-script-id";
  const triggers: FakeTrigger[] = [];
  const handle = (t: FakeTrigger) => ({
    getHandlerFunction: () => t.handler,
    getEventType: () => EventType.CLOCK,
    getUniqueId: () => `trigger-${triggers.indexOf(t)}`,
    __trigger: t,
  });
  return {
    triggers,
    service: {
      AuthMode,
      AuthorizationStatus,
      EventType,
      // Time-driven triggers only: .timeBased().after(ms) or .everyDays(n).atHour(h), then .create().
      newTrigger(handler: string) {
        log.calls.push(`scriptApp.newTrigger(${handler})`);
        const t: FakeTrigger = { handler, kind: "after", value: 0 };
        const builder = {
          after: (ms: number) => ((t.kind = "after"), (t.value = ms), builder),
          everyDays: (n: number) => ((t.kind = "everyDays"), (t.value = n), builder),
          atHour: (hour: number) => ((t.atHour = hour), builder),
          create: () => (triggers.push(t), handle(t)),
        };
        return { timeBased: () => builder };
      },
      getProjectTriggers() {
        log.calls.push("scriptApp.getProjectTriggers()");
        return triggers.map(handle);
      },
      deleteTrigger(trigger: { __trigger: FakeTrigger }) {
        log.calls.push("scriptApp.deleteTrigger()");
        const at = triggers.indexOf(trigger.__trigger);
        if (at >= 0) triggers.splice(at, 1);
      },
      getScriptId: () => (log.calls.push("scriptApp.getScriptId()"), scriptId),
      getAuthorizationInfo: (authMode: unknown) => {
        log.calls.push(`scriptApp.getAuthorizationInfo(${String(authMode)})`);
        return {
          getAuthorizationStatus: () => AuthorizationStatus.NOT_REQUIRED,
          getAuthorizationUrl: () => null,
        };
      },
    },
  };
}

/** Logger and console write here instead of stdout, so tests can read what the script logged. */
export function fakeLogging() {
  const lines: string[] = [];
  const text = (args: unknown[]) => args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" ");
  const consoleFake = {
    log: (...args: unknown[]) => void lines.push(text(args)),
    info: (...args: unknown[]) => void lines.push(`info: ${text(args)}`),
    warn: (...args: unknown[]) => void lines.push(`warn: ${text(args)}`),
    error: (...args: unknown[]) => void lines.push(`error: ${text(args)}`),
  };
  const logger = {
    log(format: unknown, ...values: unknown[]) {
      // Logger.log("%s of %s", a, b) fills the placeholders in order.
      let i = 0;
      const line = typeof format === "string" && values.length
        ? format.replace(/%s|%d/g, () => String(values[i++]))
        : text([format]);
      lines.push(line);
      return logger;
    },
    getLog: () => lines.join("\n"),
    clear: () => void (lines.length = 0),
  };
  return { console: consoleFake, Logger: logger, lines };
}

/** MailApp.sendEmail(to, subject, body) into a list, with the daily recipient quota the real one has. */
export function fakeMailApp(log: ServiceLog, options: { dailyQuota?: number } = {}) {
  const sent: { to: string; subject: string; body: string }[] = [];
  let quota = options.dailyQuota ?? 100;
  return {
    sent,
    service: {
      sendEmail(to: string, subject: string, body: string) {
        log.calls.push(`mailApp.sendEmail(${to})`);
        if (quota <= 0) throw new Error("Service invoked too many times for one day: email.");
        quota--;
        sent.push({ to: String(to), subject: String(subject), body: String(body) });
      },
      getRemainingDailyQuota: () => quota,
    },
  };
}
