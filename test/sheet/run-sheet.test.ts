/**
 * Tests for scripts/sheet.mjs, the offline sheet runner.
 *
 * sheet.mjs is plain Node ESM (it uses import.meta), so it runs in a child
 * `node` process here rather than through jest's module system: one child
 * computes every scenario through the exported API (computeSheetDetailed,
 * formatTable, ...) and the CLI is run as users run it.
 *
 * The scenarios use test/sheet/fixtures/fake-code.js, a stand-in bundle with
 * the same shape as dist/Code.js, so the figures checked are the fixture's.
 * The example CSV is also run against the real dist/Code.js when it exists,
 * checking only that everything computes (no figures from the real rates).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = path.resolve(__dirname, "..", "..");
const SCRIPT = path.join(ROOT, "scripts", "sheet.mjs");
const FIXTURE = path.join(ROOT, "test", "sheet", "fixtures", "fake-code.js");
const EXAMPLE = path.join(ROOT, "examples", "campaign-budget.csv");

type ErrorCell = { error: string; message: string };
type Cell = number | string | boolean | null | ErrorCell;
type Grid = Cell[][];
type Scenario = { values: Grid; passes: number; converged: boolean; table: string };
type ApiResult = {
  functions: string[];
  scenarios: Record<string, Scenario>;
  format: Record<string, string>;
  letters: string[];
};

jest.setTimeout(60_000);

function node(args: string[], input?: string, cwd: string = ROOT) {
  const r = spawnSync(process.execPath, args, { cwd, input, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `scenarios` (name -> raw rows) through the exported API in one child process. */
