import { columnLetters, columnNumber, formatA1, parseA1 } from "./a1";

describe("A1 notation", () => {
  test.each([
    ["A1", { sheetName: null, startRow: 1, startColumn: 1, endRow: 1, endColumn: 1 }],
    ["$A$1", { sheetName: null, startRow: 1, startColumn: 1, endRow: 1, endColumn: 1 }],
    ["b$2", { sheetName: null, startRow: 2, startColumn: 2, endRow: 2, endColumn: 2 }],
    ["B2:D10", { sheetName: null, startRow: 2, startColumn: 2, endRow: 10, endColumn: 4 }],
    ["D10:B2", { sheetName: null, startRow: 2, startColumn: 2, endRow: 10, endColumn: 4 }],
    ["Sheet1!A1:B2", { sheetName: "Sheet1", startRow: 1, startColumn: 1, endRow: 2, endColumn: 2 }],
    ["'Rates (v2)'!$C$3", { sheetName: "Rates (v2)", startRow: 3, startColumn: 3, endRow: 3, endColumn: 3 }],
    ["'It''s'!A1", { sheetName: "It's", startRow: 1, startColumn: 1, endRow: 1, endColumn: 1 }],
    ["A:A", { sheetName: null, startRow: null, startColumn: 1, endRow: null, endColumn: 1 }],
    ["C:AA", { sheetName: null, startRow: null, startColumn: 3, endRow: null, endColumn: 27 }],
    ["2:5", { sheetName: null, startRow: 2, startColumn: null, endRow: 5, endColumn: null }],
    ["A2:C", { sheetName: null, startRow: 2, startColumn: 1, endRow: null, endColumn: 3 }],
  ])("%s", (text, expected) => {
    expect(parseA1(text)).toEqual(expected);
  });

  test.each(["", "A", "1", "A0", "1A", "A1:B2:C3", "A$", "$", "!A1", "Sheet1!", "A1:", "A:1", "A1-B2", "'open!A1"])("%p is not a range", (text) => {
    expect(parseA1(text)).toBeNull();
  });

  test("column letters and numbers convert both ways", () => {
    const pairs: Array<[string, number]> = [["A", 1], ["Z", 26], ["AA", 27], ["AZ", 52], ["BA", 53], ["ZZ", 702], ["AAA", 703]];
    for (const [letters, n] of pairs) {
      expect(columnNumber(letters)).toBe(n);
      expect(columnLetters(n)).toBe(letters);
    }
  });

  test("formatting keeps whole columns, whole rows and open ends", () => {
    expect(formatA1({ row: 1, column: 1, numRows: 1, numColumns: 1 })).toBe("A1");
    expect(formatA1({ row: 2, column: 2, numRows: 9, numColumns: 3 })).toBe("B2:D10");
    expect(formatA1({ row: 1, column: 1, numRows: 1000, numColumns: 1 }, { startRow: false, endRow: false, columns: true })).toBe("A:A");
    expect(formatA1({ row: 2, column: 1, numRows: 4, numColumns: 26 }, { startRow: true, endRow: true, columns: false })).toBe("2:5");
    expect(formatA1({ row: 2, column: 1, numRows: 999, numColumns: 3 }, { startRow: true, endRow: false, columns: true })).toBe("A2:C");
  });
});
