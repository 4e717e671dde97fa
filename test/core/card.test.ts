// Rate cards as analysts bring them: JSON exports and CSV from any spreadsheet, in any locale.
import { parseRateCard } from "../../src/core/rates/card";
import { defaultRateTable } from "../../src/core/rates/default-table";
import { diffTables } from "../../src/core/rates/diff";
import type { RateTable } from "../../src/core/rates/types";

const copy = (): RateTable => JSON.parse(JSON.stringify(defaultRateTable()));
const today = "2026-11-24";

function read(text: string, table = copy()): RateTable {
  const card = parseRateCard(text, table, today);
  if (!card.ok) throw new Error(card.problems.join("\n"));
  return card.candidate;
}
function refused(text: string, table = copy()): string[] {
  const card = parseRateCard(text, table, today);
  if (card.ok) throw new Error("the card was read");
  return card.problems;
}
const rate = (t: RateTable, model: string, quality: string) => t.rates.find((r) => r.model === model && r.quality === quality && r.audio === "none" && r.input === "plain")!;
const changes = (before: RateTable, after: RateTable) => diffTables(before, after).map((d) => `${d.kind} ${d.section} ${d.key}`);

describe("what a card reads", () => {
  test("the export format (JSON) reads back as the same table", () => {
    expect(parseRateCard(JSON.stringify(copy(), null, 2), copy(), today)).toEqual({ ok: true, candidate: copy(), format: "json" });
  });

  test("a CSV of rates updates the rows it names, adds new ones and removes nothing; missing fields get defaults", () => {
    const before = copy();
    const candidate = read("model,quality,units,input\nkling-v3,720p,0.7,\nkling-v3,4k,3.2,motion-control\n", before);
    const updated = before.rates.indexOf(rate(before, "kling-v3", "720p"));
    expect(candidate.rates[updated]).toEqual({ ...before.rates[updated], units: 0.7, source: "Imported rate card (CSV)", asOf: today });
    expect(candidate.rates.length).toBe(before.rates.length + 1);
    expect(candidate.rates.at(-1)).toEqual({ model: "kling-v3", quality: "4k", units: 3.2, audio: "none", input: "motion-control", per: "second", source: "Imported rate card (CSV)", asOf: today });
    expect(changes(before, candidate)).toEqual(["changed rates kling-v3 720p", "added rates kling-v3 4k motion control"]);
  });

  test("a CSV with a section column can carry several sections, quoted commas included", () => {
    const csv = [
      "section,name,priceUsd,units,validityDays,concurrency,purchaseLimit,provider,quality,usdPerSecond,model,note",
      "packages,Package 1,700,5000,180,20,,,,,,",
      'providers,,,,,,,"Acme, Inc.",720p,0.07,Kling V3.0,"rate card, Nov"',
      "pricing,,,,,,,,,,,",
    ].join("\n");
    const t = read(csv);
    expect(t.packages.find((p) => p.name === "Package 1")).toEqual({ name: "Package 1", priceUsd: 700, units: 5000, validityDays: 180, concurrency: 20, purchaseLimit: null, source: "Imported rate card (CSV)", asOf: today });
    expect(t.packages.length).toBe(copy().packages.length);
    expect(t.providers.at(-1)).toMatchObject({ provider: "Acme, Inc.", note: "rate card, Nov", usdPerSecond: 0.07 });
    expect(t.rates).toEqual(copy().rates);
  });

  test("a header may use the sidebar's words, in any case", () => {
    const t = read("Name,Price ($),Units,Valid (days),Concurrency\nPackage 5,9000,70000,365,20");
    expect(t.packages.at(-1)).toMatchObject({ name: "Package 5", priceUsd: 9000, units: 70000, validityDays: 365, concurrency: 20 });
  });

  test("a rate's model and quality are read as a formula reads them: short names, any case, pasted characters", () => {
    const t = read("model,quality,units\nKling 3.0,PRO,0.9\nkling\u2011v3\u200b,std,0.65");
    expect(rate(t, "kling-v3", "1080p").units).toBe(0.9);
    expect(rate(t, "kling-v3", "720p").units).toBe(0.65);
    expect(t.rates.length).toBe(copy().rates.length);
  });
});

