import { formatWhen, numberNote, parseNumber, plural, savedLine, showNumber, times, unitPrice, usd } from "../../src/sidebar/format";

test("numbers are read as analysts type them; other text is kept for validation to name", () => {
  expect(parseNumber("0.6")).toBe(0.6);
  expect(parseNumber(" .5 ")).toBe(0.5);
  expect(parseNumber("1,000", "en_US")).toBe(1000);
  expect(parseNumber("45,000.5")).toBe(45000.5);
  expect(parseNumber("$9.80")).toBe(9.8);
  expect(parseNumber("-1")).toBe(-1);
  expect(parseNumber("1e3")).toBe(1000);
  expect(parseNumber("")).toBeUndefined();
  expect(parseNumber("   ")).toBeUndefined();
  expect(parseNumber("abc")).toBe("abc");
  expect(parseNumber("0.6.1")).toBe("0.6.1");
  expect(parseNumber("1,00", "en_US")).toBe("1,00"); // not a thousands separator: not guessed
  expect(parseNumber("Infinity")).toBe("Infinity");
});

test("values show in inputs as typed text", () => {
  expect(showNumber(0.6)).toBe("0.6");
  expect(showNumber("ab")).toBe("ab");
  expect(showNumber(undefined)).toBe("");
  expect(showNumber(null)).toBe("");
});

test("dollars: up to 4 decimals, no float noise, nothing for non-numbers", () => {
  expect(usd(times(0.6, 0.14))).toBe("$0.084");
  expect(usd(times(1.1, 0.14))).toBe("$0.154");
  expect(usd(5670)).toBe("$5,670");
  expect(usd(times("abc", 0.14))).toBe("");
  expect(usd(undefined)).toBe("");
  expect(unitPrice(5670, 45000)).toBe("$0.126");
  expect(unitPrice(9.8, 100)).toBe("$0.098");
  expect(unitPrice(700, undefined)).toBe("");
  expect(unitPrice(700, 0)).toBe("");
});

test("save times show in the viewer's zone; a blank saver is unknown", () => {
  expect(formatWhen("2026-05-01T14:03:09.000Z", 0)).toBe("2026-05-01 14:03");
  expect(formatWhen("2026-05-01T23:30:00.000Z", -120)).toBe("2026-05-02 01:30"); // UTC+2
  expect(formatWhen("", 0)).toBe("");
  expect(formatWhen("not a date", 0)).toBe("not a date");
  expect(savedLine({ version: 0, savedAt: "", savedBy: "" })).toBe("built-in rates");
  expect(savedLine({ version: 3, savedAt: "2026-05-01T14:03:00Z", savedBy: "" }, 0)).toBe("saved 2026-05-01 14:03 by unknown");
  expect(savedLine({ version: 3, savedAt: "2026-05-01T14:03:00Z", savedBy: "ann@example.com" }, 0)).toBe("saved 2026-05-01 14:03 by ann@example.com");
  expect(plural(1, "rate")).toBe("1 rate");
  expect(plural(2, "KLING cell")).toBe("2 KLING cells");
});

test('in the spreadsheet\'s locale: "11.000" is 11000 in de_DE and shown back as read; "9,8" is 9.8 there', () => {
  expect(parseNumber("11.000", "de_DE")).toBe(11000);
  expect(numberNote("11.000", "de_DE")).toBe("read as 11000");
  expect(parseNumber("9,8", "de_DE")).toBe(9.8);
  expect(numberNote("9,8", "de_DE")).toBe("");
  expect(showNumber(9.8, "de_DE")).toBe("9,8");
  expect(showNumber(9.8, "en_US")).toBe("9.8");
});

test('in en_US "11.000" is 11, said so; "9,8" and "0,098" are kept as text with both readings', () => {
  expect(parseNumber("11.000", "en_US")).toBe(11);
  expect(numberNote("11.000", "en_US")).toBe("read as 11");
  expect(parseNumber("9,8", "en_US")).toBe("9,8");
  expect(numberNote("9,8", "en_US")).toContain("it would be 9.8");
  expect(numberNote("0,098", "en_US")).toContain("it would be 0.098");
});

test('with no locale known, "1,234" is kept as text and the note gives both readings; "1,234.5" is read', () => {
  expect(parseNumber("1,234", "")).toBe("1,234");
  expect(numberNote("1,234", "")).toBe('"1,234" could be 1234 ("," separating thousands) or 1.234 ("," as the decimal mark), and the spreadsheet\'s locale is not known (write it without thousands separators)');
  expect(parseNumber("1,234.5", "")).toBe(1234.5);
  expect(numberNote("1,234.5", "")).toBe("read as 1234.5");
});
