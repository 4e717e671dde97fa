// Recalculation under faults, through dist/Code.js over the fakes: protected sheets and ranges,
// writes that throw, a run stopped between two writes, people editing while it runs, a busy
// document lock, time running out. Whatever happens, every cell keeps its formula (or the value
// someone put there meanwhile), and what was not recalculated is counted and said.
import { defaultRateTable } from "../../src/core/rates/default-table";
import type { Recalculated, Saved } from "../../src/gas/sidebar-types";
import { fakeServices, PROTECTED_MESSAGE, type Cell } from "../fakes/index";
import { loadBundle } from "./harness";

const ITEM = "Extensions > Kling Budget > Recalculate KLING formulas";

const SHEETS = {
  Budget: [
    ["Shot", "Model", "Seconds", "USD", "Units"],
    ["Hero", "kling-v3", 10, '=KLING_COST(B2, "720p", C2)', '=KLING_UNITS(B2, "720p", C2)'],
    ["B-roll", "kling-v3", 5, '=KLING_COST(B3, "1080p", C3)', '=KLING_UNITS(B3, "1080p", C3)'],
    ["Drone", "kling-v3", 8, '=KLING_COST(B4, "720p", C4)', '=KLING_UNITS(B4, "720p", C4)'],
    ["Total", "", "=SUM(C2:C4)", "=SUM(D2:D4)", '="KLING_COST(" & "not a call"'],
  ],
  Plan: [["=KLING_BEST_PACKAGE(1000)", "=KLING_EFFECTIVE_COST(A1, 0.7)", 42], ["=NOW()", "text", '=KLING_UNITS("kling-v3", "720p", 5)']],
  Locked: [['=KLING_COST("kling-v3", "720p", 5)', "note"], ['=KLING_COST("kling-v3", "720p", 10)', 7]],
};
const KLING = {
  Budget: ["D2", "E2", "D3", "E3", "D4", "E4"],
  Plan: ["A1", "B1", "C2"],
  Locked: ["A1", "A2"],
};
const ALL = Object.entries(KLING).flatMap(([sheet, cells]) => cells.map((a1) => `${sheet}!${a1}`));

function document(sheets: Record<string, unknown[][]> = SHEETS) {
  const fakes = fakeServices({ session: { activeUserEmail: "ana@example.com" }, spreadsheet: { sheets } });
  /** One execution: a fresh script over the same document; the answer crosses as JSON, as google.script.run sends it. */
  function run<T>(name: string, extra: Record<string, unknown> = {}, ...args: unknown[]): T {
    const { context, call } = loadBundle({ ...fakes.globals, ...extra });
    fakes.newExecution(context);
    return JSON.parse(JSON.stringify(call(name, ...JSON.parse(JSON.stringify(args))) ?? null)) as T;
  }
  const before = fakes.spreadsheet.snapshot();
  return { fakes, run, before };
}

const bracketed = (formula: string) => `=(${formula.slice(1)})`;

/**
 * Every cell as it was, except that a KLING_ formula may be in its bracketed form and count more
 * evaluations; cells listed in `theirs` hold what someone typed there meanwhile.
 */
function expectWhole(before: Record<string, Cell>, after: Record<string, Cell>, theirs: Record<string, unknown> = {}): void {
  for (const [key, cell] of Object.entries(before)) {
    const now = after[key];
    if (key in theirs) continue;
    if (ALL.includes(key)) {
      expect([key, [cell.formula, bracketed(cell.formula)].includes(now?.formula ?? "")]).toEqual([key, true]);
    } else {
      expect([key, now?.formula, now?.value]).toEqual([key, cell.formula, cell.value]);
    }
  }
  for (const [key, typed] of Object.entries(theirs)) expect([key, after[key]?.formula || after[key]?.value]).toEqual([key, typed]);
}

/** The cells among `keys` whose formula was written again (evaluations went up) and ended as their own text. */
function recalculated(before: Record<string, Cell>, after: Record<string, Cell>, keys = ALL): string[] {
  return keys.filter((k) => after[k]!.evaluations > before[k]!.evaluations && after[k]!.formula === before[k]!.formula);
}

function edited(table = defaultRateTable()) {
  const copy = JSON.parse(JSON.stringify(table));
  copy.pricing.defaultUnitPriceUsd = 0.2;
  return copy;
}

