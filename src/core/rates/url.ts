// Which rate-card URLs Refresh may fetch: https only, and inside a prefix of the manifest's
// urlFetchWhitelist, matched the way Apps Script documents it. Apps Script has no URL class.

const URL_PATTERN = /^https:\/\/([a-z0-9.-]+)(:\d+)?(\/[^\s#]*)?$/i;
const PREFIX_PATTERN = /^https:\/\/(\*\.)?([a-z0-9-]+(\.[a-z0-9-]+)+)(\/[^\s?#]*)$/i;
/** Longer addresses are refused before anything is fetched or stored. */
export const MAX_URL_CHARS = 2000;

/** Problems with a urlFetchWhitelist entry, per the manifest's rules (the build refuses bad ones). */
export function prefixProblem(prefix: string): string | undefined {
  if (!PREFIX_PATTERN.test(prefix)) return `${prefix}: a prefix must be https://, a full domain (optionally *. in front) and a path of at least "/"`;
  return undefined;
}

/** The address without its #fragment, which is never sent to the server. */
export const withoutFragment = (url: string) => url.replace(/#.*$/s, "");

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
  const typed = url.trim();
  if (!typed) return "the rate card URL is blank: give the https address your team publishes the rate card at";
  if (typed.length > MAX_URL_CHARS) return `the rate card URL is ${typed.length} characters long; at most ${MAX_URL_CHARS} are accepted`;
  const text = withoutFragment(typed);
  if (/^http:\/\//i.test(text)) return `the rate card URL ${text} uses http://; only https:// addresses are fetched`;
  if (!URL_PATTERN.test(text)) return `the rate card URL ${text} is not an https:// address`;
  // A server reads /a/../b as /b: a path that climbs out of a prefix is not under it.
  if (/\/\.\.?(\/|\?|$)|%2e/i.test(text.replace(/^https:\/\/[^/]*/i, ""))) return `the rate card URL ${text} has . or .. in its path; give the address without them`;
  if (!prefixes.some((prefix) => matches(text, prefix))) {
    return `the rate card URL ${text} is not under an address this add-in may fetch (${prefixes.join(", ")}); ask whoever deploys it to add your host to urlFetchWhitelist in appsscript.json`;
  }
  return undefined;
}

/** Where a redirect's Location points, read against the address that answered (absolute, //host, /path or relative). */
export function resolveLocation(location: string, base: string): string {
  const target = location.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return target;
  const origin = /^([a-z][a-z0-9+.-]*:)\/\/[^/?#]*/i.exec(base);
  if (!origin) return target;
  if (target.startsWith("//")) return `${origin[1]}${target}`;
  if (target.startsWith("/")) return `${origin[0]}${target}`;
  const path = withoutFragment(base).slice(origin[0].length).replace(/\?.*$/s, "");
  const directory = path.slice(0, path.lastIndexOf("/") + 1) || "/";
  return target.startsWith("?") ? `${origin[0]}${path || "/"}${target}` : `${origin[0]}${directory}${target}`;
}

const CHARSETS: Record<string, string> = {
  "utf-8": "UTF-8", utf8: "UTF-8",
  "iso-8859-1": "ISO-8859-1", iso_8859_1: "ISO-8859-1", "iso_8859-1": "ISO-8859-1", latin1: "ISO-8859-1", l1: "ISO-8859-1",
  "windows-1252": "windows-1252", cp1252: "windows-1252",
  "us-ascii": "US-ASCII", ascii: "US-ASCII",
};

/**
 * The charset a Content-Type names, as the platform spells it; "" when it names none (the card is
 * then read as UTF-8); undefined when Refresh does not read it.
 */
export function charsetOf(contentType: string): string | undefined {
  const named = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType)?.[2];
  if (named === undefined) return "";
  return CHARSETS[named.toLowerCase()];
}
