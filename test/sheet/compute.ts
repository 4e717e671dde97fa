// Computes rows of typed cells with the offline spreadsheet engine (scripts/sheet.mjs, plain ESM,
// so in a child node process) on the built bundle with no rates saved.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = path.resolve(__dirname, "..", "..");

export function computeOffline(rows: unknown[][]): unknown[][] {
  const program = `
    import { loadBundle, computeSheet } from ${JSON.stringify(pathToFileURL(path.join(ROOT, "scripts/sheet.mjs")).href)};
    let input = "";
    for await (const chunk of process.stdin) input += chunk;
    process.stdout.write(JSON.stringify(computeSheet(JSON.parse(input), loadBundle())));
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", program], { cwd: ROOT, input: JSON.stringify(rows), encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}
