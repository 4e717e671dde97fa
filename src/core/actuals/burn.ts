// What happens to a team's resource packs if it keeps using units at a steady rate: units are
// spent from the pack that expires soonest (what spends them best; Kling's own order is not
// documented), and what a pack still holds when it expires is forfeited: packs do not roll over.

export const DAY_MS = 24 * 60 * 60 * 1000;

export interface HeldPack {
  /** Epoch milliseconds. */
  effective: number;
  expires: number;
  remaining: number;
}

export interface BurnOutcome {
  /** Units each pack forfeits before the horizon, in the packs' order. */
  forfeited: number[];
  /** When no unit is left to spend (epoch ms), or null if that is after the horizon. */
  runOut: number | null;
  /** Units each pack still holds at the horizon. */
  left: number[];
}

/**
 * Burns `perDay` units a day from `start` to `horizon`. Packs that expired or hold nothing by
 * `start` take no part; a pack not yet effective joins when it becomes so.
 */
export function burn(packs: readonly HeldPack[], start: number, horizon: number, perDay: number): BurnOutcome {
  const left = packs.map((p) => (p.expires > start ? Math.max(0, p.remaining) : 0));
  const forfeited = packs.map(() => 0);
  const byExpiry = packs.map((_, i) => i).sort((a, b) => packs[a]!.expires - packs[b]!.expires);
  const events = [...new Set(packs.flatMap((p) => [p.effective, p.expires]).filter((t) => t > start && t < horizon))].sort((a, b) => a - b);
  events.push(horizon);
  let runOut: number | null = null;
  let t = start;
  const available = (at: number) => byExpiry.filter((i) => packs[i]!.effective <= at && packs[i]!.expires > at && left[i]! > 0);
  // The first moment nothing is left counts, even if a pack bought for later arrives after it.
  if (available(t).length === 0) runOut = t;
  for (const next of events) {
    let need = (perDay * (next - t)) / DAY_MS;
    let spentUntil = t;
    for (const i of available(t)) {
      if (need <= 0) break;
      const take = Math.min(need, left[i]!);
      left[i]! -= take;
      need -= take;
      spentUntil += perDay > 0 ? (take / perDay) * DAY_MS : 0;
    }
    if (need > 1e-9 && runOut === null) runOut = Math.min(next, spentUntil);
    t = next;
    for (const i of byExpiry) {
      if (packs[i]!.expires === t && left[i]! > 0) forfeited[i]! += left[i]!, (left[i] = 0);
    }
    if (runOut === null && available(t).length === 0) runOut = t;
  }
  return { forfeited, runOut, left };
}
