// Pricing defaults, packages and other providers: one card of labelled inputs per row.
import type { PackageRow, ProviderRow } from "../core/rates/types";
import { type Child, el } from "./dom";
import {
  addPackage, addProvider, editPackage, editPricing, editProvider, isChanged, type MetaField, type PackageField,
  type ProviderField, removePackage, removeProvider,
} from "./draft";
import { button, type Ctx, selectField, textField } from "./fields";
import { showNumber, unitPrice } from "./format";

const positive = (value: unknown) => !(typeof value === "number" && value > 0);
const whole = (min: number) => (value: unknown) => !(typeof value === "number" && Number.isInteger(value) && value >= min);

export function renderPricing(ctx: Ctx): Child[] {
  const pricing = () => ctx.draft.table.pricing;
  const edit = (field: "defaultUnitPriceUsd" | "defaultPackage" | MetaField) => (text: string) => {
    editPricing(ctx.draft, field, text);
    ctx.edited();
  };
  const card = el("div", { class: "card grid", "data-testid": "pricing" },
    textField(ctx, {
      label: "Default unit price ($ per unit)", testId: "pricing-unit-price", numeric: true,
      value: showNumber(pricing().defaultUnitPriceUsd), onInput: edit("defaultUnitPriceUsd"),
      invalid: () => positive(pricing().defaultUnitPriceUsd),
      hint: "What a formula uses when it names no price.",
    }),
    selectField(ctx, {
      label: "Default package", testId: "pricing-default-package",
      options: () => ctx.draft.table.packages.map((p) => p.name),
      value: () => pricing().defaultPackage,
      onChange: edit("defaultPackage"),
    }),
    ...meta(ctx, (field) => `pricing-${field}`, pricing, edit),
  );
  markChanged(ctx, card, pricing);
  return [card];
}

/** Source and as-of inputs, kept in step with what value edits stamp. */
function meta(ctx: Ctx, testId: (field: string) => string, row: () => { source: string; asOf: string } | undefined, edit: (field: MetaField) => (text: string) => void): HTMLElement[] {
  return [
    textField(ctx, { label: "Source", testId: testId("source"), wide: true, grow: true, value: row()?.source ?? "", sync: () => row()?.source ?? "", onInput: edit("source") }),
    textField(ctx, { label: "As of", testId: testId("asof"), value: row()?.asOf ?? "", sync: () => row()?.asOf ?? "", onInput: edit("asOf"), placeholder: "YYYY-MM-DD" }),
  ];
}

function markChanged(ctx: Ctx, card: HTMLElement, row: () => object | undefined): void {
  ctx.live.add(() => {
    const current = row();
    card.classList.toggle("edited", current !== undefined && isChanged(ctx.draft, current));
  });
}

export function renderPackages(ctx: Ctx): Child[] {
  const rows = ctx.draft.table.packages;
  return [
    el("p", { class: "hint" }, "Prepaid resource packages that KLING_BEST_PACKAGE combines. Purchase limit blank = no limit."),
    ...rows.map((_, i) => packageCard(ctx, i)),
    button("Add package", "package-add", () => {
      const i = addPackage(ctx.draft);
      ctx.edited();
      ctx.redraw(`package-name-${i}`);
    }),
  ];
}

