import { clean } from "../numbers";
import type { Grid } from "../grid";
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

/** KLING_RATES: every clip rate, with its dollar figure at the default unit price. */
export function klingRates(table: RateTable): Grid {
  const price = table.pricing.defaultUnitPriceUsd;
  const rows: Grid = [["Model", "Quality", "Audio", "Input", "Billed per", "Units", `USD at ${price}/unit`, "Source", "As of"]];
  for (const r of table.rates) {
    rows.push([r.model, r.quality, r.audio, r.input, r.per === "second" ? "second" : `${r.seconds} s clip`, r.units,
      clean(r.units * price), r.source, r.asOf]);
  }
  return rows;
}
