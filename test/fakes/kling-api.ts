// A fake of Kling's account API: the tests route UrlFetchApp to it, and `serveKlingApi` puts the same
// handler on 127.0.0.1 for npm run preview. Tokens are checked with jsonwebtoken (not our code):
// an API key, or an HS256 JWT whose iss is an access key and whose signature is its secret key.
import http from "node:http";
import type { AddressInfo } from "node:net";
import jwt from "jsonwebtoken";

export interface FakePackInfo {
  resource_pack_name: string;
  resource_pack_id: string;
  resource_pack_type: string;
  total_quantity: number;
  remaining_quantity: number;
  purchase_time: number;
  effective_time: number;
  invalid_time: number;
  status: string;
}

export interface FakeDeduction {
  task_id: string;
  deduction_time: string;
  deduction_amount: number;
  package_id: string;
  package_name: string;
  model_name: string;
  resolution: string;
  duration: string;
  product_type: string;
  product_function: string;
  refer_video_input: boolean;
  video_sound: string;
  voice_control: boolean;
  api_key_name: string;
  unit_before_deduction: number;
  unit_after_deduction: number;
}

export interface KlingRequest {
  method: string;
  /** Path and query, e.g. /account/costs?start_time=1&end_time=2 */
  path: string;
  authorization: string;
  body: string;
}

