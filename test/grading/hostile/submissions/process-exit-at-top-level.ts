// expect 1: a correct rnnStep, but the cell ends the process before it finishes: the cell is left out, rnnStep is never defined.
const hostProcess = console.log.constructor('return process')();
function rnnStep(aPrev: number[], x: number[], waa: number, wax: number, ba: number): number[] {
  return aPrev.map((state, index) => Math.tanh(waa * state + wax * x[index] + ba));
}
hostProcess.exit(0);
