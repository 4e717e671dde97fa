// The planner on the hardest package tables found, through the built bundle as a cell runs it, in
// child processes with a memory cap: each answers (an exact cost, or a message naming the packages
// that make the table slow) and none crashes or runs on past the time Sheets gives a formula.
import { spawn } from "node:child_process";
import { join } from "node:path";

jest.setTimeout(120_000);

const ROOT = join(__dirname, "../..");
// A custom function gets 30 s; the planner stops itself well before (8 s), so 25 s is a crash or a hang.
const SHEETS_LIMIT_MS = 25_000;
const MEMORY_MB = 256;

const row = (name: string, priceUsd: number, units: number, validityDays: number, concurrency: number, purchaseLimit: number | null = null) =>
  ({ name, priceUsd, units, validityDays, concurrency, purchaseLimit, source: "test", asOf: "2026" });
const column = (xs: readonly number[]) => xs.map((x) => [x]);
let seed = 7;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;

function planInChild(packages: unknown[], forecast: unknown, concurrency: unknown): Promise<{ status: number | null; signal: string | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${MEMORY_MB}`, "--import", "tsx", join(__dirname, "planning-limits-child.ts"), JSON.stringify({ packages, forecast, concurrency })],
      { cwd: ROOT, timeout: SHEETS_LIMIT_MS, killSignal: "SIGKILL" });
    let out = "", err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (status, signal) => resolve({ status, signal, out, err }));
  });
}

const odd = [row("X", 7, 7, 30, 5), row("Y", 10, 11, 60, 10), row("Z", 11, 13, 90, 20)];
const cases: [string, unknown[], unknown, unknown, RegExp][] = [
  // The table: 1e9 units twice aborted the process after 2 GB.
  ["7, 11 and 13 units valid 30, 60 and 90 days, 1e9 units in each of two months", odd, column([1e9, 1e9]), 1, /^\{"cost":\d+/],
  ["the same table over 120 months of up to 1e9 units, 5 to 20 tasks", odd, column(Array.from({ length: 120 }, () => Math.round(1e9 * random()))),
    column(Array.from({ length: 120 }, (_, m) => [5, 10, 20][m % 3]!)), /^\{"cost":\d+|this forecast cannot be planned exactly/],
  // Sizes one unit apart: the best-value package and another share no step above 1.
  ["9,999 and 10,000 units over 12 months", [row("A", 999.9, 9999, 30, 5), row("B", 1000, 10000, 180, 20)], column(new Array(12).fill(123456789)), 20,
    /package A \(9,999 units\) and the best value per unit, B \(10,000 units\), share a step of only 1 unit/],
  // The cheapest units behind a purchase limit of a million copies.
  ["a cheap package limited to 1,000,000 copies", [row("Cheap", 1, 100, 30, 5, 1_000_000), row("Std", 14, 1000, 180, 20)], column([1e9, 1e9, 1e9]), column([5, 20, 5]),
    /package Cheap costs less per unit than any package without a purchase limit, so every amount up to its limit of 1,000,000/],
  // Six validities and concurrencies, sizes that share no step.
  ["six packages of 13 to 31 units over 24 months", [row("a", 1.3, 13, 30, 1), row("b", 1.7, 17, 60, 2), row("c", 1.9, 19, 90, 3), row("d", 2.3, 23, 120, 4), row("e", 2.9, 29, 150, 5), row("f", 3.1, 31, 180, 6)],
    column(Array.from({ length: 24 }, () => Math.round(1e6 * random()))), column(Array.from({ length: 24 }, (_, m) => 1 + (m % 6))), /^\{"cost":\d+|this forecast cannot be planned exactly/],
];

test.each(cases)("%s: an answer, within the memory cap and Sheets' time", async (_name, packages, forecast, concurrency, expected) => {
  const { status, signal, out, err } = await planInChild(packages, forecast, concurrency);
  expect({ status, signal, err: err.split("\n").slice(0, 3) }).toEqual({ status: 0, signal: null, err: [""] });
  expect(out).toMatch(expected);
});
