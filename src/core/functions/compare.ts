import { readClip } from "../args/clip";
import { type Arg, type Grid, single } from "../grid";
import { clean } from "../numbers";
import { costOf, readPrice } from "../pricing/price";
import { clipUnits } from "../pricing/units";
import { rateIndex } from "../rates/lookup";
import type { RateTable } from "../rates/types";
import { NO_SETTINGS } from "../args/numbers";
import type { SheetSettings } from "../sheet-settings";

// The providers in the table resell Kling 3.0 text/image-to-video, so that is what they are compared with.
const KLING_MODEL = "kling-v3";

/** KLING_COMPARE: one clip's price per second and in all, from Kling and from each provider in the table. */
export function klingCompare(table: RateTable, quality: Arg, seconds: Arg, settings: SheetSettings = NO_SETTINGS): Grid {
  const why = "KLING_COMPARE spills one table for one clip";
  const index = rateIndex(table);
  const clip = readClip(index, KLING_MODEL, single("quality", quality, why), single("seconds", seconds, why), "", "", settings);
  const price = readPrice(index, "");
  const rows: Grid = [
    ["Provider", "Model", "USD per second", "USD for the clip"],
    [`Kling official (at $${price.usd}/unit)`, clip.model.name, costOf(clip.rate.units, price), costOf(clipUnits(clip), price)],
  ];
  const providers = [...new Set(table.providers.map((p) => p.provider))];
  for (const provider of providers) {
    const row = table.providers.find((p) => p.provider === provider && p.quality === clip.quality);
    if (row) rows.push([provider, row.model, row.usdPerSecond, clean(row.usdPerSecond * clip.seconds)]);
    else rows.push([provider, table.providers.find((p) => p.provider === provider)!.model, `no ${clip.quality} rate published`, ""]);
  }
  return rows;
}
