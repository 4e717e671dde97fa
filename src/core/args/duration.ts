// Duration cells. Sheets counts time in days from 30 Dec 1899 00:00 in the spreadsheet's time
// zone and hands a duration (0:00:10) to a custom function as the Date at that wall-clock time in
// that zone. In 1899 zones kept local mean time and odd offsets (Asia/Kolkata +5:21:10,
// Europe/Moscow +2:30:17), so the length is read from the wall clock in that zone (Intl, which
// knows the zone's history), never from a fixed offset or UTC.

const DAY_MS = 86_400_000;
const DAY_ZERO = Date.UTC(1899, 11, 30);
/** Durations under 48 h fall on Sheets' day 0 or 1 (30 or 31 Dec 1899); anything later is a calendar day. */
const LONGEST_MS = 2 * DAY_MS;

const clocks = new Map<string, Intl.DateTimeFormat | undefined>();

function clockIn(timeZone: string): Intl.DateTimeFormat | undefined {
  if (!clocks.has(timeZone)) {
    let format: Intl.DateTimeFormat | undefined;
    try {
      format = new Intl.DateTimeFormat("en-US", {
        timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
      });
    } catch {
      format = undefined; // a zone the runtime does not know
    }
    clocks.set(timeZone, format);
  }
  return clocks.get(timeZone);
}

/** Milliseconds from Sheets' day 0 to the date's wall-clock time in the zone, or undefined for an unknown zone. */
function sinceDayZero(date: Date, timeZone: string): number | undefined {
  const clock = timeZone ? clockIn(timeZone) : undefined;
  const time = date.getTime();
  if (!clock || !Number.isFinite(time)) return undefined;
  const part: Record<string, number> = {};
  for (const p of clock.formatToParts(date)) if (p.type !== "literal") part[p.type] = Number(p.value);
  const ms = ((time % 1000) + 1000) % 1000;
  const wall = Date.UTC(part.year!, part.month! - 1, part.day!, part.hour! % 24, part.minute!, part.second!, ms);
  return wall - DAY_ZERO;
}

/**
 * The length in seconds of a duration cell as Sheets hands it over, or undefined when the date is
 * a calendar day (or the zone is not known, so it cannot be told).
 */
export function durationSeconds(date: Date, timeZone: string): number | undefined {
  const since = sinceDayZero(date, timeZone);
  return since !== undefined && since >= 0 && since < LONGEST_MS ? since / 1000 : undefined;
}

/** Whether a date may be a duration in some zone: within a day of the 48 hours after 30 Dec 1899 UTC. */
export function nearDayZero(date: Date): boolean {
  const since = date.getTime() - DAY_ZERO;
  return since > -DAY_MS && since < LONGEST_MS + DAY_MS;
}

/** "0:00:10", "25:30:00" or "0:00:10.5": a duration as Sheets shows one. */
export function durationText(seconds: number): string {
  const whole = Math.floor(seconds);
  const pad = (n: number) => String(n).padStart(2, "0");
  const fraction = seconds - whole ? String(Number((seconds - whole).toFixed(3))).slice(1) : "";
  return `${Math.floor(whole / 3600)}:${pad(Math.floor(whole / 60) % 60)}:${pad(whole % 60)}${fraction}`;
}
