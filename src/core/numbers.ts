// Binary floating point turns 1.1 x 10 into 11.000000000000002. Money figures are shown unrounded,
// so drop only that representation noise: 15 significant digits is below what a double resolves.
export function clean(x: number): number {
  return Number(x.toPrecision(15));
}
