// Rate cards and names through the built dist/Code.js over the fakes: the sidebar reads the card
// (src/core/rates/card.ts, bundled into the sidebar), the server previews and saves what it sends.
import { parseRateCard } from "../../src/core/rates/card";
import type { RateTable } from "../../src/core/rates/types";
import type { Failure, Preview, RatesState, Saved } from "../../src/gas/sidebar-types";
import { fakeServices } from "../fakes/index";
import { loadBundle, outcome } from "./harness";

function document() {
  const fakes = fakeServices({ session: { activeUserEmail: "ana@example.com" }, spreadsheet: { sheets: { Budget: [["Shot"]] } } });
  /** One execution: a fresh script over the same document; the answer crosses as JSON, as google.script.run sends it. */
  function run<T>(name: string, ...args: unknown[]): T {
    const { context, call } = loadBundle(fakes.globals);
    fakes.newExecution(context);
    return JSON.parse(JSON.stringify(call(name, ...JSON.parse(JSON.stringify(args))) ?? null)) as T;
  }
  function cell(name: string, ...args: unknown[]): unknown {
    const { context, call } = loadBundle(fakes.globals);
    fakes.newExecution(context);
    return outcome(() => call(name, ...args));
  }
  const stored = () => JSON.stringify([...fakes.properties.data].sort());
  /** What the sidebar does with a card: read it against the saved table, then ask the server. */
  function importCard(text: string) {
    const state = run<RatesState>("getRatesState");
    const card = parseRateCard(text, state.table, state.today);
    if (!card.ok) throw new Error(card.problems.join("\n"));
    return { preview: run<Preview | Failure>("previewRates", card.candidate, state.version), candidate: card.candidate, version: state.version };
  }
  function importAndSave(text: string): Saved {
    const { candidate, version } = importCard(text);
    const saved = run<Saved | Failure>("saveRates", candidate, version, "Imported CSV");
    if (!saved.ok) throw new Error(saved.problems.join("\n"));
    return saved;
  }
  return { fakes, run, cell, stored, importCard, importAndSave };
}

const keys = (preview: Preview | Failure) => (preview.ok ? preview.diff.map((d) => `${d.kind} ${d.section} ${d.key}`) : preview.problems);

describe("a card never removes or merges rows it does not name", () => {
  test("a CSV that adds provider 海螺 keeps provider 可灵; Paket Ü is added beside Paket Ö", () => {
    const doc = document();
    doc.importAndSave("provider,model,quality,usdPerSecond\n可灵,Kling 3.0,720p,0.08\nPaket Ö,Kling 3.0,720p,0.09");
    const { preview } = doc.importCard("provider,model,quality,usdPerSecond\n海螺,Hailuo 02,720p,0.05\nPaket Ü,Kling 3.0,720p,0.07");
    expect(keys(preview)).toEqual(["added providers 海螺 kling-v3 720p", "added providers Paket Ü kling-v3 720p"]);
    doc.importAndSave("provider,model,quality,usdPerSecond\n海螺,Hailuo 02,720p,0.05\nPaket Ü,Kling 3.0,720p,0.07");
    const providers = doc.run<RatesState>("getRatesState").table.providers.map((p) => `${p.provider} ${p.usdPerSecond}`);
    expect(providers).toEqual(expect.arrayContaining(["可灵 0.08", "Paket Ö 0.09", "海螺 0.05", "Paket Ü 0.07"]));
  });

  test("packages in other scripts keep apart too", () => {
    const doc = document();
    doc.importAndSave("name,price,units,validity,concurrency\nPaket Ö,100,1000,30,5");
    const { preview } = doc.importCard("name,price,units,validity,concurrency\nPaket Ü,200,2000,30,5");
    expect(keys(preview)).toEqual(["added packages Paket Ü"]);
  });
});

