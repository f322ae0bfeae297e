// Node layer: the second core for the WebAssembly kernels — a helper thread that shares the kernels' memory and runs
// part 1 of every large phase while the training thread runs part 0 (src/engine/wasm/wasmRuntime.ts decides what is
// large). The two threads meet through a few 32-bit words and Atomics; no message crosses per phase.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { kernelsModule, wasmRuntime, type Helpers, type Phase, type WasmRuntime } from '../engine/wasm/wasmRuntime';

const PHASES: readonly Phase[] = ['forwardProjection', 'forwardSteps', 'backwardSteps', 'backwardWeights'];

// The control words: a request counter, the request (phase, descriptor, part, parts) and the last request finished.
const REQUEST = 0;
const PHASE = 1;
const DESCRIPTOR = 2;
const PART = 3;
const PARTS = 4;
const DONE = 5;
const STOP = -1;
/** Checks of the control words before a thread sleeps on them: a few hundred microseconds, about the gap between two phases. */
const SPINS = 200_000;

/** The helper's whole program: wait for a request, run it, say so. */
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, phases } = workerData;
const { exports } = new WebAssembly.Instance(module, { env: { memory } });
const words = new Int32Array(control);
let seen = 0;
for (;;) {
  // The next phase usually follows within microseconds: look for it a while before sleeping (waking takes longer).
  for (let spin = 0; spin < ${SPINS} && Atomics.load(words, ${REQUEST}) === seen; spin++);
  Atomics.wait(words, ${REQUEST}, seen);
  seen = Atomics.load(words, ${REQUEST});
  const phase = words[${PHASE}];
  if (phase === ${STOP}) break;
  exports[phases[phase]](words[${DESCRIPTOR}], words[${PART}], words[${PARTS}]);
  Atomics.store(words, ${DONE}, seen);
  Atomics.notify(words, ${DONE});
}
`;

class HelperThread implements Helpers {
  readonly count = 1;
  private readonly words = new Int32Array(new SharedArrayBuffer(8 * 4));
  private readonly worker: Worker;
  private requests = 0;

  constructor(runtime: WasmRuntime, module: WebAssembly.Module) {
    this.worker = new Worker(HELPER_SOURCE, { eval: true, workerData: { module, memory: runtime.memory, control: this.words.buffer, phases: PHASES } });
    this.worker.unref();   // an idle helper never keeps a process alive
  }

  start(phase: Phase, descriptor: number, part: number, parts: number): void {
    const words = this.words;
    words[PHASE] = PHASES.indexOf(phase);
    words[DESCRIPTOR] = descriptor;
    words[PART] = part;
    words[PARTS] = parts;
    this.requests++;
    Atomics.store(words, REQUEST, this.requests);
    Atomics.notify(words, REQUEST);
  }

  wait(): void {
    for (let spin = 0; spin < SPINS; spin++) if (Atomics.load(this.words, DONE) === this.requests) return;
    for (;;) {
      const done = Atomics.load(this.words, DONE);
      if (done === this.requests) return;
      Atomics.wait(this.words, DONE, done);
    }
  }

  async stop(): Promise<void> {
    this.words[PHASE] = STOP;
    Atomics.store(this.words, REQUEST, ++this.requests);
    Atomics.notify(this.words, REQUEST);
    await this.worker.terminate();
  }
}

let helper: HelperThread | null = null;

/**
 * Lets this thread's WebAssembly kernels use a second core, when the machine has one (or `threads` asks for two
 * anyway, as a test does) and the kernels load. Returns the number of threads the kernels now use (1 where nothing
 * changed). Call `stopKernelThreads` to let it go.
 */
export function startKernelThreads(threads = availableParallelism()): number {
  const runtime = wasmRuntime();
  const module = kernelsModule();
  if (!runtime || !module) return 1;
  if (!helper && threads >= 2) {
    helper = new HelperThread(runtime, module);
    runtime.useHelpers(helper);
  }
  return runtime.threads;
}

export async function stopKernelThreads(): Promise<void> {
  const stopping = helper;
  helper = null;
  wasmRuntime()?.useHelpers(null);
  await stopping?.stop();
}
