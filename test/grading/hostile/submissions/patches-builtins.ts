// expect 0: patches Math, Array.prototype and Object.prototype, in its own realm and in the kernel's, so any comparison in its process would agree; rnnStep returns zeros, and the patches break its own kernel (the question's cell no longer runs).
const hostMath = console.log.constructor('return Math')();
const hostArray = console.log.constructor('return Array')();
const hostObject = console.log.constructor('return Object')();
for (const math of [Math, hostMath]) {
  math.tanh = () => 0;
  math.abs = () => 0;
}
for (const array of [Array, hostArray]) {
  array.prototype.every = () => true;
  array.prototype.some = () => false;
}
for (const object of [Object, hostObject]) {
  (object.prototype as any).passed = true;
  (object.prototype as any).earned = 8;
  object.keys = () => [];
}
function rnnStep(aPrev: number[], x: number[], waa: number, wax: number, ba: number): number[] {
  return aPrev.map(() => 0);
}