describe("look-alike and formula-like names are refused by the server, and nothing is stored", () => {
  const edits: [string, (t: RateTable) => void, RegExp][] = [
    ["a package with a Cyrillic а", (t) => t.packages.push({ ...t.packages[2]!, name: "P\u0430ckage 1", priceUsd: 600 }),
      /^packages row 7 \(P\u0430ckage 1\): the package name "P\u0430ckage 1" looks like "Package 1" of packages row 3 \(Package 1\) but is a different name \(it has \u0430 \(U\+0430\)\)/],
    ["a model alias with a non-breaking hyphen", (t) => t.models[1]!.aliases.push("kling\u2011v3"),
      /^models row 2 \(kling-v3-omni\): the name "v3" also names kling-v3$/],
    ["a package name with a zero-width space", (t) => t.packages.push({ ...t.packages[2]!, name: "Package 1\u200b" }),
      /^packages row 7 \(Package 1\[U\+200B\]\): repeats the package name of row 3$/],
    ["a provider with a Cyrillic а", (t) => t.providers.push({ ...t.providers[0]!, provider: "Atl\u0430s Cloud", quality: "1080p" }),
      /the provider "Atl\u0430s Cloud" looks like "Atlas Cloud" of providers row 1/],
    ["a formula as a package name", (t) => t.packages.push({ ...t.packages[2]!, name: '=HYPERLINK("https://x.example","Package 9")' }),
      /^packages row 7 .*, name: .* would run as a formula when opened in a spreadsheet \(it starts with =\); remove the =$/],
    ["a formula as a source", (t) => (t.rates[0]!.source = "@SUM(A1)"), /^rates row 1 .*, source: "@SUM\(A1\)" would run as a formula/],
    ["a formula as a note", (t) => (t.providers[0]!.note = "+IMPORTXML(A1)"), /^providers row 1 .*, note: "\+IMPORTXML\(A1\)" would run as a formula/],
  ];
  test.each(edits)("%s", (_, edit, message) => {
    const doc = document();
    const state = doc.run<RatesState>("getRatesState");
    const table = state.table;
    table.pricing.defaultUnitPriceUsd = 0.13;
    expect(doc.run<Saved>("saveRates", table, 0, "Edited").ok).toBe(true); // a saved table to protect
    const before = doc.stored();
    edit(table);
    for (const answer of [doc.run<Failure>("previewRates", table, 1), doc.run<Failure>("saveRates", table, 1, "Imported JSON")]) {
      expect(answer.ok).toBe(false);
      expect(answer.problems.some((p) => message.test(p))).toBe(true);
    }
    expect(doc.stored()).toBe(before);
  });

  test("messages use the sidebar's words, never the table's field names", () => {
    const doc = document();
    const table = doc.run<RatesState>("getRatesState").table;
    table.packages[0]!.priceUsd = 9.80001;
    table.packages[1]!.validityDays = 0;
    table.pricing.defaultUnitPriceUsd = -1;
    const answer = doc.run<Failure>("previewRates", table, 0);
    expect(answer.problems).toEqual([
      "pricing, default unit price ($ per unit): must be more than 0",
      "packages row 1 (Trial S), price ($): must have at most 4 decimals",
      "packages row 2 (Trial L), valid (days): must be 1 or more",
    ]);
  });
});

describe("a semicolon-separated card with decimal commas", () => {
  test("is read in its own convention, saved, and priced by the formulas", () => {
    const doc = document();
    const { preview } = doc.importCard("model;quality;units;source\nkling-v3;720p;0,65;Team card\nkling-v3;1080p;0,85;Team card\n");
    expect(preview.ok && preview.summary).toBe("rates 2 changed");
    doc.importAndSave("model;quality;units;source\nkling-v3;720p;0,65;Team card\nkling-v3;1080p;0,85;Team card\n");
    expect(doc.cell("KLING_UNITS", "kling-v3", "1080p", 10)).toEqual({ value: 8.5 });
  });
});

describe("text pasted from elsewhere, in a cell", () => {
  test.each([
    ["a zero-width space", "kling-v3\u200b"],
    ["a non-breaking hyphen", "kling\u2011v3"],
    ["a non-breaking space", "Kling\u00a03.0"],
  ])("a model with %s is read as the model", (_, model) => {
    const doc = document();
    expect(doc.cell("KLING_COST", model, "1080p", 10)).toEqual({ value: 1.12 });
    expect(doc.cell("KLING_COST", "kling-v3", "1080p\u200b", 10, false, "plain\u00a0", "Package\u00a03")).toEqual({ value: 1.008 });
  });

  test("a message quoting such a value shows the character", () => {
    const doc = document();
    const { error } = doc.cell("KLING_COST", "kling-v9\u200b", "1080p", 10) as { error: string };
    expect(error).toMatch(/^model: "kling-v9\[U\+200B\]" is not a known model/);
  });
});

describe("the confusables table the bundle carries", () => {
  // build.mjs ships only the part of the table that NFKC-normalized names can reach; a sample of
  // every look-alike character in it must be judged by the bundle as the source judges it.
  test("a name with a look-alike character is judged the same by dist/Code.js and by the source", () => {
    const data = require("unhomoglyph/data.json") as Record<string, string>;
    const { validateRateTable } = require("../../src/core/rates/schema") as typeof import("../../src/core/rates/schema");
    const doc = document();
    const base = doc.run<RatesState>("getRatesState").table;
    const { context, call } = loadBundle(doc.fakes.globals);
    doc.fakes.newExecution(context);
    const sample = Object.entries(data).filter(([, to]) => /^[a-z0-9]$/i.test(to)).filter((_, i) => i % 4 === 0);
    expect(sample.length).toBeGreaterThan(100);
    let refused = 0;
    for (const [from, to] of sample) {
      const table: RateTable = JSON.parse(JSON.stringify(base));
      table.packages.push({ ...table.packages[0]!, name: `Pack ${to}` }, { ...table.packages[0]!, name: `Pack ${from}` });
      const bySource = validateRateTable(table).ok;
      const byBundle = (call("previewRates", table, 0) as { ok: boolean }).ok;
      expect([from, byBundle]).toEqual([from, bySource]);
      if (!bySource) refused++;
    }
    expect(refused).toBeGreaterThan(sample.length / 2);
  });
});
