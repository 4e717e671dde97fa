// The spreadsheet's locale and time zone reach the custom functions and the sidebar through the
// built bundle over the fakes (SpreadsheetApp reports them as File > Settings says). The settings
// come from currentRates() in the same single cache read as the rates (storage.ts fills them).
import { fakeServices } from "../fakes";
import { loadBundle, outcome } from "./harness";

function sheet(locale: string, timeZone: string) {
  const fakes = fakeServices({ spreadsheet: { locale, timeZone } });
  const { context, call } = loadBundle(fakes.globals);
  fakes.useRealm(context);
  return { fakes, call };
}

// 0:00:10 as Sheets hands it over: 30 Dec 1899 00:00:10 on the zone's wall clock, at its 1899 offset
// (tz database: Berlin CET +1:00 from 1893, New York EST -5:00, Kolkata Madras time +5:21:10).
const tenSeconds = (offsetSeconds: number) => new Date(Date.UTC(1899, 11, 30, 0, 0, 10) - offsetSeconds * 1000);

describe("text numbers in the spreadsheet's locale, through dist/Code.js", () => {
  test('de_DE: KLING_COST(..., "0,098") is 0.098 per unit and "50.000" units are fifty thousand', () => {
    const { call } = sheet("de_DE", "Europe/Berlin");
    expect(call("KLING_COST", "kling-v3", "1080p", 10, "", "", "0,098")).toBe(call("KLING_COST", "kling-v3", "1080p", 10, "", "", 0.098));
    expect(call("KLING_BEST_PACKAGE", "50.000", "", "", "cost")).toBe(call("KLING_BEST_PACKAGE", 50000, "", "", "cost"));
  });

  test('en_US: "1,234" is 1234; "0,098" is refused with both readings', () => {
    const { call } = sheet("en_US", "America/New_York");
    expect(call("KLING_EFFECTIVE_COST", "1,234", 1)).toBe(1234);
    expect(outcome(() => call("KLING_COST", "kling-v3", "1080p", 10, "", "", "0,098"))).toEqual({
      error: expect.stringMatching(/^price: "0,098" is not a number in en_US, .* it would be 0\.098/),
    });
  });

  test("the sidebar's state carries the locale", () => {
    const { call } = sheet("de_DE", "Europe/Berlin");
    expect((call("getRatesState") as { locale: string }).locale).toBe("de_DE");
  });
});

describe("duration cells, through dist/Code.js", () => {
  test.each([
    ["Europe/Berlin", 3600],
    ["America/New_York", -5 * 3600],
    ["Asia/Kolkata", 5 * 3600 + 21 * 60 + 10],
  ])("0:00:10 in %s is 10 seconds", (timeZone, offset) => {
    const { call } = sheet("en_US", timeZone);
    expect(call("KLING_UNITS", "kling-v3", "1080p", tenSeconds(offset))).toBe(call("KLING_UNITS", "kling-v3", "1080p", 10));
  });

  test("a calendar day stays refused", () => {
    const { call } = sheet("en_US", "Europe/Berlin");
    expect(outcome(() => call("KLING_UNITS", "kling-v3", "1080p", new Date(Date.UTC(2026, 2, 15))))).toEqual({
      error: "seconds: a date was given; kling-v3 makes 3 to 15 s per generation",
    });
  });
});