describe("cells that cannot be rewritten are skipped, counted and named", () => {
  test("a protected sheet: the other sheets are recalculated, the save is reported as saved, the toast says what to do", () => {
    const { fakes, run, before } = document();
    fakes.spreadsheet.protect({ target: "Locked" });
    const saved = run<Saved>("saveRates", {}, edited(), 0, "Edited");
    expect(saved.ok).toBe(true);
    expect(saved.state.version).toBe(1);
    expect(saved.recalculated).toEqual({
      cells: 9, sheets: 2, skipped: { protected: 2, edited: 0, failed: 0 }, bracketed: 0,
      note: `2 in protected ranges were not: ${ITEM} when you can edit them`,
    });
    const after = fakes.spreadsheet.snapshot();
    expectWhole(before, after);
    expect(recalculated(before, after)).toEqual(ALL.filter((k) => !k.startsWith("Locked!")));
    expect(after["Locked!A1"]).toEqual(before["Locked!A1"]);

    run("recalculateFromMenu");
    expect(fakes.ui.toasts.at(-1)).toEqual({
      message: `9 KLING formula cells on 2 sheets recalculated, 2 in protected ranges were not: ${ITEM} when you can edit them`,
      title: "Kling Budget", timeoutSeconds: -1,
    });
  });

  test("protected ranges and a sheet's unprotected areas: only the cells the user may not edit are left", () => {
    const { fakes, run, before } = document();
    fakes.spreadsheet.protect({ target: "Budget!D3:E4" });
    fakes.spreadsheet.protect({ target: "Plan", unprotected: ["C1:C5"] });
    fakes.spreadsheet.protect({ target: "Locked", canEdit: true }); // the owner's own protection
    fakes.spreadsheet.protect({ target: "Budget!E2", warningOnly: true });
    const result = run<Recalculated>("recalculateKlingFormulas");
    expect(result.skipped).toEqual({ protected: 6, edited: 0, failed: 0 });
    const after = fakes.spreadsheet.snapshot();
    expectWhole(before, after);
    expect(recalculated(before, after)).toEqual(["Budget!D2", "Budget!E2", "Plan!C2", "Locked!A1", "Locked!A2"]);
    expect(result.cells).toBe(5);
  });

  test("a write Sheets refuses as protected (a protection the list did not show) counts as protected, not as an error", () => {
    const { fakes, run, before } = document();
    fakes.spreadsheet.faults.write = ({ range }) => {
      if (range.startsWith("Plan!")) throw Object.assign(new Error(PROTECTED_MESSAGE), { name: "Exception" });
    };
    const result = run<Recalculated>("recalculateKlingFormulas");
    expect(result.skipped).toEqual({ protected: 3, edited: 0, failed: 0 });
    expect(result.note).toBe(`3 in protected ranges were not: ${ITEM} when you can edit them`);
    const after = fakes.spreadsheet.snapshot();
    expectWhole(before, after);
    expect(recalculated(before, after)).toEqual(ALL.filter((k) => !k.startsWith("Plan!")));
  });
});

describe("a write that throws, or a run that stops, never leaves a cell without its formula", () => {
  test("stopped after any number of writes (the 6-minute limit): every cell holds its formula", () => {
    const clean = document();
    clean.run("recalculateKlingFormulas");
    const writes = clean.fakes.spreadsheet.counts().writes;
    expect(writes).toBeGreaterThan(3);
    for (let n = 0; n < writes; n++) {
      const { fakes, run, before } = document();
      // From the stop on, no call reaches the spreadsheet.
      const stopped = () => {
        throw new Error("Exceeded maximum execution time");
      };
      fakes.spreadsheet.faults.write = ({ count }) => void (count > n && stopped());
      fakes.spreadsheet.faults.wrote = ({ count }) => void (count === n && (fakes.spreadsheet.faults.read = stopped));
      try {
        run("recalculateKlingFormulas");
      } catch {
        // what the script does after the stop does not matter: it does not run
      }
      expectWhole(before, fakes.spreadsheet.snapshot());
    }
  });

  test("a quota error midway: the save is still reported as saved, the rest is counted, and the next run finishes the job", () => {
    const { fakes, run, before } = document();
    fakes.spreadsheet.faults.write = ({ range }) => {
      if (range.startsWith("Plan!")) throw Object.assign(new Error("Service invoked too many times for one day: spreadsheets."), { name: "Exception" });
    };
    const saved = run<Saved>("saveRates", {}, edited(), 0, "Edited");
    expect(saved.ok).toBe(true);
    expect(saved.recalculated.skipped).toEqual({ protected: 0, edited: 0, failed: 3 });
    expect(saved.recalculated.note).toBe(`3 were not (a write failed: Service invoked too many times for one day: spreadsheets.): ${ITEM} again`);
    expectWhole(before, fakes.spreadsheet.snapshot());

    fakes.spreadsheet.faults.write = undefined;
    const again = run<Recalculated>("recalculateKlingFormulas");
    expect(again).toMatchObject({ cells: 11, skipped: { protected: 0, edited: 0, failed: 0 }, note: "" });
    const after = fakes.spreadsheet.snapshot();
    expectWhole(before, after);
    expect(recalculated(before, after)).toEqual(ALL);
  });

  test("writing the text back fails: the cell keeps the bracketed formula, which computes the same, and the note says so", () => {
    const { fakes, run, before } = document({ Plan: SHEETS.Plan });
    let writes = 0;
    fakes.spreadsheet.faults.write = () => {
      if (++writes === 2) throw new Error("Service Spreadsheets failed while accessing document");
    };
    const result = run<Recalculated>("recalculateKlingFormulas");
    const after = fakes.spreadsheet.snapshot();
    expect(after["Plan!A1"]!.formula).toBe(bracketed(before["Plan!A1"]!.formula));
    expect(result).toMatchObject({ cells: 3, bracketed: 2 });
    expect(result.note).toContain("2 kept their formula in extra brackets");
  });

  test("the spreadsheet cannot even be read: nothing is written, and the save is still reported as saved", () => {
    const { fakes, run, before } = document();
    fakes.spreadsheet.faults.read = () => {
      throw new Error("Service Spreadsheets timed out while accessing document with id fake-spreadsheet-id.");
    };
    const saved = run<Saved>("saveRates", {}, edited(), 0, "Edited");
    expect(saved.ok).toBe(true);
    expect(saved.recalculated.cells).toBe(0);
    expect(saved.recalculated.note).toContain(`Service Spreadsheets timed out`);
    expect(saved.recalculated.note).toContain(`${ITEM} again`);
    expect(fakes.spreadsheet.snapshot()).toEqual(before);
  });
});