function runApi(scenarios: Record<string, (string | number | null)[][]>, bundle = FIXTURE): ApiResult {
  const program = `
    import { loadBundle, computeSheetDetailed, formatTable, columnLetter } from ${JSON.stringify(pathToFileURL(SCRIPT).href)};
    let input = "";
    for await (const chunk of process.stdin) input += chunk;
    const scenarios = JSON.parse(input);
    const bundle = loadBundle(${JSON.stringify(bundle)});
    const out = { functions: bundle.names, scenarios: {}, format: {}, letters: [0, 1, 25, 26, 27, 701, 702].map(columnLetter) };
    for (const [name, rows] of Object.entries(scenarios)) {
      const r = computeSheetDetailed(rows, bundle);
      out.scenarios[name] = { values: r.values, passes: r.passes, converged: r.converged, table: formatTable(r.values) };
    }
    out.format.noise = formatTable([[0.1 + 0.2, 1 / 3, "x".repeat(80), true, null]]);
    out.format.narrow = formatTable([["abcdefghij"]], { maxCellWidth: 5 });
    process.stdout.write(JSON.stringify(out));
  `;
  const r = node(["--input-type=module", "-e", program], JSON.stringify(scenarios));
  if (r.status !== 0) throw new Error(`child failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as ApiResult;
}

/** Cell by A1 address. */
function at(values: Grid, a1: string): Cell | undefined {
  const m = /^([A-Z]+)(\d+)$/.exec(a1);
  if (!m) throw new Error(`bad address ${a1}`);
  const col = [...m[1]!].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  return values[Number(m[2]) - 1]?.[col];
}

function isError(cell: Cell | undefined): cell is ErrorCell {
  return typeof cell === "object" && cell !== null && "error" in cell;
}

/** The JSON that KLING_ECHO (fixture) returned in a cell. */
function echo(cell: Cell | undefined): { n: number; args: { t: string; v?: unknown; realm?: boolean }[] } {
  if (typeof cell !== "string") throw new Error(`expected KLING_ECHO text, got ${JSON.stringify(cell)}`);
  return JSON.parse(cell);
}

const F = (s: string) => s; // readability: marks formula cells below

const scenarios = {
  // Arguments as Apps Script delivers them.
  conversions: [
    ["a", 1, null, F("=KLING_ECHO(A1:C2, C1, \"s\", 70%, TRUE, , B2)")],
    [null, 2, "70%", F("=KLING_ECHO()")],
    [null, null, null, F("=KLING_ECHO(B1:B1, C2, FALSE)")],
    [null, null, null, F("=KLING_ECHO(1/0)")],
    [null, null, null, F("=KLING_ECHO(A1:B2, {1,2;3,4})")],
    [null, null, null, F("=KLING_ECHO(C1, C1:C2)")],
  ],
  // Range argument -> result spills in the shape of the range; per-cell messages print.
  spillRange: [
    ["n", "m", F("=KLING_DOUBLE(A2:B4)")],
    [1, null],
    [2, 5],
    ["x", 0.5],
    [null, null, F("=SUM(C1:C3)")],
  ],
  // Table functions: fixed-size (literal args) and value-dependent (cell args).
  tables: [
    [F("=KLING_TABLE()"), null, 4, F("=KLING_SEQ(C1)"), F("=KLING_SEQ(3)")],
    [null, null, F("=1+2"), null, null, F("=KLING_SEQ(C2)")],
    [null, null, null, null, null, null],
    [null, null, null, null, null, null],
    ["after", null, null, null, null, null],
    [F("=SUM(D1:D10)"), F("=COUNT(F1:F10)")],
  ],
  // A throwing function shows its message; everything else still computes.
  errors: [
    [F("=KLING_SECONDS(\"kling-v3\", 16)"), F("=KLING_SECONDS(\"kling-v3\", 5)"), F("=B1*2")],
    [F("=KLING_DOUBLE(A1)"), F("=KLING_SECONDS(\"kling-v3\", B3)"), "plain text"],
    [null, 20, F("=KLING_SECONDS(\"kling-v3\", B3:B4)")],
    [null, 3],
  ],
  // Spills blocked by data: #SPILL!; a guessed shape that is blocked is re-measured.
  blocked: [
    [F("=KLING_TABLE()"), null, 1, F("=KLING_ECHO(C1:C3)")],
    ["in the way", null, 2, "occupied"],
    [null, null, 3, null],
  ],
};

describe("scripts/sheet.mjs with the fixture bundle", () => {
  let api: ApiResult;
  beforeAll(() => {
    api = runApi(scenarios);
  });

  const get = (name: keyof typeof scenarios) => api.scenarios[name]!;

  test("registers exactly the global KLING_* functions", () => {
    expect(api.functions).toEqual(["KLING_DOUBLE", "KLING_ECHO", "KLING_SECONDS", "KLING_SEQ", "KLING_TABLE"]);
  });

  test("scalars, blanks, omitted and range arguments arrive as in Apps Script", () => {
    const { values } = get("conversions");
    const first = echo(at(values, "D1"));
    expect(first.n).toBe(7);
    // A range is a 2-D array (rows of columns), blanks inside it are "", arrays are the bundle's own.
    expect(first.args[0]).toEqual({ t: "array", realm: true, v: [["a", 1, ""], ["", 2, 0.7]] });
    expect(first.args[1]).toEqual({ t: "string", v: "" }); // empty cell
    expect(first.args[2]).toEqual({ t: "string", v: "s" });
    expect(first.args[3]).toEqual({ t: "number", v: 0.7 }); // 70% literal
    expect(first.args[4]).toEqual({ t: "boolean", v: true }); // TRUE without parentheses
    expect(first.args[5]).toEqual({ t: "string", v: "" }); // skipped argument
    expect(first.args[6]).toEqual({ t: "number", v: 2 });

    expect(echo(at(values, "D2"))).toEqual({ n: 0, args: [] });
    // A one-cell range is a scalar; the "70%" cell is the number 0.7.
    expect(echo(at(values, "D3")).args).toEqual([
      { t: "number", v: 1 },
      { t: "number", v: 0.7 },
      { t: "boolean", v: false },
    ]);
    // An error argument propagates as that error (the function is not called).
    expect(at(values, "D4")).toMatchObject({ error: "#DIV/0!" });
    // Array literals are 2-D arrays too.
    expect(echo(at(values, "D5")).args[1]).toEqual({ t: "array", realm: true, v: [[1, 2], [3, 4]] });
    // A blank cell and a range with a blank cell.
    expect(echo(at(values, "D6")).args).toEqual([
      { t: "string", v: "" },
      { t: "array", realm: true, v: [[""], [0.7]] },
    ]);
  });

  test("a range argument spills a result of the same shape", () => {
    const { values, converged } = get("spillRange");
    expect(converged).toBe(true);
    expect([at(values, "C1"), at(values, "D1")]).toEqual([2, ""]);
    expect([at(values, "C2"), at(values, "D2")]).toEqual([4, 10]);
    // A per-row problem is a text inside the array; the other rows still compute.
    expect([at(values, "C3"), at(values, "D3")]).toEqual(["not a number: x", 1]);
    expect(values.every((row) => row.length === 4)).toBe(true); // rectangular; nothing spilled past column D
    expect(at(values, "C5")).toBe(6); // formulas can read the spilled cells
  });

  test("table results spill at their own size, also when it depends on cell values", () => {
    const { values, converged } = get("tables");
    expect(converged).toBe(true);
    expect(values.slice(0, 3).map((r) => r.slice(0, 2))).toEqual([
      ["plan", "units"],
      ["Starter", 660],
      ["Pro", 3000],
    ]);
    expect(at(values, "A4")).toBeNull(); // exactly 3 rows
    expect(at(values, "C1")).toBe(4);
    // KLING_SEQ(C1): 4 rows below D1, from a cell value.
    expect([1, 2, 3, 4, 5].map((r) => at(values, `D${r}`))).toEqual([1, 2, 3, 4, null]);
    expect([1, 2, 3, 4].map((r) => at(values, `E${r}`))).toEqual([1, 2, 3, null]);
    // KLING_SEQ(C2) where C2 is itself a formula.
    expect([2, 3, 4, 5].map((r) => at(values, `F${r}`))).toEqual([1, 2, 3, null]);
    expect(at(values, "A5")).toBe("after");
    expect(at(values, "A6")).toBe(10); // SUM over the spilled D column
    expect(at(values, "B6")).toBe(3);
  });

  test("a thrown Error shows its message in its cell and other cells still compute", () => {
    const { values, table } = get("errors");
    const message = "seconds: 16 is too long; kling-v3 makes 3 to 15 s per generation";
    expect(at(values, "A1")).toEqual({ error: "#ERROR!", message });
    expect(at(values, "B1")).toBe(5);
    expect(at(values, "C1")).toBe(10);
    // An error cell used as an argument propagates.
    expect(at(values, "A2")).toEqual({ error: "#ERROR!", message });
    expect(at(values, "B2")).toEqual({ error: "#ERROR!", message: expect.stringContaining("seconds: 20 is too long") });
    expect(at(values, "C2")).toBe("plain text");
    // A range call that throws is one error cell, not a spill.
    expect(at(values, "C3")).toMatchObject({ error: "#ERROR!", message: expect.stringContaining("20") });
    expect(at(values, "C4")).toBeNull();
    expect(table).toContain(`#ERROR! ${message.slice(0, 40)}`);
  });

  test("spills blocked by data show #SPILL!; blocked guesses are measured again", () => {
    const { values, converged } = get("blocked");
    expect(converged).toBe(true);
    expect(at(values, "A1")).toMatchObject({ error: "#SPILL!" });
    expect(at(values, "A2")).toBe("in the way");
    // KLING_ECHO(C1:C3) was sized 3x1 (range shape), blocked by D2, then measured as one cell.
    expect(echo(at(values, "D1")).args[0]).toEqual({ t: "array", realm: true, v: [[1], [2], [3]] });
    expect(at(values, "D2")).toBe("occupied");
  });

  test("formatTable: column letters, row numbers, no float noise, truncated long text", () => {
    expect(api.letters).toEqual(["A", "B", "Z", "AA", "AB", "ZZ", "AAA"]);
    const lines = get("tables").table.split("\n");
    expect(lines[0]).toMatch(/^\s*\|\s+A\s+\|\s+B\s+\|\s+C\s+\|\s+D\s+\|\s+E\s+\|\s+F$/);
    expect(lines[2]).toMatch(/^\s*1 \| plan/);
    expect(lines[7]).toMatch(/^\s*6 \|/);

    const noise = api.format.noise!;
    expect(noise).toContain("0.3 ");
    expect(noise).not.toContain("0.30000000000000004");
    expect(noise).toContain("0.333333333333");
    expect(noise).toContain(`${"x".repeat(59)}…`);
    expect(noise).not.toContain("x".repeat(60));
    expect(noise).toContain("TRUE");
    expect(api.format.narrow).toContain("abcd…");
  });
});

