// expect 1: rnnStep never returns (each of its 3 checks times out); the question still earns its point.
function rnnStep(aPrev: number[], x: number[], waa: number, wax: number, ba: number): number[] {
  while (true) {}
}
