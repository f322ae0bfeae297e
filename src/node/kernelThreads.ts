// Node layer: the second core for the WebAssembly kernels — a helper thread on the kernels' shared memory that takes
// parts of every large phase as the training thread shares them out (src/engine/wasm/sharedPhases.ts: the protocol and
// the helper's program; src/engine/wasm/wasmRuntime.ts decides what is large). No message crosses per phase.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { helperProgram } from '../engine/wasm/sharedPhases';
import { kernelsModule, wasmRuntime } from '../engine/wasm/wasmRuntime';

let helper: Worker | null = null;

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
    const control = runtime.useHelpers(1);
    const source = `const { module, memory, control } = require('node:worker_threads').workerData;\n${helperProgram(1)}`;
    helper = new Worker(source, { eval: true, workerData: { module, memory: runtime.memory, control } });
    helper.unref();   // an idle helper never keeps a process alive
  }
  return runtime.threads;
}

export async function stopKernelThreads(): Promise<void> {
  const stopping = helper;
  helper = null;
  wasmRuntime()?.useHelpers(0);
  await stopping?.terminate();
}
