// Property tests over the sheet-facing functions, fed every kind of value Sheets can pass:
// numbers (negative, fractions, 0, huge, tiny, NaN, ±Infinity), text (names in odd case and
// spacing, numeric text, garbage, ""), booleans, dates, blanks, and ranges of those (1x1,
// rectangles, mismatched shapes, ragged and empty arrays).
//
// The message rule the code follows (errors.ts, grid.ts, args/, pricing/price.ts):
//   - "<argument>: <what is wrong>; <what is allowed>" for one argument, where <argument> is the
//     name the formula help uses (model, quality, seconds, audio, input, price, units,
//     concurrency, days, result, cost, keeper_rate);
//   - "<argument> is R rows x C columns but <argument> is R rows x C columns; give ranges of the
//     same shape, or single values" when two ranges disagree;
//   - "no published rate for <clip>; add one to the rate table if Kling publishes it" when every
//     argument is valid but the rate table has no row for the combination.
import fc from "fast-check";
import { InputError } from "../../src/core/errors";
import { klingBestPackage } from "../../src/core/functions/best-package";
import { klingCost, klingUnits } from "../../src/core/functions/clip";
import { klingCompare } from "../../src/core/functions/compare";
import { klingEffectiveCost } from "../../src/core/functions/effective-cost";
import { klingPackages, klingRates } from "../../src/core/functions/tables";
import { sellsLength } from "../../src/core/rates/models";
import { defaultRateTable } from "../../src/core/rates/default-table";
import { readNumber } from "../../src/core/args/numbers";

const table = defaultRateTable();

// ---------------------------------------------------------------------------------------------
// Outcomes

type Outcome = { ok: true; value: unknown } | { ok: false; message: string };

/** Runs a call; an InputError becomes its message, anything else thrown fails the property. */
function attempt(call: () => unknown): Outcome {
  try {
    return { ok: true, value: call() };
  } catch (error) {
    if (error instanceof InputError) return { ok: false, message: error.message };
    throw error;
  }
}

// Blank as the README defines it for a row: empty, or text of only spaces.
const isBlank = (v: unknown) => v === "" || v === null || v === undefined || (typeof v === "string" && v.trim() === "");
const isRange = (v: unknown): v is unknown[][] => Array.isArray(v);
const isOneByOne = (v: unknown) => isRange(v) && v.length === 1 && Array.isArray(v[0]) && v[0].length === 1;
/** What a 1x1 range means: its single value. */
const unwrap = (v: unknown) => (isOneByOne(v) ? (v as unknown[][])[0]![0] : v);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The message rule above, for a function with these argument names. */
function messageRule(names: readonly string[], rates: boolean): RegExp {
  const name = `(?:${names.map(escape).join("|")})`;
  const dims = String.raw`\d+ rows? x \d+ columns?`;
  const parts = [
    `${name}: \\S.*`,
    `${name} is ${dims} but ${name} is ${dims}; give ranges of the same shape, or single values`,
  ];
  if (rates) parts.push("no published rate for \\S.*; add one to the rate table if Kling publishes it");
  return new RegExp(`^(?:${parts.join("|")})$`, "s");
}

/** (c): no NaN, undefined, null, Infinity or object anywhere; cells are numbers or text. */
function expectClean(value: unknown): void {
  const cells = isRange(value) ? value.flat() : [value];
  if (isRange(value)) for (const row of value) expect(Array.isArray(row)).toBe(true);
  for (const cell of cells) {
    expect(["number", "string"]).toContain(typeof cell);
    if (typeof cell === "number" && !Number.isFinite(cell)) throw new Error(`a cell holds ${cell}, which Sheets cannot show as a figure`);
  }
}

// ---------------------------------------------------------------------------------------------
// Values Sheets can pass

const SEPARATORS = ["", "", "", " ", ".", "-", "_", "  ", "\t"];

/** A name as someone might type it: any case, spaces, dots, dashes or underscores between letters. */
function spelled(names: readonly string[], klingPrefix = false): fc.Arbitrary<string> {
  return fc
    .record({
      name: fc.constantFrom(...names),
      caps: fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }),
      seps: fc.array(fc.constantFrom(...SEPARATORS), { maxLength: 12 }),
      pad: fc.constantFrom("", " ", "  "),
      kling: klingPrefix ? fc.constantFrom("", "kling ", "KLING-", "Kling") : fc.constant(""),
    })
    .map(({ name, caps, seps, pad, kling }) => {
      let out = "";
      [...name].forEach((ch, i) => {
        out += caps[i % caps.length] ? ch.toUpperCase() : ch.toLowerCase();
        if (i < name.length - 1) out += seps[i] ?? "";
      });
      return pad + (/^kling/i.test(name) ? "" : kling) + out + pad;
    });
}

const blank = fc.constantFrom<unknown>("", null, undefined);
const anyNumber = fc.oneof(
  fc.double(), // includes NaN, ±Infinity, -0, the largest and smallest doubles
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1e308, -1e308, 5e-324, 1e21, 0.1 + 0.2, 2 ** 53),
);
const anyText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 6 }),
  fc.constantFrom(
    "", " ", "\t", "10", "10 s", "10s", " 7 sec ", "70%", "70 %", "$0.14", "1,000", "1e3", "-5", ".5", "1e400",
    "NaN", "Infinity", "TRUE", "FALSE", "constructor", "__proto__", "toString", "#N/A", "#REF!", "0x10",
  ),
);
const anyValue: fc.Arbitrary<unknown> = fc.oneof(anyNumber, anyText, fc.boolean(), fc.date(), blank);

