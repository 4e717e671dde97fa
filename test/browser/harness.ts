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
