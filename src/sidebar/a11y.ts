// Keyboard and reading aids that belong to no one section: the focused control kept in sight above
// the sticky dock, and long lists that collapse to a few lines.
import { el } from "./dom";
import { button } from "./fields";

/** Room kept between a focused control (its 2 px outline included) and the dock. */
const MARGIN = 6;

/**
 * The dock (status, alert, Save) sticks to the bottom and would cover a control focused behind it.
 * scroll-padding tells the browser how tall it is (Tab scrolls with that in mind); a check after each
 * focus, and each time the dock grows (a status line after Undo), scrolls what is still hidden.
 */
export function keepFocusAboveDock(root: HTMLElement, dock: HTMLElement): () => void {
  const check = () => {
    const active = document.activeElement as HTMLElement | null;
    if (!active || !root.contains(active) || dock.contains(active)) return;
    const rect = active.getBoundingClientRect();
    const limit = dock.getBoundingClientRect().top - MARGIN;
    if (rect.bottom > limit) window.scrollBy(0, Math.min(rect.bottom - limit, rect.top - MARGIN)); // a tall box: its top first
    else if (rect.top < MARGIN) window.scrollBy(0, rect.top - MARGIN);
  };
  const observer = new ResizeObserver(() => {
    document.documentElement.style.setProperty("--dock-height", `${Math.ceil(dock.getBoundingClientRect().height)}px`);
    check();
  });
  observer.observe(dock);
  root.addEventListener("focusin", () => {
    check();
    requestAnimationFrame(check); // after the browser's own scroll, if it comes later
  });
  return check;
}

export interface Collapsible {
  node: HTMLElement;
  /** Shows these items: the first few, or all once "Show all" was pressed. */
  show(items: readonly string[]): void;
}

/** A list that shows its first `few` items and a "Show all" toggle, so a long one never fills the screen. */
export function collapsibleList(testId: string, few = 3): Collapsible {
  let items: readonly string[] = [];
  let all = false;
  const list = el("ul", { "data-testid": `${testId}-list` });
  const toggle = button("", `${testId}-toggle`, () => {
    all = !all;
    draw();
  }, { class: "link" });
  const draw = () => {
    const shown = all ? items : items.slice(0, few);
    list.replaceChildren(...shown.map((text) => el("li", null, text)));
    toggle.hidden = items.length <= few;
    toggle.textContent = all ? "Show fewer" : `Show all ${items.length}`;
    toggle.setAttribute("aria-expanded", String(all));
  };
  return {
    node: el("div", { class: "collapsible" }, list, toggle),
    show(next) {
      if (JSON.stringify(next) === JSON.stringify(items)) return;
      items = [...next];
      draw();
    },
  };
}