const MODEL_NAMES = table.models.flatMap((m) => [m.id, m.name, ...m.aliases]);
const QUALITY_NAMES = table.qualities.flatMap((q) => [q.id, ...q.aliases]);
// The words the formula help documents, and the others args/clip.ts accepts.
const AUDIO_NAMES = ["none", "no", "off", "silent", "audio", "yes", "on", "native", "native audio", "with audio",
  "voice", "voice control", "audio and voice", "with voice"];
const INPUT_NAMES = ["plain", "text", "image", "text to video", "image to video", "t2v", "i2v", "video",
  "video input", "reference video", "with video", "motion control", "motion-control", "motion", "camera", "camera motion"];
const PACKAGE_NAMES = table.packages.map((p) => p.name);
const RESULT_NAMES = ["plan", "cost", "units", "table"];

const secondsText = fc
  .tuple(fc.integer({ min: 1, max: 16 }), fc.constantFrom("", " s", "s", "sec", " secs", " seconds", " Second"))
  .map(([n, unit]) => ` ${n}${unit} `);

const cellOf = {
  model: fc.oneof({ weight: 5, arbitrary: spelled(MODEL_NAMES, true) }, { weight: 1, arbitrary: anyValue }),
  quality: fc.oneof(
    { weight: 5, arbitrary: spelled(QUALITY_NAMES) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(720, 1080, 2160, "1080", "4 K") },
    { weight: 1, arbitrary: blank },
    { weight: 1, arbitrary: anyValue },
  ),
  seconds: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 2, max: 16 }) },
    { weight: 2, arbitrary: fc.constantFrom<unknown>(5, 10, 7.5, 3, 15) },
    { weight: 2, arbitrary: secondsText },
    { weight: 1, arbitrary: anyValue },
  ),
  audio: fc.oneof(
    { weight: 3, arbitrary: blank },
    { weight: 2, arbitrary: fc.boolean() },
    { weight: 3, arbitrary: spelled(AUDIO_NAMES) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(0, 1) },
    { weight: 1, arbitrary: anyValue },
  ),
  input: fc.oneof(
    { weight: 4, arbitrary: blank },
    { weight: 3, arbitrary: spelled(INPUT_NAMES) },
    { weight: 1, arbitrary: anyValue },
  ),
  price: fc.oneof(
    { weight: 3, arbitrary: blank },
    { weight: 2, arbitrary: fc.double({ min: 0.001, max: 10, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(0.14, 0.126, 0.098, "$0.14", "0.126", 0, -0.14, "Package 7") },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(1e308, Number.MAX_VALUE, 1e300, "1e308", 1e-300, 5e-324) },
    { weight: 2, arbitrary: spelled(PACKAGE_NAMES) },
    { weight: 1, arbitrary: anyValue },
  ),
  cost: fc.oneof(
    { weight: 3, arbitrary: fc.double({ min: 0, max: 1e4, noNaN: true }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 100000 }).map((c) => `$${c / 100}`) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(1e308, Number.MAX_VALUE, 1e300, 5e-324) },
    { weight: 1, arbitrary: blank },
    { weight: 1, arbitrary: anyValue },
  ),
  keeper_rate: fc.oneof(
    { weight: 3, arbitrary: fc.double({ min: 0, max: 1.5, noNaN: true }) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 120 }).map((p) => `${p}%`) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(0.7, "70%", 70, 1, 1.2, "0.7", "100%", 0) },
    { weight: 1, arbitrary: anyValue },
  ),
  units: fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 200_000 }) },
    { weight: 2, arbitrary: fc.double({ min: 0, max: 1e12, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(1e12, 1e12 + 1, -1, 0.5, "1,000", "45000", "$100") },
    { weight: 1, arbitrary: anyValue },
  ),
  concurrency: fc.oneof(
    { weight: 2, arbitrary: blank },
    { weight: 3, arbitrary: fc.constantFrom<unknown>(1, 5, 6, 20, 21, 0, 1.5, "10", 1e6, 1e7) },
    { weight: 1, arbitrary: anyValue },
  ),
  days: fc.oneof(
    { weight: 2, arbitrary: blank },
    { weight: 3, arbitrary: fc.constantFrom<unknown>(0, 30, 31, 60, 180, 181, 36500, 36501, -1, 0.5, "30") },
    { weight: 1, arbitrary: anyValue },
  ),
  result: fc.oneof(
    { weight: 2, arbitrary: blank },
    {
      weight: 4,
      arbitrary: fc.tuple(fc.constantFrom(...RESULT_NAMES), fc.boolean(), fc.constantFrom("", " ")).map(
        ([r, upper, pad]) => `${pad}${upper ? r.toUpperCase() : r}${pad}`,
      ),
    },
    { weight: 1, arbitrary: anyValue },
  ),
};

