// What Apply would change, row by row and grouped by section; nothing is saved before Apply.
import { type DiffLine, SECTIONS, type Section } from "../core/rates/diff";
import { el } from "./dom";
import { button } from "./fields";
import { diffCounts, groupDiff, SECTION_NAMES } from "./diff-view";
import { formatWhen } from "./format";
import { type Pending, type RatesSession, willDrop } from "./session";

// Fields already in the row's name, left out of an added or removed row's details.
const IN_KEY: Record<Section, readonly string[]> = {
  pricing: [],
  qualities: ["id"],
  models: ["id"],
  rates: ["model", "quality", "audio", "input", "per", "seconds"],
  packages: ["name"],
  providers: ["provider", "quality"],
};

function line(section: Section, l: DiffLine): HTMLElement {
  if (l.kind === "changed") {
    return el("li", { class: "diff-changed", "data-kind": "changed" },
      el("span", { class: "tag" }, "changed"), " ", el("span", { class: "key" }, l.key),
      el("ul", { class: "fields" }, ...l.changes.map((c) => el("li", null, `${c.field} ${c.from || "(blank)"} -> ${c.to || "(blank)"}`))),
    );
  }
  const fields = l.changes
    .filter((c) => !IN_KEY[section].includes(c.field))
    .map((c) => `${c.field} ${(l.kind === "added" ? c.to : c.from) || "(blank)"}`);
  return el("li", { class: `diff-${l.kind}`, "data-kind": l.kind },
    el("span", { class: "tag" }, l.kind), " ", el("span", { class: "key" }, l.key),
    fields.length ? el("div", { class: "fields muted" }, fields.join("; ")) : null,
  );
}

export function renderPreview(session: RatesSession, pending: Pending, onCancel: () => void, onApply: () => void): HTMLElement {
  const { diff, baseVersion } = pending.preview;
  const groups = groupDiff(diff);
  const apply = button("Apply", "preview-apply", onApply, { class: "primary", disabled: diff.length === 0 || session.busy !== null });
  const drops = willDrop(pending.preview);
  const kept = session.state?.historyKept;
  // Escape is handled for the whole page (app.ts): it closes an alert first, then this preview.
  return el("section", { class: "preview", "data-testid": "preview", "aria-labelledby": "preview-title" },
    el("h2", { id: "preview-title", tabindex: "-1", "data-key": "preview-title" }, pending.title),
    el("p", { "data-testid": "diff-counts" }, diff.length ? diffCounts(diff) : "Nothing would change: the rates are the same."),
    el("p", { class: "hint" }, `Compared with the saved version ${baseVersion}. Nothing is saved until you press Apply (Escape cancels).`),
    drops.length && diff.length
      ? el("p", { class: "note", "data-testid": "will-drop" },
        `Applying drops ${drops.map((v) => `version ${v.version}${v.savedAt ? ` (${formatWhen(v.savedAt)})` : ""}`).join(", ")} from history`,
        kept ? `, which keeps the last ${kept.versions} versions that fit in ${kept.kilobytes} KB.` : ".")
      : null,
    el("div", { class: "actions" }, apply, button("Cancel", "preview-cancel", onCancel)),
    el("div", { class: "diff", "data-testid": "diff-list" }, ...SECTIONS.filter((s) => groups.has(s)).map((section) => {
      const lines = groups.get(section)!;
      return el("section", { class: "diff-section", "data-testid": `diff-${section}` },
        el("h3", null, `${SECTION_NAMES[section]} `, el("span", { class: "muted" }, `(${diffCounts(lines)})`)),
        el("ul", null, ...lines.map((l) => line(section, l))),
      );
    })),
  );
}
