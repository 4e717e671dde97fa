// Which rate-card URLs Refresh may fetch: https only, and inside a prefix of the manifest's
// urlFetchWhitelist, matched the way Apps Script documents it. Apps Script has no URL class.

const URL_PATTERN = /^https:\/\/([a-z0-9.-]+)(:\d+)?(\/[^\s#]*)?$/i;
const PREFIX_PATTERN = /^https:\/\/(\*\.)?([a-z0-9-]+(\.[a-z0-9-]+)+)(\/[^\s?#]*)$/i;

/** Problems with a urlFetchWhitelist entry, per the manifest's rules (the build refuses bad ones). */
export function prefixProblem(prefix: string): string | undefined {
  if (!PREFIX_PATTERN.test(prefix)) return `${prefix}: a prefix must be https://, a full domain (optionally *. in front) and a path of at least "/"`;
  return undefined;
}

function matches(url: string, prefix: string): boolean {
  const u = URL_PATTERN.exec(url);
  const p = PREFIX_PATTERN.exec(prefix);
  if (!u || !p || u[2]) return false;
  const host = u[1]!.toLowerCase();
  const wanted = p[2]!.toLowerCase();
  const hostOk = p[1] ? host.endsWith(`.${wanted}`) : host === wanted;
  const rest = u[3] ?? "/";
  const path = p[4]!;
  // A prefix matches itself and what lies under it: /foo matches /foo, /foo/bar, /foo?x but not /foobar.
  return hostOk && (rest === path || rest.startsWith(path.endsWith("/") ? path : `${path}/`) || rest.startsWith(`${path}?`));
}

/** Why Refresh may not fetch this URL, or undefined when it may. */
export function urlProblem(url: string, prefixes: readonly string[]): string | undefined {
  const text = url.trim();
  if (!text) return "the rate card URL is blank: give the https address your team publishes the rate card at";
  if (/^http:\/\//i.test(text)) return `the rate card URL ${text} uses http://; only https:// addresses are fetched`;
  if (!URL_PATTERN.test(text)) return `the rate card URL ${text} is not an https:// address`;
  if (!prefixes.some((prefix) => matches(text, prefix))) {
    return `the rate card URL ${text} is not under an address this add-in may fetch (${prefixes.join(", ")}); ask whoever deploys it to add your host to urlFetchWhitelist in appsscript.json`;
  }
  return undefined;
}
