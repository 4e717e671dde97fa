// The sidebar page: header, status and alert regions, the preview, the sections and the save bar.
// Redrawn from the session after each server call and each added or removed row; keystrokes only
// update the live parts (see Live in dom.ts), so an input is never replaced while it is typed in.
import { collapsibleList, keepFocusAboveDock } from "./a11y";
import { type Child, el, fill, Live } from "./dom";
import type { Ctx } from "./fields";
import { button, toggle } from "./fields";
import { formatWhen, plural, savedLine } from "./format";
import type { Run } from "./server";
import { RatesSession } from "./session";
import { renderPreview } from "./view-preview";
import { renderRates } from "./view-rates";
import { renderPackages, renderPricing, renderProviders } from "./view-tables";
import { renderExport, renderFormulas, renderHistory, renderImport } from "./view-tools";
import { AccountPanel } from "./view-account";

const keyOf = (node: Element | null) => node?.getAttribute("data-testid") ?? node?.getAttribute("data-key") ?? null;

export function startSidebar(root: HTMLElement, run: Run): RatesSession {
  const header = el("header", { class: "top" });
  const view = el("div", { class: "view" });
  // The dock stays in sight at the bottom however far the analyst scrolled: what the server is
  // doing, what went wrong, and Save. Its regions persist so screen readers announce new text once.
  const status = el("div", { class: "status", role: "status", "aria-live": "polite", "data-testid": "status" });
  const alert = el("div", { class: "alert", role: "alert", "data-testid": "alert" });
  const saveRow = el("div");
  const dock = el("footer", { class: "dock", "data-testid": "dock" }, status, alert, saveRow);
  // Save is the last of many Tab stops: the first one jumps there.
  const skip = el("a", { class: "skip", href: "#savebar", "data-testid": "skip-to-save", onclick: (event) => {
    event.preventDefault(); // <base target="_top"> would send a plain #link to the spreadsheet's page
    (find("save") as HTMLButtonElement | null)?.disabled === false ? find("save")!.focus() : find("changes")?.focus();
  } }, "Skip to Save");
  root.replaceChildren(skip, header, view, dock);
  root.removeAttribute("aria-busy");
  keepFocusAboveDock(root, dock);

  const open = new Set<string>(["section-rates"]);
  let live = new Live();
  let lastFocus: string | null = null; // the control last focused, to find again after a redraw
  let wanted: string | null = null; // a control to focus after the next redraw that can
  let returnTo: string | null = null; // where focus goes back when the preview closes
  let outsideAlert: string | null = null; // where focus goes back when the alert closes
  let hadPending = false;
  let hadDropping = false;
  let askDiscard = false; // Discard pressed once: the save bar asks before dropping the edits
  let shownStatus = "";
  let shownAlert = "";

  root.addEventListener("focusin", (event) => {
    const key = keyOf(event.target as Element);
    if (key) lastFocus = key;
    if (key && !alert.contains(event.target as Node)) outsideAlert = key;
  });

  const session = new RatesSession(run, () => draw());
  const account = new AccountPanel(run, () => undefined);

  const dismiss = () => {
    wanted = outsideAlert;
    session.dismiss();
  };
  const discardAnswer = (drop: boolean) => {
    askDiscard = false;
    if (drop) session.discard();
    else draw("discard");
  };

  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
      event.preventDefault(); // never the browser's "save page"
      if (session.canSave) void session.save();
      return;
    }
    if (event.key !== "Escape" || event.defaultPrevented) return;
    // One layer at a time, the newest first: a question, an alert, a preview.
    if (askDiscard) discardAnswer(false);
    else if (session.dropping) {
      wanted = "save";
      session.keepEditing();
    } else if (session.error && !session.busy) dismiss();
    else if (session.pending) session.cancel();
    else return;
    event.preventDefault();
  });
  // Leaving (or reloading) the sidebar with unsaved edits: the browser asks first.
  window.addEventListener("beforeunload", (event) => {
    if (!session.dirty) return;
    event.preventDefault();
    event.returnValue = "You have unsaved rate edits."; // older browsers ask only when this is set (the text is theirs)
  });

  const ctx = (): Ctx => ({
    session,
    draft: session.draft!,
    live,
    edited: () => {
      session.edited();
      live.run();
      drawStatus();
    },
    redraw: (focus) => draw(focus),
    open,
  });

  function draw(focus?: string): void {
    const hadFocus = root.contains(document.activeElement) && document.activeElement !== root;
    if (focus) wanted = focus;
    live = new Live();
    root.setAttribute("aria-busy", String(session.busy !== null));
    fill(header, drawHeader(session));
    drawStatus();
    drawAlert();
    const c = session.state && session.draft ? ctx() : null;
    fill(view, c ? drawBody(c) : null);
    fill(saveRow, c ? saveBar(c) : null);
    restoreFocus(hadFocus);
  }

  function drawStatus(): void {
    const signature = JSON.stringify([session.busy, session.status]);
    if (signature === shownStatus) return; // unchanged text is not announced again
    shownStatus = signature;
    fill(status, (session.busy
      ? [el("span", { class: "spinner", "aria-hidden": "true" }), el("span", { "data-testid": "busy" }, `Working: ${session.busy}`)]
      : session.status
        ? [el("span", { "data-testid": session.status.recalculated ? "recalculated" : "message" }, session.status.text)]
        : []));
    status.classList.toggle("busy", session.busy !== null);
  }

  function drawAlert(): void {
    const { error } = session;
    const signature = JSON.stringify([error, session.busy !== null, session.state !== null]);
    if (signature === shownAlert) return;
    shownAlert = signature;
    if (!error) return void alert.replaceChildren();
    const busy = session.busy !== null;
    const problems = collapsibleList("alert-problems");
    problems.show(error.problems);
    fill(alert,
      el("p", { class: "alert-title" }, error.message),
      error.problems.length ? problems.node : null,
      el("div", { class: "actions" },
        error.conflict ? button("Reload", "reload", () => void session.reload(), { class: "primary", disabled: busy }) : null,
        !session.state ? button("Try again", "retry", () => void session.load(), { disabled: busy }) : null,
        button("Dismiss", "alert-dismiss", dismiss, { class: "small", disabled: busy, title: "Dismiss (Escape)" }),
      ),
    );
  }

  function drawBody(c: Ctx): Child[] {
    const pending = session.pending;
    const busy = session.busy !== null;
    const section = (id: string, title: Child, content: () => Child[]) =>
      toggle(c, `section-${id}`, el("h2", null, title), [el("div", { class: "section-body" }, ...content())], { class: "section", "data-testid": `section-${id}` });
    return [
      pending
        ? el("fieldset", { class: "plain", disabled: busy }, renderPreview(session, pending, () => session.cancel(), () => void session.apply()))
        : null,
      session.overlaps.length
        ? el("div", { class: "note", "data-testid": "overlaps" },
          el("p", null, "These rows had also changed in the newer version; your values are kept (check them before saving):"),
          el("ul", null, ...session.overlaps.map((o) => el("li", null, o))))
        : null,
      el("fieldset", { class: "plain body", disabled: busy || pending !== null },
        section("rates", "Rates per model", () => renderRates(c)),
        section("pricing", "Pricing and packages", () => [el("h3", null, "Pricing"), ...renderPricing(c), el("h3", null, "Packages"), ...renderPackages(c)]),
        section("providers", "Other providers", () => renderProviders(c)),
        section("import", "Import, refresh, reset", () => renderImport(c)),
        section("export", "Export", () => renderExport(c)),
        section("history", "History", () => renderHistory(c)),
        section("formulas", "Formulas", () => renderFormulas(c)),
      ),
      // Outside the rates' fieldset: the account has nothing to do with an open preview or unsaved rates.
      accountSection(c),
    ];
  }

  /** Loaded when first opened: most visits to the sidebar are about rates. */
  function accountSection(c: Ctx): HTMLElement {
    const details = toggle(c, "section-account", el("h2", null, "Kling account"), [el("div", { class: "section-body" }, account.element)], { class: "section", "data-testid": "section-account" });
    details.addEventListener("toggle", () => details.open && account.load());
    if (details.open) account.load();
    return details;
  }

  function saveBar(c: Ctx): HTMLElement {
    const attrs = { class: "plain savebar", id: "savebar", "data-testid": "savebar", disabled: session.busy !== null || session.pending !== null };
    const question = (text: string, ...answers: HTMLElement[]) => el("fieldset", attrs,
      el("p", { class: "question", tabindex: "-1", "data-key": "question", "data-testid": "question" }, text),
      el("div", { class: "savebar-row end" }, ...answers),
    );
    if (askDiscard && session.dirty) {
      return question(`Drop your ${plural(session.check.changes.length, "unsaved change")}? They cannot be brought back.`,
        button("Keep editing", "discard-keep", () => discardAnswer(false)),
        button("Drop them", "discard-confirm", () => discardAnswer(true), { class: "danger" }));
    }
    askDiscard = false;
    const dropping = session.dropping;
    if (dropping) {
      const kept = session.state?.historyKept;
      const names = dropping.map((v) => `version ${v.version}${v.savedAt ? ` (${formatWhen(v.savedAt)})` : ""}`).join(", ");
      return question(`Saving drops ${names} from history${kept ? `, which keeps the last ${kept.versions} versions that fit in ${kept.kilobytes} KB` : ""}. It can no longer be restored after that.`,
        button("Keep editing", "save-keep", () => {
          wanted = "save";
          session.keepEditing();
        }),
        button(dropping.length === 1 ? `Save, drop version ${dropping[0]!.version}` : "Save, drop them", "save-drop", () => void session.saveDropping(), { class: "primary" }));
    }
    const save = button("Save", "save", () => void session.save(), { class: "primary", title: "Save (Ctrl+S)", "aria-keyshortcuts": "Control+S Meta+S" });
    const discard = button("Discard...", "discard", () => {
      askDiscard = true;
      draw("question");
    });
    const list = collapsibleList("problems");
    const problems = el("div", { class: "problems", "data-testid": "problems" }, el("p", { class: "alert-title" }, "Fix these before saving:"), list.node);
    c.live.add(() => {
      save.disabled = !session.canSave;
      discard.disabled = !session.dirty;
      list.show(session.check.problems);
      problems.hidden = session.check.problems.length === 0;
    });
    return el("fieldset", attrs,
      problems,
      el("div", { class: "savebar-row" },
        el("span", { class: "changes", tabindex: "-1", "data-key": "changes", "data-testid": "changes-count" },
          c.live.text(() => (session.dirty ? `${plural(session.check.changes.length, "unsaved change")}` : "No unsaved changes"))),
        discard,
        save,
      ),
    );
  }

  /** Focus goes back where it was (or where asked), found by its key; never left on a removed node. */
  function restoreFocus(hadFocus: boolean): void {
    const pending = session.pending !== null;
    if (pending !== hadPending && !session.busy) {
      // A preview opened: start on it; when it closes, go back to the button that asked for it.
      if (pending) [returnTo, wanted] = [lastFocus, "preview-title"];
      else [wanted, returnTo] = [returnTo ?? wanted, null];
      hadPending = pending;
    }
    const dropping = session.dropping !== null;
    if (dropping !== hadDropping && !session.busy) {
      if (dropping) wanted = "question"; // Save asks before dropping a version: the question is read first
      hadDropping = dropping;
    }
    const key = wanted ?? (hadFocus || document.activeElement === document.body ? lastFocus : null);
    if (!key) return;
    const target = find(key);
    if (target && !(target as HTMLButtonElement).disabled && !target.closest("fieldset:disabled")) {
      target.focus({ preventScroll: key !== "preview-title" });
      if (key === "preview-title") target.scrollIntoView({ block: "start" });
      wanted = null;
    } else if (session.busy) {
      wanted = key; // off while the server works: try again when it is done
    } else {
      // Gone, or off now (Save after saving): the top of the page, without scrolling.
      wanted = null;
      header.querySelector<HTMLElement>("h1")?.focus({ preventScroll: true });
    }
  }

  function find(key: string): HTMLElement | null {
    const quoted = JSON.stringify(key);
    return root.querySelector<HTMLElement>(`[data-testid=${quoted}], [data-key=${quoted}]`);
  }

  void session.load();
  return session;
}

function drawHeader(session: RatesSession): Child[] {
  const state = session.state;
  return [
    el("h1", { tabindex: "-1", "data-key": "top" }, "Kling Budget rates"),
    state
      ? [
        el("p", { class: "version" },
          el("strong", { "data-testid": "version" }, `Version ${state.version}`), " ",
          el("span", { "data-testid": "saved-by" }, savedLine(state)),
        ),
        state.summary ? el("p", { class: "summary", "data-testid": "summary" }, state.summary) : null,
      ]
      : el("p", { class: "version" }, session.busy ? "Loading rates..." : "Rates not loaded."),
  ];
}
