// Rates per model: a features x qualities matrix of inputs, dollars under each, sources below.
import type { ModelRow, RateRow } from "../core/rates/types";
import { type Child, el, uid } from "./dom";
import { addClipLength, isChanged, setRate, setRateMeta } from "./draft";
import { type Ctx, button, growingText, toggle } from "./fields";
import { plural, showNumber, times, usd } from "./format";
import { type CellKey, cellLabel, features, findRate, keyOfRate, modelMatrix, rateTestId } from "./matrix";
import { clipPrice, clipPricer, modelTools, renderAddModel } from "./view-models";
import { describeLengths } from "../core/rates/models";

export function renderRates(ctx: Ctx): Child[] {
  const pricing = ctx.draft.table.pricing;
  return [
    el("p", { class: "hint" },
      "Units per second of video (models billed per clip: units per clip). Under each, dollars per second (or per clip) at ",
      ctx.live.text(() => usd(pricing.defaultUnitPriceUsd) || "the default price"),
      " per unit, and what a clip of the length you choose costs. Empty = no rate; clear a cell to remove its rate. Changed cells are highlighted until saved.",
    ),
    ...ctx.draft.table.models.map((model) => modelBlock(ctx, model)),
    renderAddModel(ctx),
  ];
}

function rateAt(ctx: Ctx, key: CellKey): RateRow | undefined {
  const i = findRate(ctx.draft.table, key);
  return i >= 0 ? ctx.draft.table.rates[i] : undefined;
}

function modelBlock(ctx: Ctx, model: ModelRow): HTMLElement {
  const { draft } = ctx;
  const matrix = modelMatrix(draft.table, model, draft.extraClips.get(model.id));
  const unit = matrix.per === "clip" ? "clip" : "second";
  const headingId = uid("model");
  const billing = `${model.billing === "per-clip" ? "per clip" : "per second"}, ${describeLengths(model)}${model.retired ? `, retired ${model.retired}` : ""}`;
  const pricer = matrix.per === "second" ? clipPricer(ctx, model) : undefined;

  const table = el("table", { class: "matrix", "aria-labelledby": headingId },
    el("thead", null, el("tr", null,
      el("th", { scope: "col" }, el("span", { class: "sr-only" }, "Feature")),
      ...matrix.qualities.map((q) => el("th", { scope: "col" }, q)),
    )),
    el("tbody", null, ...matrix.rows.map((row) => el("tr", null,
      el("th", { scope: "row" }, row.label),
      ...row.cells.map((cell) => rateCell(ctx, model, cell.key, cell.testId, unit, pricer?.seconds)),
    ))),
  );

  return el("section", { class: "model", "data-testid": `model-${model.id}`, "aria-labelledby": headingId },
    el("h3", { id: headingId }, ctx.live.text(() => model.name), " ", el("span", { class: "muted" }, `${model.id} · ${billing}`)),
    pricer?.control,
    el("div", { class: "matrix-wrap" }, table),
    sourceSummary(ctx, model),
    sourceEditor(ctx, model),
    model.billing === "per-clip" ? addClip(ctx, model) : null,
    modelTools(ctx, model),
  );
}

function rateCell(ctx: Ctx, model: ModelRow, key: CellKey, testId: string, unit: string, seconds?: () => number | undefined): HTMLElement {
  const { draft, live } = ctx;
  const label = cellLabel(model, key);
  const had = draft.base.rates.some((r) => rateTestId(keyOfRate(r)) === testId);
  const dollarsId = uid("usd");
  const input = el("input", {
    type: "text", inputmode: "decimal", autocomplete: "off", "data-testid": testId,
    "aria-label": `${label}, units per ${unit}`, "aria-describedby": dollarsId,
    value: showNumber(rateAt(ctx, key)?.units),
    oninput: () => {
      setRate(draft, key, input.value);
      ctx.edited();
    },
  });
  const dollars = el("span", { "data-testid": `${testId}-usd` });
  const per = el("span", null);
  const clip = el("span", { class: "clip-usd", "data-testid": `${testId}-clip` });
  const td = el("td", null, input, el("span", { class: "usd", id: dollarsId }, dollars, per, clip));
  live.add(() => {
    const row = rateAt(ctx, key);
    const units = row?.units;
    const money = usd(times(units, draft.table.pricing.defaultUnitPriceUsd));
    if (dollars.textContent !== money) dollars.textContent = money;
    const suffix = money ? (unit === "clip" ? " per clip" : "/s") : "";
    if (per.textContent !== suffix) per.textContent = suffix;
    const forClip = clipPrice(row, seconds?.(), draft.table.pricing.defaultUnitPriceUsd);
    if (clip.textContent !== forClip) clip.textContent = forClip;
    td.classList.toggle("edited", row ? isChanged(draft, row) : had);
    td.title = row ? `${row.source}, as of ${row.asOf}` : had ? "rate removed (not saved yet)" : "no rate";
    input.setAttribute("aria-invalid", String(row !== undefined && !(typeof units === "number" && units > 0)));
  });
  return td;
}

