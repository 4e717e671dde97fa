// examples/purchase-plan.csv computed as `npm start -- examples/purchase-plan.csv` does (the offline
// sheet engine on the built bundle): every cell computes, the plan meets the forecast month by month,
// and the figures the README quotes for it are the ones it gives.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = path.resolve(__dirname, "..", "..");
jest.setTimeout(60_000);

function computeExample(): unknown[][] {
  const program = `
    import { readFileSync } from "node:fs";
    import { loadBundle, computeSheet, parseCsv } from ${JSON.stringify(pathToFileURL(path.join(ROOT, "scripts/sheet.mjs")).href)};
    const rows = parseCsv(readFileSync(${JSON.stringify(path.join(ROOT, "examples/purchase-plan.csv"))}, "utf8"));
    process.stdout.write(JSON.stringify(computeSheet(rows, loadBundle())));
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", program], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

const usd = (x: number) => `$${x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

test("the example computes, its plan meets every month, and the README quotes its figures", () => {
  const values = computeExample();
  const errors = values.flat().filter((c) => c !== null && typeof c === "object");
  expect(errors).toEqual([]);

  const forecast = values.slice(1, 13).map((row) => row[2] as number);
  const clips = values.slice(1, 13).map((row) => row[1] as number);
  expect(forecast).toEqual(clips.map((c) => c * 8)); // Kling 3.0 1080p: 0.8 units a second, 10 s

  const start = values.findIndex((row) => row[0] === "Month" && row[1] === "Packages bought");
  const plan = values.slice(start, start + 14);
  expect(plan[0]).toEqual(["Month", "Packages bought", "Cost USD", "Units bought", "Units used", "Units expiring unused"]);
  plan.slice(1, 13).forEach((row, t) => {
    expect(row[0]).toBe(t + 1);
    expect(row[4]).toBe(forecast[t]);
  });
  const total = plan[13]!;
  expect(total[0]).toBe("Total");
  const sum = (col: number) => plan.slice(1, 13).reduce((s, row) => s + (row[col] as number), 0);
  expect(total[2]).toBeCloseTo(sum(2), 6);
  expect(total[3]).toBe(sum(3));
  expect(total[4]).toBe(forecast.reduce((a, b) => a + b, 0));
  expect(total[5]).toBe(total[3] as number - (total[4] as number));

  const label = (text: string) => values.find((row) => row[0] === text)?.[1];
  expect(label("Plan cost USD")).toBe(total[2]);
  expect(label("Units expiring unused")).toBe(total[5]);

  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8").replace(/\s+/g, " ");
  expect(readme).toContain(`the plan costs ${usd(total[2] as number)} and lets nothing expire`);
  expect(total[5]).toBe(0);
  const forfeited = label("Instead: 1 x Package 4 (60,000 units) in July, units expiring unused") as number;
  const worth = label("... their value USD") as number;
  expect(readme).toContain(`would forfeit ${forfeited.toLocaleString("en-US")} units worth ${usd(worth)}`);
});
