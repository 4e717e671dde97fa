import { defaultRateTable } from "../../src/core/rates/default-table";
import { setRate, editPackage } from "../../src/sidebar/draft";
import { checkRefreshUrl, RatesSession } from "../../src/sidebar/session";
import { ALLOWED, FakeServer } from "./fake-server";

async function loaded() {
  const server = new FakeServer();
  const changes: (string | null)[] = [];
  const session = new RatesSession(server.run, () => changes.push(session.busy));
  await session.load();
  return { server, session, changes };
}
const v3 = { model: "kling-v3", quality: "720p", audio: "none", input: "plain", per: "second" } as const;

test("load: the stored state and a clean draft; busy while the server works", async () => {
  const { session, changes } = await loaded();
  expect(session.state?.version).toBe(0);
  expect(session.draft?.table).toEqual(session.state?.table);
  expect(session.dirty).toBe(false);
  expect(session.canSave).toBe(false);
  expect(changes).toEqual(["Loading rates...", null]);
});

test("save sends the edited table with the version it was based on, and reports the recalculation", async () => {
  const { server, session } = await loaded();
  setRate(session.draft!, v3, "0.7");
  session.edited();
  expect(session.canSave).toBe(true);
  const saving = session.save();
  expect(session.busy).toBe("Saving...");
  expect(session.canSave).toBe(false);
  await saving;
  expect(server.calls.at(-1)).toMatchObject({ name: "saveRates", args: [expect.objectContaining({ version: 0 }), 0, "Edited"] });
  expect(session.state?.version).toBe(1);
  expect(session.status).toEqual({ text: "Saved version 1; 7 KLING cells recalculated", recalculated: true });
  expect(session.dirty).toBe(false);
  expect(session.draft?.table.rates[0]?.units).toBe(0.7);
});

test("Save stays off while the draft is invalid, and nothing is sent", async () => {
  const { server, session } = await loaded();
  setRate(session.draft!, v3, "abc");
  session.edited();
  expect(session.check.problems).toEqual(["rates row 1 (kling-v3 720p none plain), units: must be a number"]);
  expect(session.canSave).toBe(false);
  await session.save();
  expect(server.calls.map((c) => c.name)).toEqual(["getRatesState"]);
});

test("a save from an outdated version is refused; Reload keeps the edits on top of the newer version", async () => {
  const { server, session } = await loaded();
  editPackage(session.draft!, 1, "priceUsd", "99");
  setRate(session.draft!, v3, "0.61");
  session.edited();
  server.colleagueSaves((t) => {
    t.packages[1]!.priceUsd = 97;
    t.rates[4]!.units = 0.81;
  });
  await session.save();
  expect(session.error).toEqual({
    message: "Not saved: someone else saved a newer version.",
    problems: ["version 1 was saved by bob@example.com at 2026-11-24T12:01:00.000Z; reload to see it"],
    conflict: true,
  });
  expect(server.versions).toHaveLength(2); // nothing overwritten
  await session.reload();
  expect(session.state?.version).toBe(1);
  expect(session.error).toBeNull();
  expect(session.overlaps).toEqual(["packages: Trial L"]);
  expect(session.draft?.table.packages[1]?.priceUsd).toBe(99);
  expect(session.draft?.table.rates[0]?.units).toBe(0.61);
  expect(session.draft?.table.rates[4]?.units).toBe(0.81); // theirs
  expect(session.check.changes.map((c) => c.key)).toEqual(["kling-v3 720p", "Trial L"]);
  await session.save();
  expect(server.calls.at(-1)?.args.slice(1)).toEqual([1, "Edited"]);
  expect(session.state?.version).toBe(2);
});

test("import: parsed, previewed by the server, nothing saved until Apply, which saves the preview's table", async () => {
  const { server, session } = await loaded();
  session.importText = "model,quality,units\nkling-v3,720p,0.65\nkling-v3,1080p,0.85\n";
  await session.importCard(session.importText);
  expect(session.pending?.action).toBe("Imported CSV");
  expect(session.pending?.title).toBe("Import CSV");
  expect(server.versions).toHaveLength(1);
  expect(server.calls.at(-1)?.name).toBe("previewRates");
  const previewed = session.pending!.preview.table;
  await session.apply();
  const save = server.calls.at(-1)!;
  expect(save.name).toBe("saveRates");
  expect(save.args).toEqual([previewed, 0, "Imported CSV"]);
  expect(session.pending).toBeNull();
  expect(session.importText).toBe("");
  // The CSV's rows update the matching rates; the rest stay.
  const v3 = session.state!.table.rates.filter((r) => r.model === "kling-v3" && r.audio === "none" && r.input === "plain");
  expect(v3.map((r) => [r.quality, r.units])).toEqual([["720p", 0.65], ["1080p", 0.85], ["4k", 3]]);
  expect(session.state!.table.rates).toHaveLength(defaultRateTable().rates.length);
});

