import { clean } from "../numbers";
import type { Grid } from "../grid";
import { describeLengths } from "../rates/models";
import type { RateTable } from "../rates/types";

/** KLING_PACKAGES: the package table with unit prices computed from price / units. */
export function klingPackages(table: RateTable): Grid {
  const rows: Grid = [["Package", "Price USD", "Units", "USD per unit", "Valid days", "Concurrent tasks", "Purchase limit", "Source", "As of"]];
  for (const p of table.packages) {
    rows.push([p.name, p.priceUsd, p.units, clean(p.priceUsd / p.units), p.validityDays, p.concurrency,
      p.purchaseLimit ?? "none", p.source, p.asOf]);
  }
  return rows;
}

/** KLING_RATES: every clip rate, with its dollar figure at the default unit price, the clip lengths its model sells and whether Kling retired it. */
export function klingRates(table: RateTable): Grid {
  const price = table.pricing.defaultUnitPriceUsd;
  const models = new Map(table.models.map((m) => [m.id, m]));
  const rows: Grid = [["Model", "Quality", "Audio", "Input", "Billed per", "Units", `USD at ${price}/unit`, "Source", "As of", "Clip lengths", "Retired"]];
  for (const r of table.rates) {
    const model = models.get(r.model);
    const lengths = r.per === "clip" ? `${r.seconds} s` : model ? describeLengths(model) : "";
    rows.push([r.model, r.quality, r.audio, r.input, r.per === "second" ? "second" : `${r.seconds} s clip`, r.units,
      clean(r.units * price), r.source, r.asOf, lengths, model?.retired ? `retired ${model.retired}` : ""]);
  }
  return rows;
}
