import vm from "node:vm";
import {
  AuthMode,
  CACHE_ITEM_CAP,
  CACHE_WRITES,
  failNth,
  LOCK_TIMEOUT_MESSAGE,
  PROPERTY_WRITES,
  fakeCacheService,
  fakeLockService,
  fakeLogging,
  fakePropertiesService,
  fakeScriptApp,
  fakeSession,
  newLog,
} from "./services";
import { newClock, type Realm } from "./support";

describe("the Apps Script fakes behave like the services they stand for", () => {
  test("document properties round-trip strings, log each call and refuse values over 9 KB", () => {
    const log = newLog();
    const { service } = fakePropertiesService(log, { a: "1" });
    const props = service.getDocumentProperties();
    expect(props.getProperty("a")).toBe("1");
    expect(props.getProperty("missing")).toBeNull();
    props.setProperty("b", "two").deleteProperty("a");
    expect(props.getProperties()).toEqual({ b: "two" });
    expect(() => props.setProperty("big", "x".repeat(9 * 1024))).toThrow("Argument too large");
    expect(props.getProperty("big")).toBeNull();
    expect(log.calls).toEqual([
      "properties.getProperty(a)", "properties.getProperty(missing)", "properties.setProperty(b)",
      "properties.deleteProperty(a)", "properties.getProperties()", "properties.setProperty(big)", "properties.getProperty(big)",
    ]);
  });

  test("the document cache can lose everything at any time", () => {
    const log = newLog();
    const fake = fakeCacheService(log);
    const cache = fake.service.getDocumentCache();
    cache.put("k", "v");
    expect(cache.get("k")).toBe("v");
    fake.dropAll();
    expect(cache.get("k")).toBeNull();
    expect(log.calls).toHaveLength(3);
  });
});

describe("PropertiesService", () => {
  test("getKeys, setProperties (merging or replacing) and deleteAllProperties", () => {
    const log = newLog();
    const { service, data } = fakePropertiesService(log, { keep: "1", drop: "2" });
    const props = service.getDocumentProperties();
    props.setProperties({ a: "x", n: 5 as unknown as string });
    expect(props.getKeys().sort()).toEqual(["a", "drop", "keep", "n"]);
    expect(props.getProperty("n")).toBe("5"); // stored as a string, as Apps Script does
    props.setProperties({ only: "me" }, true);
    expect(Object.fromEntries(data)).toEqual({ only: "me" });
    props.deleteAllProperties();
    expect(props.getKeys()).toEqual([]);
    expect(log.calls).toContain("properties.setProperties(only; deleteAllOthers)");
  });

  test("the 9 KB limit counts UTF-8 bytes, and a refused setProperties writes nothing", () => {
    const props = fakePropertiesService(newLog()).service.getDocumentProperties();
    expect(() => props.setProperty("k", "€".repeat(3100))).toThrow("Argument too large: value"); // 9,300 bytes, 3,100 chars
    expect(() => props.setProperties({ fine: "1", tooBig: "x".repeat(9300) })).toThrow("Argument too large");
    expect(props.getProperty("fine")).toBeNull();
  });

  test("the store as a whole stops near 500 KB with the quota message, and a refused write changes nothing", () => {
    const { service, data } = fakePropertiesService(newLog());
    const props = service.getDocumentProperties();
    let n = 0;
    let thrown: Error | undefined;
    try {
      while (n < 100) props.setProperty(`K${n++}`, "y".repeat(9000)); // bounded: a missing quota fails, not hangs
    } catch (error) {
      thrown = error as Error;
    }
    expect(thrown?.message).toBe("You have exceeded the property storage quota. Please remove some properties and try again.");
    expect(thrown?.name).toBe("Exception");
    expect(n).toBe(57); // 56 values of ~9 KB fit in 500 KB, the 57th does not
    expect(data.size).toBe(56);
    props.setProperty("K0", "small"); // an overwrite counts the new size, freeing room
    expect(() => props.setProperty("K56", "y".repeat(9000))).not.toThrow();
  });

  test("script and user properties are separate stores with their own log prefix", () => {
    const log = newLog();
    const { service, scriptData } = fakePropertiesService(log, {}, { script: { s: "1" } });
    service.getScriptProperties().setProperty("t", "2");
    expect(service.getDocumentProperties().getProperty("t")).toBeNull();
    expect(service.getUserProperties().getKeys()).toEqual([]);
    expect(Object.fromEntries(scriptData)).toEqual({ s: "1", t: "2" });
    expect(log.calls).toEqual(["scriptProperties.setProperty(t)", "properties.getProperty(t)", "userProperties.getKeys()"]);
  });
});

