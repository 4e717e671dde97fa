// Refresh through dist/Code.js over the fake UrlFetchApp: every address a card comes from is one
// the manifest allows, and the card's text is exactly what the server sent, in its charset.
import { defaultRateTable } from "../../src/core/rates/default-table";
import type { Failure, Fetched, RatesState } from "../../src/gas/sidebar-types";
import { fakeServices, type Route } from "../fakes/index";
import { loadBundle } from "./harness";

const BASE = "https://raw.githubusercontent.com/acme/rates/main";
const CARD = JSON.stringify(defaultRateTable());

function document(routes: Record<string, Route>) {
  const fakes = fakeServices({ routes });
  const run = <T>(name: string, ...args: unknown[]): T => {
    const { context, call } = loadBundle(fakes.globals);
    fakes.newExecution(context);
    return JSON.parse(JSON.stringify(call(name, ...args) ?? null)) as T;
  };
  const stored = () => JSON.stringify([...fakes.properties.data]);
  return { fakes, run, stored };
}

describe("redirects", () => {
  test("a chain of allowed hops (absolute, /path, relative) is followed hop by hop, at most 5", () => {
    const { fakes, run } = document({
      [`${BASE}/card.json`]: { status: 301, headers: { Location: "https://RAW.githubusercontent.com/acme/rates/v2/card.json" } },
      [`${BASE.replace("main", "v2")}/card.json`]: { status: 302, headers: { location: "/acme/rates/v3/card.json#latest" } },
      [`${BASE.replace("main", "v3")}/card.json`]: { status: 307, headers: { Location: "final.json" } },
      [`${BASE.replace("main", "v3")}/final.json`]: { status: 200, body: CARD },
    });
    const fetched = run<Fetched>("fetchRateCard", `${BASE}/card.json`);
    expect(fetched).toEqual({ ok: true, url: `${BASE}/card.json`, text: CARD, bytes: Buffer.byteLength(CARD) });
    expect(fakes.urlFetch.requests.map((r) => [r.url, r.followRedirects])).toEqual([
      [`${BASE}/card.json`, false],
      ["https://RAW.githubusercontent.com/acme/rates/v2/card.json", false],
      ["https://RAW.githubusercontent.com/acme/rates/v3/card.json", false],
      ["https://RAW.githubusercontent.com/acme/rates/v3/final.json", false],
    ]);
  });

  test.each([
    ["a host the manifest does not allow", "https://evil.example.com/card.json", /redirected to another address, which Refresh may not fetch: the rate card URL https:\/\/evil\.example\.com\/card\.json is not under an address/],
    ["http:// on the same host", "http://raw.githubusercontent.com/acme/rates/main/other.json", /may not fetch: .*uses http:\/\/; only https:\/\//],
    ["a look-alike host", "https://raw.githubusercontent.com.evil.example/acme/card.json", /is not under an address/],
    ["a user part before the host", "https://raw.githubusercontent.com@evil.example/acme/card.json", /is not an https:\/\/ address/],
    ["a path that climbs out with ..", "/acme/rates/../../evil/card.json", /has \. or \.\. in its path/],
  ])("a redirect to %s is refused, and that address is never fetched", (_, location, message) => {
    const target = location.startsWith("/") ? `https://raw.githubusercontent.com${location}` : location;
    const { fakes, run, stored } = document({
      [`${BASE}/card.json`]: { status: 302, headers: { Location: location } },
      [target.replace(/^http:/, "https:")]: { status: 200, body: CARD },
      [target]: { status: 200, body: CARD },
    });
    const before = stored();
    const answer = run<Failure>("fetchRateCard", `${BASE}/card.json`);
    expect(answer.ok).toBe(false);
    expect(answer.problems[0]).toMatch(message);
    expect(fakes.urlFetch.requests.map((r) => r.url)).toEqual([`${BASE}/card.json`]);
    expect(stored()).toBe(before);
  });

  test("a sixth redirect is refused; a redirect without a Location is refused", () => {
    const hops = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`${BASE}/${i}.json`, { status: 302, headers: { Location: `${i + 1}.json` } }]));
    const { fakes, run } = document({ ...hops, [`${BASE}/nowhere.json`]: { status: 302 } });
    expect(run<Failure>("fetchRateCard", `${BASE}/0.json`).problems).toEqual([`${BASE}/0.json redirected more than 5 times; give the card's final address`]);
    expect(fakes.urlFetch.requests).toHaveLength(6);
    expect(run<Failure>("fetchRateCard", `${BASE}/nowhere.json`).problems[0]).toMatch(/answered HTTP 302 without saying where the card moved/);
  });

  test("the host's case does not matter, and a #fragment is not part of the address fetched", () => {
    const { fakes, run } = document({ [`${BASE}/card.json`]: { status: 200, body: CARD } });
    const typed = "https://Raw.GitHubUserContent.com/acme/rates/main/card.json#2026-11";
    expect(run<Fetched>("fetchRateCard", typed)).toMatchObject({ ok: true, url: typed, text: CARD });
    expect(fakes.urlFetch.requests.map((r) => r.url)).toEqual(["https://Raw.GitHubUserContent.com/acme/rates/main/card.json"]);
    expect(run<RatesState>("getRatesState").refreshUrl).toBe(typed);
  });
});

describe("charsets", () => {
  const csv = "section,provider,model,quality,usdPerSecond,note\nproviders,Café Münster,Kling V3.0,720p,0.07,prix réduit";
  const latin1 = Buffer.from(csv, "latin1");

  test.each([
    ["text/csv; charset=ISO-8859-1"],
    ['text/csv; charset="iso-8859-1"'],
    ["text/csv;charset=latin1"],
    ["text/csv; charset=windows-1252"],
  ])("a Latin-1 card labelled %s is read by its label", (contentType) => {
    const { run } = document({ [`${BASE}/card.csv`]: { body: latin1, headers: { "Content-Type": contentType } } });
    expect(run<Fetched>("fetchRateCard", `${BASE}/card.csv`)).toEqual({ ok: true, url: `${BASE}/card.csv`, text: csv, bytes: latin1.length });
  });

  test.each([
    ["no charset", "text/csv", /is not UTF-8 and its Content-Type names no charset; publish the card as UTF-8, or with charset=ISO-8859-1/],
    ["a UTF-8 label", "text/csv; charset=utf-8", /sent text that is not valid UTF-8, as its Content-Type says/],
    ["a charset Refresh does not read", "text/csv; charset=x-mac-roman", /sent its card as text\/csv; charset=x-mac-roman; Refresh reads UTF-8, ISO-8859-1/],
  ])("a Latin-1 card with %s is refused, never read with replacement characters", (_, contentType, message) => {
    const { run, stored } = document({ [`${BASE}/card.csv`]: { body: latin1, headers: { "Content-Type": contentType } } });
    const before = stored();
    const answer = run<Failure>("fetchRateCard", `${BASE}/card.csv`);
    expect(answer.ok).toBe(false);
    expect(answer.problems[0]).toMatch(message);
    expect(stored()).toBe(before);
  });

  test("UTF-8 with or without a label, and with a byte-order mark, reads as sent", () => {
    const utf8 = Buffer.from(`\uFEFF${csv}`, "utf8");
    for (const contentType of ["text/csv", "text/csv; charset=UTF-8"]) {
      const { run } = document({ [`${BASE}/card.csv`]: { body: utf8, headers: { "Content-Type": contentType } } });
      expect(run<Fetched>("fetchRateCard", `${BASE}/card.csv`)).toMatchObject({ ok: true, text: csv });
    }
  });
});
