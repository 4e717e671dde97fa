// What the browser tests share: `npm run preview` started as developers start it, Debian's chromium
// through playwright-core, and small helpers over the sidebar. No chromium means these tests fail;
// .ci/run installs it.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, chromium, type FrameLocator, type Page } from "playwright-core";

export const ROOT = path.resolve(__dirname, "..", "..");
export const ARTIFACTS = path.join(ROOT, "test-artifacts");
const CHROMIUM = "/usr/bin/chromium";

export interface Harness {
  address: string;
  /** The fake Kling API the preview started (its account side can be changed through /__fake/). */
  klingApi: string;
  browser: Browser;
  close(): Promise<void>;
}

export interface PreviewOptions {
  latencyMs?: number;
  /** More arguments for scripts/preview.ts, e.g. ["--sheet", file]. */
  args?: string[];
}

/** Starts `tsx scripts/preview.ts` on a free port and resolves with the addresses it prints. */
function startPreview(o: PreviewOptions): { child: ChildProcess; address: Promise<[string, string]> } {
  const args = ["scripts/preview.ts", "--port", "0", "--latency", String(o.latencyMs ?? 150), ...(o.args ?? [])];
  const child = spawn(path.join(ROOT, "node_modules/.bin/tsx"), args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  const address = new Promise<[string, string]>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`the preview did not start:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      const found = /Kling Budget preview: (http:\/\/\S+)/.exec(output);
      const kling = /the fake Kling API at (http:\/\/\S+)/.exec(output);
      if (found && kling) clearTimeout(timer), resolve([found[1]!, kling[1]!]);
    };
    child.stdout!.on("data", read);
    child.stderr!.on("data", read);
    child.on("exit", (code) => reject(new Error(`the preview exited (${code}):\n${output}`)));
  });
  return { child, address };
}

/** One preview server and one browser for a test file. */
export async function startHarness(options: PreviewOptions = {}): Promise<Harness> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const preview = startPreview(options);
  const [[address, klingApi], browser] = await Promise.all([
    preview.address,
    chromium.launch({
      executablePath: CHROMIUM,
      // playwright gives each launch a fresh, empty user-data-dir of its own.
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }),
  ]);
  return {
    address,
    klingApi,
    browser,
    async close() {
      await browser.close();
      preview.child.kill();
    },
  };
}

/** Opens a collapsed section of the sidebar, e.g. "import". */
export async function expand(sidebar: FrameLocator | Page, id: string): Promise<void> {
  const section = sidebar.getByTestId(`section-${id}`);
  if ((await section.getAttribute("open")) === null) await section.locator("summary").first().click();
}

/** The saved state, asked of the preview's server directly. */
export async function stored(page: Page, address: string): Promise<{ version: number; table: unknown; historyKept?: { versions: number; kilobytes: number } }> {
  const answer = await page.request.post(`${address}run/getRatesState`, { data: "[]" });
  return (await answer.json()).value;
}

/** The preview page: the sheet on the left, the 300 px sidebar on the right; dialogs and page errors are collected. */
export async function openPreview(h: Harness): Promise<{ page: Page; sidebar: FrameLocator; sheet: FrameLocator; problems: string[] }> {
  const page = await h.browser.newPage({ viewport: { width: 1200, height: 860 } });
  const problems: string[] = [];
  page.on("dialog", (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  await page.goto(h.address);
  const sidebar = page.frameLocator("#sidebar");
  await sidebar.getByTestId("version").waitFor();
  return { page, sidebar, sheet: page.frameLocator("#sheet"), problems };
}

/** Waits until `read` gives `expected` (the sheet reloads after each server call), then returns what it last gave. */
export async function eventually(read: () => Promise<string>, expected: RegExp | string, timeoutMs = 10_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  const ok = (text: string) => (typeof expected === "string" ? text === expected : expected.test(text));
  let last = await read();
  while (!ok(last) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}
