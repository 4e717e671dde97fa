// Wall-clock time of a batch of generations at a number of parallel tasks.
import { clean } from "../numbers";

/**
 * Hours for `clips` generations run `concurrency` at a time, `minutes` each: ceil(clips /
 * concurrency) rounds, plus one queue wait before the first (none when there is nothing to render).
 */
export function renderHours(clips: number, concurrency: number, minutes: number, queueMinutes: number): number {
  if (clips === 0) return 0;
  // Whole numbers: the remainder decides the last round exactly, where clips / concurrency might round.
  const rounds = (clips - (clips % concurrency)) / concurrency + (clips % concurrency > 0 ? 1 : 0);
  return clean((rounds * minutes + queueMinutes) / 60);
}
