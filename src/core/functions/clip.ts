import { readClip } from "../args/clip";
import { type Arg, type CellValue, type Grid, mapCells } from "../grid";
import { clipUnits } from "../pricing/units";
import { costOf, readPrice } from "../pricing/price";
import { rateIndex } from "../rates/lookup";
import type { RateTable } from "../rates/types";
import { NO_SETTINGS } from "../args/numbers";
import type { SheetSettings } from "../sheet-settings";

const CLIP_ARGS = ["model", "quality", "seconds", "audio", "input"] as const;
// A row is blank when it names no model, quality or seconds: a template column past the data; or
// no model and quality, whatever its seconds (ARRAYFORMULA(D2:D*60) gives a blank row 0 s).
const CLIP_KEYS = { keys: [0, 1, 2], identity: [0, 1] };

/** KLING_UNITS: resource units one generation of the clip deducts. */
export function klingUnits(
  table: RateTable, model: Arg, quality: Arg, seconds: Arg, audio: Arg, input: Arg, settings: SheetSettings = NO_SETTINGS,
): CellValue | Grid {
  const index = rateIndex(table);
  return mapCells(CLIP_ARGS, [model, quality, seconds, audio, input], CLIP_KEYS, (m, q, s, a, i) =>
    clipUnits(readClip(index, m, q, s, a, i, settings)));
}

/** KLING_COST: USD for one generation of the clip at a unit price or a package's rate. */
export function klingCost(
  table: RateTable, model: Arg, quality: Arg, seconds: Arg, audio: Arg, input: Arg, price: Arg, settings: SheetSettings = NO_SETTINGS,
): CellValue | Grid {
  const index = rateIndex(table);
  return mapCells([...CLIP_ARGS, "price"], [model, quality, seconds, audio, input, price], CLIP_KEYS, (m, q, s, a, i, p) =>
    costOf(clipUnits(readClip(index, m, q, s, a, i, settings)), readPrice(index, p, settings)));
}
