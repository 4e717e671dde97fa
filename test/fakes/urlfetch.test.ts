import { newLog } from "./support";
import { fakeUrlFetchApp, type FetchRequest } from "./urlfetch";

const RATES = "https://rates.example.com/kling/rates.json";

describe("UrlFetchApp against a route table", () => {
  test("a 200 response: code, text, signed bytes, blob typed from Content-Type, headers", () => {
    const log = newLog();
    const { service } = fakeUrlFetchApp(log, {
      routes: { [RATES]: { body: '{"v":"€"}', headers: { "Content-Type": "application/json; charset=utf-8", "Set-Cookie": ["a=1", "b=2"] } } },
    });
    const r = service.fetch(RATES);
    expect(r.getResponseCode()).toBe(200);
    expect(JSON.parse(r.getContentText())).toEqual({ v: "€" });
    expect(r.getContent().slice(-5)).toEqual([-30, -126, -84, 34, 125]); // €, then the closing " and }
    expect(r.getBlob().getContentType()).toBe("application/json");
    expect(r.getHeaders()).toEqual({ "Content-Type": "application/json; charset=utf-8", "Set-Cookie": "a=1" });
    expect(r.getAllHeaders()["Set-Cookie"]).toEqual(["a=1", "b=2"]);
    expect(log.calls[0]).toBe(`urlFetch.fetch(${RATES})`);
  });

  test("status 400 and above throws the real message (scheme and host only, start of the body) unless muted", () => {
    const { service } = fakeUrlFetchApp(newLog(), { routes: { [RATES]: { status: 404, body: '{"error":"no such table"}' } } });
    let thrown: Error | undefined;
    try {
      service.fetch(RATES);
    } catch (error) {
      thrown = error as Error;
    }
    expect(thrown?.name).toBe("Exception");
    expect(thrown?.message).toBe(
      'Request failed for https://rates.example.com returned code 404. Truncated server response: {"error":"no such table"} (use muteHttpExceptions option to examine full response)',
    );
    const muted = service.fetch(RATES, { muteHttpExceptions: true });
    expect(muted.getResponseCode()).toBe(404);
    expect(muted.getContentText()).toBe('{"error":"no such table"}');
  });

  test("a long error body is cut in the message; 3xx below 400 does not throw", () => {
    const { service } = fakeUrlFetchApp(newLog(), {
      routes: { [RATES]: { status: 500, body: "x".repeat(1000) }, "https://a.example/": { status: 304 } },
    });
    expect(() => service.fetch(RATES)).toThrow(/Truncated server response: x{200}\.\.\. \(use muteHttpExceptions/);
    expect(service.fetch("https://a.example/").getResponseCode()).toBe(304);
  });

  test("an unknown host is a DNS error; a URL without http(s) is an invalid argument", () => {
    const { service } = fakeUrlFetchApp(newLog());
    expect(() => service.fetch("https://nowhere.example/x")).toThrow("DNS error: https://nowhere.example/x");
    expect(() => service.fetch("rates.json")).toThrow("Invalid argument: rates.json");
    expect(() => service.fetch("ftp://example.com/x")).toThrow("Invalid argument");
  });

  test("records each request with Apps Script's defaults filled in", () => {
    const fake = fakeUrlFetchApp(newLog(), { routes: { [RATES]: {} } });
    fake.service.fetch(RATES);
    fake.service.fetch(RATES, { method: "POST", headers: { "If-None-Match": "abc" }, payload: "{}", contentType: "application/json", followRedirects: false, muteHttpExceptions: true, validateHttpsCertificates: false });
    expect(fake.requests.map(({ params: _p, ...r }) => r)).toEqual([
      { url: RATES, method: "get", headers: {}, payload: undefined, contentType: undefined, followRedirects: true, muteHttpExceptions: false, validateHttpsCertificates: true },
      { url: RATES, method: "post", headers: { "If-None-Match": "abc" }, payload: "{}", contentType: "application/json", followRedirects: false, muteHttpExceptions: true, validateHttpsCertificates: false },
    ]);
    expect(() => fake.service.fetch(RATES, { method: "fetch" })).toThrow("Invalid argument: method");
  });

  test("redirects are followed unless followRedirects is false; a route may be a function of the request", () => {
    const seen: FetchRequest[] = [];
    const fake = fakeUrlFetchApp(newLog(), {
      routes: {
        "https://old.example/rates": { status: 302, headers: { Location: "/v2/rates" } },
        "https://old.example/v2/rates": (req) => (seen.push(req), { body: `moved, etag ${req.headers["If-None-Match"] ?? "none"}` }),
      },
    });
    const followed = fake.service.fetch("https://old.example/rates", { headers: { "If-None-Match": "e1" } });
    expect(followed.getContentText()).toBe("moved, etag e1");
    expect(seen.map((r) => r.url)).toEqual(["https://old.example/v2/rates"]);
    const kept = fake.service.fetch("https://old.example/rates", { followRedirects: false });
    expect(kept.getResponseCode()).toBe(302);
    expect(kept.getHeaders().Location).toBe("/v2/rates");
  });

  test("routes can change between calls, and a throwing route acts as a network failure", () => {
    const fake = fakeUrlFetchApp(newLog());
    fake.routes.set(RATES, () => {
      throw new Error("Address unavailable: " + RATES);
    });
    expect(() => fake.service.fetch(RATES)).toThrow("Address unavailable");
    fake.routes.set(RATES, { body: "ok" });
    expect(fake.service.fetch(RATES).getContentText()).toBe("ok");
    expect(fake.requests).toHaveLength(2);
  });
});

describe("charsets and redirects as a script handling them itself sees them", () => {
  const latin1 = Buffer.from("name,note\nCafé Münster,5", "latin1");
  test("text is read in the charset asked for, else the Content-Type's, else UTF-8 (bad bytes become U+FFFD)", () => {
    const { service } = fakeUrlFetchApp(newLog(), {
      routes: {
        "https://a.example/labelled": { body: latin1, headers: { "Content-Type": "text/csv; charset=ISO-8859-1" } },
        "https://a.example/unlabelled": { body: latin1, headers: { "Content-Type": "text/csv" } },
        "https://a.example/cp1252": { body: [0x93, 0x61, 0x94, 0x80], headers: { "Content-Type": "text/plain; charset=windows-1252" } },
        "https://a.example/odd": { body: "x", headers: { "Content-Type": "text/plain; charset=x-klingon" } },
      },
    });
    expect(service.fetch("https://a.example/labelled").getContentText()).toBe("name,note\nCafé Münster,5");
    expect(service.fetch("https://a.example/unlabelled").getContentText()).toBe("name,note\nCaf\uFFFD M\uFFFDnster,5");
    expect(service.fetch("https://a.example/unlabelled").getContentText("ISO-8859-1")).toContain("Café Münster");
    expect(service.fetch("https://a.example/cp1252").getContentText()).toBe("\u201Ca\u201D\u20AC");
    expect(service.fetch("https://a.example/cp1252").getContentText("ISO-8859-1")).toBe("\u0093a\u0094\u0080");
    expect(() => service.fetch("https://a.example/odd").getContentText()).toThrow("Unsupported charset: x-klingon");
  });

  test("with followRedirects false each hop answers with its own status and Location, absolute or relative", () => {
    const { service, requests } = fakeUrlFetchApp(newLog(), {
      routes: {
        "https://a.example/1": { status: 301, headers: { location: "https://B.example/2#frag" } },
        "https://b.example/2": { status: 307, headers: { Location: "//c.example/3" } },
      },
    });
    const first = service.fetch("https://a.example/1", { followRedirects: false });
    expect([first.getResponseCode(), first.getHeaders().location]).toEqual([301, "https://B.example/2#frag"]);
    const second = service.fetch("https://b.example/2", { followRedirects: false });
    expect(second.getHeaders().Location).toBe("//c.example/3");
    expect(() => service.fetch("https://a.example/1")).toThrow("DNS error: https://c.example/3"); // followed: ends where no route is
    expect(requests.map((r) => r.followRedirects)).toEqual([false, false, true]);
  });
});
