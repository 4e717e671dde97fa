// Names as typed or pasted: one key per name, different names never share one.
import fc from "fast-check";
import { defaultRateTable } from "../../src/core/rates/default-table";
import { compileLookup, primeRateIndex, type RateLookup, rateIndex } from "../../src/core/rates/lookup";
import { validateRateTable } from "../../src/core/rates/schema";
import type { RateTable } from "../../src/core/rates/types";
import { lookAlikes } from "../../src/core/text/confusables";
import { formulaStart, nameKey, showInvisible } from "../../src/core/text/names";

const copy = (): RateTable => JSON.parse(JSON.stringify(defaultRateTable()));

/** A letter or digit that NFKC keeps as itself and that folds to something other than every other one we pick. */
const letter = fc.oneof(
  fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789"),
  fc.integer({ min: 0xa1, max: 0x2fff }).map((c) => String.fromCodePoint(c)),
  fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c)),
).filter((ch) => /^[\p{L}\p{N}]$/u.test(ch) && ch.normalize("NFKC") === ch && ch.toLowerCase() === ch && ch.toUpperCase().toLowerCase() === ch);
const word = fc.array(letter, { minLength: 1, maxLength: 8 }).map((cs) => cs.join(""));
const name = fc.array(word, { minLength: 1, maxLength: 3 }).map((ws) => ws.join(" "));
const NOISE = ["\u200b", "\u00a0", "\u2011", "\ufeff", "\u00ad", "\u2060", " ", "-", "."];

describe("name keys", () => {
  test("the issue's names keep apart", () => {
    expect(nameKey("海螺")).not.toBe(nameKey("可灵"));
    expect(nameKey("Paket Ü")).not.toBe(nameKey("Paket Ö"));
    expect(nameKey("Paket Ü")).toBe(nameKey("paket-ü"));
    expect(nameKey("Straße")).toBe(nameKey("STRASSE"));
    expect(nameKey("ＫＬＩＮＧ－Ｖ３")).toBe(nameKey("kling-v3")); // full-width, as some keyboards type it
  });

  test("property: names that differ in a letter or digit never share a key", () => {
    fc.assert(fc.property(name, letter, letter, name, (before, a, b, after) => {
      fc.pre(a !== b);
      expect(nameKey(`${before}${a}${after}`)).not.toBe(nameKey(`${before}${b}${after}`));
    }), { numRuns: 2000 });
  });

  test("property: a longer or shorter name never shares a key", () => {
    fc.assert(fc.property(name, letter, (n, a) => {
      expect(nameKey(n + a)).not.toBe(nameKey(n));
      expect(nameKey(a + n)).not.toBe(nameKey(n));
    }), { numRuns: 1000 });
  });

  test("property: case, spaces, dashes and what a paste brings along do not change a key", () => {
    fc.assert(fc.property(name, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...NOISE)), { maxLength: 4 }), fc.boolean(), (n, inserts, upper) => {
      const chars = [...n];
      for (const [at, ch] of inserts) chars.splice(at % (chars.length + 1), 0, ch);
      const pasted = chars.join("");
      expect(nameKey(upper ? pasted.toUpperCase() : pasted)).toBe(nameKey(n));
    }), { numRuns: 1000 });
  });
});

describe("custom functions read pasted names", () => {
  test.each([
    ["a zero-width space at the end", "kling-v3\u200b"],
    ["a non-breaking hyphen", "kling\u2011v3"],
    ["a non-breaking space", "Kling\u00a03.0"],
    ["a byte-order mark", "\ufeffkling-v3"],
    ["full-width letters", "ｋｌｉｎｇ-ｖ３"],
  ])("%s", (_, typed) => {
    expect(rateIndex(copy()).findModel(typed)?.id).toBe("kling-v3");
  });

  test("a package typed with a non-breaking space is found", () => {
    expect(rateIndex(copy()).findPackage("Package\u00a03")?.name).toBe("Package 3");
  });
});

describe("showing what cannot be seen", () => {
  test("invisible characters, odd spaces and hyphens show as code points; plain text is unchanged", () => {
    expect(showInvisible("kling-v3\u200b")).toBe("kling-v3[U+200B]");
    expect(showInvisible("kling\u2011v9\u00a0pro")).toBe("kling[U+2011]v9[U+00A0]pro");
    expect(showInvisible("海螺 02")).toBe("海螺 02");
    expect(showInvisible("kling-v3 1080p")).toBe("kling-v3 1080p");
  });
});

describe("look-alike names", () => {
  const named = (...names: string[]) => names.map((n, owner) => ({ name: n, owner }));
  test.each([
    ["a Cyrillic а", "P\u0430ckage 1", "Package 1"],
    ["a Greek ο", "kling-v3-\u03bfmni", "kling-v3-omni"],
    ["a Cyrillic І beside a Latin l", "Tria\u0406 S", "Trial S"],
  ])("%s is found beside the real name", (_, fake, real) => {
    expect(lookAlikes(named(real, fake))).toEqual([{ name: { name: fake, owner: 1 }, like: { name: real, owner: 0 } }]);
  });

  test("names typed in plain ASCII, other scripts and names of the same row are not look-alikes", () => {
    expect(lookAlikes(named("Video 3.0", "Video-3O"))).toEqual([]);
    expect(lookAlikes(named("海螺", "可灵", "Paket Ü", "Paket Ö"))).toEqual([]);
    expect(lookAlikes([{ name: "Kling 3.0", owner: 0 }, { name: "K\u0399ing 3.0", owner: 0 }])).toEqual([]);
  });

  test("a table with a model alias written with a Cyrillic letter is refused, naming both", () => {
    const t = copy();
    t.models[1]!.aliases.push("V3 \u041emni", "Kling 3.\u041e");
    const result = validateRateTable(t);
    expect(result.ok ? [] : result.problems).toEqual([
      'models row 2 (kling-v3-omni): the model name "Kling 3.\u041e" looks like "Kling 3.0" of models row 1 (kling-v3) but is a different name (it has \u041e (U+041E)); spell it the same way if it is the same model name, or give it a name that looks different',
    ]);
  });
});

describe("text a spreadsheet would run", () => {
  test.each(["=1+1", "=HYPERLINK(\"x\")", "+SUM(A1)", "-IMPORTXML(A1)", "@A1", " =cmd", "\uff1dSUM(A1)", "\u200b=A1"])("%j is formula-like", (text) => {
    expect(formulaStart(text)).toBeDefined();
  });
  test.each(["-20% for volume", "+1 555 0100", "e-mail", "a=b", "", "=", "-", "- 5 units"])("%j is plain text", (text) => {
    expect(formulaStart(text)).toBeUndefined();
  });
});

describe("lookups saved before names were keyed by their Unicode letters", () => {
  test("are not used: the table's names are looked up by today's keys", () => {
    const table = JSON.parse(JSON.stringify(defaultRateTable())) as RateTable;
    table.packages[0]!.name = "Straße";
    // What a save made before: no key version, names squashed to a-z and 0-9 ("Straße" -> "strae").
    const old = compileLookup(table) as RateLookup;
    delete old.names;
    old.packages = Object.fromEntries(table.packages.map((p, i) => [p.name.toLowerCase().replace(/[^a-z0-9]/g, ""), i]));
    primeRateIndex(table, old);
    expect(rateIndex(table).findPackage("Straße")?.name).toBe("Straße");
    expect(rateIndex(table).findPackage("STRASSE")?.name).toBe("Straße");
  });
});