test("Cancel discards a preview; a JSON card is labelled as such", async () => {
  const { server, session } = await loaded();
  const card = JSON.parse(JSON.stringify(session.state!.table));
  card.pricing.defaultUnitPriceUsd = 0.13;
  await session.importCard(JSON.stringify(card), "rates.json");
  expect(session.pending).toMatchObject({ action: "Imported JSON", title: "Import JSON from rates.json" });
  expect(session.pending?.preview.diff).toEqual([expect.objectContaining({ section: "pricing", kind: "changed" })]);
  session.cancel();
  expect(session.pending).toBeNull();
  expect(server.calls.map((c) => c.name)).toEqual(["getRatesState", "previewRates"]);
});

test("a bad rate card shows why and changes nothing", async () => {
  const { server, session } = await loaded();
  await session.importCard("{ not json");
  expect(session.error?.message).toBe("The rate card was not read:");
  expect(session.error?.problems[0]).toMatch(/^the rate card is not valid JSON/);
  await session.importCard("model,quality,units\nkling-v3,720p,-1\n");
  expect(session.error).toEqual({ message: "The rate card was not read:", problems: ["line 2 (kling-v3 720p none plain), units: must be more than 0"], conflict: false });
  expect(session.pending).toBeNull();
  expect(server.versions).toHaveLength(1);
  expect(server.calls.some((c) => c.name === "saveRates")).toBe(false);
});

test("refresh: the URL is checked first, fetched by the server, previewed, applied as 'Refreshed from <url>'", async () => {
  const { server, session } = await loaded();
  const url = `${ALLOWED}kling.csv`;
  server.cards.set(url, "model,quality,units\nkling-v3,720p,0.66\n");
  session.refreshUrl = "http://rates.example.com/kling.csv";
  await session.refresh();
  expect(session.error?.problems).toEqual(["the rate card URL http://rates.example.com/kling.csv uses http://; only https:// addresses are fetched"]);
  expect(server.calls.map((c) => c.name)).toEqual(["getRatesState"]);
  session.refreshUrl = `${ALLOWED}missing.csv`;
  await session.refresh();
  expect(session.error).toEqual({ message: "The server could not do that:", problems: [`HTTP 404 for ${ALLOWED}missing.csv`], conflict: false });
  session.refreshUrl = url;
  await session.refresh();
  expect(session.error).toBeNull();
  expect(session.state?.refreshUrl).toBe(url);
  expect(session.pending?.action).toBe(`Refreshed from ${url}`);
  await session.apply();
  expect(server.current.summary).toBe(`Refreshed from ${url}: kling-v3 720p: units 0.6 -> 0.66, source Kling AI API pricing article -> Imported rate card (CSV), as of 2026 -> 2026-11-24`);
});

test("reset, restore and undo", async () => {
  const { server, session } = await loaded();
  setRate(session.draft!, v3, "0.7");
  session.edited();
  await session.save();
  expect(session.state?.undoTo).toBe(0);
  await session.reset();
  expect(session.pending?.action).toBe("Reset to built-in rates");
  session.cancel();
  await session.restore(0);
  expect(session.pending?.action).toBe("Restored version 0");
  expect(session.pending?.preview.diff.map((l) => l.key)).toEqual(["kling-v3 720p"]);
  await session.apply();
  expect(server.calls.at(-1)?.args.slice(1)).toEqual([1, "Restored version 0"]);
  expect(session.state?.version).toBe(2);
  // Undo shows what it would change first, like Restore, and saves nothing until Apply.
  await session.undo();
  expect(server.calls.at(-1)).toMatchObject({ name: "previewRestore", args: [1, 2] });
  expect(session.pending).toMatchObject({ title: "Undo: back to version 1", undo: true });
  expect(session.pending?.preview.diff.map((l) => l.key)).toEqual(["kling-v3 720p"]);
  expect(server.current.version).toBe(2);
  await session.apply();
  expect(server.calls.at(-1)).toMatchObject({ name: "undoRates", args: [2] });
  expect(session.state?.version).toBe(3);
  expect(session.draft?.table.rates[0]?.units).toBe(0.7);
});

