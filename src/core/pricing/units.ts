import type { Clip } from "../args/clip";
import { clean } from "../numbers";

/** Resource units one generation of the clip deducts. */
export function clipUnits(clip: Clip): number {
  return clip.rate.per === "second" ? clean(clip.rate.units * clip.seconds) : clip.rate.units;
}
