// The range path of every per-row function (src/core/grid.ts): which rows are blank, how repeated
// messages are written, and that its memo and stack-trace handling never change a result.
import { InputError } from "../../src/core/errors";
import { klingCost, klingUnits } from "../../src/core/functions/clip";
import { mapCells } from "../../src/core/grid";
import { defaultRateTable } from "../../src/core/rates/default-table";

const table = defaultRateTable();
const col = (...cells: unknown[]) => cells.map((c) => [c]);
const SEE_FIRST = "see the first row with this problem";

describe("blank rows under ARRAYFORMULA", () => {
  test("a row with no model and no quality is blank though its computed seconds are 0 (D2:D*60)", () => {
    const out = klingUnits(table, col("kling-v3", "", ""), col("720p", "", ""), col(5 * 1, 0, 0), "", "");
    expect(out).toEqual([[klingUnits(table, "kling-v3", "720p", 5, "", "")], [""], [""]]);
  });

  test("the same with quality one value for every row: the model column decides", () => {
    const out = klingCost(table, col("V3", ""), "1080p", col(10, 0), "", "", col(0.1, 0));
    expect(out).toEqual([[klingCost(table, "V3", "1080p", 10, "", "", 0.1)], [""]]);
  });

  test("a single call with no model and no quality is blank whatever its seconds, audio or price", () => {
    expect(klingCost(table, "", "", 0, true, "video", 0.2)).toBe("");
    expect(klingUnits(table, "", "", 600, "", "")).toBe("");
  });

  test("a model given once for every row still names a model on rows whose quality column is blank", () => {
    // kling-v2-1-master takes a blank quality: those rows are priced, not blank.
    const out = klingUnits(table, "kling-v2-1-master", col("", ""), col(5, 10), "", "") as unknown[][];
    expect(out).toEqual([[klingUnits(table, "kling-v2-1-master", "", 5, "", "")], [klingUnits(table, "kling-v2-1-master", "", 10, "", "")]]);
    expect(typeof out[0]![0]).toBe("number");
  });

  test("a row with a model but no quality or seconds still says what is missing", () => {
    const out = klingUnits(table, col("kling-v3", "kling-v3"), col("720p", ""), col(5, 0), "", "") as unknown[][];
    expect(out[1]![0]).toMatch(/^quality: blank; /);
  });
});

describe("messages repeated down a range", () => {
  test("long advice is written in full once; later rows keep their own first part and point to it", () => {
    const single = (m: string) => {
      try {
        klingCost(table, m, "1080p", 10, "", "", "");
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error("expected a message");
    };
    const out = klingCost(table, col("kling-v4", "V3", "kling-v5", "kling-v4"), "1080p", 10, "", "", "") as unknown[][];
    const first = single("kling-v4");
    expect(first.length).toBeGreaterThan(100);
    expect(out[0]![0]).toBe(first);
    expect(typeof out[1]![0]).toBe("number");
    expect(out[2]![0]).toBe(`${single("kling-v5").split("; ")[0]}; ${SEE_FIRST}`);
    expect(out[3]![0]).toBe(`${first.split("; ")[0]}; ${SEE_FIRST}`);
  });

  test("each kind of advice gets its own first full message", () => {
    const out = klingCost(table, col("kling-v4", "kling-v3", "kling-v9", "kling-v3"), "1080p", 10, "", "", col("", "Package 9", "", "Package 0")) as string[][];
    expect(out[0]![0]).toMatch(/^model: "kling-v4" is not a known model; use kling-v3/);
    expect(out[1]![0]).toMatch(/^price: "Package 9" is not a package or a price; give USD per unit/);
    expect(out[2]![0]).toBe(`model: "kling-v9" is not a known model; ${SEE_FIRST}`);
    expect(out[3]![0]).toBe(`price: "Package 0" is not a package or a price; ${SEE_FIRST}`);
  });

  test("a later row's message quotes its value exactly as typed, compatibility characters included", () => {
    // U+F900 and U+2126 look like U+8C48 and U+03A9 and Unicode normalization would turn them into those.
    const out = klingCost(table, col("kling-v4", "\uF900", "\u2126"), "1080p", 10, "", "", "") as string[][];
    expect(out[1]![0]).toBe(`model: "\uF900" is not a known model; ${SEE_FIRST}`);
    expect(out[2]![0]).toBe(`model: "\u2126" is not a known model; ${SEE_FIRST}`);
  });

  test("short messages are repeated as they are", () => {
    const out = klingCost(table, "kling-v3", "1080p", col(16, 17), "", "", "") as string[][];
    expect(out[1]![0]).toMatch(/^seconds: 17 is too long; kling-v3 makes/);
  });
});

describe("the memo", () => {
  test("more distinct rows than it keeps: every cell is still its own row's result", () => {
    const rows = 12_000;
    const a = Array.from({ length: rows }, (_, r) => [r % 5000]);
    const b = Array.from({ length: rows }, (_, r) => [(r % 5000) % 7]);
    const out = mapCells(["a", "b"], [a, b], [0], (x, y) => `${x}/${y}`) as string[][];
    out.forEach((row, r) => expect(row).toEqual([`${r % 5000}/${(r % 5000) % 7}`]));
  });

  test("each distinct row is computed once", () => {
    let calls = 0;
    const out = mapCells(["a", "b"], [Array.from({ length: 3000 }, (_, r) => [r % 100]), "k"], [0], (x, y) => {
      calls++;
      return `${x}${y}`;
    }) as string[][];
    expect(out[2999]).toEqual(["99k"]);
    expect(calls).toBe(100);
  });

  test("values that print alike but differ are different rows", () => {
    const d1 = new Date(2024, 0, 1, 0, 0, 0, 1), d2 = new Date(2024, 0, 1, 0, 0, 0, 2);
    const out = mapCells(["a"], [[["1"], [1], [d1], [d2], [true], ["true"]]], [0], (v) => `${typeof v}:${v instanceof Date ? v.getTime() : v}`);
    expect(out).toEqual([["string:1"], ["number:1"], [`object:${d1.getTime()}`], [`object:${d2.getTime()}`], ["boolean:true"], ["string:true"]]);
  });
});

describe("stack traces", () => {
  const limit = Error.stackTraceLimit;
  afterEach(() => expect(Error.stackTraceLimit).toBe(limit));

  test("bad rows leave the stack-trace limit as it was", () => {
    const out = mapCells(["a"], [[["x"], ["y"]]], [0], (v) => {
      throw new InputError(`a: ${v} is bad`);
    });
    expect(out).toEqual([["a: x is bad"], ["a: y is bad"]]);
  });

  test("a fault in the code escapes a range with its stack trace", () => {
    function faultyRow(): never {
      throw new TypeError("boom");
    }
    let caught: unknown;
    try {
      mapCells(["a"], [[["x"], ["y"]]], [0], faultyRow);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TypeError);
    expect((caught as Error).stack).toContain("faultyRow");
  });
});
