// Refresh: fetch the team's published rate card. The sidebar parses it like a pasted card, so
// the same preview, diff and validation apply; nothing here changes the rates.
import { MAX_CARD_BYTES } from "../core/rates/types";
import { charsetOf, resolveLocation, urlProblem, withoutFragment } from "../core/rates/url";
import type { Failure, Fetched } from "./sidebar-types";

/** The manifest's urlFetchWhitelist, put in by build.mjs so the check here and the platform's agree. */
declare const __URL_PREFIXES__: readonly string[];
export const urlPrefixes = (): readonly string[] => __URL_PREFIXES__;

export const REFRESH_URL_KEY = "kb.refreshUrl";
/** Redirects are followed here, each checked like the first address. */
const MAX_REDIRECTS = 5;

const refuse = (problem: string): Failure => ({ ok: false, problems: [problem] });

function header(response: GoogleAppsScript.URL_Fetch.HTTPResponse, name: string): string {
  const headers = response.getHeaders() as Record<string, unknown>;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? "" : headers[key];
  return String((Array.isArray(value) ? value[0] : value) ?? "");
}

export function fetchRateCard(url: string): Fetched | Failure {
  const given = String(url ?? "").trim();
  const problem = urlProblem(given, urlPrefixes());
  if (problem) return refuse(problem);
  let address = withoutFragment(given);
  let response: GoogleAppsScript.URL_Fetch.HTTPResponse;
  for (let hop = 0; ; hop++) {
    try {
      // The platform would follow a redirect anywhere; each hop is checked here instead.
      response = UrlFetchApp.fetch(address, { muteHttpExceptions: true, followRedirects: false, validateHttpsCertificates: true });
    } catch (error) {
      return refuse(`could not fetch ${address}: ${(error as Error).message}`);
    }
    const status = response.getResponseCode();
    if (status < 300 || status > 399 || status === 304) break;
    const location = header(response, "Location");
    if (!location) return refuse(`${address} answered HTTP ${status} without saying where the card moved; a rate card needs 200`);
    if (hop === MAX_REDIRECTS) return refuse(`${given} redirected more than ${MAX_REDIRECTS} times; give the card's final address`);
    const next = resolveLocation(location, address);
    const hopProblem = urlProblem(next, urlPrefixes());
    if (hopProblem) return refuse(`${address} redirected to another address, which Refresh may not fetch: ${hopProblem}`);
    address = withoutFragment(next);
  }
  const status = response.getResponseCode();
  if (status !== 200) return refuse(`${address} answered HTTP ${status}; a rate card needs 200`);
  const bytes = response.getContent().length;
  if (bytes > MAX_CARD_BYTES) return refuse(`${address} sent ${Math.ceil(bytes / 1024)} KB; a rate card may be at most ${MAX_CARD_BYTES / 1024} KB`);

  const contentType = header(response, "Content-Type");
  const charset = charsetOf(contentType);
  if (charset === undefined) return refuse(`${address} sent its card as ${contentType}; Refresh reads UTF-8, ISO-8859-1 (Latin-1), windows-1252 and US-ASCII`);
  let text: string;
  try {
    text = response.getContentText(charset || "UTF-8");
  } catch (error) {
    return refuse(`could not read the card from ${address} as ${charset || "UTF-8"}: ${(error as Error).message}`);
  }
  // A replacement character means bytes the charset does not have: the text would be changed without a word.
  if (text.includes("\uFFFD")) {
    return refuse(charset
      ? `${address} sent text that is not valid ${charset}, as its Content-Type says; publish the card as UTF-8`
      : `${address} sent text that is not UTF-8 and its Content-Type names no charset; publish the card as UTF-8, or with charset=ISO-8859-1 in its Content-Type`);
  }
  text = text.replace(/^\uFEFF/, "");
  if (!text.trim()) return refuse(`${address} sent an empty rate card`);
  try {
    PropertiesService.getDocumentProperties().setProperty(REFRESH_URL_KEY, given);
  } catch {
    // Remembering the address is a convenience; the card was fetched all the same.
  }
  return { ok: true, url: given, text, bytes };
}
