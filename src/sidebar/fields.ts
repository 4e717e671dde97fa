// Labelled inputs, selects and toggles shared by the sidebar's sections.
import type { Draft } from "./draft";
import { type Attrs, type Child, el, Live, uid } from "./dom";
import { numberNote } from "./format";
import type { RatesSession } from "./session";

/** What a section renderer gets. */
export interface Ctx {
  session: RatesSession;
  draft: Draft;
  live: Live;
  /** After a keystroke edit of the draft: checks recomputed, live parts updated, nothing redrawn. */
  edited(): void;
  /** After rows were added or removed: everything drawn again, focus moved to the element with this key. */
  redraw(focus?: string): void;
  /** Open <details> (by key); kept across redraws. */
  open: Set<string>;
}

export interface FieldOptions {
  label: string;
  value: string;
  testId: string;
  onInput(text: string): void;
  /** The draft's current value, shown again when an edit elsewhere changes it (a stamped date). */
  sync?: () => string;
  invalid?: () => boolean;
  numeric?: boolean;
  hint?: string;
  placeholder?: string;
  wide?: boolean;
  type?: "text" | "url";
  /** Long free text (a source): a box that grows to show all of it. */
  grow?: boolean;
}

export function textField(ctx: Ctx, o: FieldOptions): HTMLElement {
  const id = uid("f");
  const hintId = o.hint ? uid("h") : undefined;
  // A number field says how it read what was typed ("read as 11000" for "11.000" in de_DE), or why not.
  const readId = o.numeric ? uid("r") : undefined;
  const read = readId ? el("span", { class: "hint", id: readId, "aria-live": "polite", "data-testid": `${o.testId}-read` }) : null;
  const showRead = () => read && (read.textContent = numberNote(input.value));
  const attrs = {
    id, value: o.value, "data-testid": o.testId, autocomplete: "off", spellcheck: "false",
    inputmode: o.numeric ? "decimal" : null, "aria-describedby": [hintId, readId].filter(Boolean).join(" ") || null, placeholder: o.placeholder ?? null,
    oninput: () => {
      o.onInput(input.value);
      showRead();
    },
  };
  const input = o.grow ? growingText(attrs) : el("input", { ...attrs, type: o.type ?? "text" });
  showRead();
  if (o.sync) ctx.live.value(input, o.sync);
  if (o.invalid) {
    const invalid = o.invalid;
    ctx.live.add(() => input.setAttribute("aria-invalid", String(invalid())));
  }
  return el("div", { class: `field${o.wide ? " wide" : ""}${o.numeric ? " numeric" : ""}` },
    el("label", { for: id }, o.label),
    input,
    o.hint ? el("span", { class: "hint", id: hintId }, o.hint) : null,
    read,
  );
}

/** One line of text that wraps and grows to show all of it (Enter does not add a line). */
export function growingText(attrs: Attrs): HTMLTextAreaElement {
  const area = el("textarea", { ...attrs, rows: 1, class: "grow" });
  area.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault();
  });
  return area;
}

export interface SelectOptions {
  label: string;
  testId: string;
  options: () => string[];
  value: () => string;
  onChange(value: string): void;
  wide?: boolean;
}

/** A select whose options follow the draft (the package names for the default package). */
export function selectField(ctx: Ctx, o: SelectOptions): HTMLElement {
  const id = uid("f");
  const select = el("select", { id, "data-testid": o.testId, onchange: () => o.onChange(select.value) });
  let shown = "";
  ctx.live.add(() => {
    if (document.activeElement === select) return;
    const current = o.value();
    const names = o.options();
    if (!names.includes(current)) names.unshift(current); // an unknown value stays visible; validation names it
    const signature = JSON.stringify(names);
    if (signature !== shown) {
      shown = signature;
      select.replaceChildren(...names.map((name) => el("option", { value: name }, name || "(blank)")));
    }
    if (select.value !== current) select.value = current;
  });
  return el("div", { class: `field${o.wide ? " wide" : ""}` }, el("label", { for: id }, o.label), select);
}

/** A <details> whose open state survives redraws. */
export function toggle(ctx: Ctx, key: string, summary: Child, content: Child[], attrs: Record<string, string> = {}): HTMLDetailsElement {
  const details = el("details", { ...attrs, open: ctx.open.has(key) },
    el("summary", { "data-key": key }, summary),
    ...content,
  );
  details.addEventListener("toggle", () => {
    if (details.open) ctx.open.add(key);
    else ctx.open.delete(key);
  });
  return details;
}

export function button(label: Child, testId: string, onClick: () => void, attrs: Record<string, string | boolean | null> = {}): HTMLButtonElement {
  return el("button", { type: "button", "data-testid": testId, ...attrs, onclick: onClick }, label);
}
