// The Kling account in a real browser: npm run preview (with its fake Kling API on 127.0.0.1),
// connect with the preview's key, sync, and the sheet's packs, usage and account figures follow.
import path from "node:path";
import { ARTIFACTS, expand, type Harness, openPreview, startHarness } from "./harness";

jest.setTimeout(60_000);

let harness: Harness;
beforeAll(async () => void (harness = await startHarness({ latencyMs: 0 })));
afterAll(async () => harness?.close());

test("connect, sync: the packs and usage sheets appear and the account figures follow the next sync", async () => {
  const { page, sidebar, sheet, problems } = await openPreview(harness);
  await expand(sidebar, "account");

  await sidebar.getByTestId("account-api-key").fill("not-the-key");
  await sidebar.getByTestId("account-connect").click();
  await sidebar.getByTestId("account-status").filter({ hasText: "Not connected: the key was refused (HTTP 401" }).waitFor();
  await sidebar.getByTestId("account-api-key").fill("preview-api-key-4f2a");
  await sidebar.getByTestId("account-connect").click();
  await expect(sidebar.getByTestId("account-connected").textContent()).resolves.toBe(
    "Connected to api-singapore.klingai.com with an API key, key ending in ...4f2a.");
  // The key never comes back into the page.
  expect(await page.frame({ url: /\/sidebar$/ })!.content()).not.toContain("preview-api-key-4f2a");

  await sidebar.getByTestId("account-sync").click();
  await sidebar.getByTestId("account-status").filter({ hasText: "Synced 3 packs and 36 new usage rows" }).waitFor();
  await sheet.locator("h2", { hasText: "Kling packs" }).waitFor();
  await sheet.locator("h2", { hasText: "Kling usage" }).waitFor();
  const figure = (label: string) => sheet.locator(`[data-figure="${label}"]`).textContent();
  const expiring = Number(await figure("Units expiring unused within 30 days"));
  expect(expiring).toBeGreaterThan(0);
  await expect(sheet.locator("td", { hasText: "Kling billed +1 units vs the rate table" }).count()).resolves.toBe(1);
  await page.screenshot({ path: path.join(ARTIFACTS, "account-synced.png") });

  // Kling's side changes: a pack is nearly used up. The next sync rewrites the packs and the figure follows.
  expect((await fetch(`${harness.klingApi}/__fake/pack`, { method: "POST", body: JSON.stringify({ id: "pk-trial", remaining: 5 }) })).status).toBe(204);
  await sidebar.getByTestId("account-sync").click();
  await sidebar.getByTestId("account-status").filter({ hasText: "Synced 3 packs and 0 new usage rows" }).waitFor();
  let after = expiring;
  for (const until = Date.now() + 10_000; after >= expiring && Date.now() < until;) {
    await new Promise((r) => setTimeout(r, 100));
    after = Number(await figure("Units expiring unused within 30 days"));
  }
  expect(after).toBeLessThan(expiring);
  expect(problems).toEqual([]);
});
