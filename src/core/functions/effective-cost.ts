import { NO_SETTINGS, readNumber } from "../args/numbers";
import { InputError, describeValue } from "../errors";
import { type Arg, type CellValue, type Grid, mapCells } from "../grid";
import { clean } from "../numbers";
import type { SheetSettings } from "../sheet-settings";

const KEEPER_HINT = "give the share of generations you keep, such as 70% or 0.7 (more than 0, at most 1)";

export function readKeeperRate(value: unknown, settings: SheetSettings = NO_SETTINGS): number {
  const rate = readNumber("keeper_rate", value, KEEPER_HINT, { percent: true, settings });
  if (rate <= 0) throw new InputError(`keeper_rate: ${describeValue(rate)} keeps no clips; ${KEEPER_HINT}`);
  if (rate > 1) throw new InputError(`keeper_rate: ${describeValue(rate)} is above 1 (100%); ${KEEPER_HINT}`);
  return rate;
}

/** KLING_EFFECTIVE_COST: what a usable clip costs when only `keeper_rate` of generations are kept. */
export function klingEffectiveCost(cost: Arg, keeperRate: Arg, settings: SheetSettings = NO_SETTINGS): CellValue | Grid {
  return mapCells(["cost", "keeper_rate"], [cost, keeperRate], [0], (c, k) => {
    const usd = readNumber("cost", c, "give the USD cost of one generation, such as =KLING_COST(...)", { settings });
    if (usd < 0) throw new InputError(`cost: ${describeValue(usd)} is negative; give the USD cost of one generation`);
    const effective = usd / readKeeperRate(k, settings);
    if (!Number.isFinite(effective)) throw new InputError(`cost: ${describeValue(usd)} / keeper_rate ${describeValue(k)} is too large a figure to show`);
    return clean(effective);
  });
}