describe("CacheService", () => {
  test("entries live 600 s by default, or as long as asked, on the fake clock", () => {
    const fake = fakeCacheService(newLog());
    const cache = fake.service.getDocumentCache();
    cache.put("default", "1");
    cache.put("short", "2", 60);
    expect(fake.expirationOf("default")).toBe(600);
    expect(fake.expirationOf("short")).toBe(60);
    fake.advance(59);
    expect(cache.get("short")).toBe("2");
    fake.advance(1);
    expect(cache.get("short")).toBeNull();
    fake.advance(539);
    expect(cache.get("default")).toBe("1");
    fake.advance(1);
    expect(cache.get("default")).toBeNull();
    expect(fake.data.size).toBe(0);
  });

  test("more than 6 hours is kept for 6 hours; the asked-for expiry stays readable", () => {
    const fake = fakeCacheService(newLog());
    const cache = fake.service.getDocumentCache();
    cache.put("day", "v", 86400);
    expect(fake.expirationOf("day")).toBe(86400);
    fake.advance(21599);
    expect(cache.get("day")).toBe("v");
    fake.advance(1);
    expect(cache.get("day")).toBeNull();
  });

  test("getAll returns only the keys found; putAll and removeAll act on many keys at once", () => {
    const log = newLog();
    const fake = fakeCacheService(log);
    const cache = fake.service.getDocumentCache();
    cache.putAll({ a: "1", b: "2", c: "3" }, 120);
    expect(cache.getAll(["a", "c", "zz"])).toEqual({ a: "1", c: "3" });
    expect(fake.expirationOf("b")).toBe(120);
    cache.removeAll(["a", "b"]);
    expect(cache.getAll(["a", "b", "c"])).toEqual({ c: "3" });
    expect(log.calls).toEqual(["cache.putAll(a,b,c)", "cache.getAll(a,c,zz)", "cache.removeAll(a,b)", "cache.getAll(a,b,c)"]);
  });

  test("refuses a key over 250 characters, a value over 100 KB, and puts nothing of a refused putAll", () => {
    const cache = fakeCacheService(newLog()).service.getDocumentCache();
    expect(() => cache.put("k".repeat(251), "v")).toThrow("Argument too large: key");
    expect(() => cache.put("k", "é".repeat(60 * 1024))).toThrow("Argument too large: value"); // 120 KB in UTF-8
    expect(() => cache.putAll({ ok: "1", big: "x".repeat(101 * 1024) })).toThrow("Argument too large");
    expect(cache.get("ok")).toBeNull();
  });

  test("past 1,000 items it keeps the 900 farthest from expiry", () => {
    const fake = fakeCacheService(newLog());
    const cache = fake.service.getDocumentCache();
    cache.put("soonest", "x", 10);
    for (let i = 0; i < CACHE_ITEM_CAP; i++) cache.put(`k${i}`, "v", 100 + i);
    expect(fake.data.size).toBe(900);
    expect(cache.get("soonest")).toBeNull();
    expect(cache.get(`k${CACHE_ITEM_CAP - 1}`)).toBe("v");
  });

  test("document, script and user caches are separate", () => {
    const fake = fakeCacheService(newLog());
    fake.service.getScriptCache().put("k", "script");
    expect(fake.service.getDocumentCache().get("k")).toBeNull();
    expect(fake.service.getUserCache().get("k")).toBeNull();
    expect(fake.script.data.get("k")).toBe("script");
  });
});

