// Node layer: the lesson kernel's child process (dist/kernel.js, forked by kernelProcess.ts) — the process IPC channel
// and a `vm` context whose global object is the learner's namespace. The synchronous part of every cell runs with
// `breakOnSigint`, so an interrupt stops `while (true) {}` and keeps the variables.
import vm from 'node:vm';
import { Worker } from 'node:worker_threads';
import { KernelInterrupt, KernelRuntime, type KernelHost } from '../kernel/runtime';
import type { FromKernel } from '../kernel/protocol';

/** Where a cell's call arguments wait while its script runs (a registry symbol: the same in every realm). */
const CELL_ARGUMENTS = Symbol.for('rnnLab.cellArguments');
/** How often the watcher thread checks that the editor (the parent process) still exists. */
const PARENT_POLL_MS = 1000;
const CALL_CELL = new vm.Script("'use strict'; (([cell, args]) => cell(...args))(globalThis[Symbol.for('rnnLab.cellArguments')])", { filename: 'rnn-lab kernel' });

function main(): void {
  const send = process.send?.bind(process);
  if (!send) {
    process.stderr.write('dist/kernel.js is the RNN Lab lesson kernel: it runs as a child process with an IPC channel (see src/node/kernelProcess.ts).\n');
    process.exit(2);
  }
  const sandbox: Record<string | symbol, unknown> = {};
  const context = vm.createContext(sandbox, { name: 'RNN Lab lesson kernel' });
  const namespace = vm.runInContext('globalThis', context) as object;

  const host: KernelHost = {
    send: (message: FromKernel) => {
      if (process.connected) send(message);
    },
    namespace,
    evaluate(source, filename, args) {
      const cell = new vm.Script(source, { filename, lineOffset: -1 }).runInContext(context);
      sandbox[CELL_ARGUMENTS] = [cell, args];
      try {
        // The call runs in a script of its own: its frame is not one of the cell's lines, and the learner's stack
        // ends with their cell.
        return CALL_CELL.runInContext(context, { breakOnSigint: true });
      } catch (error) {
        if ((error as { code?: unknown })?.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED') throw new KernelInterrupt('interrupted');
        throw error;
      } finally {
        delete sandbox[CELL_ARGUMENTS];
      }
    },
    // The engine loads when a cell first imports 'rnn-lab', not at start: it is a bundle of its own next to this one
    // (scripts/build.mjs), so the kernel neither reads nor compiles it before it is ready.
    loadLab: async (hooks) => (require('./kernelLab.js') as typeof import('../kernel/labModule')).createLabModule(hooks),
  };
  const runtime = new KernelRuntime(host);
  installGlobals(sandbox, runtime);

  process.on('message', (message) => runtime.receive(message));
  // SIGINT (sent with every interrupt) stops a cell's synchronous part through breakOnSigint; anywhere else it must
  // neither end the kernel nor interrupt: the 'interrupt' message does that, and a signal handled late would
  // interrupt the next cell instead.
  process.on('SIGINT', () => undefined);
  process.on('uncaughtException', (error) => runtime.reportBackgroundError(error));
  process.on('unhandledRejection', (reason) => runtime.reportBackgroundError(reason));
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready' } satisfies FromKernel);
  watchParent();
}

/**
 * Ends the kernel when the process that started it is gone (the editor crashed or was killed), even while a cell
 * loops forever: a `while (true) {}` blocks this thread, and with it the 'disconnect' event, so a second thread
 * checks that the parent process still exists and otherwise kills this process.
 */
function watchParent(): void {
  const source = `
const { workerData: parent } = require('node:worker_threads');
setInterval(() => {
  try { process.kill(parent, 0); } catch (error) { if (error.code === 'ESRCH') process.kill(process.pid, 'SIGKILL'); }
}, ${PARENT_POLL_MS});`;
  const watcher = new Worker(source, { eval: true, workerData: process.ppid, stdout: false, stderr: false });
  watcher.unref();
}

/**
 * The globals a cell sees: those of a browser Web Worker (where the kernel will also run), not Node's — no `process`,
 * `require` or `Buffer`. Console and timers report to the running cell; a timer callback's throw is reported, it does
 * not end the kernel.
 */
function installGlobals(sandbox: Record<string | symbol, unknown>, runtime: KernelRuntime): void {
  const guard = <Arguments extends unknown[]>(callback: unknown, args: Arguments): (() => void) => {
    if (typeof callback !== 'function') throw new TypeError('the callback must be a function');
    const guarded = runtime.guardCallback(callback as (...args: Arguments) => unknown);
    return () => guarded(...args);
  };
  Object.assign(sandbox, {
    console: runtime.console,
    setTimeout: (callback: unknown, milliseconds?: number, ...args: unknown[]) => setTimeout(guard(callback, args), milliseconds),
    setInterval: (callback: unknown, milliseconds?: number, ...args: unknown[]) => setInterval(guard(callback, args), milliseconds),
    clearTimeout, clearInterval,
    queueMicrotask: (callback: unknown) => queueMicrotask(guard(callback, [])),
    structuredClone, atob, btoa, performance, TextEncoder, TextDecoder, URL, URLSearchParams,
    // The engine checks `data instanceof Float64Array`; with the engine's own typed array classes, a tensor a cell
    // builds with `new Float64Array(…)` passes that check (each vm context has its own built-ins otherwise).
    ArrayBuffer, Float64Array, Float32Array, Int32Array, Uint8Array, Int8Array, Uint16Array, Int16Array, Uint32Array, Uint8ClampedArray, BigInt64Array, BigUint64Array,
  });
}

main();
