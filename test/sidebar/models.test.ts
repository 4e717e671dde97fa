// Adding, renaming and removing models in the sidebar's draft, without the DOM.
import { defaultRateTable } from "../../src/core/rates/default-table";
import { checkDraft, createDraft, setRate } from "../../src/sidebar/draft";
import { addModel, type ModelForm, renameModel, withoutModel } from "../../src/sidebar/draft-models";
import { modelMatrix } from "../../src/sidebar/matrix";

const TODAY = "2026-11-29";
const form = (over: Partial<ModelForm> = {}): ModelForm => ({
  id: "acme-v9", name: "Acme 9", aliases: "K9, Nine", billing: "per-second", lengths: "3-12", qualities: ["720p", "1080p"], audio: ["none"], inputs: ["plain"], ...over,
});

test("a new model joins the draft with no rates; its grid is empty and the draft is valid", () => {
  const d = createDraft(defaultRateTable(), TODAY);
  expect(addModel(d, form())).toBeNull();
  const model = d.table.models.at(-1)!;
  expect(model).toMatchObject({ id: "acme-v9", name: "Acme 9", aliases: ["K9", "Nine"], minSeconds: 3, maxSeconds: 12, asOf: TODAY });
  expect(modelMatrix(d.table, model).rows.flatMap((r) => r.cells.map((c) => c.index))).toEqual([-1, -1]);
  expect(checkDraft(d).problems).toEqual([]);
  setRate(d, { model: "acme-v9", quality: "1080p", audio: "none", input: "plain", per: "second" }, "0.7");
  expect(checkDraft(d).changes.map((c) => `${c.kind} ${c.key}`)).toEqual(["added acme-v9", "added acme-v9 1080p"]);
});

test("a per-clip model shows a row per clip length it sells", () => {
  const d = createDraft(defaultRateTable(), TODAY);
  expect(addModel(d, form({ billing: "per-clip", lengths: "5, 10" }))).toBeNull();
  expect(modelMatrix(d.table, d.table.models.at(-1)!, d.extraClips.get("acme-v9")).rows.map((r) => r.label)).toEqual(["5 s clip", "10 s clip"]);
});

test.each([
  [{ id: " " }, "model id: give one, such as kling-v4"],
  [{ id: "V2.6" }, 'model id: "V2.6" already names kling-v2-6'],
  [{ lengths: "" }, "clip lengths: give the lengths it sells, such as 3-15 or 5, 10"],
  [{ qualities: [] }, "qualities: tick at least one"],
] as const)("the form refuses %j: %s", (over, message) => {
  const d = createDraft(defaultRateTable(), TODAY);
  expect(addModel(d, form(over as Partial<ModelForm>))).toBe(message);
  expect(d.table.models).toHaveLength(defaultRateTable().models.length);
});

test("lengths that are not whole seconds are named by validation", () => {
  const d = createDraft(defaultRateTable(), TODAY);
  expect(addModel(d, form({ lengths: "5, ten" }))).toBeNull();
  expect(checkDraft(d).problems.join("\n")).toContain("(acme-v9), clip lengths (value 2): must be a whole number");
});

test("renaming keeps the id its rates point at; removing takes its rates and provider rows", () => {
  const d = createDraft(defaultRateTable(), TODAY);
  renameModel(d, "kling-v2-6", "Kling 2.6 (legacy)");
  expect(checkDraft(d).problems).toEqual([]);
  expect(checkDraft(d).changes.map((c) => `${c.kind} ${c.key}`)).toEqual(["changed kling-v2-6"]);
  const without = withoutModel(defaultRateTable(), "kling-v2-6");
  expect(without.models.some((m) => m.id === "kling-v2-6")).toBe(false);
  expect(without.rates.some((r) => r.model === "kling-v2-6")).toBe(false);
  expect(without.providers.some((p) => p.klingModel === "kling-v2-6")).toBe(false);
  expect(defaultRateTable().rates.length - without.rates.length).toBe(6);
});
