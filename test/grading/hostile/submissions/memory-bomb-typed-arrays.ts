// expect 1: typed arrays live outside the JS heap (its limit does not count them); the address-space limit makes their allocation fail, or the time limit ends it first.
function rnnStep(aPrev: number[], x: number[], waa: number, wax: number, ba: number): number[] {
  const hoard: Float64Array[] = [];
  for (;;) hoard.push(new Float64Array(1e7).fill(1));
}
