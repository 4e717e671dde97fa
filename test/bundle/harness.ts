import { readFileSync } from "node:fs";
import { join } from "node:path";
import vm from "node:vm";

export const CODE_PATH = join(__dirname, "../../dist/Code.js");

export function bundleSource(): string {
  return readFileSync(CODE_PATH, "utf8");
}

/**
 * Runs dist/Code.js as Apps Script does: one plain script in a bare global scope, with only the
 * services a test hands in. Anything else it reached for (require, process, fetch) would throw.
 */
export function loadBundle(services: Record<string, unknown> = {}) {
  const context = vm.createContext({ ...services });
  const before = new Set(vm.runInContext("Object.getOwnPropertyNames(globalThis)", context) as string[]);
  new vm.Script(bundleSource(), { filename: "Code.js" }).runInContext(context);
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
