// expect 1: the function has another name, so the checks find no rnnStep.
function rnnStepCorrect(aPrev: number[], x: number[], waa: number, wax: number, ba: number): number[] {
  return aPrev.map((state, index) => Math.tanh(waa * state + wax * x[index] + ba));
}
