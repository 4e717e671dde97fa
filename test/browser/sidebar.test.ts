// The built sidebar in a real browser (Debian's chromium, driven by playwright-core), its
// google.script.run answered by the built bundle in Node over the fakes: `npm run preview`, started
// here as analysts' developers start it. No chromium means these tests fail; .ci/run installs it.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, chromium, type FrameLocator, type Page } from "playwright-core";

const ROOT = path.resolve(__dirname, "..", "..");
const ARTIFACTS = path.join(ROOT, "test-artifacts");
const CHROMIUM = "/usr/bin/chromium";
const XSS = "<img src=x onerror=alert(1)>";
const SCRIPT = "<script>alert(2)</script>";

jest.setTimeout(60_000);

let preview: ChildProcess;
let address: string;
let browser: Browser;

/** Starts `tsx scripts/preview.ts` on a free port and resolves with the address it prints. */
function startPreview(): Promise<string> {
  preview = spawn(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/preview.ts", "--port", "0", "--latency", "150"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`the preview did not start:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      const found = /Kling Budget preview: (http:\/\/\S+)/.exec(output);
      if (found) clearTimeout(timer), resolve(found[1]!);
    };
    preview.stdout!.on("data", read);
    preview.stderr!.on("data", read);
    preview.on("exit", (code) => reject(new Error(`the preview exited (${code}):\n${output}`)));
  });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  [address, browser] = await Promise.all([
    startPreview(),
    chromium.launch({
      executablePath: CHROMIUM,
      // playwright gives each launch a fresh, empty user-data-dir of its own.
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }),
  ]);
});

afterAll(async () => {
  await browser?.close();
  preview?.kill();
});

