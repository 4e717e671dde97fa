// UrlFetchApp is synchronous and Node's HTTP is not: this route makes the request in a child Node
// process and waits for it, so the fakes can call a real server on 127.0.0.1 (the fake Kling API in
// npm run preview and in its tests). A request costs a process start (tens of milliseconds).
import { spawnSync } from "node:child_process";
import type { FetchRequest, RouteResponse } from "./urlfetch";

const CHILD = `
const http = require("node:http");
let input = "";
process.stdin.on("data", (c) => (input += c));
process.stdin.on("end", () => {
  const r = JSON.parse(input);
  const req = http.request(r.url, { method: r.method, headers: r.headers }, (res) => {
    const chunks = [];
    res.on("data", (c) => chunks.push(c));
    res.on("end", () => process.stdout.write(JSON.stringify({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") })));
  });
  req.on("error", (e) => process.stdout.write(JSON.stringify({ error: e.message })));
  if (r.body) req.write(r.body);
  req.end();
});`;

/** A route that forwards `https://host/...` to `base` (e.g. http://127.0.0.1:4321), keeping path and query. */
export function forwardTo(host: string, base: string) {
  return (request: FetchRequest): RouteResponse => {
    const url = base + request.url.slice(host.length);
    const headers: Record<string, string> = { ...request.headers };
    if (request.contentType) headers["content-type"] = request.contentType;
    const input = JSON.stringify({ url, method: request.method.toUpperCase(), headers, body: request.payload === undefined ? "" : String(request.payload) });
    const child = spawnSync(process.execPath, ["-e", CHILD], { input, encoding: "utf8", timeout: 10_000 });
    const out = JSON.parse(child.stdout || `{"error":"no answer (${child.stderr.trim() || child.status})"}`) as { error?: string; status: number; headers: Record<string, string>; body: string };
    if (out.error) throw new Error(`Address unavailable: ${url} (${out.error})`);
    return { status: out.status, body: out.body, headers: out.headers };
  };
}
