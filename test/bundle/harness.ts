import { readFileSync } from "node:fs";
import { join } from "node:path";
import vm from "node:vm";
import { fakeCacheService, fakePropertiesService, newLog } from "../fakes/services";

export const CODE_PATH = join(__dirname, "../../dist/Code.js");

export function bundleSource(): string {
  return readFileSync(CODE_PATH, "utf8");
}

/** A spreadsheet where no rates were saved: empty document properties and cache. */
export function emptyDocument(): Record<string, unknown> {
  const log = newLog();
  return { PropertiesService: fakePropertiesService(log).service, CacheService: fakeCacheService(log).service };
}

let script: { source: string; compiled: vm.Script } | undefined;
/** dist/Code.js compiled once per test file (and again if the file changed): each execution still runs it in a fresh scope. */
function compiled(): vm.Script {
  const source = bundleSource();
  if (script?.source !== source) script = { source, compiled: new vm.Script(source, { filename: "Code.js" }) };
  return script.compiled;
}

/**
 * Runs dist/Code.js as Apps Script does: one plain script in a bare global scope, with only the
 * services a test hands in. Anything else it reached for (require, process, fetch) would throw.
 * Each call of loadBundle is one execution: Apps Script starts every execution afresh.
 */
export function loadBundle(services: Record<string, unknown> = emptyDocument()) {
  const context = vm.createContext({ ...services });
  const before = new Set(vm.runInContext("Object.getOwnPropertyNames(globalThis)", context) as string[]);
  compiled().runInContext(context);
  const after = vm.runInContext("Object.getOwnPropertyNames(globalThis)", context) as string[];
  const globals = after.filter((name) => !before.has(name)).sort();
  // Calls go through the script's own realm, as Sheets' calls do.
  const call = (name: string, ...args: unknown[]): unknown => (context[name] as (...a: unknown[]) => unknown)(...args);
  return { context, globals, call };
}

/** A call's outcome as plain data: its value, or the message it threw. */
export function outcome(fn: () => unknown): unknown {
  try {
    return JSON.parse(JSON.stringify({ value: fn() }));
  } catch (error) {
    return { error: (error as Error).message };
  }
}
