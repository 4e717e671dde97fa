// UrlFetchApp against a route table the test provides; nothing leaves the machine.

import { FakeBlob, toSignedBytes } from "./utilities";
import { exception, nodeRealm, signatureError, toRealm, type RealmRef, type ServiceLog } from "./support";

export interface RouteResponse {
  status?: number; // 200 unless given
  body?: string | number[] | Uint8Array;
  headers?: Record<string, string | string[]>;
}

export interface FetchRequest {
  url: string;
  method: string; // lower case, as Apps Script writes it: "get", "post", ...
  headers: Record<string, string>;
  payload: unknown;
  contentType: string | undefined;
  followRedirects: boolean;
  muteHttpExceptions: boolean;
  validateHttpsCertificates: boolean;
  params: Record<string, unknown>; // as the script passed them
}

/** A canned response, or a function of the request (it may throw to act as a network failure). */
export type Route = RouteResponse | ((request: FetchRequest) => RouteResponse);

const METHODS = new Set(["get", "delete", "patch", "post", "put"]);
const MAX_REDIRECTS = 10;
// How much of the body the "Request failed" message quotes.
export const TRUNCATED_RESPONSE_CHARS = 200;

function bodyBytes(body: RouteResponse["body"]): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  if (typeof body === "string") return Buffer.from(body, "utf8");
  if (Array.isArray(body)) return Buffer.from(body.map((b) => b & 0xff));
  return Buffer.from(body);
}

// windows-1252 at 0x80-0x9F (Node's TextDecoder reads these as Latin-1 controls); undefined bytes stay controls.
const CP1252 = Array.from("\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178");

/**
 * Decodes as the platform's Java charsets do: ISO-8859-1 is true Latin-1 (bytes 0x80-0x9F are
 * control characters, not windows-1252's quotes), invalid UTF-8 becomes U+FFFD, and a charset the
 * platform does not know is an error (assumed: the documentation does not say).
 */
function decode(body: Buffer, charset: string, realm: RealmRef): string {
  const cs = charset.trim().replace(/^"|"$/g, "").toLowerCase();
  if (cs === "utf-8" || cs === "utf8") return body.toString("utf8");
  if (["iso-8859-1", "iso_8859-1", "latin1", "l1", "iso8859_1"].includes(cs)) return body.toString("latin1");
  if (cs === "us-ascii" || cs === "ascii") return body.toString("ascii");
  if (cs === "windows-1252" || cs === "cp1252") return Array.from(body, (b) => (b >= 0x80 && b <= 0x9f ? CP1252[b - 0x80]! : String.fromCharCode(b))).join("");
  if (cs === "utf-16" || cs === "utf-16le") return body.toString("utf16le");
  throw exception(realm, `Unsupported charset: ${charset}`);
}

const charsetIn = (contentType: string | undefined) => /charset=([^;]+)/i.exec(contentType ?? "")?.[1];

export class FakeHttpResponse {
  readonly #log: ServiceLog;
  readonly #realm: RealmRef;
  readonly #status: number;
  readonly #body: Buffer;
  readonly #headers: Record<string, string | string[]>;

  constructor(log: ServiceLog, realm: RealmRef, status: number, body: Buffer, headers: Record<string, string | string[]>) {
    this.#log = log;
    this.#realm = realm;
    this.#status = status;
    this.#body = body;
    this.#headers = headers;
  }

  #header(name: string): string | undefined {
    const key = Object.keys(this.#headers).find((k) => k.toLowerCase() === name.toLowerCase());
    const v = key === undefined ? undefined : this.#headers[key];
    return Array.isArray(v) ? v[0] : v;
  }

