// The sidebar's server side, run as Apps Script runs it: dist/Code.js, one fresh global scope per
// call, over in-memory fakes of the services. Every save goes through what the sidebar calls.
import { createHash } from "node:crypto";
import { parseRateCard } from "../../src/core/rates/card";
import { defaultRateTable } from "../../src/core/rates/default-table";
import type { RateTable } from "../../src/core/rates/types";
import type { Failure, Fetched, Preview, RatesState, Saved } from "../../src/gas/sidebar-types";
import { diffSnapshots, fakeServices } from "../fakes/index";
import { loadBundle } from "./harness";

const copy = (): RateTable => JSON.parse(JSON.stringify(defaultRateTable()));
/** 120 bytes that do not compress, the same on every run, as base64. */
const noise = (i: number) => Buffer.concat([0, 1, 2, 3].map((j) => createHash("sha256").update(`note ${i} ${j}`).digest())).subarray(0, 120).toString("base64");
type Any = Record<string, unknown>;

function document(options: Parameters<typeof fakeServices>[0] = {}) {
  const fakes = fakeServices({
    session: { activeUserEmail: "ana@example.com" },
    spreadsheet: {
      sheets: {
        Budget: [
          ["Shot", "Model", "Seconds", "USD", "Note"],
          ["Hero", "kling-v3", 10, '=KLING_COST(B2, "720p", C2)', "=B2&\" clip\""],
          ["B-roll", "kling-v3", 5, '=kling_cost(B3, "1080p", C3)', 'KLING_COST("typed as text")'],
          ["Total", "", "=SUM(C2:C3)", "=SUM(D2:D3)", '="KLING_COST(" & "not a call"'],
          ["Plan", "", "", "=KLING_BEST_PACKAGE(1000)", "=KLING_EFFECTIVE_COST(D4, 0.7)"],
        ],
        Notes: [["=NOW()", "plain text", 42]],
      },
    },
    ...options,
  });
  /** One execution: a fresh script over the same document; the answer crosses as JSON, as google.script.run sends it. */
  function run<T>(name: string, ...args: unknown[]): T {
    const { context, call } = loadBundle(fakes.globals);
    fakes.newExecution(context);
    return JSON.parse(JSON.stringify(call(name, ...JSON.parse(JSON.stringify(args))) ?? null)) as T;
  }
  const stored = () => JSON.stringify([...fakes.properties.data].sort());
  return { fakes, run, stored };
}

const KLING_CELLS = ["Budget!D2", "Budget!D3", "Budget!D5", "Budget!E5"];

