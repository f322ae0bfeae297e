// expect 1: an async loop of microtasks never yields to the event loop, so the kernel cannot even read a message.
async function rnnStep(aPrev: number[], x: number[], waa: number, wax: number, ba: number): Promise<number[]> {
  for (;;) await null;
}