/** The preview page: the sheet on the left, the 300 px sidebar on the right. Any dialog fails the test. */
async function open(): Promise<{ page: Page; sidebar: FrameLocator; sheet: FrameLocator; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 860 } });
  const problems: string[] = [];
  page.on("dialog", (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  await page.goto(address);
  const sidebar = page.frameLocator("#sidebar");
  await sidebar.getByTestId("version").waitFor();
  return { page, sidebar, sheet: page.frameLocator("#sheet"), problems };
}

/** Text of one cell of the preview's sheet, e.g. ("Campaign budget", 3, 9) for I3. */
async function sheetCell(sheet: FrameLocator, row: number, column: number): Promise<string> {
  return (await sheet.locator(`table tr:nth-child(${row}) td:nth-of-type(${column})`).textContent()) ?? "";
}

/** Waits until `read` gives `expected` (the sheet reloads after each server call), then returns it. */
async function eventually(read: () => Promise<string>, expected: string, timeoutMs = 10_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  let last = await read();
  while (last !== expected && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

/** Opens a collapsed section of the sidebar, e.g. "import". */
async function expand(sidebar: FrameLocator, id: string): Promise<void> {
  const section = sidebar.getByTestId(`section-${id}`);
  if ((await section.getAttribute("open")) === null) await section.locator("summary").first().click();
}

async function stored(page: Page): Promise<{ version: number; table: unknown }> {
  const answer = await page.request.post(`${address}run/getRatesState`, { data: "[]" });
  return (await answer.json()).value;
}

test("load, edit a rate, save: the version goes up and a KLING_COST cell in the sheet changes", async () => {
  const { page, sidebar, sheet, problems } = await open();
  await expect(sidebar.getByTestId("version").textContent()).resolves.toBe("Version 0");
  // I3: USD per clip of "Product close-up", kling-v3 1080p 5 s: 5 x 0.8 units x $0.14.
  expect(await sheetCell(sheet, 3, 9)).toBe("0.56");

  const frame = page.frames().find((f) => f.url().endsWith("/sidebar"))!;
  expect(await frame.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(300);

  const rate = sidebar.getByTestId("rate-kling-v3-1080p-none-plain");
  await expect(rate.inputValue()).resolves.toBe("0.8");
  await rate.fill("1");
  await expect(sidebar.getByTestId("rate-kling-v3-1080p-none-plain-usd").textContent()).resolves.toBe("$0.14");
  await sidebar.getByTestId("save").click();
  await sidebar.getByTestId("busy").waitFor(); // visible while the server works
  await expect(sidebar.getByTestId("recalculated").textContent()).resolves.toMatch(/^Saved version 1; \d+ KLING cells recalculated$/);
  await expect(sidebar.getByTestId("version").textContent()).resolves.toBe("Version 1");
  expect(await eventually(() => sheetCell(sheet, 3, 9), "0.7")).toBe("0.7");
  expect((await stored(page)).version).toBe(1);
  await page.screenshot({ path: path.join(ARTIFACTS, "sidebar-after-save.png") });
  expect(problems).toEqual([]);
});

test("a bad rate card shows the error and changes nothing", async () => {
  const { page, sidebar, problems } = await open();
  const before = await stored(page);
  await expand(sidebar, "import");
  await sidebar.getByTestId("import-text").fill("model,quality,units\nkling-v3,720p,-0.6\n");
  await sidebar.getByTestId("import-preview").click();
  await sidebar.getByTestId("alert").filter({ hasText: "line 2 (kling-v3 720p none plain), units: must be more than 0" }).waitFor();
  await expect(sidebar.getByTestId("preview").count()).resolves.toBe(0);

  await sidebar.getByTestId("import-text").fill("{ not json");
  await sidebar.getByTestId("import-preview").click();
  await sidebar.getByTestId("alert").filter({ hasText: "the rate card is not valid JSON" }).waitFor();
  expect(await stored(page)).toEqual(before);
  await expect(sidebar.getByTestId("version").textContent()).resolves.toBe(`Version ${before.version}`);
  expect(problems).toEqual([]);
});

test("a model and a package named like markup show as those characters and are never run", async () => {
  const { page, sidebar, problems } = await open();
  const state = await stored(page);
  const card = JSON.parse(JSON.stringify(state.table));
  card.packages[0].name = XSS;
  card.models[0].name = SCRIPT;
  card.pricing.defaultPackage = card.packages.find((p: { name: string }) => p.name === card.pricing.defaultPackage)?.name ?? XSS;
  await expand(sidebar, "import");
  await sidebar.getByTestId("import-text").fill(JSON.stringify(card));
  await sidebar.getByTestId("import-preview").click();
  await expect(sidebar.getByTestId("diff-list").textContent()).resolves.toContain(XSS);
  await expect(sidebar.getByTestId("diff-list").textContent()).resolves.toContain(SCRIPT);
  await sidebar.getByTestId("preview-apply").click();
  await expect(sidebar.getByTestId("recalculated").textContent()).resolves.toMatch(/^Saved version \d+/);
  await expand(sidebar, "pricing");
  await expect(sidebar.getByTestId("package-name-0").inputValue()).resolves.toBe(XSS);
  await expect(sidebar.locator("img").count()).resolves.toBe(0);
  await expect(sidebar.getByTestId("model-kling-v3").textContent()).resolves.toContain(SCRIPT);
  await expect(sidebar.locator("script", { hasText: "alert(2)" }).count()).resolves.toBe(0);
  await page.screenshot({ path: path.join(ARTIFACTS, "sidebar-markup-as-text.png") });
  expect(problems).toEqual([]);
});

test("keyboard only: reach a rate, change it, reach Save and press it", async () => {
  const { page, sidebar, problems } = await open();
  const version = (await stored(page)).version;
  await sidebar.getByTestId("rate-kling-v3-720p-none-plain").focus();
  await page.keyboard.press("Control+A");
  await page.keyboard.type("0.65");
  let onSave = false;
  for (let i = 0; i < 400 && !onSave; i++) {
    await page.keyboard.press("Tab");
    onSave = await sidebar.getByTestId("save").evaluate((el) => el === el.ownerDocument.activeElement);
  }
  expect(onSave).toBe(true);
  await page.keyboard.press("Enter");
  await expect(sidebar.getByTestId("recalculated").textContent()).resolves.toMatch(new RegExp(`^Saved version ${version + 1};`));
  expect(problems).toEqual([]);
});
