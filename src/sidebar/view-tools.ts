// Import, refresh, reset, export, recalculate and history: everything that replaces the whole table.
import { type Child, el, uid } from "./dom";
import { button, type Ctx, textField } from "./fields";
import { formatWhen } from "./format";
import { checkRefreshUrl } from "./session";

/** Buttons that replace the table are off while there are unsaved edits (they would be lost). */
function guardedButton(ctx: Ctx, label: string, testId: string, onClick: () => void, extraOff: () => boolean = () => false): HTMLButtonElement {
  const b = button(label, testId, onClick);
  ctx.live.add(() => {
    b.disabled = ctx.session.blocked !== null || extraOff();
  });
  return b;
}

function blockedNote(ctx: Ctx): HTMLElement {
  const note = el("p", { class: "note", "data-testid": "blocked-note" });
  ctx.live.add(() => {
    const text = ctx.session.blocked ?? "";
    if (note.textContent !== text) note.textContent = text;
    note.hidden = !text;
  });
  return note;
}

export function renderImport(ctx: Ctx): Child[] {
  const { session } = ctx;
  const state = session.state!;
  const textId = uid("f");
  const fileId = uid("f");
  const area = el("textarea", {
    id: textId, rows: 6, spellcheck: "false", "data-testid": "import-text", value: session.importText,
    placeholder: "{ \"schemaVersion\": 1, ... }  or  section,model,quality,...",
    oninput: () => (session.importText = area.value),
  });
  const file = el("input", { id: fileId, type: "file", accept: ".json,.csv,.txt,application/json,text/csv,text/plain", "data-testid": "import-file" });
  file.addEventListener("change", () => {
    const picked = file.files?.[0];
    if (!picked) return;
    const reader = new FileReader();
    reader.onload = () => {
      session.importText = String(reader.result ?? "");
      void session.importCard(session.importText, picked.name);
    };
    reader.onerror = () => {
      session.error = { message: `${picked.name} could not be read:`, problems: [String(reader.error?.message ?? "unknown error")], conflict: false };
      ctx.redraw();
    };
    reader.readAsText(picked);
  });
  const prefixes = state.allowedUrlPrefixes;
  // The address is checked as it is typed, by the server's rule; Refresh stays off while it would be refused.
  const urlProblemId = uid("h");
  const urlProblem = el("p", { class: "field-error", id: urlProblemId, "data-testid": "refresh-url-problem" });
  const refresh = guardedButton(ctx, "Refresh", "refresh", () => void session.refresh(), () => checkRefreshUrl(session.refreshUrl, prefixes) !== null);
  const urlField = textField(ctx, {
    label: "Rate card URL", testId: "refresh-url", type: "url", wide: true, value: session.refreshUrl,
    onInput: (text) => {
      session.refreshUrl = text;
      checkUrl();
    },
    hint: prefixes.length ? `https only; allowed: ${prefixes.join(", ")}` : "https only; no address is allowed yet (the add-in's manifest lists them)",
  });
  const urlInput = urlField.querySelector("input")!;
  urlInput.setAttribute("aria-describedby", `${urlInput.getAttribute("aria-describedby") ?? ""} ${urlProblemId}`.trim());
  const checkUrl = () => {
    const problem = checkRefreshUrl(session.refreshUrl, prefixes);
    const blank = !session.refreshUrl.trim();
    urlProblem.textContent = problem ? `Refresh would be refused: ${problem}.` : "";
    urlProblem.classList.toggle("hint", blank); // not wrong yet, only empty
    urlInput.setAttribute("aria-invalid", String(problem !== null && !blank));
    refresh.disabled = session.blocked !== null || problem !== null;
  };
  checkUrl();
  return [
    blockedNote(ctx),
    el("h3", null, "Import a rate card"),
    el("p", { class: "hint" }, "Paste the JSON that Export writes, or CSV with a header row (a \"section\" column, or the columns of models, rates, packages or providers; a models row adds a model, and the same card can hold its rates). You see every change before anything is saved."),
    el("div", { class: "field wide" }, el("label", { for: textId }, "Rate card (JSON or CSV)"), area),
    el("div", { class: "actions" }, guardedButton(ctx, "Preview import", "import-preview", () => void session.importCard(session.importText))),
    el("div", { class: "field wide" }, el("label", { for: fileId }, "Or pick a file"), file),

    el("h3", null, "Refresh from the team's rate card"),
    urlField,
    urlProblem,
    el("div", { class: "actions" }, refresh),

    el("h3", null, "Reset"),
    el("p", { class: "hint" }, "Back to the rates built into the add-in. You see the changes first; history keeps the current version."),
    el("div", { class: "actions" }, guardedButton(ctx, "Reset to built-in rates...", "reset", () => void session.reset())),
  ];
}

