// expect 1: recurses without end (a RangeError), and returns a structure nested too deeply to copy on its way out.
function rnnStep(aPrev: number[], x: number[], waa: number, wax: number, ba: number): number[] {
  if (aPrev.length === 2) return rnnStep(aPrev, x, waa, wax, ba);
  let nested: unknown[] = [];
  for (let depth = 0; depth < 1e6; depth++) nested = [nested];
  return nested as number[];
}