describe("LockService", () => {
  test("a free lock is taken at once, held, and released", () => {
    const log = newLog();
    const fake = fakeLockService(log);
    const lock = fake.service.getDocumentLock();
    expect(lock.hasLock()).toBe(false);
    expect(lock.tryLock(1000)).toBe(true);
    expect(lock.tryLock(1000)).toBe(true); // already holding it
    expect(lock.hasLock()).toBe(true);
    expect(fake.holder()).toBe("this execution");
    lock.releaseLock();
    expect(lock.hasLock()).toBe(false);
    expect(fake.holder()).toBeNull();
    expect(log.calls).toEqual([
      "lockService.getDocumentLock()", "documentLock.hasLock()", "documentLock.tryLock(1000)", "documentLock.tryLock(1000)",
      "documentLock.hasLock()", "documentLock.releaseLock()", "documentLock.hasLock()",
    ]);
  });

  test("held by another execution: tryLock gives up after its timeout, waitLock throws the real message", () => {
    const clock = newClock();
    const fake = fakeLockService(newLog(), { clock });
    fake.holdElsewhere();
    const lock = fake.service.getDocumentLock();
    expect(lock.tryLock(5000)).toBe(false);
    expect(clock.now()).toBe(5000); // it waited the whole timeout
    expect(lock.hasLock()).toBe(false);
    expect(() => lock.waitLock(10000)).toThrow(LOCK_TIMEOUT_MESSAGE);
    expect(fake.holder()).toBe("another execution");
    fake.releaseElsewhere();
    expect(() => lock.waitLock(10000)).not.toThrow();
    expect(lock.hasLock()).toBe(true);
  });

  test("another execution that lets go within the timeout hands the lock over after that long", () => {
    const clock = newClock();
    const fake = fakeLockService(newLog(), { clock });
    fake.holdElsewhere("document", 1500);
    const lock = fake.service.getDocumentLock();
    expect(lock.tryLock(1000)).toBe(false);
    expect(lock.tryLock(1000)).toBe(true); // 500 ms more was enough
    expect(clock.now()).toBe(1500);
  });

  test("a second Lock object does not get a lock the first one holds; scopes are separate; the end of the execution frees all", () => {
    const fake = fakeLockService(newLog());
    const first = fake.service.getDocumentLock();
    const second = fake.service.getDocumentLock();
    expect(first.tryLock(0)).toBe(true);
    expect(second.tryLock(100)).toBe(false);
    expect(fake.service.getScriptLock().tryLock(0)).toBe(true);
    expect(fake.service.getDocumentLock().tryLock(-1)).toBe(false);
    fake.endExecution();
    expect(fake.holder("document")).toBeNull();
    expect(fake.holder("script")).toBeNull();
    expect(() => fake.holdElsewhere()).not.toThrow();
  });
});

describe("Session, ScriptApp, Logger", () => {
  test("emails are empty unless configured, as for most real users; the time zone is the project's", () => {
    const log = newLog();
    const blank = fakeSession(log).service;
    expect(blank.getActiveUser().getEmail()).toBe("");
    expect(blank.getEffectiveUser().getEmail()).toBe("");
    expect(blank.getScriptTimeZone()).toBe("Etc/UTC");
    const fake = fakeSession(log, { activeUserEmail: "ana@example.com", effectiveUserEmail: "dev@example.com", scriptTimeZone: "Europe/Berlin" });
    expect(fake.service.getActiveUser().getEmail()).toBe("ana@example.com");
    expect(fake.service.getEffectiveUser().getEmail()).toBe("dev@example.com");
    expect(fake.service.getScriptTimeZone()).toBe("Europe/Berlin");
    fake.config.activeUserEmail = "";
    expect(fake.service.getActiveUser().getEmail()).toBe("");
    expect(log.calls.slice(0, 4)).toEqual(["session.getActiveUser()", "activeUser.getEmail()", "session.getEffectiveUser()", "effectiveUser.getEmail()"]);
  });

  test("AuthMode values are objects compared by identity that print and serialise as their names", () => {
    const scriptApp = fakeScriptApp(newLog()).service;
    expect(scriptApp.AuthMode).toBe(AuthMode);
    expect(Object.keys(AuthMode).sort()).toEqual(["CUSTOM_FUNCTION", "FULL", "LIMITED", "NONE"]);
    expect(AuthMode.LIMITED).not.toBe(AuthMode.FULL);
    expect(`${AuthMode.NONE}`).toBe("NONE");
    expect(JSON.stringify({ m: AuthMode.FULL })).toBe('{"m":"FULL"}');
    expect(AuthMode.NONE as unknown).not.toBe("NONE"); // code comparing with a string breaks here as it would in Apps Script
  });

  test("Logger fills %s placeholders and console lines are kept", () => {
    const logging = fakeLogging();
    logging.Logger.log("%s of %s", 1, "two");
    logging.console.warn("careful", { a: 1 });
    expect(logging.lines).toEqual(["1 of two", 'warn: careful {"a":1}']);
    expect(logging.Logger.getLog()).toBe('1 of two\nwarn: careful {"a":1}');
  });
});