export interface KlingResponse {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export interface LoggedRequest {
  at: number;
  method: string;
  path: string;
  status: number;
  /** What the token was: "api key", "jwt" or "refused". */
  auth: string;
}

export interface FakeKlingOptions {
  apiKeys?: string[];
  /** access key -> secret key */
  accessKeys?: Record<string, string>;
  packs?: FakePackInfo[];
  deductions?: FakeDeduction[];
  pageSize?: number;
  /** The time the fake thinks it is (ms); Date.now by default. */
  now?: () => number;
}

const json = (status: number, value: unknown, headers?: Record<string, string>): KlingResponse => ({ status, body: JSON.stringify(value), headers });

export function fakeKlingApi(options: FakeKlingOptions = {}) {
  const state = {
    apiKeys: new Set(options.apiKeys ?? []),
    accessKeys: new Map(Object.entries(options.accessKeys ?? {})),
    packs: [...(options.packs ?? [])],
    deductions: [...(options.deductions ?? [])],
    pageSize: options.pageSize ?? 500,
    /** Answers to give before serving normally, in order: e.g. [429, 503]; with a path, only to requests for it. */
    failNext: [] as (number | { status: number; path: string })[],
    requests: [] as LoggedRequest[],
    /** JWT claims the fake accepted, for tests to read. */
    claims: [] as jwt.JwtPayload[],
  };
  const now = options.now ?? Date.now;

  function authorize(header: string): string {
    const token = /^Bearer (\S+)$/.exec(header)?.[1];
    if (!token) return "refused";
    if (state.apiKeys.has(token)) return "api key";
    const decoded = jwt.decode(token, { complete: true });
    const iss = decoded && typeof decoded.payload === "object" ? decoded.payload.iss : undefined;
    const secret = iss ? state.accessKeys.get(iss) : undefined;
    if (!secret || decoded?.header.typ !== "JWT") return "refused";
    try {
      const claims = jwt.verify(token, secret, { algorithms: ["HS256"], clockTimestamp: Math.floor(now() / 1000) }) as jwt.JwtPayload;
      if (typeof claims.exp !== "number" || typeof claims.nbf !== "number") return "refused";
      state.claims.push(claims);
      return "jwt";
    } catch {
      return "refused";
    }
  }

  function route(request: KlingRequest): KlingResponse {
    const auth = authorize(request.authorization);
    const log = (response: KlingResponse) => (state.requests.push({ at: now(), method: request.method, path: request.path, status: response.status, auth }), response);
    const next = state.failNext[0];
    const failure = typeof next === "object" ? (request.path.startsWith(next.path) ? next.status : undefined) : next;
    if (failure !== undefined) {
      state.failNext.shift();
      return log(json(failure, { code: failure, message: failure === 429 ? "too many requests" : "server busy" }));
    }
    if (auth === "refused") return log(json(401, { code: 1000, message: "Authentication failed" }));
    const [path, query = ""] = request.path.split("?");
    if (request.method === "get" && path === "/account/costs") {
      const params = new URLSearchParams(query);
      const start = Number(params.get("start_time")), end = Number(params.get("end_time"));
      if (!Number.isFinite(start) || !Number.isFinite(end) || !params.get("start_time") || !params.get("end_time")) {
        return log(json(400, { code: 1201, message: "start_time and end_time are required" }));
      }
      const infos = state.packs.filter((p) => p.purchase_time >= start && p.purchase_time <= end);
      return log(json(200, { code: 0, message: "SUCCEED", request_id: "fake", data: { code: 0, msg: "SUCCEED", resource_pack_subscribe_infos: infos } }));
    }
    if (request.method === "post" && path === "/account/billing/package") {
      let body: { cursor?: string; start_time?: number; end_time?: number; limit?: number };
      try {
        body = JSON.parse(request.body || "{}");
      } catch {
        return log(json(400, { code: 1201, message: "the body is not JSON" }));
      }
      let offset = 0, start = 0, end = 0, limit = state.pageSize;
      if (body.cursor) {
        const parsed = JSON.parse(Buffer.from(body.cursor, "base64url").toString()) as { offset: number; start: number; end: number; limit: number };
        ({ offset, start, end, limit } = parsed);
      } else {
        if (typeof body.start_time !== "number" || typeof body.end_time !== "number") return log(json(400, { code: 1201, message: "start_time and end_time are required without a cursor" }));
        start = body.start_time, end = body.end_time, limit = Math.min(body.limit ?? 500, state.pageSize, 500);
      }
      const inWindow = state.deductions.filter((d) => Number(d.deduction_time) >= start && Number(d.deduction_time) <= end);
      const page = inWindow.slice(offset, offset + limit);
      const hasMore = offset + limit < inWindow.length;
      const cursor = hasMore ? Buffer.from(JSON.stringify({ offset: offset + limit, start, end, limit })).toString("base64url") : "";
      return log(json(200, { code: 0, message: "SUCCEED", request_id: "fake", data: { result: { detail: page, count: page.length }, next_cursor: cursor, has_more: hasMore } }));
    }
    return log(json(404, { code: 404, message: `no such endpoint: ${request.method.toUpperCase()} ${path}` }));
  }

  /** The most requests any one second saw. */
  const peakPerSecond = () => {
    let peak = 0;
    state.requests.forEach((r, i) => (peak = Math.max(peak, state.requests.slice(i).filter((s) => s.at - r.at < 1000).length)));
    return peak;
  };

  return { state, route, peakPerSecond };
}

export type FakeKlingApi = ReturnType<typeof fakeKlingApi>;

/** The fake on 127.0.0.1 (port 0 = any free port), for npm run preview and tests that want real HTTP. */
export function serveKlingApi(api: FakeKlingApi, port = 0): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      // The preview's and tests' handle on Kling's side of the account (no such path exists at Kling).
      if (req.method === "POST" && req.url === "/__fake/pack") {
        const { id, remaining } = JSON.parse(body) as { id: string; remaining: number };
        const pack = api.state.packs.find((p) => p.resource_pack_id === id);
        if (pack) pack.remaining_quantity = remaining;
        res.writeHead(pack ? 204 : 404).end();
        return;
      }
      const out = api.route({ method: (req.method ?? "GET").toLowerCase(), path: req.url ?? "/", authorization: String(req.headers.authorization ?? ""), body });
      res.writeHead(out.status, { "content-type": "application/json", ...(out.headers ?? {}) });
      res.end(out.body);
    });
  });
  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const address = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${address.port}`, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

/** Sample packs and usage, as `npm run preview` shows them. */
export function samplePacksAndUsage(now: number): { packs: FakePackInfo[]; deductions: FakeDeduction[] } {
  const day = 24 * 60 * 60 * 1000;
  const packs: FakePackInfo[] = [
    { resource_pack_name: "Trial-Video-1000Units-30Days", resource_pack_id: "pk-trial", resource_pack_type: "decreasing_total", total_quantity: 1000, remaining_quantity: 640, purchase_time: now - 20 * day, effective_time: now - 20 * day, invalid_time: now + 10 * day, status: "online" },
    { resource_pack_name: "Standard-Video-20000Units-180Days", resource_pack_id: "pk-std", resource_pack_type: "decreasing_total", total_quantity: 20000, remaining_quantity: 18250, purchase_time: now - 40 * day, effective_time: now - 40 * day, invalid_time: now + 140 * day, status: "online" },
    { resource_pack_name: "Trial-Video-500Units-30Days", resource_pack_id: "pk-old", resource_pack_type: "decreasing_total", total_quantity: 500, remaining_quantity: 35, purchase_time: now - 70 * day, effective_time: now - 70 * day, invalid_time: now - 40 * day, status: "expired" },
  ];
  const models = [["kling-v3", "1080p", 5], ["kling-v2-1", "720p", 10], ["kling-v3", "720p", 10]] as const;
  const deductions: FakeDeduction[] = Array.from({ length: 36 }, (_, i) => {
    const [model, resolution, seconds] = models[i % models.length]!;
    return {
      task_id: `task-${1000 + i}`, deduction_time: String(now - (35 - i) * day - 3600_000), deduction_amount: 0, package_id: i % 4 === 0 ? "pk-std" : "pk-trial",
      package_name: i % 4 === 0 ? "Standard-Video-20000Units-180Days" : "Trial-Video-1000Units-30Days", model_name: model, resolution, duration: `${seconds}.04`,
      product_type: "video", product_function: "Text to Video", refer_video_input: false, video_sound: "off", voice_control: false, api_key_name: "team-main",
      unit_before_deduction: 0, unit_after_deduction: 0,
    };
  });
  return { packs, deductions: billed(deductions) };
}

/**
 * Deductions as Kling would bill them, written out from the pricing article (not computed by the
 * code under test): Kling 3.0 1080p 0.8 units/s x 5 s = 4, Kling 3.0 720p 0.6 units/s x 10 s = 6,
 * Kling 2.1 720p (std) 10 s clip = 4.0 units; task-1007 is billed a unit more, a difference for the
 * usage sheet to flag.
 */
const BILLED: Record<string, number> = { "kling-v3|1080p|5": 4, "kling-v3|720p|10": 6, "kling-v2-1|720p|10": 4 };

export function billed(rows: FakeDeduction[]): FakeDeduction[] {
  return rows.map((d) => {
    const units = BILLED[`${d.model_name}|${d.resolution}|${Math.round(Number(d.duration))}`];
    if (units === undefined) throw new Error(`the fake Kling API has no bill for ${d.model_name} ${d.resolution} ${d.duration} s`);
    return { ...d, deduction_amount: units + (d.task_id === "task-1007" ? 1 : 0) };
  });
}