describe("saving rates", () => {
  test("a save stores a new version, every KLING_ formula recomputes with it, and nothing else is touched", () => {
    const { fakes, run } = document();
    const before = fakes.spreadsheet.snapshot();
    expect(run<number>("KLING_COST", "kling-v3", "720p", 10)).toBeCloseTo(0.84, 10);

    const state = run<RatesState>("getRatesState");
    expect(state.version).toBe(0);
    const table = state.table;
    table.rates.find((r) => r.model === "kling-v3" && r.quality === "720p" && r.audio === "none" && r.input === "plain")!.units = 0.7;
    const saved = run<Saved>("saveRates", table, 0, "Edited");

    expect(saved.ok).toBe(true);
    expect(saved.state.version).toBe(1);
    expect(saved.state.savedBy).toBe("ana@example.com");
    expect(saved.state.summary).toBe("Edited: kling-v3 720p: units 0.6 -> 0.7");
    expect(saved.recalculated).toEqual({ cells: KLING_CELLS.length, sheets: 1, skipped: { protected: 0, edited: 0, failed: 0 }, bracketed: 0, note: "" });
    expect(run<number>("KLING_COST", "kling-v3", "720p", 10)).toBeCloseTo(0.98, 10);

    // Exactly the KLING_ cells were rewritten (and so rerun), with the same formula text.
    const after = fakes.spreadsheet.snapshot();
    expect(diffSnapshots(before, after).sort()).toEqual(KLING_CELLS.sort());
    for (const key of KLING_CELLS) {
      expect(after[key]!.formula).toBe(before[key]!.formula);
      expect(after[key]!.evaluations).toBe(before[key]!.evaluations + 2); // as "=(...)", then as its own text
    }
  });

  test("the menu's Recalculate rewrites the same cells and says how many", () => {
    const { fakes, run } = document();
    run("recalculateFromMenu");
    expect(fakes.spreadsheet.writtenCells(["formula"]).sort()).toEqual(KLING_CELLS.sort());
    expect(JSON.stringify(fakes.ui)).toContain("4 KLING formula cells on 1 sheet recalculated");
  });

  test("tables near and over the 9 KB a property value may hold round-trip exactly", () => {
    for (const notes of [20, 60, 90]) { // 90 notes: 45 KB with the built-in table, under the 48 KB limit
      const { fakes, run } = document();
      const table = copy();
      // Text that does not compress, so the stored form spans several property values.
      for (let i = 0; i < notes; i++) {
        table.providers.push({ provider: `P${i}`, model: "m", quality: "720p", usdPerSecond: 0.05, note: `n${noise(i)}`, source: "test", asOf: "2026" });
      }
      expect(run<Saved>("saveRates", table, 0, "Imported JSON").ok).toBe(true);
      for (const [key, value] of fakes.properties.data) expect(Buffer.byteLength(key + value)).toBeLessThanOrEqual(9 * 1024);
      const parts = [...fakes.properties.data.keys()].filter((k) => k.startsWith("kb.rates.v1.")).length;
      if (notes === 20) expect(parts).toBe(1);
      else expect(parts).toBeGreaterThan(1);
      fakes.cache.dropAll(); // read from the properties, not the cache
      expect(JSON.stringify(run<RatesState>("getRatesState").table)).toBe(JSON.stringify({ ...table, version: 1 }));
      expect(run<number>("KLING_COST", "kling-v3", "720p", 10)).toBeCloseTo(0.84, 10);
    }
  });

  test("losing the cache changes nothing: the next execution reads the saved table", () => {
    const { fakes, run } = document();
    const table = copy();
    table.pricing.defaultUnitPriceUsd = 0.2;
    run<Saved>("saveRates", table, 0, "Edited");
    expect(run<number>("KLING_COST", "kling-v3", "720p", 10)).toBeCloseTo(1.2, 10);
    fakes.cache.dropAll();
    expect(run<number>("KLING_COST", "kling-v3", "720p", 10)).toBeCloseTo(1.2, 10);
    fakes.clock.advance(7 * 60 * 60 * 1000); // past any cache lifetime
    expect(run<number>("KLING_COST", "kling-v3", "720p", 10)).toBeCloseTo(1.2, 10);
  });

  test("an unchanged table is not saved as a new version", () => {
    const { run, stored } = document();
    const before = stored();
    expect(run<Failure>("saveRates", copy(), 0, "Edited")).toEqual({ ok: false, problems: ["nothing to save: the rates are the same as version 0"] });
    expect(stored()).toBe(before);
  });
});