/** A rectangle of cells. */
const rectangle = (cell: fc.Arbitrary<unknown>, rows: number, cols: number) =>
  fc.array(fc.array(cell, { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows });

/** Arrays that are not a rectangle of cells. */
const irregular = (cell: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constant([]),
    fc.constant([[]]),
    fc.constant([[], []]),
    fc.tuple(cell, cell, cell).map(([a, b, c]) => [[a, b], [c]]),
    fc.array(cell, { minLength: 1, maxLength: 3 }), // one-dimensional
    cell.map((v) => [[v], v]),
  );

/** An argument as a formula may give it: a value, a 1x1 range, a range, or a malformed array. */
const argOf = (cell: fc.Arbitrary<unknown>, broadcast: boolean): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 8, arbitrary: cell },
    { weight: 1, arbitrary: cell.map((v) => [[v]]) },
    {
      weight: 2,
      arbitrary: fc.record({ r: fc.integer({ min: 1, max: 3 }), c: fc.integer({ min: 1, max: 3 }) })
        .chain(({ r, c }) => rectangle(broadcast ? cell : anyValue, r, c)),
    },
    { weight: 1, arbitrary: irregular(cell) },
  );

// ---------------------------------------------------------------------------------------------
// The functions that map over cells

interface Spec {
  fn: string;
  names: readonly string[];
  /** Arguments whose blankness makes a row blank. */
  keys: readonly number[];
  /** Arguments whose blankness alone makes a row blank, whatever the other keys hold (model, quality). */
  identity?: readonly number[];
  /** Arguments that are one value for the whole call, never broadcast. */
  single?: readonly number[];
  /** Whether "no published rate for ..." can come up. */
  rates: boolean;
  call: (args: readonly unknown[]) => unknown;
  /** Numbers it returns are always above 0. */
  positive: boolean;
}

const units: Spec = {
  fn: "klingUnits", names: ["model", "quality", "seconds", "audio", "input"], keys: [0, 1, 2], identity: [0, 1], rates: true, positive: true,
  call: (a) => klingUnits(table, a[0], a[1], a[2], a[3], a[4]),
};
const cost: Spec = {
  fn: "klingCost", names: ["model", "quality", "seconds", "audio", "input", "price"], keys: [0, 1, 2], identity: [0, 1], rates: true, positive: true,
  call: (a) => klingCost(table, a[0], a[1], a[2], a[3], a[4], a[5]),
};
const effective: Spec = {
  fn: "klingEffectiveCost", names: ["cost", "keeper_rate"], keys: [0], rates: false, positive: false,
  call: (a) => klingEffectiveCost(a[0], a[1]),
};
const best: Spec = {
  fn: "klingBestPackage", names: ["units", "concurrency", "days", "result"], keys: [0], single: [3], rates: false, positive: false,
  call: (a) => klingBestPackage(table, a[0], a[1], a[2], a[3]),
};
const SPECS = [units, cost, effective, best];

const cellsFor = (spec: Spec) => spec.names.map((n) => cellOf[n as keyof typeof cellOf]);
/** A valid clip, built from the rate table's own rows (KLING_RATES). */
const [rateHeader, ...rateRows] = klingRates(table);
const col = (name: string) => rateHeader!.indexOf(name);
const validClip = fc.constantFrom(...rateRows).chain((row) => {
  const billed = String(row[col("Billed per")]);
  const model = table.models.find((m) => m.id === row[col("Model")])!;
  const sold = model.clipLengths ? fc.constantFrom(...model.clipLengths) : fc.integer({ min: model.minSeconds ?? 1, max: model.maxSeconds ?? 15 });
  const seconds = billed === "second" ? sold : fc.constant(parseInt(billed, 10));
  return seconds.map((s) => [row[col("Model")], row[col("Quality")], s, row[col("Audio")], row[col("Input")]] as unknown[]);
});

/** A valid clip as someone might type it: any of its names and spellings, numbers as text. */
const SAME_AUDIO: Record<string, readonly unknown[]> = {
  none: ["", false, 0, "none", "no", "off", "silent"],
  audio: [true, 1, "audio", "yes", "on", "native audio", "with audio"],
  voice: ["voice", "voice control", "audio and voice", "with voice"],
};
const SAME_INPUT: Record<string, readonly unknown[]> = {
  plain: ["", "plain", "text", "image", "t2v", "image to video"],
  video: ["video", "video input", "reference video"],
  "motion-control": ["motion-control", "motion control", "motion", "camera motion"],
};
const QUALITY_AS_NUMBER: Record<string, number> = { "720p": 720, "1080p": 1080, "4k": 2160 };
const typedAs = (words: readonly unknown[]) =>
  fc.constantFrom(...words).chain((w) => (typeof w === "string" && w !== "" ? spelled([w]) : fc.constant(w)));
const typedClip = validClip.chain(([m, q, s, a, i]) => {
  const model = table.models.find((x) => x.id === m)!;
  const qualities: unknown[] = [q, ...(table.qualities.find((x) => x.id === q)?.aliases ?? []), ...Object.keys(model.qualityAliases ?? {})];
  if (QUALITY_AS_NUMBER[String(q)]) qualities.push(QUALITY_AS_NUMBER[String(q)]);
  if (model.defaultQuality === q) qualities.push("");
  return fc.tuple(
    spelled([model.id, model.name, ...model.aliases], true),
    typedAs(qualities),
    fc.oneof(fc.constant<unknown>(s), fc.constantFrom("", " s", "sec", " seconds").map((u) => `${s}${u}`)),
    typedAs(SAME_AUDIO[String(a)]!),
    typedAs(SAME_INPUT[String(i)]!),
  );
});