describe("scripts/sheet.mjs CLI", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "kling-sheet-"));
    fs.writeFileSync(
      path.join(dir, "shots.csv"),
      [
        "Shot,Seconds,Check",
        'Hero,16,"=KLING_SECONDS(""kling-v3"", B2)"',
        'Close-up,5,"=KLING_SECONDS(""kling-v3"", B3)"',
        ",,=KLING_TABLE()",
      ].join("\n"),
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("prints the whole computed sheet, then exits 1 because a cell failed", () => {
    const r = node([SCRIPT, "shots.csv", "--bundle", FIXTURE], undefined, dir);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/A\s+\|\s+B\s+\|\s+C/);
    expect(lines.find((l) => /^\s*2 \|/.test(l))).toContain("#ERROR! seconds: 16 is too long;");
    expect(lines.find((l) => /^\s*3 \|/.test(l))).toMatch(/Close-up\s+\|\s+5\s+\|\s+5$/);
    expect(lines.find((l) => /^\s*6 \|/.test(l))).toMatch(/Pro\s+\|\s+3000/); // KLING_TABLE spilled to row 6
    // Below the table, each error cell with its whole message.
    const errors = lines.slice(lines.indexOf("Errors:") + 1);
    expect(lines).toContain("Errors:");
    expect(errors.some((l) => /^ {2}[A-Z]+2: #ERROR! seconds: 16 is too long; kling-v3 makes 3 to 15 s per generation$/.test(l))).toBe(true);
  });

  test("--json prints the values with errors as {error, message}, and exits 1 for them", () => {
    const r = node([SCRIPT, path.join(dir, "shots.csv"), "--bundle", FIXTURE, "--json"]);
    expect(r.status).toBe(1);
    const values = JSON.parse(r.stdout) as Grid;
    expect(at(values, "C2")).toEqual({ error: "#ERROR!", message: expect.stringContaining("16 is too long") });
    expect(at(values, "C3")).toBe(5);
  });

  test("a missing CSV is a clear error", () => {
    const r = node([SCRIPT, "no-such-file.csv", "--bundle", FIXTURE], undefined, dir);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("CSV file not found: no-such-file.csv");
    expect(r.stdout).toBe("");
  });

  test("a missing bundle says to build first", () => {
    const r = node([SCRIPT, "shots.csv", "--bundle", path.join(dir, "dist", "Code.js")], undefined, dir);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("run npm run build first");
  });

  test("the default CSV is found from another working directory", () => {
    const r = node([SCRIPT, "--bundle", FIXTURE, "--json"], undefined, dir);
    expect(r.stderr).toBe(""); // found; its KLING_COST cells fail on the fixture bundle, which lacks them
    expect(JSON.parse(r.stdout)[0][0]).toBe("Shot");
  });
});