/** Who the model's rates come from, one line per distinct source and date. */
function sourceSummary(ctx: Ctx, model: ModelRow): HTMLElement {
  const list = el("ul", { class: "sources", "data-testid": `sources-${model.id}` });
  let shown = "";
  ctx.live.add(() => {
    const counts = new Map<string, number>();
    for (const r of ctx.draft.table.rates) {
      if (r.model !== model.id) continue;
      const line = `${r.source || "(no source)"} · ${r.asOf || "(no date)"}`;
      counts.set(line, (counts.get(line) ?? 0) + 1);
    }
    const signature = JSON.stringify([...counts]);
    if (signature === shown) return;
    shown = signature;
    list.replaceChildren(...(counts.size
      ? [...counts].map(([line, n]) => el("li", null, `${line} (${plural(n, "rate")})`))
      : [el("li", null, "no rates")]));
  });
  return list;
}

/** Each rate row's source and as-of date, editable; rebuilt when rows come or go, never while typed in. */
function sourceEditor(ctx: Ctx, model: ModelRow): HTMLElement {
  const body = el("div", { class: "meta-list" });
  let shown = "";
  let updates: (() => void)[] = [];
  ctx.live.add(() => {
    const keys = ctx.draft.table.rates.filter((r) => r.model === model.id).map(keyOfRate);
    const signature = JSON.stringify(keys);
    if (signature !== shown && !body.contains(document.activeElement)) {
      shown = signature;
      updates = [];
      body.replaceChildren(...(keys.length ? keys.map((key) => metaRow(ctx, model, key, updates)) : [el("p", { class: "hint" }, "No rates yet.")]));
    }
    for (const update of updates) update();
  });
  return toggle(ctx, `meta-${model.id}`, `Sources and dates of ${model.name} rates`, [body], { class: "meta" });
}

function metaRow(ctx: Ctx, model: ModelRow, key: CellKey, updates: (() => void)[]): HTMLElement {
  const id = rateTestId(key).replace(/^rate-/, "");
  const field = (name: "source" | "asOf", label: string) => {
    const inputId = uid("f");
    const attrs = {
      id: inputId, autocomplete: "off", placeholder: name === "asOf" ? "YYYY-MM-DD" : null, "data-testid": `rate-${name === "source" ? "source" : "asof"}-${id}`,
      value: rateAt(ctx, key)?.[name] ?? "",
      oninput: () => {
        setRateMeta(ctx.draft, findRate(ctx.draft.table, key), name, input.value);
        ctx.edited();
      },
    };
    const input = name === "source" ? growingText(attrs) : el("input", { ...attrs, type: "text" });
    updates.push(() => {
      const value = rateAt(ctx, key)?.[name] ?? "";
      if (document.activeElement !== input && input.value !== value) input.value = value;
    });
    return el("div", { class: "field" }, el("label", { for: inputId }, label), input);
  };
  return el("fieldset", { class: "meta-row" },
    el("legend", null, cellLabel(model, key)),
    field("source", "Source"),
    field("asOf", "As of"),
  );
}

function addClip(ctx: Ctx, model: ModelRow): HTMLElement {
  const id = uid("f");
  const error = el("p", { class: "field-error", role: "status" });
  const input = el("input", { id, type: "text", inputmode: "numeric", autocomplete: "off", size: 4, "data-testid": `add-clip-${model.id}` });
  const add = () => {
    const problem = addClipLength(ctx.draft, model.id, input.value);
    if (problem) {
      error.textContent = problem;
      return;
    }
    const added = ctx.draft.extraClips.get(model.id) ?? [];
    const seconds = added[added.length - 1];
    const { audio, input: kind } = features(model)[0] ?? { audio: "none", input: "plain" };
    ctx.redraw(rateTestId({ model: model.id, quality: model.qualities[0] ?? "", audio, input: kind, per: "clip", seconds }));
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") add();
  });
  return el("div", { class: "add-clip" },
    el("div", { class: "inline" },
      el("label", { for: id }, "New clip length (s)"),
      input,
      button("Add row", `add-clip-${model.id}-button`, add),
    ),
    error,
  );
}
