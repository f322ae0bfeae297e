// expect 8: the control — a correct rnnStep and the right answer earn every point, so a 0 elsewhere is the grader's doing.
function rnnStep(aPrev: number[], x: number[], waa: number, wax: number, ba: number): number[] {
  return aPrev.map((state, index) => Math.tanh(waa * state + wax * x[index] + ba));
}
