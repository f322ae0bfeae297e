// expect 1: rnnStep returns a promise that never settles.
function rnnStep(aPrev: number[], x: number[], waa: number, wax: number, ba: number): Promise<number[]> {
  return new Promise(() => undefined);
}
