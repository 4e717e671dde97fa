// Models in the sidebar, in a real browser (Debian's chromium via playwright-core) over `npm run
// preview` with one more sheet whose cell prices a model the table does not have yet: add it in
// the sidebar, type its rate, save, and the cell prices it; remove it through the preview; a CSV
// card with a models section adds one the same way.
import path from "node:path";
import type { FrameLocator } from "playwright-core";
import { eventually, type Harness, openPreview, startHarness } from "./harness";

const SHEET = path.join(__dirname, "fixtures", "new-model.csv");

jest.setTimeout(60_000);

let harness: Harness;
beforeAll(async () => void (harness = await startHarness({ latencyMs: 0, args: ["--sheet", SHEET] })));
afterAll(async () => harness?.close());

/** D2 of the new-model sheet (the second table on the sheet page): =KLING_COST(A2, B2, C2). */
const priceCell = async (sheet: FrameLocator) => (await sheet.locator("table").nth(1).locator("tr:nth-child(2) td:nth-of-type(4)").textContent()) ?? "";

test("add a model in the sidebar, type its rate, save: a sheet cell prices it; remove it through the preview", async () => {
  const { sidebar, sheet, problems } = await openPreview(harness);
  expect(await priceCell(sheet)).toMatch(/^#ERROR! model: "acme-v9" is not a known model/);

  await sidebar.getByTestId("add-model-id").fill("acme-v9");
  await sidebar.getByTestId("add-model-name").fill("Acme 9");
  await sidebar.getByTestId("add-model-lengths").fill("5, 10");
  await sidebar.getByTestId("add-model-qualities-1080p").check();
  await sidebar.getByTestId("add-model-button").click();

  // Its grid appears, empty; under a typed rate: dollars per second and the price of a clip of the chosen length.
  const rate = sidebar.getByTestId("rate-acme-v9-1080p-none-plain");
  await expect(rate.inputValue()).resolves.toBe("");
  await rate.fill("0.65");
  await expect(sidebar.getByTestId("rate-acme-v9-1080p-none-plain-usd").textContent()).resolves.toBe("$0.091");
  await expect(sidebar.getByTestId("rate-acme-v9-1080p-none-plain-clip").textContent()).resolves.toBe("$0.91 for 10 s");
  await sidebar.getByTestId("clip-length-acme-v9").fill("5");
  await expect(sidebar.getByTestId("rate-acme-v9-1080p-none-plain-clip").textContent()).resolves.toBe("$0.455 for 5 s");
  await sidebar.getByTestId("clip-length-acme-v9").fill("7");
  await expect(sidebar.getByTestId("clip-length-note-acme-v9").textContent()).resolves.toBe("Acme 9 sells 5 s or 10 s clips");

  await sidebar.getByTestId("save").click();
  await expect(sidebar.getByTestId("recalculated").textContent()).resolves.toMatch(/^Saved version 1; /);
  expect(await eventually(() => priceCell(sheet), "0.91")).toBe("0.91");

  await sidebar.getByTestId("remove-model-acme-v9").click();
  await sidebar.getByTestId("preview").waitFor();
  await expect(sidebar.getByTestId("diff-counts").textContent()).resolves.toMatch(/removed/);
  await sidebar.getByTestId("preview-apply").click();
  await expect(sidebar.getByTestId("recalculated").textContent()).resolves.toMatch(/^Saved version 2; /);
  expect(await eventually(() => priceCell(sheet), /is not a known model/)).toMatch(/^#ERROR! model: "acme-v9" is not a known model/);
  expect(problems).toEqual([]);
});

test("a CSV card with a models section adds a model and its rate through the preview", async () => {
  const { page, sidebar, sheet, problems } = await openPreview(harness);
  const section = sidebar.getByTestId("section-import");
  if ((await section.getAttribute("open")) === null) await section.locator("summary").first().click();
  await sidebar.getByTestId("import-text").fill([
    "section,id,name,lengths,qualities,model,quality,units",
    "models,acme-v9,Acme 9,5|10,1080p,,,",
    "rates,,,,,acme-v9,1080p,0.5",
  ].join("\n"));
  await sidebar.getByTestId("import-preview").click();
  await sidebar.getByTestId("preview").waitFor();
  await expect(sidebar.getByTestId("diff-models").textContent()).resolves.toContain("acme-v9");
  await expect(sidebar.getByTestId("diff-rates").textContent()).resolves.toContain("acme-v9 1080p");
  await sidebar.getByTestId("preview-apply").click();
  expect(await eventually(() => priceCell(sheet), "0.7")).toBe("0.7");
  await page.close();
  expect(problems).toEqual([]);
});