describe("two editors", () => {
  test("a save made from an outdated version is refused with who saved the newer one, and nothing is overwritten", () => {
    const { fakes, run, stored } = document();
    const first = run<RatesState>("getRatesState");
    const second = run<RatesState>("getRatesState");
    first.table.pricing.defaultUnitPriceUsd = 0.13;
    expect(run<Saved>("saveRates", first.table, first.version, "Edited").ok).toBe(true);

    fakes.session.activeUserEmail = "ben@example.com";
    const before = stored();
    second.table.pricing.defaultUnitPriceUsd = 0.15;
    const refused = run<Failure>("saveRates", second.table, second.version, "Edited");
    expect(refused.ok).toBe(false);
    expect(refused.conflict).toBe(true);
    expect(refused.problems[0]).toMatch(/^version 1 was saved by ana@example\.com at \d{4}-\d\d-\d\d \d\d:\d\d UTC; reload to see it$/);
    expect(stored()).toBe(before);
    expect(run<RatesState>("getRatesState").table.pricing.defaultUnitPriceUsd).toBe(0.13);
  });

  test("while another execution holds the document lock, a save waits and then gives up without writing", () => {
    const { fakes, run, stored } = document();
    fakes.lock.holdElsewhere("document");
    const table = copy();
    table.pricing.defaultUnitPriceUsd = 0.13;
    const before = stored();
    expect(run<Failure>("saveRates", table, 0, "Edited")).toEqual({ ok: false, problems: ["another editor is saving the rates right now; try again in a moment"] });
    expect(stored()).toBe(before);
  });

  test("an editor the platform does not name is saved as blank and shown as another editor", () => {
    const { fakes, run } = document();
    fakes.session.activeUserEmail = "";
    const table = copy();
    table.pricing.defaultUnitPriceUsd = 0.13;
    expect(run<Saved>("saveRates", table, 0, "Edited").state.savedBy).toBe("");
    expect(run<Failure>("saveRates", table, 0, "Edited").problems[0]).toMatch(/^version 1 was saved by another editor at /);
  });
});

describe("history and undo", () => {
  test("every version is numbered with a one-line summary; undo restores as a new version; the last 20 are kept", () => {
    const { run } = document();
    let state = run<RatesState>("getRatesState");
    expect(state.undoTo).toBeNull();
    for (let i = 1; i <= 22; i++) {
      state.table.pricing.defaultUnitPriceUsd = (10 + i) / 100;
      state = run<Saved>("saveRates", state.table, state.version, "Edited").state;
    }
    expect(state.version).toBe(22);
    expect(state.history.map((h) => h.version)).toEqual([...Array.from({ length: 20 }, (_, i) => 22 - i), 0]);
    expect(state.history[0]!.summary).toBe("Edited: pricing: default unit price ($ per unit) 0.31 -> 0.32");
    expect(state.undoTo).toBe(21);

    const undone = run<Saved>("undoRates", 22);
    expect(undone.state.version).toBe(23);
    expect(undone.state.table.pricing.defaultUnitPriceUsd).toBe(0.31);
    expect(undone.state.summary).toBe("Undo to version 21: pricing: default unit price ($ per unit) 0.32 -> 0.31");
    expect(undone.state.undoTo).toBe(20);
    expect(run<number>("KLING_COST", "kling-v3", "720p", 10)).toBeCloseTo(6 * 0.31, 10);
  });

  test("restore shows the diff first, then saves it like any change; reset goes back to the built-in table", () => {
    const { run, stored } = document();
    const table = copy();
    table.packages[0]!.priceUsd = 9.5;
    run<Saved>("saveRates", table, 0, "Edited");

    const before = stored();
    const reset = run<Preview>("previewReset", 1);
    expect(stored()).toBe(before); // a preview changes nothing
    expect(reset.diff).toEqual([{ section: "packages", kind: "changed", key: "Trial S", changes: [{ field: "price ($)", from: "9.5", to: "9.8" }] }]);
    const saved = run<Saved>("saveRates", reset.table, reset.baseVersion, "Reset to built-in rates");
    expect(saved.state.version).toBe(2);
    expect(saved.state.table).toEqual({ ...defaultRateTable(), version: 2 });

    const restore = run<Preview>("previewRestore", 1, 2);
    expect(restore.diff.map((d) => d.key)).toEqual(["Trial S"]);
    expect(run<Failure>("previewRestore", 99, 2)).toEqual({ ok: false, problems: ["version 99 is no longer stored; history keeps the last 20 versions, fewer when the rate table is large"] });
  });
});

