import { readClip, readModel } from "../args/clip";
import { type Arg, type Grid, single } from "../grid";
import { isBlank } from "../errors";
import { clean } from "../numbers";
import { costOf, readPrice } from "../pricing/price";
import { clipUnits } from "../pricing/units";
import { rateIndex } from "../rates/lookup";
import { DEFAULT_COMPARE_MODEL, providerModel } from "../rates/models";
import type { RateTable } from "../rates/types";
import { NO_SETTINGS } from "../args/numbers";
import type { SheetSettings } from "../sheet-settings";

/**
 * KLING_COMPARE: one clip's price per second and in all, from Kling and from each provider in the
 * table that sells that model (default Kling 3.0, which the article's resellers and Seedance are compared with).
 */
export function klingCompare(table: RateTable, quality: Arg, seconds: Arg, model: Arg = "", settings: SheetSettings = NO_SETTINGS): Grid {
  const why = "KLING_COMPARE spills one table for one clip";
  const index = rateIndex(table);
  const typed = single("model", model, why);
  const m = isBlank(typed) ? DEFAULT_COMPARE_MODEL : readModel(index, typed).id;
  const clip = readClip(index, m, single("quality", quality, why), single("seconds", seconds, why), "", "", settings);
  const price = readPrice(index, "");
  const perSecond = clip.rate.per === "second" ? costOf(clip.rate.units, price) : costOf(clipUnits(clip) / clip.seconds, price);
  const rows: Grid = [
    ["Provider", "Model", "USD per second", "USD for the clip"],
    [`Kling official (at $${price.usd}/unit)`, clip.model.name, perSecond, costOf(clipUnits(clip), price)],
  ];
  const sellers = table.providers.filter((p) => providerModel(p) === clip.model.id);
  for (const provider of new Set(sellers.map((p) => p.provider))) {
    const row = sellers.find((p) => p.provider === provider && p.quality === clip.quality);
    if (row) rows.push([provider, row.model, row.usdPerSecond, clean(row.usdPerSecond * clip.seconds)]);
    else rows.push([provider, sellers.find((p) => p.provider === provider)!.model, `no ${clip.quality} rate published`, ""]);
  }
  return rows;
}
