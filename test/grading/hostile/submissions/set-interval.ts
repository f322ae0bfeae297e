// expect 1: timers that never stop, printing and burning CPU; rnnStep answers wrongly.
setInterval(() => console.log('tick'), 1);
setInterval(() => { for (let i = 0; i < 1e6; i++); }, 0);
function rnnStep(aPrev: number[], x: number[], waa: number, wax: number, ba: number): number[] {
  setInterval(() => undefined, 1);
  return aPrev.map(() => 0);
}
