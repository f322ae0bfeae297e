// expect 1: throws a number, null, and an object whose message getter throws, by turns.
let calls = 0;
function rnnStep(aPrev: number[], x: number[], waa: number, wax: number, ba: number): number[] {
  calls++;
  if (calls === 1) throw 42;
  if (calls === 2) throw null;
  throw { get message(): string { throw new Error('a message that cannot be read'); }, get name(): string { throw new Error('nor a name'); } };
}