let download: { version: number; url: string } | undefined;

export function renderExport(ctx: Ctx): Child[] {
  const state = ctx.session.state!;
  const json = ctx.session.exportJson();
  // One Blob URL per version: a redraw does not make a new one.
  if (download?.version !== state.version) {
    if (download) URL.revokeObjectURL(download.url);
    download = { version: state.version, url: URL.createObjectURL(new Blob([json], { type: "application/json" })) };
  }
  const areaId = uid("f");
  const area = el("textarea", { id: areaId, rows: 8, readOnly: true, spellcheck: "false", "data-testid": "export-json", value: json });
  const copied = el("span", { class: "hint", role: "status" });
  const copy = button("Copy", "export-copy", () => {
    area.focus();
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy"); // works in the Apps Script frame, where the Clipboard API may be blocked
    } catch {
      ok = false;
    }
    copied.textContent = ok ? "Copied." : "Selected: press Ctrl+C (Cmd+C) to copy.";
  });
  return [
    el("p", { class: "hint" }, `The saved version ${state.version}, as JSON that Import reads back.`),
    el("div", { class: "actions" },
      el("a", { class: "button", href: download.url, download: `kling-rates-v${state.version}.json`, target: "_self", "data-testid": "export-download" }, "Download JSON"),
      copy,
      copied,
    ),
    el("div", { class: "field wide" }, el("label", { for: areaId }, `JSON of version ${state.version}`), area),
    el("p", { class: "hint", hidden: !ctx.session.dirty }, "Unsaved edits are not in it."),
  ];
}

export function renderFormulas(ctx: Ctx): Child[] {
  return [
    el("p", { class: "hint" }, "Every saved change recalculates the KLING_ cells by itself. If one still looks stale, recalculate them all."),
    el("div", { class: "actions" }, button("Recalculate KLING formulas", "recalculate", () => void ctx.session.recalculate())),
  ];
}

export function renderHistory(ctx: Ctx): Child[] {
  const { session } = ctx;
  const state = session.state!;
  const undo = guardedButton(ctx, state.undoTo === null ? "Undo" : `Undo (back to version ${state.undoTo})...`, "undo", () => void session.undo(), () => state.undoTo === null);
  const kept = state.historyKept;
  return [
    blockedNote(ctx),
    el("p", { class: "hint", "data-testid": "history-kept" },
      kept
        ? `History keeps the last ${kept.versions} saved versions, as many as fit in ${kept.kilobytes} KB; a save past that drops the oldest, and says which first. The built-in rates can always be restored.`
        : "History keeps the last saved versions that fit in the spreadsheet; a save past that drops the oldest, and says which first."),
    el("div", { class: "actions" }, undo),
    el("p", { class: "hint" }, state.undoTo === null ? "Nothing to undo." : "Undo and Restore show what would change, then save the older rates as a new version."),
    el("ol", { class: "history", "data-testid": "history-list" }, ...state.history.map((entry) => {
      const current = entry.version === state.version;
      const who = entry.version === 0 && !entry.savedAt ? "built into the add-in" : `${formatWhen(entry.savedAt) || "unknown time"} by ${entry.savedBy || "unknown"}`;
      return el("li", { "data-testid": `history-${entry.version}`, class: current ? "current" : null },
        el("div", { class: "history-head" }, el("strong", null, `Version ${entry.version}`), current ? el("span", { class: "tag" }, "current") : null),
        el("div", { class: "muted" }, who),
        el("p", { class: "history-summary" }, entry.summary || "(no summary)"),
        entry.restorable && !current
          ? el("div", { class: "actions" }, guardedButton(ctx, `Restore version ${entry.version}...`, `restore-${entry.version}`, () => void session.restore(entry.version)))
          : null,
      );
    })),
  ];
}
