// expect 1: the exercise cell is not valid TypeScript, so rnnStep is never defined.
function rnnStep(aPrev: number[], x: number[], waa: number, wax: number, ba: number): number[] {
  return aPrev.map((state, index) => Math.tanh(waa * state + wax * x[index] + ba);