  getResponseCode(): number {
    this.#log.calls.push("httpResponse.getResponseCode()");
    return this.#status;
  }
  /** In the given charset, else the Content-Type's, else UTF-8. */
  getContentText(charset?: string): string {
    this.#log.calls.push(charset === undefined ? "httpResponse.getContentText()" : `httpResponse.getContentText(${charset})`);
    return decode(this.#body, charset ?? charsetIn(this.#header("Content-Type")) ?? "utf-8", this.#realm);
  }
  getContent(): number[] {
    this.#log.calls.push("httpResponse.getContent()");
    return toRealm(this.#realm, toSignedBytes(this.#body));
  }
  getBlob(): FakeBlob {
    this.#log.calls.push("httpResponse.getBlob()");
    const type = this.#header("Content-Type")?.split(";")[0]?.trim() ?? null;
    return new FakeBlob(this.#log, this.#realm, this.#body, type, null);
  }
  getAs(contentType: string): FakeBlob {
    this.#log.calls.push(`httpResponse.getAs(${contentType})`);
    return this.getBlob().getAs(contentType);
  }
  /** One value a header; a header sent several times gives its first value here, all of them in getAllHeaders(). */
  getHeaders(): Record<string, string> {
    this.#log.calls.push("httpResponse.getHeaders()");
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.#headers)) out[k] = Array.isArray(v) ? (v[0] ?? "") : v;
    return toRealm(this.#realm, out);
  }
  getAllHeaders(): Record<string, string | string[]> {
    this.#log.calls.push("httpResponse.getAllHeaders()");
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(this.#headers)) out[k] = Array.isArray(v) && v.length === 1 ? v[0]! : v;
    return toRealm(this.#realm, out);
  }
}

export function fakeUrlFetchApp(log: ServiceLog, options: { routes?: Record<string, Route>; realm?: RealmRef } = {}) {
  const realm = options.realm ?? nodeRealm();
  const routes = new Map<string, Route>(Object.entries(options.routes ?? {}));
  const requests: FetchRequest[] = [];

  const toRequest = (url: unknown, params: Record<string, unknown> | undefined): FetchRequest => {
    if (typeof url !== "string") throw signatureError(realm, "UrlFetchApp.fetch", params === undefined ? [url] : [url, params]);
    const p = params ?? {};
    const method = String(p.method ?? "get").toLowerCase();
    if (!METHODS.has(method)) throw exception(realm, `Invalid argument: method`);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries((p.headers as Record<string, unknown> | undefined) ?? {})) headers[k] = String(v);
    return {
      url,
      method,
      headers,
      payload: p.payload,
      contentType: p.contentType === undefined ? undefined : String(p.contentType),
      followRedirects: p.followRedirects === undefined ? true : Boolean(p.followRedirects),
      muteHttpExceptions: Boolean(p.muteHttpExceptions),
      validateHttpsCertificates: p.validateHttpsCertificates === undefined ? true : Boolean(p.validateHttpsCertificates),
      params: { ...p },
    };
  };

  const respond = (request: FetchRequest): FakeHttpResponse => {
    let url = request.url;
    for (let hop = 0; ; hop++) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw exception(realm, `Invalid argument: ${url}`);
      }
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw exception(realm, `Invalid argument: ${url}`);
      // A #fragment never reaches the server; a host's case does not matter to it. A key ending in
      // "*" routes every URL that starts with the rest (an API with query strings).
      const bare = url.split("#")[0]!;
      const route = routes.get(bare) ?? routes.get(parsed.href.split("#")[0]!) ?? [...routes].find(([key]) => key.endsWith("*") && bare.startsWith(key.slice(0, -1)))?.[1];
      if (route === undefined) throw exception(realm, `DNS error: ${url}`);
      const r = typeof route === "function" ? route({ ...request, url }) : route;
      const status = r.status ?? 200;
      const headers = r.headers ?? {};
      const location = Object.entries(headers).find(([k]) => k.toLowerCase() === "location")?.[1];
      if (request.followRedirects && status >= 300 && status < 400 && location !== undefined && hop < MAX_REDIRECTS) {
        url = new URL(Array.isArray(location) ? location[0]! : location, url).toString();
        continue;
      }
      const response = new FakeHttpResponse(log, realm, status, bodyBytes(r.body), headers);
      if (status >= 400 && !request.muteHttpExceptions) {
        // The real message names the scheme and host only, and quotes the start of the body.
        const text = bodyBytes(r.body).toString("utf8");
        const quoted = text.length > TRUNCATED_RESPONSE_CHARS ? `${text.slice(0, TRUNCATED_RESPONSE_CHARS)}...` : text;
        throw exception(
          realm,
          `Request failed for ${parsed.protocol}//${parsed.host} returned code ${status}. Truncated server response: ${quoted} (use muteHttpExceptions option to examine full response)`,
        );
      }
      return response;
    }
  };

  const service = {
    fetch(url: string, params?: Record<string, unknown>): FakeHttpResponse {
      log.calls.push(`urlFetch.fetch(${url})`);
      const request = toRequest(url, params);
      requests.push(request);
      return respond(request);
    },
    fetchAll(list: Array<string | (Record<string, unknown> & { url: string })>): FakeHttpResponse[] {
      log.calls.push(`urlFetch.fetchAll(${list.length})`);
      const reqs = list.map((item) => (typeof item === "string" ? toRequest(item, undefined) : toRequest(item.url, item)));
      requests.push(...reqs);
      return toRealm(realm, reqs.map(respond));
    },
    getRequest(url: string, params?: Record<string, unknown>) {
      log.calls.push(`urlFetch.getRequest(${url})`);
      const r = toRequest(url, params);
      return toRealm(realm, { url: r.url, method: r.method, headers: r.headers, payload: r.payload ?? "", contentType: r.contentType ?? null, followRedirects: r.followRedirects, validateHttpsCertificates: r.validateHttpsCertificates, muteHttpExceptions: r.muteHttpExceptions });
    },
  };
  return { service, routes, requests };
}