test("a save that would drop a version from history waits until the analyst agrees; an edit in between asks again", async () => {
  const { server, session } = await loaded();
  server.keep = 2;
  for (const units of ["0.61", "0.62"]) {
    setRate(session.draft!, v3, units);
    session.edited();
    await session.save();
  }
  expect(session.state?.version).toBe(2);
  setRate(session.draft!, v3, "0.63");
  session.edited();
  await session.save();
  expect(server.calls.at(-1)?.name).toBe("previewRates");
  expect(session.dropping?.map((v) => v.version)).toEqual([1]);
  expect(session.canSave).toBe(false);
  expect(server.current.version).toBe(2);
  session.keepEditing();
  expect(session.dropping).toBeNull();
  await session.save();
  setRate(session.draft!, v3, "0.64");
  session.edited();
  expect(session.dropping).toBeNull();
  await session.save();
  expect(session.dropping?.map((v) => v.version)).toEqual([1]);
  await session.saveDropping();
  expect(server.calls.at(-1)).toMatchObject({ name: "saveRates", args: [expect.anything(), 2, "Edited"] });
  expect(session.state?.version).toBe(3);
  expect(session.state?.history.map((h) => h.version)).toEqual([3, 2, 0]);
  expect(session.state?.table.rates[0]?.units).toBe(0.64);
  // The preview of an import says the same before Apply.
  session.importText = "model,quality,units\nkling-v3,720p,0.65\n";
  await session.importCard(session.importText);
  expect(session.pending?.preview.willDrop.map((v) => v.version)).toEqual([2]);
});

test("actions that replace the table wait until the edits are saved or discarded", async () => {
  const { server, session } = await loaded();
  setRate(session.draft!, v3, "0.7");
  session.edited();
  expect(session.blocked).toBe("Save or discard your 1 unsaved change first.");
  await session.reset();
  await session.importCard("model,quality,units\nkling-v3,720p,0.65\n");
  expect(session.error?.message).toBe("Save or discard your 1 unsaved change first.");
  expect(server.calls.map((c) => c.name)).toEqual(["getRatesState"]);
  session.discard();
  expect(session.dirty).toBe(false);
  expect(session.draft?.table.rates[0]?.units).toBe(0.6);
  await session.reset();
  expect(session.pending?.preview.diff).toEqual([]); // nothing would change; the view keeps Apply off
  await session.apply();
  expect(server.calls.some((c) => c.name === "saveRates")).toBe(false);
});

test("export is the saved table as pretty JSON that import reads back", async () => {
  const { session } = await loaded();
  const json = session.exportJson();
  expect(json).toContain('\n  "schemaVersion": 1,');
  expect(JSON.parse(json)).toEqual(session.state?.table);
});

test("recalculate reports the count; a server exception is shown, not thrown", async () => {
  const { session } = await loaded();
  await session.recalculate();
  expect(session.status).toEqual({ text: "Recalculated 7 KLING cells in 2 sheets.", recalculated: true });
  const broken = new RatesSession(() => Promise.reject(new Error("Exception: too many simultaneous invocations")));
  await broken.load();
  expect(broken.error).toEqual({ message: "The server could not do that:", problems: ["Exception: too many simultaneous invocations"], conflict: false });
  expect(broken.busy).toBeNull();
});

test("refresh URL rules: the server's, said before the button is pressed", () => {
  expect(checkRefreshUrl("", [ALLOWED])).toMatch(/^the rate card URL is blank/);
  expect(checkRefreshUrl("https://other.example.com/x.csv", [ALLOWED])).toMatch(/^the rate card URL https:\/\/other.example.com\/x.csv is not under an address this add-in may fetch/);
  expect(checkRefreshUrl(`${ALLOWED}x.csv`, [])).toMatch(/^Refresh is not set up/);
  expect(checkRefreshUrl(` ${ALLOWED}x.csv `, [ALLOWED])).toBeNull();
});