describe("bad rate cards never change the saved table", () => {
  const base = () => {
    const t = copy() as unknown as Any & RateTable;
    return t;
  };
  const rows = <K extends "rates" | "packages" | "providers" | "models">(t: RateTable, k: K) => t[k] as unknown as Any[];
  // Each is refused by the server (the authority), with the row and field named.
  const structural: [string, (t: Any & RateTable) => unknown, RegExp][] = [
    ["a rate as text", (t) => ((rows(t, "rates")[0]!.units = "0.6"), t), /rates row 1 \(kling-v3 720p none plain\), units: must be a number/],
    ["a negative rate", (t) => ((t.rates[0]!.units = -1), t), /rates row 1 .*units: must be more than 0/],
    ["a zero rate", (t) => ((t.rates[0]!.units = 0), t), /rates row 1 .*units: must be more than 0/],
    ["a missing rate", (t) => (delete rows(t, "rates")[1]!.units, t), /rates row 2 .*units: is missing/],
    ["a rate for an unknown model", (t) => ((t.rates[0]!.model = "kling-v9"), t), /model: kling-v9 is not in the models list/],
    ["a duplicate rate", (t) => (t.rates.push({ ...t.rates[0]! }), t), /repeats the rate of row 1/],
    ["an unknown audio kind", (t) => ((rows(t, "rates")[0]!.audio = "loud"), t), /audio: must be one of none, audio, voice/],
    ["a per-clip rate without a length", (t) => (delete rows(t, "rates").find((r) => r.per === "clip")!.seconds, t), /clip length \(s\): a per-clip rate needs the clip length/],
    ["a rate with an infinite value", (t) => ((t.rates[0]!.units = Number.POSITIVE_INFINITY), t), /units: (must be a number|is missing)/],
    ["a package priced with too many decimals", (t) => ((t.packages[0]!.priceUsd = 9.80001), t), /packages row 1 \(Trial S\), price \(\$\): must have at most 4 decimals/],
    ["a package with fractional units", (t) => ((t.packages[0]!.units = 100.5), t), /units: must be a whole number/],
    ["a package with negative units", (t) => ((t.packages[1]!.units = -1000), t), /packages row 2 \(Trial L\), units: must be 1 or more/],
    ["a duplicate package name", (t) => ((t.packages[1]!.name = "trial s"), t), /repeats the package name of row 1/],
    ["a default package not in the list", (t) => ((t.pricing.defaultPackage = "Package 9"), t), /default package: Package 9 is not in the packages list/],
    ["a negative purchase limit", (t) => ((t.packages[0]!.purchaseLimit = -1), t), /purchase limit: must be 0 or more/],
    ["a blank package name", (t) => ((t.packages[0]!.name = "  "), t), /name: must not be blank/],
    ["a model quality not in the qualities list", (t) => ((t.models[0]!.qualities = ["720p", "8k"]), t), /qualities: 8k not in the qualities list/],
    ["two models sharing an alias", (t) => ((t.models[1]!.aliases = ["V3"]), t), /also names kling-v3/],
    ["a provider with a text price", (t) => ((rows(t, "providers")[0]!.usdPerSecond = "cheap"), t), /providers row 1 .*USD per second: must be a number/],
    ["an unknown field", (t) => ((t.colour = "red"), t), /has unknown field colour/],
    ["a wrong schema version", (t) => ((t.schemaVersion = 2 as 1), t), /format version: must be 1/],
    ["a bad date", (t) => ((t.rates[0]!.asOf = "last week"), t), /as of: must be a date such as 2026-11-24/],
    ["no packages", (t) => ((t.packages = []), t), /packages: needs at least one row/],
    ["a wrong currency", (t) => ((rows({ ...t, rates: [t.pricing as unknown as RateTable["rates"][number]] } as RateTable, "rates")[0]!.currency = "EUR"), t), /pricing, currency: must be USD/],
    ["not an object", () => "rates", /rate table/],
    ["null", () => null, /rate table/],
    ["an oversized table", (t) => {
      for (let i = 0; i < 400; i++) t.providers.push({ provider: `P${i}`, model: "m", quality: "720p", usdPerSecond: 0.05, note: "x".repeat(290), source: "s", asOf: "2026" });
      return t;
    }, /(at most 48 KB can be saved|has more than 200 rows)/],
  ];

  test.each(structural)("%s", (_, make, message) => {
    const { run, stored } = document();
    const table = copy();
    table.pricing.defaultUnitPriceUsd = 0.13;
    run<Saved>("saveRates", table, 0, "Edited"); // a saved table to protect
    const before = stored();
    const candidate = make(base());
    const preview = run<Failure>("previewRates", candidate, 1);
    const save = run<Failure>("saveRates", candidate, 1, "Imported JSON");
    for (const answer of [preview, save]) {
      expect(answer.ok).toBe(false);
      expect(answer.problems.join("\n")).toMatch(message);
    }
    expect(stored()).toBe(before);
    expect(run<RatesState>("getRatesState").table.pricing.defaultUnitPriceUsd).toBe(0.13);
  });

  // Text that never becomes a table: refused when the sidebar reads it, so nothing reaches the server.
  test.each([
    ["not JSON", "{ rates: [ }", /not valid JSON/],
    ["a JSON list", "[]", /not a rate table/],
    ["an empty card", "", /empty/],
    ["CSV with a decimal comma", "model,quality,units\nkling-v3,720p,0,6", /a decimal comma/],
    ["CSV with an unknown column", "model,quality,units,colour\nkling-v3,720p,0.6,red", /column 4 "colour": not a column of a rate card/],
    ["CSV with no recognisable header", "a,b,c\n1,2,3", /^this is not a rate card: expected a header row such as/],
  ])("%s", (_, text, message) => {
    const card = parseRateCard(text, copy(), "2026-11-24");
    expect(card.ok).toBe(false);
    expect((card as Failure).problems.join("\n")).toMatch(message);
  });

  test("a CSV card whose rows are wrong is refused by its lines; the same table sent to the server is refused by the row", () => {
    const { run, stored } = document();
    const card = parseRateCard("model,quality,units\nkling-v3,720p,-0.6\nkling-v3,9000p,0.7", copy(), "2026-11-24");
    expect(card).toEqual({ ok: false, problems: ["line 2 (kling-v3 720p none plain), units: must be more than 0"] });
    const table = copy();
    table.rates[0]!.units = -0.6;
    const before = stored();
    const answer = run<Failure>("saveRates", table, 0, "Imported CSV");
    expect(answer.problems).toEqual([
      "rates row 1 (kling-v3 720p none plain), units: must be more than 0",
    ]);
    expect(stored()).toBe(before);
  });
});

