// The sidebar's "Kling account" calls. Credentials go into the user's own properties and never come
// back: the sidebar sees only which host, which kind of key and its last four characters.
import { readPacks } from "../core/actuals/account";
import { DAY_MS } from "../core/actuals/burn";
import type { KlingAccountAnswer, KlingAccountState } from "./account-types";
import { type Credentials, KLING_HOSTS, KlingError, forgetCredentials, keyHint, klingClient, readCredentials, storeCredentials } from "./kling-api";


export function getKlingAccountState(): KlingAccountState {
  const credentials = readCredentials();
  if (!credentials) return { connected: false, host: "", auth: "", keyHint: "", hosts: KLING_HOSTS };
  return { connected: true, host: credentials.host, auth: "apiKey" in credentials ? "API key" : "access key + secret key", keyHint: keyHint(credentials), hosts: KLING_HOSTS };
}

const answer = (ok: boolean, message: string): KlingAccountAnswer => ({ ok, message, state: getKlingAccountState() });

function cleanKey(name: string, value: unknown): string | string[] {
  const text = typeof value === "string" ? value.trim() : "";
  if (!text) return [`${name} is blank; paste it from Kling's developer console`];
  if (/\s/.test(text)) return [`${name} contains spaces; paste it again without them`];
  return text;
}

/** Stores the user's credentials after one call proves Kling accepts them. */
export function connectKlingAccount(host: string, apiKey: string, accessKey: string, secretKey: string): KlingAccountAnswer {
  if (!KLING_HOSTS.includes(host as never)) return answer(false, `host: "${String(host)}" is not a Kling API host; choose ${KLING_HOSTS.join(" or ")}`);
  let credentials: Credentials;
  if (String(apiKey ?? "").trim()) {
    const key = cleanKey("API key", apiKey);
    if (Array.isArray(key)) return answer(false, key[0]!);
    credentials = { host, apiKey: key };
  } else {
    const access = cleanKey("Access key", accessKey);
    const secret = cleanKey("Secret key", secretKey);
    if (Array.isArray(access)) return answer(false, access[0]!);
    if (Array.isArray(secret)) return answer(false, secret[0]!);
    credentials = { host, accessKey: access, secretKey: secret };
  }
  const tried = tryConnection(credentials);
  if (!tried.ok) return answer(false, `Not connected: ${tried.message}`);
  storeCredentials(credentials);
  return answer(true, `Connected. ${tried.message}`);
}

export function disconnectKlingAccount(): KlingAccountAnswer {
  forgetCredentials();
  return answer(true, "Disconnected: your Kling credentials are removed from this spreadsheet's add-on");
}

function tryConnection(credentials: Credentials): { ok: boolean; message: string } {
  try {
    const now = Date.now();
    const packs = readPacks(klingClient(credentials).packs(now - 400 * DAY_MS, now));
    const online = packs.filter((p) => p.status === "online").length;
    return { ok: true, message: `Kling answered: ${packs.length} resource pack${packs.length === 1 ? "" : "s"}, ${online} online` };
  } catch (error) {
    if (error instanceof KlingError || (error as Error).name === "KlingAnswerError") return { ok: false, message: (error as Error).message };
    throw error;
  }
}

/** One call to Kling with the stored credentials; says what Kling answered. */
export function testKlingConnection(): KlingAccountAnswer {
  const credentials = readCredentials();
  if (!credentials) return answer(false, "Not connected: connect your Kling account first");
  const tried = tryConnection(credentials);
  return answer(tried.ok, tried.message);
}