describe("results in the script's realm", () => {
  test("with a vm realm, arrays and objects are that realm's and errors are its Errors named Exception", () => {
    const context = vm.createContext({});
    const realm = { current: vm.runInContext("({ Error, Array, Object, Date })", context) as Realm };
    const props = fakePropertiesService(newLog(), { a: "1" }, { realm }).service.getDocumentProperties();
    context.props = props;
    expect(vm.runInContext("props.getKeys() instanceof Array", context)).toBe(true);
    expect(vm.runInContext("props.getProperties() instanceof Object", context)).toBe(true);
    const thrown = vm.runInContext("try { props.setProperty('k', 'x'.repeat(10000)); 'no error' } catch (e) { [e instanceof Error, String(e)] }", context);
    expect([...(thrown as unknown[])]).toEqual([true, "Exception: Argument too large: value"]);
  });
});

describe("faults and interleavings a test injects", () => {
  test("a refusing `before` changes nothing; a failing `after` leaves the write done; failNth counts only matching calls", () => {
    const log = newLog();
    const fake = fakePropertiesService(log, { a: "1" });
    const props = fake.service.getDocumentProperties();
    fake.intercept.before = failNth(1, PROPERTY_WRITES, "Service error: Properties");
    props.getProperty("a"); // a read does not count
    props.setProperty("b", "2");
    expect(() => props.setProperties({ c: "3", d: "4" })).toThrow("Service error: Properties");
    expect(Object.fromEntries(fake.data)).toEqual({ a: "1", b: "2" });
    props.deleteProperty("a"); // only the one call fails
    expect(Object.fromEntries(fake.data)).toEqual({ b: "2" });

    fake.intercept.before = undefined;
    fake.intercept.after = (call) => {
      if (call.startsWith("properties.setProperty(")) throw new Error("Service timed out");
    };
    expect(() => props.setProperty("e", "5")).toThrow("Service timed out");
    expect(fake.data.get("e")).toBe("5");
    expect(log.calls.at(-1)).toBe("properties.setProperty(e)");
  });

  test("the document cache: a read that throws on demand, one key forgotten, another execution acting in between", () => {
    const log = newLog();
    const fake = fakeCacheService(log);
    const cache = fake.service.getDocumentCache();
    cache.putAll({ k: "v", m: "1" });
    fake.intercept.before = (call) => {
      if (call.startsWith("cache.get")) throw new Error("Cache service unavailable");
    };
    expect(() => cache.getAll(["k", "m"])).toThrow("Cache service unavailable");
    expect(() => cache.get("k")).toThrow("Cache service unavailable");
    fake.intercept.before = undefined;
    fake.drop("m");
    expect(cache.getAll(["k", "m"])).toEqual({ k: "v" });
    // Another execution's put lands while this one's is on its way: the later one wins.
    fake.intercept.before = (call) => {
      fake.intercept.before = undefined;
      if (call === "cache.put(k)") cache.put("k", "theirs");
    };
    cache.put("k", "mine");
    expect(cache.get("k")).toBe("mine");
    expect(() => failNth(0, CACHE_WRITES)("cache.removeAll(k)")).toThrow();
    expect(() => failNth(0, CACHE_WRITES)("cache.getAll(k)")).not.toThrow();
  });
});
