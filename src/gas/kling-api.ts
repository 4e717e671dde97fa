// Kling's account API through UrlFetchApp: the user's credentials (user properties only: another
// editor of the spreadsheet never sees them), the JWT Kling wants for access key + secret key
// accounts, a pace of at most one request a second, and retries for 429 and 5xx.
import { KlingAnswerError } from "../core/actuals/account";
import { errorMessage, readUserJson } from "./platform";

export const KLING_HOSTS = ["https://api-singapore.klingai.com", "https://api-beijing.klingai.com"] as const;
const CREDENTIALS_KEY = "kb.kling.credentials";
/** Where an unfinished sync goes on; it belongs to the credentials it was read with. */
export const RESUME_KEY = "kb.kling.resume";

export type Credentials =
  | { host: string; apiKey: string }
  | { host: string; accessKey: string; secretKey: string };

const userProperties = () => PropertiesService.getUserProperties();

export function readCredentials(): Credentials | undefined {
  return readUserJson<Credentials>(CREDENTIALS_KEY);
}

export function storeCredentials(credentials: Credentials): void {
  userProperties().setProperty(CREDENTIALS_KEY, JSON.stringify(credentials));
  userProperties().deleteProperty(RESUME_KEY);
}

export function forgetCredentials(): void {
  userProperties().deleteProperty(CREDENTIALS_KEY);
  userProperties().deleteProperty(RESUME_KEY);
}

/** What the sidebar may show of a key: its last four characters. */
export function keyHint(credentials: Credentials): string {
  const key = "apiKey" in credentials ? credentials.apiKey : credentials.accessKey;
  return `key ending in ...${key.slice(-4)}`;
}

const base64url = (data: string | number[]) => Utilities.base64EncodeWebSafe(data as never).replace(/=+$/, "");

/** Kling's token for access key + secret key accounts: HS256, iss = access key, valid 30 minutes from 5 s ago. */
export function klingJwt(accessKey: string, secretKey: string, nowMs: number): string {
  const seconds = Math.floor(nowMs / 1000);
  const signingInput = `${base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${base64url(JSON.stringify({ iss: accessKey, exp: seconds + 1800, nbf: seconds - 5 }))}`;
  return `${signingInput}.${base64url(Utilities.computeHmacSha256Signature(signingInput, secretKey))}`;
}

function bearer(credentials: Credentials): string {
  return "apiKey" in credentials ? credentials.apiKey : klingJwt(credentials.accessKey, credentials.secretKey, Date.now());
}

/** Kling refused or failed; the message says what Kling answered and never holds a credential. */
export class KlingError extends Error {
  override name = "KlingError";
  constructor(message: string, readonly status = 0) {
    super(message);
  }
}

const MIN_GAP_MS = 1000;
const TRIES_429 = 5;
const TRIES_5XX = 4;

/** When this user's last request to Kling went out: kept in the user cache so the pace holds across executions. */
const LAST_REQUEST_KEY = "kb.kling.lastRequest";

function lastRequest(): number {
  try {
    return Number(CacheService.getUserCache()?.get(LAST_REQUEST_KEY) ?? "") || -Infinity;
  } catch {
    return -Infinity;
  }
}

export function klingClient(credentials: Credentials) {
  let last = lastRequest();

  function pace(): void {
    const wait = last + MIN_GAP_MS - Date.now();
    if (wait > 0) Utilities.sleep(wait);
    last = Date.now();
    try {
      CacheService.getUserCache()?.put(LAST_REQUEST_KEY, String(last), 60);
    } catch {
      // Without the cache only this execution's own requests are paced.
    }
  }

  /** What Kling said in an error answer, if anything, as ": message". */
  function klingSaid(text: string): string {
    try {
      const body = JSON.parse(text) as { message?: unknown; msg?: unknown };
      const message = body.message ?? body.msg;
      return typeof message === "string" ? `: ${message.slice(0, 200)}` : "";
    } catch {
      return "";
    }
  }

  function request(method: "get" | "post", path: string, body?: unknown): unknown {
    let tries429 = 0;
    let tries5xx = 0;
    for (;;) {
      pace();
      let response: GoogleAppsScript.URL_Fetch.HTTPResponse;
      try {
        response = UrlFetchApp.fetch(`${credentials.host}${path}`, {
          method,
          muteHttpExceptions: true,
          followRedirects: false,
          contentType: "application/json",
          headers: { Authorization: `Bearer ${bearer(credentials)}` },
          ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
        });
      } catch (error) {
        if (++tries5xx < TRIES_5XX) {
          Utilities.sleep(MIN_GAP_MS * 2 ** tries5xx);
          continue;
        }
        throw new KlingError(`could not reach ${credentials.host} (${tries5xx} tries): ${errorMessage(error)}`);
      }
      const status = response.getResponseCode();
      if (status === 200) {
        try {
          return JSON.parse(response.getContentText("UTF-8"));
        } catch {
          throw new KlingAnswerError("Kling's answer is not JSON");
        }
      }
      const said = klingSaid(response.getContentText("UTF-8"));
      if (status === 401 || status === 403) {
        throw new KlingError(`the key was refused (HTTP ${status}${said}); check it under Kling account, or connect again`, status);
      }
      if (status === 429) {
        if (++tries429 < TRIES_429) {
          const after = Number((response.getHeaders() as Record<string, string>)["Retry-After"] ?? "");
          Utilities.sleep(Number.isFinite(after) && after > 0 ? after * 1000 : MIN_GAP_MS * 2 ** tries429);
          continue;
        }
        throw new KlingError(`Kling kept answering HTTP 429 (too many requests) after ${TRIES_429} tries; try again in a few minutes`, status);
      }
      if (status >= 500) {
        if (++tries5xx < TRIES_5XX) {
          Utilities.sleep(MIN_GAP_MS * 2 ** tries5xx);
          continue;
        }
        throw new KlingError(`Kling's server failed (HTTP ${status}${said}) ${TRIES_5XX} times; try again later`, status);
      }
      throw new KlingError(`Kling answered HTTP ${status}${said}`, status);
    }
  }

  return {
    /** GET /account/costs: the resource packs bought from `fromMs` to `toMs`. */
    packs: (fromMs: number, toMs: number) => request("get", `/account/costs?start_time=${Math.floor(fromMs)}&end_time=${Math.floor(toMs)}`),
    /** POST /account/billing/package: one page of unit deductions; a cursor overrides the window. */
    deductions: (page: { cursor: string } | { fromMs: number; toMs: number }) =>
      request("post", "/account/billing/package", "cursor" in page ? { cursor: page.cursor } : { start_time: Math.floor(page.fromMs), end_time: Math.floor(page.toMs), limit: 500 }),
  };
}

export type KlingClient = ReturnType<typeof klingClient>;
