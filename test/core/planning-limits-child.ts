// Run by planning-limits.test.ts in a child process with a memory cap: saves a package table through
// the built bundle over the fakes, then plans a forecast with it as a cell would, and prints the
// outcome (the cost, or the message) as one line of JSON.
import vm from "node:vm";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fakeServices } from "../fakes/index";

const { packages, forecast, concurrency } = JSON.parse(process.argv[2]!) as { packages: unknown[]; forecast: unknown; concurrency: unknown };
const code = readFileSync(join(__dirname, "../../dist/Code.js"), "utf8");
const fakes = fakeServices();
const execution = () => {
  const context = vm.createContext({ ...fakes.globals });
  new vm.Script(code, { filename: "Code.js" }).runInContext(context);
  fakes.newExecution(context);
  return context as unknown as Record<string, (...args: unknown[]) => any>;
};
const table = JSON.parse(JSON.stringify(execution().getRatesState!().table));
table.packages = packages;
table.pricing.defaultPackage = (packages[0] as { name: string }).name;
const saved = execution().saveRates!(table, 0, "Odd packages");
if (!saved.ok) throw new Error(`the save failed: ${JSON.stringify(saved)}`);
const started = Date.now();
let result: unknown;
try {
  result = { cost: execution().KLING_PURCHASE_PLAN!(forecast, concurrency, "cost") };
} catch (error) {
  result = { message: (error as Error).message };
}
process.stdout.write(JSON.stringify({ ...(result as object), ms: Date.now() - started }));
