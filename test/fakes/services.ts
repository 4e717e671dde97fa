// Small in-memory stand-ins for the Apps Script services, for running dist/Code.js in Node.
// Every call is logged, so a test can count what one execution asked of the services.

export interface ServiceLog {
  calls: string[];
}

export function newLog(): ServiceLog {
  return { calls: [] };
}

/** PropertiesService: document properties as a string map (the real limit, 9 KB a value, is checked). */
export function fakePropertiesService(log: ServiceLog, initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  const store = {
    getProperty(key: string): string | null {
      log.calls.push(`properties.getProperty(${key})`);
      return data.get(key) ?? null;
    },
    getProperties(): Record<string, string> {
      log.calls.push("properties.getProperties()");
      return Object.fromEntries(data);
    },
    setProperty(key: string, value: string) {
      log.calls.push(`properties.setProperty(${key})`);
      if (key.length + value.length > 9 * 1024) throw new Error("Argument too large: value");
      data.set(key, String(value));
      return store;
    },
    deleteProperty(key: string) {
      log.calls.push(`properties.deleteProperty(${key})`);
      data.delete(key);
      return store;
    },
  };
  return { service: { getDocumentProperties: () => store }, data };
}

/** CacheService: a document cache that can be told to drop everything, as the real one may. */
export function fakeCacheService(log: ServiceLog) {
  const data = new Map<string, string>();
  const cache = {
    get(key: string): string | null {
      log.calls.push(`cache.get(${key})`);
      return data.get(key) ?? null;
    },
    put(key: string, value: string) {
      log.calls.push(`cache.put(${key})`);
      if (value.length > 100 * 1024) throw new Error("Argument too large: value");
      data.set(key, String(value));
    },
    remove(key: string) {
      log.calls.push(`cache.remove(${key})`);
      data.delete(key);
    },
  };
  return { service: { getDocumentCache: () => cache }, data, dropAll: () => data.clear() };
}
