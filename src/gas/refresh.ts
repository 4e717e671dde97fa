// Refresh: fetch the team's published rate card. The sidebar parses it like a pasted card, so
// the same preview, diff and validation apply; nothing here changes the rates.
import { MAX_CARD_BYTES } from "../core/rates/types";
import { urlProblem } from "../core/rates/url";
import type { Failure, Fetched } from "./sidebar-types";

/** The manifest's urlFetchWhitelist, put in by build.mjs so the check here and the platform's agree. */
declare const __URL_PREFIXES__: readonly string[];
export const urlPrefixes = (): readonly string[] => __URL_PREFIXES__;

export const REFRESH_URL_KEY = "kb.refreshUrl";

export function fetchRateCard(url: string): Fetched | Failure {
  const address = String(url ?? "").trim();
  const problem = urlProblem(address, urlPrefixes());
  if (problem) return { ok: false, problems: [problem] };
  let response: GoogleAppsScript.URL_Fetch.HTTPResponse;
  try {
    response = UrlFetchApp.fetch(address, { muteHttpExceptions: true, followRedirects: true, validateHttpsCertificates: true });
  } catch (error) {
    return { ok: false, problems: [`could not fetch ${address}: ${(error as Error).message}`] };
  }
  const status = response.getResponseCode();
  if (status !== 200) return { ok: false, problems: [`${address} answered HTTP ${status}; a rate card needs 200`] };
  const bytes = response.getContent().length;
  if (bytes > MAX_CARD_BYTES) return { ok: false, problems: [`${address} sent ${Math.ceil(bytes / 1024)} KB; a rate card may be at most ${MAX_CARD_BYTES / 1024} KB`] };
  const text = response.getContentText("UTF-8");
  if (!text.trim()) return { ok: false, problems: [`${address} sent an empty rate card`] };
  PropertiesService.getDocumentProperties().setProperty(REFRESH_URL_KEY, address);
  return { ok: true, url: address, text, bytes };
}
