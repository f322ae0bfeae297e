// expect 1: fills the JS heap until the process dies of it.
function rnnStep(aPrev: number[], x: number[], waa: number, wax: number, ba: number): number[] {
  const hoard: number[][] = [];
  for (;;) hoard.push(new Array(2e7).fill(1.5));
}