describe("a card never removes or merges rows it does not name", () => {
  test("names in other scripts keep their own rows: 海螺 is added beside 可灵, Paket Ü beside Paket Ö", () => {
    const before = read("provider,model,quality,usdPerSecond\n可灵,Kling 3.0,720p,0.08\nPaket Ö,Kling 3.0,720p,0.09");
    const after = read("provider,model,quality,usdPerSecond\n海螺,Hailuo 02,720p,0.05\nPaket Ü,Kling 3.0,720p,0.07", before);
    expect(changes(before, after)).toEqual(["added providers 海螺 kling-v3 720p", "added providers Paket Ü kling-v3 720p"]);
    expect(after.providers.filter((p) => p.provider === "可灵" || p.provider === "Paket Ö").map((p) => p.usdPerSecond)).toEqual([0.08, 0.09]);

    const packages = read("name,price,units,validity,concurrency\nPaket Ö,100,1000,30,5");
    const next = read("name,price,units,validity,concurrency\nPaket Ü,200,2000,30,5", packages);
    expect(next.packages.map((p) => p.name).slice(-2)).toEqual(["Paket Ö", "Paket Ü"]);
  });

  test("a name with a look-alike letter is refused, naming both rows", () => {
    expect(refused("name,price,units,validity,concurrency\nP\u0430ckage 1,700,5000,180,20")).toEqual([
      'line 2 (P\u0430ckage 1): the package name "P\u0430ckage 1" looks like "Package 1" of packages row 3 (Package 1) but is a different name (it has \u0430 (U+0430)); spell it the same way if it is the same package name, or give it a name that looks different',
    ]);
  });

  test("the same name written with a non-breaking space or a zero-width space updates that row", () => {
    const t = read("name,price,units,validity,concurrency\nPackage\u00a01\u200b,690,5000,180,20");
    expect(t.packages.length).toBe(copy().packages.length);
    expect(t.packages.find((p) => p.name === "Package 1")!.priceUsd).toBe(690);
  });

  test("a card that names the same row twice is refused", () => {
    expect(refused("name,priceUsd,units,validityDays,concurrency\nPackage 1,700,5000,180,20\npackage-1,690,5000,180,20")).toEqual(["line 3: repeats the package of line 2"]);
  });

  test("a header that repeats a column is refused", () => {
    expect(refused("model,quality,units,units\nkling-v3,720p,0.6,0.7")).toEqual(['line 1: the column "units" appears twice (columns 3 and 4); give each column once']);
    expect(refused("name,price,priceUsd,units,validity,concurrency\nPackage 1,700,710,5000,180,20")).toEqual(['line 1: the column "price ($)" appears twice (columns 2 and 3); give each column once']);
  });

  test.each([
    ["a name", "name,price,units,validity,concurrency\n=HYPERLINK(\"https://x.example\"),700,5000,180,20", /^line 2 \(.*\), name: "=HYPERLINK\(.*would run as a formula when opened in a spreadsheet \(it starts with =\); remove the =$/],
    ["a source", "model,quality,units,source\nkling-v3,720p,0.6,+cmd|' /C calc'!A0", /^line 2 \(kling-v3 720p none plain\), source: .*starts with \+/],
    ["a note", "provider,quality,usdPerSecond,model,note\nAcme,720p,0.07,V3,@SUM(A1:A9)", /^line 2 \(Acme 720p\), note: .*starts with @/],
    ["a provider", "provider,quality,usdPerSecond,model\n-IMPORTXML(A1),720p,0.07,V3", /^line 2 .*provider: .*starts with -/],
  ])("text a spreadsheet would run as a formula is refused: %s", (_, text, message) => {
    const problems = refused(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  test("text that only looks a little like a formula is kept", () => {
    const t = read("provider,quality,usdPerSecond,model,note\nAcme,720p,0.07,V3,-20% for volume\nB+ Cloud,1080p,0.09,V3,list = 0.09");
    expect(t.providers.slice(-2).map((p) => [p.provider, p.note])).toEqual([["Acme", "-20% for volume"], ["B+ Cloud", "list = 0.09"]]);
  });
});

describe("numbers in the card's own convention", () => {
  test("a semicolon-separated card with decimal commas (Excel in most of Europe) is read correctly", () => {
    const t = read("model;quality;units;source\nkling-v3;720p;0,65;Team card\nkling-v3;1080p;0,85;Team card\n");
    expect(rate(t, "kling-v3", "720p").units).toBe(0.65);
    expect(rate(t, "kling-v3", "1080p").units).toBe(0.85);
  });

  test("a \"sep=;\" line, as Excel may write first, names the delimiter and keeps the line numbers", () => {
    expect(rate(read("sep=;\r\nmodel;quality;units\r\nkling-v3;1080p;0,85\r\n"), "kling-v3", "1080p").units).toBe(0.85);
    expect(refused("sep=;\nmodel;quality;units\nkling-v3;1080p;-0,85")).toEqual(["line 3 (kling-v3 1080p none plain), units: must be more than 0"]);
  });

  test("thousands groups are read in the card's convention once its decimals show it", () => {
    const t = read("section;name;price;units;validity;concurrency;usdPerSecond;provider;quality;model\npackages;Package 5;9.000,50;70.000;365;20;;;;\nproviders;;;;;;0,07;Acme;720p;V3");
    expect(t.packages.at(-1)).toMatchObject({ priceUsd: 9000.5, units: 70000 });
    const us = read("name\tprice\tunits\tvalidity\tconcurrency\nPackage 5\t9,000.50\t70,000\t365\t20");
    expect(us.packages.at(-1)).toMatchObject({ priceUsd: 9000.5, units: 70000 });
  });

  test.each([
    ["a thousands group with nothing to tell the convention", "name;price;units;validity;concurrency\nPackage 5;9000;70.000;365;20", 'line 2, units: "70.000" could be 70 or 70000: no other number in the card shows whether it writes decimals with a comma or a point; write it without a thousands separator'],
    ["a comma group likewise", "model;quality;units\nkling-v3;4k;3,000", 'line 2, units: "3,000" could be 3 or 3000: no other number in the card shows whether it writes decimals with a comma or a point; write it without a thousands separator'],
    ["decimal commas and points in one card", "model;quality;units\nkling-v3;720p;0,65\nkling-v3;1080p;0.85", "the card separates its columns with semicolons and mixes decimal commas (line 2: 0,65) with decimal points (line 3: 0.85); write every number the same way"],
    ["text where a number goes", "model,quality,units\nkling-v3,720p,six", 'line 2, units: "six" is not a number'],
  ])("refused, never misread: %s", (_, text, message) => {
    expect(refused(text)).toEqual([message]);
  });

  test("in a comma-separated card a quoted \"0,85\" gets the same hint as an unquoted 0,85", () => {
    const hint = "a decimal comma? this card separates its columns with commas, so write decimals with a point (0.85) and no thousands separator, or save the card with semicolons between columns";
    expect(refused("model,quality,units\nkling-v3,720p,0,85")).toEqual([`line 2 has 4 values but the header has 3; ${hint}`]);
    expect(refused('model,quality,units\nkling-v3,720p,"0,85"')).toEqual([`line 2, units: "0,85": ${hint}`]);
    expect(refused('model,quality,units\nkling-v3,4k,"3,000"')).toEqual([`line 2, units: "3,000": ${hint}`]);
  });
});

describe("messages name the card's line in the words on screen", () => {
  test("an error on CSV line 3 says line 3, not the table's row", () => {
    expect(refused("model,quality,units\n\nkling-v3,720p,-0.6")).toEqual(["line 3 (kling-v3 720p none plain), units: must be more than 0"]);
  });

  test("a one-line card that adds a row names its line, not the table's row 30", () => {
    expect(refused("model,quality,units\nkling-v3,9000p,0.7")).toEqual(["line 2 (kling-v3 9000p none plain), quality: kling-v3 does not make 9000p"]);
  });

  test("a quoted value over two lines does not shift the lines after it", () => {
    const text = 'provider,quality,usdPerSecond,model,note\nAcme,720p,0.07,V3,"first line\nsecond line"\nBeta,720p,0,V3,';
    expect(refused(text)).toEqual(["line 4 (Beta 720p), USD per second: must be more than 0"]);
  });

  test("package fields use the sidebar's words, never priceUsd or validityDays", () => {
    const problems = refused("name,priceUsd,units,validityDays,concurrency\nPackage 5,9.00001,70000,0,20");
    expect(problems).toEqual(["line 2 (Package 5), price ($): must have at most 4 decimals", "line 2 (Package 5), valid (days): must be 1 or more"]);
    expect(problems.join("\n")).not.toMatch(/priceUsd|validityDays/);
  });

  test("a JSON card names the line where the bad row starts", () => {
    const table = copy();
    table.packages[1]!.priceUsd = -1;
    table.pricing.defaultUnitPriceUsd = 0;
    const text = JSON.stringify(table, null, 2);
    const lines = text.split("\n");
    const packageLine = lines.findIndex((l, i) => l.includes('"name": "Trial L"') && i > 0) ; // the row's first field is on the line after its "{"
    const pricingLine = lines.findIndex((l) => l.includes('"pricing"')) + 1;
    expect(refused(text)).toEqual([
      `line ${pricingLine} (pricing), default unit price ($ per unit): must be more than 0`,
      `line ${packageLine} (Trial L), price ($): must be more than 0`,
    ]);
  });

  test("text that is not JSON says where, without the parser's words", () => {
    const [problem] = refused('{\n  "pricing": {\n    "currency": "USD",,\n  }\n}');
    expect(problem).toBe("the rate card is not valid JSON at line 3: look there for a missing comma, quote or bracket");
  });

  test.each([
    ["one column of words", "hello\nworld"],
    ["a header of unknown columns", "a,b,c\n1,2,3"],
    ["a semicolon header of unknown columns", "a;b;c\n1;2;3"],
  ])("%s: this is not a rate card, with the header expected", (_, text) => {
    const problems = refused(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^this is not a rate card: expected a header row such as "model,quality,units" \(rates\)/);
    expect(problems[0]).not.toMatch(/delimit|token|Papa/i);
  });

  test.each([
    ["", /^the rate card is empty/],
    ["   \n", /^the rate card is empty/],
    ["[1, 2]", /^the JSON is not a rate table/],
    ["model,quality,units\n", /^the card has a header row \(line 1\) but no rows under it$/],
    ["model,quality,units,colour\nkling-v3,720p,0.6,red", /^line 1, column 4 "colour": not a column of a rate card; the columns are .*valid \(days\)/],
    ["section,model,quality,units\nrate,kling-v3,720p,0.6", /^line 2, section: "rate" is not one of pricing, models, packages, rates, providers$/],
    ['model,quality,units\nkling-v3,"720p,0.6', /^line 2: a quoted value is not closed/],
  ])("%j is refused with a message", (text, message) => {
    expect(refused(text).join("\n")).toMatch(message);
  });
});
