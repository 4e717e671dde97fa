// The built sidebar in a real browser (Debian's chromium, driven by playwright-core), its
// google.script.run answered by the built bundle in Node over the fakes: `npm run preview`, started
// here as analysts' developers start it (see harness.ts).
import path from "node:path";
import type { FrameLocator, Page } from "playwright-core";
import { ARTIFACTS, eventually, expand, type Harness, openPreview, startHarness, stored as storedAt } from "./harness";

const XSS = "<img src=x onerror=alert(1)>";
const SCRIPT = "<script>alert(2)</script>";

jest.setTimeout(60_000);

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

/** Text of one cell of the preview's sheet, e.g. ("Campaign budget", 3, 9) for I3. */
async function sheetCell(sheet: FrameLocator, row: number, column: number): Promise<string> {
  return (await sheet.locator(`table tr:nth-child(${row}) td:nth-of-type(${column})`).textContent()) ?? "";
}

const stored = (page: Page) => storedAt(page, harness.address);

test("load, edit a rate, save: the version goes up and a KLING_COST cell in the sheet changes", async () => {
  const { page, sidebar, sheet, problems } = await openPreview(harness);
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
  const { page, sidebar, problems } = await openPreview(harness);
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
  const { page, sidebar, problems } = await openPreview(harness);
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
  const { page, sidebar, problems } = await openPreview(harness);
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