// jest's global setup builds dist/Code.js, so this always runs against the current source.
describe("examples/campaign-budget.csv with dist/Code.js", () => {
  test("every cell computes, the totals are the rows', and the packages are bought for the units needed with rerolls", () => {
    const r = node([SCRIPT, EXAMPLE, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const values = JSON.parse(r.stdout) as Grid;
    const errors = values.flatMap((row, i) =>
      row.flatMap((cell, j) => (isError(cell) ? [`${String.fromCharCode(65 + j)}${i + 1}: ${cell.error} ${cell.message}`] : [])),
    );
    expect(errors).toEqual([]);
    // Units, cost, total units and total cost are numbers on every shot row (a text would be a row error).
    for (let row = 2; row <= 13; row++) {
      for (const col of ["H", "I", "J", "K"]) expect(typeof at(values, `${col}${row}`)).toBe("number");
    }
    // Plain spreadsheet arithmetic over the spilled columns agrees.
    const sum = (col: string) => [...Array(12).keys()].reduce((s, i) => s + (at(values, `${col}${i + 2}`) as number), 0);
    expect(at(values, "J15")).toBeCloseTo(sum("J"), 9);
    expect(at(values, "K15")).toBeCloseTo(sum("K"), 9);
    expect(at(values, "B16")).toBe(0);
    const keeper = at(values, "B17") as number;
    const needed = at(values, "B18") as number;
    expect(needed).toBeCloseTo((at(values, "J15") as number) / keeper, 9);
    // The packages hold the units with rerolls, not only the first pass.
    for (const row of [19, 20]) {
      expect(typeof at(values, `B${row}`)).toBe("string");
      expect(at(values, `J${row}`) as number).toBeGreaterThanOrEqual(needed);
      expect(typeof at(values, `K${row}`)).toBe("number");
    }
    expect(at(values, "K21")).toBeCloseTo((at(values, "K15") as number) / keeper, 9);
    expect(at(values, "A28")).toBe("Total");
    expect(at(values, "E28")).toBe(at(values, "K19"));
  });

  test("printed: money with 2 decimals, other figures as computed; --raw prints full precision", () => {
    const printed = node([SCRIPT, EXAMPLE]);
    expect(printed.status).toBe(0);
    const line = (out: string, row: number) => out.split("\n").find((l) => new RegExp(`^\\s*${row} \\|`).test(l))!;
    const values = JSON.parse(node([SCRIPT, EXAMPLE, "--json"]).stdout) as Grid;
    const k13 = at(values, "K13") as number;
    expect(String(k13).split(".")[1]!.length).toBeGreaterThan(2);
    expect(line(printed.stdout, 13)).toMatch(new RegExp(`\\| +${k13.toFixed(2).replace(".", "\\.")}$`));
    expect(line(node([SCRIPT, EXAMPLE, "--raw"]).stdout, 13)).toMatch(new RegExp(`\\| +${String(k13).replace(".", "\\.")}$`));
  });
});

describe("files as analysts save them", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "kling-sheet-eu-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const run = (name: string, lines: string[], ...args: string[]) => {
    fs.writeFileSync(path.join(dir, name), lines.join("\n"));
    return node([SCRIPT, path.join(dir, name), ...args]);
  };

  test("semicolons and decimal commas (Excel in most of Europe): cells, formulas and text numbers read in that convention", () => {
    const eu = run("eu.csv", [
      "Shot;Model;Quality;Seconds;Clips;USD per clip;Total USD;Keeper;Render hours",
      'Hero;kling-v3;1080p;10;4;"=KLING_COST(B2;C2;D2;;;""0,098"")";=F2*E2;70,5%;"=KLING_RENDER_HOURS(43;6;10)"',
    ], "--json");
    const comma = run("us.csv", [
      "Shot,Model,Quality,Seconds,Clips,USD per clip,Total USD,Keeper,Render hours",
      'Hero,kling-v3,1080p,10,4,"=KLING_COST(B2,C2,D2,,,0.098)",=F2*E2,70.5%,"=KLING_RENDER_HOURS(43,6,10)"',
    ], "--json");
    expect(eu.stderr).toBe("");
    expect(eu.status).toBe(0);
    expect(JSON.parse(eu.stdout)).toEqual(JSON.parse(comma.stdout));
    const values = JSON.parse(eu.stdout) as Grid;
    expect(at(values, "H2")).toBe(0.705);
    expect(at(values, "F2")).toBeCloseTo(8 * 0.098, 12); // 0,098 per unit, not 98
  });

  test("money prints with 2 decimals and hours with 1", () => {
    const r = run("hours.csv", ["Batch,Render hours,USD per clip", 'A,"=KLING_RENDER_HOURS(43,6,10)","=KLING_COST(""kling-v3"",""720p"",8,,,0.098)"']);
    expect(r.status).toBe(0);
    const row = r.stdout.split("\n").find((l) => /^\s*2 \|/.test(l))!;
    expect(row).toMatch(/\|\s+1\.3\s+\|\s+0\.47$/);
  });

  test("a comma file with a decimal comma is refused, naming the cell, never read as two columns", () => {
    const r = run("mixed.csv", ["Shot,Price", 'Hero,"0,85"']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('B2 "0,85"');
    expect(r.stdout).toBe("");
  });

  test("a semicolon file writing decimals both ways is refused, naming a cell of each", () => {
    const r = run("both.csv", ["Shot;Price;Rate", "Hero;0,85;0.5"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('B2 "0,85" and C2 "0.5"');
  });

  test("a row message inside a range result counts as a failure, listed after the sheet", () => {
    const r = run("rows.csv", ["Model,Seconds,Units", 'kling-v3,10,"=KLING_UNITS(A2:A3,""720p"",B2:B3)"', "kling-v3,16,"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("Rows with a problem:\n  C3: seconds: 16 is too long; kling-v3 makes 3 to 15 s per generation");
  });
});