function packageCard(ctx: Ctx, i: number): HTMLElement {
  const row = () => ctx.draft.table.packages[i] as PackageRow | undefined;
  const edit = (field: PackageField | MetaField) => (text: string) => {
    editPackage(ctx.draft, i, field, text);
    ctx.edited();
  };
  const number = (field: "priceUsd" | "units" | "validityDays" | "concurrency", label: string, invalid: (v: unknown) => boolean) =>
    textField(ctx, {
      label, testId: `package-${field === "priceUsd" ? "price" : field === "validityDays" ? "validity" : field}-${i}`, numeric: true,
      value: showNumber(row()?.[field]), onInput: edit(field), invalid: () => invalid(row()?.[field]),
    });
  const remove = button("Remove", `package-remove-${i}`, () => {
    removePackage(ctx.draft, i);
    ctx.edited();
    const left = ctx.draft.table.packages.length;
    ctx.redraw(left ? `package-name-${Math.min(i, left - 1)}` : "package-add");
  }, { class: "small danger" });
  const legend = el("legend", null, ctx.live.text(() => row()?.name || "New package"));
  ctx.live.add(() => remove.setAttribute("aria-label", `Remove package ${row()?.name || "(no name)"}`));
  const card = el("fieldset", { class: "card grid", "data-testid": `package-${i}` },
    legend,
    textField(ctx, { label: "Name", testId: `package-name-${i}`, wide: true, value: row()?.name ?? "", onInput: edit("name"), invalid: () => !row()?.name?.trim() }),
    number("priceUsd", "Price ($)", positive),
    number("units", "Units", whole(1)),
    number("validityDays", "Valid (days)", whole(1)),
    number("concurrency", "Concurrency", whole(1)),
    textField(ctx, {
      label: "Purchase limit", testId: `package-limit-${i}`, numeric: true, placeholder: "none",
      value: showNumber(row()?.purchaseLimit), onInput: edit("purchaseLimit"),
      invalid: () => row()?.purchaseLimit !== null && whole(0)(row()?.purchaseLimit),
    }),
    el("div", { class: "field" },
      el("span", { class: "label" }, "$ per unit"),
      el("output", { "data-testid": `package-unit-price-${i}` }, ctx.live.text(() => unitPrice(row()?.priceUsd, row()?.units) || "-")),
    ),
    ...meta(ctx, (field) => `package-${field}-${i}`, row, edit),
    el("div", { class: "actions" }, remove),
  );
  markChanged(ctx, card, row);
  return card;
}

export function renderProviders(ctx: Ctx): Child[] {
  const rows = ctx.draft.table.providers;
  return [
    el("p", { class: "hint" }, "What other sellers charge, for KLING_COMPARE. One row per provider and quality."),
    ...rows.map((_, i) => providerCard(ctx, i)),
    button("Add provider", "provider-add", () => {
      const i = addProvider(ctx.draft);
      ctx.edited();
      ctx.redraw(`provider-name-${i}`);
    }),
  ];
}

function providerCard(ctx: Ctx, i: number): HTMLElement {
  const row = () => ctx.draft.table.providers[i] as ProviderRow | undefined;
  const edit = (field: ProviderField | MetaField) => (text: string) => {
    editProvider(ctx.draft, i, field, text);
    ctx.edited();
  };
  const remove = button("Remove", `provider-remove-${i}`, () => {
    removeProvider(ctx.draft, i);
    ctx.edited();
    const left = ctx.draft.table.providers.length;
    ctx.redraw(left ? `provider-name-${Math.min(i, left - 1)}` : "provider-add");
  }, { class: "small danger" });
  const name = () => [row()?.provider, row()?.quality].filter(Boolean).join(" ") || "New provider";
  ctx.live.add(() => remove.setAttribute("aria-label", `Remove provider ${name()}`));
  const card = el("fieldset", { class: "card grid", "data-testid": `provider-${i}` },
    el("legend", null, ctx.live.text(name)),
    textField(ctx, { label: "Provider", testId: `provider-name-${i}`, value: row()?.provider ?? "", onInput: edit("provider"), invalid: () => !row()?.provider?.trim() }),
    selectField(ctx, {
      label: "Quality", testId: `provider-quality-${i}`,
      options: () => ctx.draft.table.qualities.map((q) => q.id),
      value: () => row()?.quality ?? "",
      onChange: edit("quality"),
    }),
    textField(ctx, { label: "Model", testId: `provider-model-${i}`, wide: true, value: row()?.model ?? "", onInput: edit("model"), invalid: () => !row()?.model?.trim() }),
    textField(ctx, {
      label: "USD per second", testId: `provider-usd-${i}`, numeric: true,
      value: showNumber(row()?.usdPerSecond), onInput: edit("usdPerSecond"), invalid: () => positive(row()?.usdPerSecond),
    }),
    textField(ctx, { label: "Note", testId: `provider-note-${i}`, wide: true, value: row()?.note ?? "", onInput: edit("note") }),
    ...meta(ctx, (field) => `provider-${field}-${i}`, row, edit),
    el("div", { class: "actions" }, remove),
  );
  markChanged(ctx, card, row);
  return card;
}