/** One row of values: often a valid call typed in any of its ways, often independent values of every kind. */
const rowFor = (spec: Spec): fc.Arbitrary<unknown[]> => {
  const independent = fc.tuple(...cellsFor(spec));
  // A template row past the data: its key arguments blank, the others anything.
  const blankRow = fc.tuple(independent, fc.array(blank, { minLength: spec.keys.length, maxLength: spec.keys.length }))
    .map(([row, blanks]) => row.map((v, i) => (spec.keys.includes(i) ? blanks[spec.keys.indexOf(i)] : v)));
  const typed = spec === units ? typedClip
    : spec === cost ? fc.tuple(typedClip, cellOf.price).map(([clip, p]) => [...clip, p])
    : independent;
  return fc.oneof({ weight: 3, arbitrary: independent }, { weight: 4, arbitrary: typed }, { weight: 1, arbitrary: blankRow });
};

/** Arguments of every form: each a value of the row, a 1x1 range, a range of any shape, or a malformed array. */
const argsFor = (spec: Spec) =>
  rowFor(spec).chain((row) =>
    fc.tuple(...cellsFor(spec).map((cell, i) => fc.oneof(
      { weight: 8, arbitrary: fc.constant(row[i]) },
      { weight: 4, arbitrary: argOf(cell, !spec.single?.includes(i)) },
    ))),
  );

/** KLING_BEST_PACKAGE's plan text: "nothing to buy" or "2 x Package 3 + 1 x Trial S". */
const PLAN_TEXT = new RegExp(`^(?:nothing to buy|\\d+ x (?:${PACKAGE_NAMES.map(escape).join("|")})(?: \\+ \\d+ x (?:${PACKAGE_NAMES.map(escape).join("|")}))*)$`);

/** Is this cell text a result rather than a message? */
const isResultText = (spec: Spec, text: string) => spec === best && PLAN_TEXT.test(text);
/** KLING_BEST_PACKAGE(..., "table") spills a plan table, not a broadcast range. */
const isPlanTable = (spec: Spec, value: unknown[][]) => spec === best && value[0]?.[0] === "Package";

/** Valid arguments whose figure does not fit in a double (see args.test.ts). */
const EXTREMES: Record<string, unknown[][]> = {
  klingCost: [["kling-v3", "720p", 10, "", "", 1e308]],
  klingEffectiveCost: [[1e308, 0.5], [1, 5e-324]],
};