describe("refresh from the team's URL", () => {
  const url = "https://raw.githubusercontent.com/acme/rates/main/card.json";
  test("fetches over https, checks status and size, remembers the URL, and changes no rates", () => {
    const good = JSON.stringify({ ...copy(), pricing: { ...copy().pricing, defaultUnitPriceUsd: 0.12 } });
    const { fakes, run } = document({ routes: { [url]: { status: 200, body: good } } });
    const fetched = run<Fetched>("fetchRateCard", url);
    expect(fetched).toEqual({ ok: true, url, text: good, bytes: Buffer.byteLength(good) });
    expect(fakes.urlFetch.requests[0]).toMatchObject({ url, muteHttpExceptions: true });
    const state = run<RatesState>("getRatesState");
    expect(state.refreshUrl).toBe(url);
    expect(state.version).toBe(0);
    const preview = run<Preview>("previewRates", JSON.parse(fetched.text), 0);
    expect(preview.summary).toBe("pricing: default unit price ($ per unit) 0.14 -> 0.12");
  });

  test.each([
    ["http://", "http://raw.githubusercontent.com/acme/rates/main/card.json", undefined, /uses http:\/\/; only https:\/\//],
    ["a host the manifest does not allow", "https://evil.example.com/card.json", undefined, /not under an address this add-in may fetch/],
    ["a 404", url, { status: 404, body: "Not Found" }, /answered HTTP 404; a rate card needs 200/],
    ["a 500", url, { status: 500, body: "oops" }, /answered HTTP 500/],
    ["an oversized card", url, { status: 200, body: "x".repeat(1024 * 1024 + 1) }, /a rate card may be at most 1024 KB/],
    ["an empty body", url, { status: 200, body: "  " }, /sent an empty rate card/],
    ["an unreachable host", "https://raw.githubusercontent.com/acme/other.csv", undefined, /could not fetch .*DNS error/],
  ])("%s is refused and remembered nowhere", (_, address, route, message) => {
    const { run, stored } = document({ routes: route ? { [address]: route } : {} });
    const before = stored();
    const answer = run<Failure>("fetchRateCard", address);
    expect(answer.ok).toBe(false);
    expect(answer.problems[0]).toMatch(message);
    expect(stored()).toBe(before);
  });
});

describe("menu, sidebar and template", () => {
  test("onOpen builds only the add-on menu, also in AuthMode.NONE; onInstall does the same", () => {
    for (const fn of ["onOpen", "onInstall"]) {
      const { fakes } = document();
      const { call } = loadBundle(fakes.globals);
      fakes.log.calls.length = 0;
      call(fn, fakes.openEvent("NONE"));
      expect(fakes.menuItems()).toEqual([
        { path: "Kling Budget > Rates...", functionName: "showRatesSidebar" },
        { path: "Kling Budget > Recalculate KLING formulas", functionName: "recalculateFromMenu" },
        { path: "Kling Budget > Insert budget template", functionName: "insertBudgetTemplate" },
        { path: "Kling Budget > Sync Kling account", functionName: "syncKlingAccountFromMenu" },
      ]);
      expect(fakes.log.calls.filter((c) => /properties|cache|lock|urlFetch/i.test(c))).toEqual([]);
    }
  });

  test("Rates... opens the built sidebar file", () => {
    const { fakes, run } = document();
    run("showRatesSidebar");
    expect(fakes.ui.sidebars).toHaveLength(1);
    const sidebar = fakes.ui.sidebars[0]!;
    expect(sidebar.getTitle()).toBe("Kling Budget rates");
    expect(sidebar.getContent()).toContain("<script>"); // dist/Sidebar.html, script inlined
  });

  test("the budget template goes on a new sheet with a free name, never over an existing one", () => {
    const { fakes, run } = document();
    fakes.spreadsheet.addSheet("Kling budget", [["mine"]]);
    const name = run<string>("insertBudgetTemplate");
    expect(name).toBe("Kling budget 2");
    expect(fakes.spreadsheet.grid("Kling budget")).toEqual([["mine"]]);
    const grid = fakes.spreadsheet.grid("Kling budget 2");
    expect(grid[0]).toEqual(["Shot", "Model", "Quality", "Seconds", "Audio", "Input", "Clips", "Units per clip", "Cost per clip (USD)", "Units", "Cost (USD)"]);
    expect(String(grid[1]![7])).toMatch(/^=KLING_UNITS\(B2:B21, /);
    expect(String(grid[1]![10])).toMatch(/^=ARRAYFORMULA\(IF\(ISNUMBER\(I2:I21\), I2:I21 \* G2:G21, ""\)\)/);
    expect(fakes.spreadsheet.frozenRows("Kling budget 2")).toBe(1);
    expect(fakes.spreadsheet.cell("'Kling budget 2'!K22").numberFormat).toBe('"$"#,##0.00');
    expect(fakes.spreadsheet.cell("'Kling budget 2'!B25").numberFormat).toBe("0%");
    expect(fakes.spreadsheet.cell("'Kling budget 2'!A1").fontWeight).toBe("bold");
  });
});
