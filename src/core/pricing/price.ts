import { InputError, describeValue, isBlank, listOf } from "../errors";
import { clean } from "../numbers";
import type { RateIndex } from "../rates/lookup";
import type { PackageRow } from "../rates/types";
import { NO_SETTINGS, NumberReadingError, readNumber } from "../args/numbers";
import type { SheetSettings } from "../sheet-settings";

/** What one unit costs: a plain price, or a package's price over its units (kept as a ratio, so no rounding). */
export interface UnitPrice {
  usd: number;
  perUnits: number;
}

// No resource unit costs anywhere near this; a larger figure is a slip, and could overflow.
const MAX_UNIT_PRICE = 1_000_000;

export const packageUnitPrice = (pkg: PackageRow): UnitPrice => ({ usd: pkg.priceUsd, perUnits: pkg.units });

export function costOf(units: number, price: UnitPrice): number {
  return clean((units * price.usd) / price.perUnits);
}

export function readPrice(index: RateIndex, value: unknown, settings: SheetSettings = NO_SETTINGS): UnitPrice {
  if (isBlank(value)) return { usd: index.table.pricing.defaultUnitPriceUsd, perUnits: 1 };
  const packages = listOf(index.table.packages.map((p) => p.name));
  const hint = `give USD per unit such as ${index.table.pricing.defaultUnitPriceUsd}, or a package: ${packages}`;
  if (typeof value === "string") {
    const pkg = index.findPackage(value);
    if (pkg) return packageUnitPrice(pkg);
  }
  let usd: number;
  try {
    usd = readNumber("price", value, hint, { settings });
  } catch (error) {
    if (typeof value !== "string" || error instanceof NumberReadingError) throw error;
    throw new InputError(`price: ${describeValue(value)} is not a package or a price; ${hint}`);
  }
  if (!(usd > 0) || usd > MAX_UNIT_PRICE) throw new InputError(`price: ${describeValue(value)} is not a price; ${hint}`);
  return { usd, perUnits: 1 };
}
