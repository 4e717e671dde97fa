// Adding a model, renaming and removing one, and what a clip of a chosen length costs.
import { AUDIO_KINDS, INPUT_KINDS, type ModelRow, type RateRow } from "../core/rates/types";
import { describeLengths } from "../core/rates/models";
import { type Child, el, uid } from "./dom";
import { addModel, type ModelForm, renameModel, soldLengths } from "./draft-models";
import { button, type Ctx, textField } from "./fields";
import { times, usd } from "./format";

const AUDIO_LABEL: Record<string, string> = { none: "no audio", audio: "native audio", voice: "audio with voice control" };
const INPUT_LABEL: Record<string, string> = { plain: "text / image", video: "video input", "motion-control": "motion control" };

/** The form under the grids: a new model's id, name, aliases, billing, lengths and options; its grid then appears empty. */
export function renderAddModel(ctx: Ctx): HTMLElement {
  const form: ModelForm = { id: "", name: "", aliases: "", billing: "per-second", lengths: "", qualities: [], audio: ["none"], inputs: ["plain"] };
  const error = el("p", { class: "field-error", role: "status", "data-testid": "add-model-error" });
  const text = (label: string, key: "id" | "name" | "aliases" | "lengths", testId: string, hint?: string) =>
    textField(ctx, { label, value: "", testId, hint, onInput: (value) => void (form[key] = value) });
  const checks = (legend: string, key: "qualities" | "audio" | "inputs", options: readonly string[], label: (o: string) => string) =>
    el("fieldset", { class: "checks" }, el("legend", null, legend), ...options.map((option) => {
      const id = uid("c");
      const box = el("input", {
        id, type: "checkbox", checked: form[key].includes(option), "data-testid": `add-model-${key}-${option}`,
        onchange: () => void (form[key] = box.checked ? [...form[key], option] : form[key].filter((o) => o !== option)),
      });
      return el("span", { class: "check" }, box, el("label", { for: id }, label(option)));
    }));
  const billingId = uid("f");
  const billing = el("select", { id: billingId, "data-testid": "add-model-billing", onchange: () => void (form.billing = billing.value as ModelForm["billing"]) },
    el("option", { value: "per-second" }, "per second"), el("option", { value: "per-clip" }, "per clip"));
  const add = () => {
    const problem = addModel(ctx.draft, form);
    error.textContent = problem ?? "";
    if (problem) return;
    ctx.edited();
    ctx.redraw(`model-name-${form.id.trim()}`);
  };
  return el("section", { class: "card add-model", "data-testid": "add-model", "aria-labelledby": "add-model-title" },
    el("h3", { id: "add-model-title" }, "Add model"),
    el("div", { class: "grid" },
      text("Model id (model_name)", "id", "add-model-id", "As the API names it, e.g. kling-v4."),
      text("Display name", "name", "add-model-name"),
      text("Other names", "aliases", "add-model-aliases", "Comma-separated, e.g. V4, 4.0."),
      el("div", { class: "field" }, el("label", { for: billingId }, "Rates are written"), billing),
      text("Clip lengths (s)", "lengths", "add-model-lengths", "A range such as 3-15, or lengths such as 5, 10."),
    ),
    checks("Qualities", "qualities", ctx.draft.table.qualities.map((q) => q.id), (q) => q),
    checks("Audio", "audio", AUDIO_KINDS, (a) => AUDIO_LABEL[a] ?? a),
    checks("Input", "inputs", INPUT_KINDS, (i) => INPUT_LABEL[i] ?? i),
    button("Add model", "add-model-button", add),
    error,
  );
}

/** Rename (display name, kept in the draft) and Remove (previewed by the server) for one model. */
export function modelTools(ctx: Ctx, model: ModelRow): HTMLElement {
  return el("div", { class: "model-tools" },
    textField(ctx, {
      label: "Display name", testId: `model-name-${model.id}`, value: model.name,
      onInput: (value) => {
        renameModel(ctx.draft, model.id, value);
        ctx.edited();
      },
      invalid: () => !model.name.trim(),
    }),
    button("Remove model...", `remove-model-${model.id}`, () => void ctx.session.removeModel(model.id), { class: "small" }),
  );
}

/** A clip length to price: each cell then shows what a clip of it costs at the default unit price. */
export function clipPricer(ctx: Ctx, model: ModelRow): { control: HTMLElement; seconds: () => number | undefined } {
  const sold = soldLengths(model);
  let chosen: number | undefined = sold.includes(10) ? 10 : sold[0];
  const id = uid("f");
  const note = el("span", { class: "hint", "data-testid": `clip-length-note-${model.id}` });
  const input = el("input", {
    id, type: "text", inputmode: "numeric", autocomplete: "off", size: 3, value: chosen === undefined ? "" : String(chosen),
    "data-testid": `clip-length-${model.id}`, "aria-describedby": `${id}-note`,
    oninput: () => {
      const typed = Number(input.value.trim());
      chosen = Number.isInteger(typed) && sold.includes(typed) ? typed : undefined;
      note.textContent = chosen === undefined ? `${model.name} sells ${describeLengths(model)} clips` : "";
      ctx.live.run();
    },
  });
  note.id = `${id}-note`;
  return {
    control: el("div", { class: "inline clip-length" }, el("label", { for: id }, "Price a clip of"), input, el("span", null, "s"), note),
    seconds: () => chosen,
  };
}

/** "$1.12 for 10 s" for a per-second rate, or "" when no length or rate is there. */
export function clipPrice(row: RateRow | undefined, seconds: number | undefined, unitPrice: number): string {
  if (!row || row.per !== "second" || seconds === undefined) return "";
  const money = usd(times(row.units, unitPrice * seconds));
  return money ? `${money} for ${seconds} s` : "";
}

export type { Child };
