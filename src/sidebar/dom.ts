// A small element builder. Text always goes in as text nodes and attributes through setAttribute:
// table values (names typed by anyone) must never be parsed as HTML.

export type Child = Node | string | number | null | undefined | false | readonly Child[];

type Handler = (event: Event) => void;
export type Attrs = Record<string, string | number | boolean | null | undefined | Handler>;

// Set as properties: their attribute only holds the initial state.
const PROPERTIES = new Set(["value", "checked", "disabled", "readOnly", "selected", "open", "indeterminate"]);

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  const properties: [string, unknown][] = [];
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (/^(inner|outer)HTML$/i.test(name) || /^srcdoc$/i.test(name)) throw new Error(`el: ${name} is not allowed`);
    if (typeof value === "function") node.addEventListener(name.replace(/^on/, ""), value);
    else if (PROPERTIES.has(name)) properties.push([name, value]);
    else if (value === true) node.setAttribute(name, "");
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(name, String(value));
  }
  append(node, children);
  // After the children: a select's value needs its options.
  for (const [name, value] of properties) (node as unknown as Record<string, unknown>)[name] = value;
  return node;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === "object" ? (child as Node) : document.createTextNode(String(child)));
  }
}

/** Replaces a node's children (Child values: text stays text). */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

let ids = 0;
/** A fresh id for label/aria wiring. */
export function uid(prefix: string): string {
  return `${prefix}-${++ids}`;
}

/**
 * What must follow an edit without rebuilding the inputs being typed into: dollar figures, marks,
 * the problem list. Each render collects these; the view runs them after every keystroke.
 */
export class Live {
  private readonly updates: (() => void)[] = [];

  add(update: () => void): void {
    this.updates.push(update);
    update();
  }

  /** A text node that shows compute(). */
  text(compute: () => string): Text {
    const node = document.createTextNode("");
    this.add(() => {
      const text = compute();
      if (node.data !== text) node.data = text;
    });
    return node;
  }

  /** Keeps an input showing the draft's value (e.g. a stamped as-of date), except while it is being typed in. */
  value(input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, compute: () => string): void {
    this.add(() => {
      const text = compute();
      if (document.activeElement !== input && input.value !== text) input.value = text;
    });
  }

  run(): void {
    for (const update of this.updates) update();
  }
}