describe.each(SPECS.map((s) => [s.fn, s] as const))("%s over every kind of argument", (_, spec) => {
  const rule = messageRule(spec.names, spec.rates);

  test("(a, b) returns, or throws an InputError whose message starts with the argument it concerns", () => {
    fc.assert(
      fc.property(argsFor(spec), (args) => {
        const out = attempt(() => spec.call(args));
        if (!out.ok) {
          expect(out.message.length).toBeGreaterThan(0);
          expect(out.message).toMatch(rule);
        } else if (isRange(out.value) && !isPlanTable(spec, out.value)) {
          // Messages shown inside a range follow the same rule.
          for (const cell of out.value.flat()) {
            if (typeof cell === "string" && cell !== "" && !isResultText(spec, cell)) expect(cell).toMatch(rule);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  test("(c) results hold no NaN, Infinity, null, undefined or objects; unit and cost figures are above 0", () => {
    fc.assert(
      fc.property(argsFor(spec), (args) => {
        const out = attempt(() => spec.call(args));
        if (!out.ok) return;
        expectClean(out.value);
        const cells = isRange(out.value) ? out.value.flat() : [out.value];
        for (const cell of cells) if (spec.positive && typeof cell === "number") expect(cell).toBeGreaterThan(0);
      }),
      // Random search finds these too; listing them makes every run check them.
      { numRuns: 400, examples: (EXTREMES[spec.fn] ?? []).map((args) => [args]) },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// (d, e): ranges broadcast, and each cell is the single call with that row's values

/** Arguments where every range has the same shape, built from one row of values per position; some
 * arguments are single values or 1x1 ranges instead. */
function sameShapeArgs(spec: Spec) {
  return fc.record({ rows: fc.integer({ min: 1, max: 4 }), cols: fc.integer({ min: 1, max: 3 }) }).chain(({ rows, cols }) =>
    fc
      .tuple(
        fc.array(rowFor(spec), { minLength: rows * cols, maxLength: rows * cols }),
        fc.tuple(...spec.names.map((_n, i) => (spec.single?.includes(i) ? fc.constant("value") : fc.constantFrom("value", "1x1", "range", "range")))),
      )
      .map(([cells, forms]) => ({
        rows,
        cols,
        args: forms.map((form, i) =>
          form === "value" ? cells[0]![i]
          : form === "1x1" ? [[cells[0]![i]]]
          : Array.from({ length: rows }, (_r, r) => Array.from({ length: cols }, (_c, c) => cells[r * cols + c]![i]))),
      })),
  );
}

/** The value of each argument at one position of the broadcast. */
const at = (args: readonly unknown[], r: number, c: number) =>
  args.map((a) => (isOneByOne(a) ? unwrap(a) : isRange(a) ? a[r]![c] : a));

/** What a single call shows in a cell: its value, or its message. */
const shown = (o: Outcome) => (o.ok ? o.value : o.message);

// KLING_BEST_PACKAGE's result applies to the whole call; "table" spills and is not broadcast (args.test.ts).
const bestResults = fc.oneof(blank, fc.constantFrom("plan", "cost", "units", " Cost ", "UNITS"));

describe.each(SPECS.map((s) => [s.fn, s] as const))("%s over ranges", (_, spec) => {
  const shapes = spec === best
    ? sameShapeArgs(best).chain((x) => bestResults.map((r) => ({ ...x, args: [...x.args.slice(0, 3), r] })))
    : sameShapeArgs(spec);

  test("(d, e) the result has the broadcast shape and each cell equals the single call with that row's values", () => {
    fc.assert(
      fc.property(shapes, ({ args, rows, cols }) => {
        const ranged = args.some((a, i) => !spec.single?.includes(i) && isRange(a) && !isOneByOne(a));
        const out = attempt(() => spec.call(args));
        if (!ranged) {
          // Only single values and 1x1 ranges: a 1x1 range is its value.
          expect(out).toEqual(attempt(() => spec.call(args.map(unwrap))));
          return;
        }
        // Ranges of one shape never throw as a whole: a bad row shows its message.
        expect(out.ok).toBe(true);
        const grid = (out as { value: unknown }).value as unknown[][];
        expect(grid).toHaveLength(rows);
        const isRanged = (k: number) => isRange(args[k]) && !isOneByOne(args[k]);
        const fullAdvice = new Set<string>();
        for (let r = 0; r < rows; r++) {
          expect(grid[r]).toHaveLength(cols);
          for (let c = 0; c < cols; c++) {
            const cell = grid[r]![c];
            const values = at(args, r, c);
            expect(["number", "string"]).toContain(typeof cell);
            // Blank exactly when the row's key arguments given as ranges are all blank (single
            // values broadcast to every row do not count; with none ranged, all keys count), or
            // when its identity arguments (model and quality) are: the ranged ones if the first
            // is ranged, else all of them.
            const rangedKeys = spec.keys.filter(isRanged);
            const rowKeys = rangedKeys.length ? rangedKeys : spec.keys;
            const identity = spec.identity ?? spec.keys;
            const rowIdentity = isRanged(identity[0]!) ? identity.filter(isRanged) : identity;
            const blankRow = rowKeys.every((k) => isBlank(values[k])) || rowIdentity.every((k) => isBlank(values[k]));
            expect(cell === "").toBe(blankRow);
            if (blankRow) continue;
            const single = shown(attempt(() => spec.call(values)));
            // A long message's advice (after its first "; ") is written in full once per call;
            // later cells keep their first part and point back to it.
            const cut = typeof single === "string" ? single.indexOf("; ") : -1;
            const advice = cut < 0 ? undefined : (single as string).slice(cut + 2);
            if (advice !== undefined && fullAdvice.has(advice) && cell !== single) {
              expect(cell).toBe(`${(single as string).slice(0, cut)}; see the first row with this problem`);
            } else {
              expect(cell).toBe(single);
              if (advice !== undefined && !isResultText(spec, single as string)) fullAdvice.add(advice);
            }
          }
        }
      }),
      { numRuns: 250 },
    );
  });

  const broadcastable = spec.names.map((_n, i) => i).filter((i) => !spec.single?.includes(i));

  test("ranges of different shapes are an error naming both arguments and their shapes", () => {
    const shape = fc.record({ r: fc.integer({ min: 1, max: 4 }), c: fc.integer({ min: 1, max: 3 }) }).filter((s) => s.r * s.c > 1);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...broadcastable), { minLength: 2, maxLength: 2 }).map((p) => p.sort((x, y) => x - y)),
        shape, shape, fc.tuple(...cellsFor(spec)),
        ([i, j], s1, s2, base) => {
          fc.pre(s1.r !== s2.r || s1.c !== s2.c);
          const args: unknown[] = [...base];
          args[i!] = Array.from({ length: s1.r }, () => Array.from({ length: s1.c }, () => base[i!]));
          args[j!] = Array.from({ length: s2.r }, () => Array.from({ length: s2.c }, () => base[j!]));
          if (spec === best) args[3] = "cost";
          const out = attempt(() => spec.call(args));
          expect(out.ok).toBe(false);
          expect((out as { message: string }).message).toBe(
            `${spec.names[i!]} is ${plural(s1.r, "row")} x ${plural(s1.c, "column")} but ${spec.names[j!]} is ` +
              `${plural(s2.r, "row")} x ${plural(s2.c, "column")}; give ranges of the same shape, or single values`,
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  test("a ragged, empty or one-dimensional array is an error naming its argument", () => {
    fc.assert(
      fc.property(fc.constantFrom(...broadcastable), fc.tuple(...cellsFor(spec)), irregular(anyValue), (i, base, bad) => {
        const args: unknown[] = [...base];
        args[i] = bad;
        if (spec === best) args[3] = "cost";
        const out = attempt(() => spec.call(args));
        expect(out).toEqual({ ok: false, message: `${spec.names[i]}: the range is not a rectangle of cells` });
      }),
      { numRuns: 100 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// One wrong argument among valid ones: the message is about that argument

const validArgs: Record<string, fc.Arbitrary<unknown[]>> = {
  klingUnits: validClip,
  klingCost: fc.tuple(validClip, fc.oneof(blank, fc.constantFrom<unknown>(0.126, "$0.14", ...PACKAGE_NAMES))).map(([clip, p]) => [...clip, p]),
  klingEffectiveCost: fc.tuple(fc.double({ min: 0, max: 100, noNaN: true }), fc.constantFrom<unknown>(0.5, 1, "70%")),
  klingBestPackage: fc.tuple(fc.integer({ min: 0, max: 100_000 }), fc.constantFrom<unknown>("", 1, 5, 20), fc.constantFrom<unknown>("", 0, 30, 180),
    fc.constantFrom<unknown>("", "plan", "cost", "units")),
};

const VALID_EXAMPLE: Record<string, unknown[]> = {
  klingUnits: ["kling-v3", "720p", 10, "none", "plain"],
  klingCost: ["kling-v3", "720p", 10, "none", "plain", ""],
  klingEffectiveCost: [1, 0.7],
  klingBestPackage: [1000, "", "", "plan"],
};

/** What the message says about a value that is not one of the argument's words or a number. */
const NOT_A_NUMBER = String.raw`(?:.+ is not a (?:usable )?number|a date was given)`;
const complaint: Record<string, string> = {
  model: ".+ is not a known model; use ",
  quality: ".+ is not a quality; ",
  seconds: `${NOT_A_NUMBER}; `,
  audio: ".+ is not an audio choice; ",
  input: ".+ is not an input choice; ",
  price: `(?:.+ is not a package or a price|${NOT_A_NUMBER}); give USD per unit`,
  cost: `${NOT_A_NUMBER}; give the USD cost of one generation`,
  keeper_rate: `${NOT_A_NUMBER}; give the share of generations you keep`,
  units: `${NOT_A_NUMBER}; give the resource units you need`,
  concurrency: `${NOT_A_NUMBER}; give the concurrent tasks you need`,
  days: `${NOT_A_NUMBER}; give the days every package must stay valid`,
  result: '.+ is not one of the choices; use "plan", "cost", "units", "table"',
};

/** Values that are no argument's word and no number (TRUE and FALSE are audio words). */
const garbageFor = (name: string): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.string({ maxLength: 20 }).map((s) => `?${s}`),
    // Names of Object.prototype members, in the spellings typed names are matched in.
    fc.constantFrom("constructor", "Constructor", "CONSTRUCTOR", "con structor", "__proto__", "toString", "valueOf", "hasOwnProperty"),
    fc.date(),
    fc.constantFrom(NaN, Infinity, -Infinity),
    name === "audio" ? fc.constant("#N/A") : fc.boolean(),
  );

describe.each(SPECS.map((s) => [s.fn, s] as const))("%s with one wrong argument among valid ones", (_, spec) => {
  test.each(spec.names.map((n, i) => [n, i] as const))("a wrong %s is named, quoted and explained", (name, i) => {
    fc.assert(
      fc.property(validArgs[spec.fn]!, garbageFor(name), (valid, bad) => {
        expect(attempt(() => spec.call(valid)).ok).toBe(true); // the base call is valid
        const args = [...valid];
        args[i] = bad;
        const out = attempt(() => spec.call(args));
        expect(out.ok).toBe(false);
        const message = (out as { message: string }).message;
        expect(message).toMatch(new RegExp(`^${name}: ${complaint[name]}`, "s"));
        if (typeof bad === "string") expect(message).toContain(`"${bad.slice(0, 37)}`);
      }),
      { numRuns: 60, examples: [[VALID_EXAMPLE[spec.fn]!, "constructor"]] },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Text that is clearly a number means that number

describe("numeric text means the same as the number", () => {
  test("seconds: 10, \"10\", \"10 s\", \" 10 seconds \" give the same units", () => {
    fc.assert(
      fc.property(validClip, fc.constantFrom("", " s", "s", "sec", " seconds"), fc.constantFrom("", " "), (clip, unit, pad) => {
        const [m, q, s, a, i] = clip;
        const asNumber = klingUnits(table, m, q, s, a, i);
        expect(klingUnits(table, m, q, `${pad}${s}${unit}${pad}`, a, i)).toBe(asNumber);
      }),
    );
  });

  test('price: 0.126, "0.126" and "$0.126" give the same cost', () => {
    fc.assert(
      fc.property(validClip, fc.double({ min: 1e-4, max: 1e4, noNaN: true }), (clip, p) => {
        const [m, q, s, a, i] = clip;
        const asNumber = klingCost(table, m, q, s, a, i, p);
        expect(klingCost(table, m, q, s, a, i, String(p))).toBe(asNumber);
        if (!/e/.test(String(p))) expect(klingCost(table, m, q, s, a, i, `$${p}`)).toBe(asNumber);
      }),
    );
  });

  test('units: 45000, "45000", "45,000" in en_US and "45.000" in de_DE give the same plan', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000_000 }), fc.constantFrom("plan", "cost"), (u, result) => {
        const asNumber = klingBestPackage(table, u, "", "", result);
        expect(klingBestPackage(table, String(u), "", "", result)).toBe(asNumber);
        expect(klingBestPackage(table, u.toLocaleString("en-US"), "", "", result, { locale: "en_US", timeZone: "" })).toBe(asNumber);
        expect(klingBestPackage(table, u.toLocaleString("de-DE"), "", "", result, { locale: "de_DE", timeZone: "" })).toBe(asNumber);
      }),
      { numRuns: 60 },
    );
  });

  // A 35% cell reaches the function as 0.35; text "35%" must mean the same share.
  test('keeper_rate: "P%" gives the same effective cost as P/100', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }).map((c) => c / 1000), fc.integer({ min: 1, max: 100 }), (usd, p) => {
        expect(klingEffectiveCost(usd, `${p}%`)).toBe(klingEffectiveCost(usd, p / 100));
      }),
      { numRuns: 300, examples: [[312.546, 35]] },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// KLING_COMPARE

describe("klingCompare", () => {
  const compareArg = (cell: fc.Arbitrary<unknown>) => argOf(cell, false);
  const rule = messageRule(["quality", "seconds"], false);

  test("(a, b, c) returns a header and one row per provider, or throws an InputError about quality or seconds", () => {
    const providers = new Set(table.providers.map((p) => p.provider)).size;
    fc.assert(
      fc.property(compareArg(cellOf.quality), compareArg(cellOf.seconds), (quality, seconds) => {
        const out = attempt(() => klingCompare(table, quality, seconds));
        if (!out.ok) {
          expect(out.message).toMatch(rule);
          return;
        }
        expectClean(out.value);
        const rows = out.value as unknown[][];
        expect(rows).toHaveLength(2 + providers);
        for (const row of rows) expect(row).toHaveLength(4);
      }),
      { numRuns: 300 },
    );
  });

  test("(e) Kling's row is KLING_COST for kling-v3 at the default price, and errors are KLING_UNITS' errors", () => {
    fc.assert(
      fc.property(fc.oneof(cellOf.quality, cellOf.quality.map((v) => [[v]])), fc.oneof(cellOf.seconds, cellOf.seconds.map((v) => [[v]])), (quality, seconds) => {
        const out = attempt(() => klingCompare(table, quality, seconds));
        const clip = attempt(() => klingCost(table, "kling-v3", unwrap(quality), unwrap(seconds), "", "", ""));
        expect(out.ok).toBe(clip.ok);
        if (!out.ok || !clip.ok) {
          expect(shown(out)).toBe(shown(clip));
          return;
        }
        const rows = out.value as unknown[][];
        const usd = clip.value as number;
        expect(rows[1]![3]).toBe(usd);
        const perSecond = rows[1]![2] as number;
        const s = Math.round(usd / perSecond);
        expect(perSecond * s).toBeCloseTo(usd, 10);
        for (const row of rows.slice(2)) {
          if (typeof row[2] === "number") expect(row[3]).toBeCloseTo(row[2] * s, 10);
          else expect([row[2], row[3]]).toEqual([expect.stringMatching(/^no \S+ rate published$/), ""]);
        }
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// KLING_RATES and KLING_PACKAGES, and what the clip functions do with them

describe("klingRates and klingPackages", () => {
  test.each([["klingRates", klingRates(table)], ["klingPackages", klingPackages(table)]] as const)(
    "%s: a header, then rows as long as it, of text and finite numbers",
    (_, grid) => {
      expectClean(grid);
      const [header, ...rows] = grid;
      expect(rows.length).toBeGreaterThan(0);
      for (const h of header!) expect(typeof h).toBe("string");
      for (const row of rows) expect(row).toHaveLength(header!.length);
    },
  );

  // Every model x quality x audio x input x seconds, typed through any of the model's names.
  const combination = fc.record({
    model: fc.constantFrom(...table.models),
    quality: fc.constantFrom(...table.qualities.map((q) => q.id)),
    audio: fc.constantFrom("none", "audio", "voice"),
    input: fc.constantFrom("plain", "video", "motion-control"),
    seconds: fc.integer({ min: 1, max: 16 }),
  }).chain((c) => spelled([c.model.id, c.model.name, ...c.model.aliases], true).map((typed) => ({ ...c, typed })));

  test("a clip is priced exactly when KLING_RATES lists its rate; a missing rate is an error, never 0", () => {
    const unitCol = col("Units"), usdCol = rateHeader!.findIndex((h) => String(h).startsWith("USD at"));
    fc.assert(
      fc.property(combination, ({ model, quality, audio, input, seconds, typed }) => {
        // A model's own other names for a quality (e.g. "1080p" for the Master model's "master").
        const own = model.qualityAliases?.[quality] ?? quality;
        const rows = rateRows.filter((r) => r[col("Model")] === model.id && r[col("Quality")] === own && r[col("Audio")] === audio && r[col("Input")] === input);
        const perSecond = rows.find((r) => r[col("Billed per")] === "second");
        const perClip = rows.find((r) => r[col("Billed per")] === `${seconds} s clip`);
        const fits = perSecond !== undefined && sellsLength(model, seconds);
        const u = attempt(() => klingUnits(table, typed, quality, seconds, audio, input));
        const usd = attempt(() => klingCost(table, typed, quality, seconds, audio, input, ""));
        expect(u.ok).toBe(fits || perClip !== undefined);
        expect(usd.ok).toBe(u.ok);
        if (!u.ok || !usd.ok) {
          expect(shown(u)).toMatch(messageRule(units.names, true));
          return;
        }
        const row = (perClip ?? perSecond)!;
        const times = perClip ? 1 : seconds;
        expect(u.value).toBeGreaterThan(0);
        expect(u.value).toBeCloseTo((row[unitCol] as number) * times, 10);
        expect(usd.value).toBeCloseTo((row[usdCol] as number) * times, 10);
      }),
      { numRuns: 600 },
    );
  });

  test("a package named as the price bills at that package's price / units, in any spelling", () => {
    const [header, ...packages] = klingPackages(table);
    const price = header!.indexOf("Price USD"), size = header!.indexOf("Units");
    const pkgAndSpelling = fc.constantFrom(...packages).chain((pkg) => spelled([String(pkg[0])]).map((typed) => ({ pkg, typed })));
    fc.assert(
      fc.property(validClip, pkgAndSpelling, (clip, { pkg, typed }) => {
        const [m, q, s, a, i] = clip;
        const usd = klingCost(table, m, q, s, a, i, typed) as number;
        const unitsUsed = klingUnits(table, m, q, s, a, i) as number;
        expect(usd).toBeGreaterThan(0);
        expect(usd / ((unitsUsed * (pkg[price] as number)) / (pkg[size] as number))).toBeCloseTo(1, 12);
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Numbers typed as text in any locale: never off by a power of 1000 without a message

describe("number text across locales", () => {
  // Writers format with the runtime's own locale data; readers include no locale and an unknown one.
  const WRITERS = ["en_US", "de_DE", "fr_FR", "de_CH", "es_ES", "pt_BR", "it_IT", "ja_JP", "ru_RU", "nl_NL", "sv_SE", "pl_PL", "es_MX", "en_GB", "da_DK", "tr_TR"];
  const READERS = [...WRITERS, "en_IN", "", "xx_YY"];
  // Up to 9 whole digits and 6 decimals: every such figure is written exactly.
  const figure = fc.tuple(fc.integer({ min: 0, max: 999_999_999 }), fc.integer({ min: 0, max: 6 }), fc.boolean())
    .map(([n, places, negative]) => (negative && n > 0 ? -1 : 1) * (n / 10 ** places));
  const write = (x: number, locale: string, grouping: boolean) =>
    new Intl.NumberFormat(`${locale.replace("_", "-")}-u-nu-latn`, { useGrouping: grouping, maximumFractionDigits: 6 }).format(x);
  /** The reader's own convention, applied by hand: its separators dropped, its decimal mark a point. */
  const byHand = (text: string, locale: string) => {
    const parts = new Intl.NumberFormat(`${locale.replace("_", "-")}-u-nu-latn`).formatToParts(1234.5);
    const decimal = parts.find((p) => p.type === "decimal")!.value;
    const group = parts.find((p) => p.type === "group")?.value ?? "";
    let plain = "";
    for (const ch of text.replace(/\u2212/g, "-")) {
      if (ch === decimal) plain += ".";
      else if (ch !== group && !/[\s\u00a0\u202f'\u2019]/.test(ch)) plain += ch;
    }
    return Number(plain);
  };
  const read = (text: string, locale: string): { value: number } | { message: string } => {
    try {
      return { value: readNumber("price", text, "hint", { settings: { locale, timeZone: "" } }) };
    } catch (error) {
      if (error instanceof InputError) return { message: error.message };
      throw error;
    }
  };

  test("read where it was written, a figure is itself", () => {
    fc.assert(
      fc.property(figure, fc.constantFrom(...WRITERS), fc.boolean(), (x, locale, grouping) => {
        expect(read(write(x, locale, grouping), locale)).toEqual({ value: x });
      }),
      { numRuns: 2000 },
    );
  });

  test("read anywhere, a figure is itself, the reader's own reading, or refused naming the writer's figure", () => {
    fc.assert(
      fc.property(figure, fc.constantFrom(...WRITERS), fc.constantFrom(...READERS), fc.boolean(), (x, writer, reader, grouping) => {
        const text = write(x, writer, grouping);
        const got = read(text, reader);
        if ("message" in got) {
          // Refused only when the text is not plain digits, and the message shows the reading the writer meant.
          expect(text).toMatch(/[^0-9\-\u2212]/);
          expect(got.message).toContain(String(x));
          return;
        }
        if (got.value === x) return;
        // A different value is allowed only as the reader's locale reads the text: never with no locale.
        expect(["", "xx_YY"]).not.toContain(reader);
        expect(got.value).toBe(byHand(text, reader));
      }),
      { numRuns: 3000 },
    );
  });

  test("with no locale known, no text is ever read as another figure", () => {
    fc.assert(
      fc.property(figure, fc.constantFrom(...WRITERS), fc.boolean(), fc.constantFrom("", "xx_YY"), (x, writer, grouping, reader) => {
        const got = read(write(x, writer, grouping), reader);
        if ("value" in got) expect(got.value).toBe(x);
      }),
      { numRuns: 2000 },
    );
  });

  test("any text of digits and marks is a value or a message, never something else thrown", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[-+]?[0-9.,' ]{1,12}$/), fc.constantFrom(...READERS), (text, reader) => {
        const got = read(text, reader);
        if ("value" in got) {
          expect(Number.isFinite(got.value)).toBe(true);
          // Whatever was accepted has the digits of the text, in order.
          expect(text.replace(/\D/g, "").replace(/^0+/, "")).toContain(String(Math.abs(got.value)).replace(/\D|e.*$/g, "").replace(/^0+/, "").replace(/0+$/, ""));
        }
      }),
      { numRuns: 2000 },
    );
  });
});