describe("cells someone changes while it runs are left as they left them", () => {
  test("edited after the scan read them: not written at all", () => {
    const { fakes, run, before } = document();
    fakes.spreadsheet.faults.read = ({ count }) => {
      if (count !== 3) return; // the scan reads the three sheets first
      fakes.spreadsheet.userEdit("Budget!D3", "=D2*2");
      fakes.spreadsheet.userEdit("Plan!B1", 17);
    };
    const result = run<Recalculated>("recalculateKlingFormulas");
    expect(result.skipped).toEqual({ protected: 0, edited: 2, failed: 0 });
    expect(result.note).toBe("2 changed by someone meanwhile were left as they are");
    const after = fakes.spreadsheet.snapshot();
    expectWhole(before, after, { "Budget!D3": "=D2*2", "Plan!B1": 17 });
    expect(recalculated(before, after)).toEqual(ALL.filter((k) => k !== "Budget!D3" && k !== "Plan!B1"));
  });

  test("edited after the bracketed formula went in: their text stays, the old one is not put back", () => {
    const { fakes, run, before } = document();
    fakes.spreadsheet.faults.wrote = ({ count }) => {
      if (count === 1) fakes.spreadsheet.userEdit("Budget!E3", '=KLING_UNITS(B3, "4k", C3)');
    };
    const result = run<Recalculated>("recalculateKlingFormulas");
    expect(result.skipped.edited).toBe(1);
    const after = fakes.spreadsheet.snapshot();
    expectWhole(before, after, { "Budget!E3": '=KLING_UNITS(B3, "4k", C3)' });
    expect(recalculated(before, after)).toEqual(ALL.filter((k) => k !== "Budget!E3"));
  });
});

describe("bounds", () => {
  test("a column of 12,000 KLING_ cells takes a handful of writes, not one per cell", () => {
    const rows = [["Clip", "USD"], ...Array.from({ length: 12_000 }, (_, i) => [`c${i}`, `=KLING_COST("kling-v3", "720p", ${(i % 15) + 1})`])];
    const { fakes, run } = document({ Shots: rows });
    const result = run<Recalculated>("recalculateKlingFormulas");
    expect(result).toMatchObject({ cells: 12_000, sheets: 1, note: "" });
    const writes = fakes.log.calls.filter((c) => c.startsWith("range.set")).length;
    expect(writes).toBe(6); // 3 blocks of at most 5,000 cells, each bracketed and put back
    expect(fakes.spreadsheet.cell("Shots!B12001")).toMatchObject({ formula: rows[12_000]![1], evaluations: 2 });
  });

  test("another recalculation holding the document lock: this one waits, then leaves the cells as they are and says so", () => {
    const { fakes, run, before } = document();
    fakes.lock.holdElsewhere("document");
    const result = run<Recalculated>("recalculateKlingFormulas");
    expect(result).toMatchObject({ cells: 0, skipped: { protected: 0, edited: 0, failed: 11 } });
    expect(result.note).toBe(`11 were not (another recalculation kept the spreadsheet busy): ${ITEM} again`);
    expect(fakes.spreadsheet.snapshot()).toEqual(before);
  });

  test("time running out: no block starts after the budget, the rest is left whole and counted", () => {
    const { fakes, run, before } = document();
    // Each look at the clock is a minute later, as on a slow, large spreadsheet.
    let now = 0;
    class SlowDate extends Date {
      static override now() {
        return (now += 61_000);
      }
    }
    const result = run<Recalculated>("recalculateKlingFormulas", { Date: SlowDate });
    expect(result.cells).toBeGreaterThan(0);
    expect(result.skipped.failed).toBe(11 - result.cells);
    expect(result.note).toContain(`(time ran out): ${ITEM} again`);
    expectWhole(before, fakes.spreadsheet.snapshot());
  });
});
