// How a diff is counted and grouped for the preview. Pure.
import type { DiffLine, Section } from "../core/rates/diff";

export const SECTION_NAMES: Record<Section, string> = {
  pricing: "Pricing",
  qualities: "Qualities",
  models: "Models",
  rates: "Rates",
  packages: "Packages",
  providers: "Other providers",
};

/** "2 changed, 1 added, 1 removed", leaving out kinds with none. */
export function diffCounts(lines: readonly DiffLine[]): string {
  const parts = (["changed", "added", "removed"] as const)
    .map((kind) => [kind, lines.filter((l) => l.kind === kind).length] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}`);
  return parts.join(", ") || "no changes";
}

/** Lines by section, in the order they came. */
export function groupDiff(lines: readonly DiffLine[]): Map<Section, DiffLine[]> {
  const groups = new Map<Section, DiffLine[]>();
  for (const line of lines) {
    const list = groups.get(line.section) ?? [];
    list.push(line);
    groups.set(line.section, list);
  }
  return groups;
}
