/** Digits after the decimal point as the number is written (1e-7 and the like count as too many). */
export function decimalPlaces(x: number): number {
  const text = String(x);
  return /e/i.test(text) ? Infinity : (text.split(".")[1]?.length ?? 0);
}

// Binary floating point turns 1.1 x 10 into 11.000000000000002. Money figures are shown unrounded,
// so drop only that representation noise: 15 significant digits is below what a double resolves.
export function clean(x: number): number {
  const y = Number(x.toPrecision(15));
  return Number.isFinite(y) ? y : x; // near the largest double, rounding up would overflow
}
