// Node layer: the lesson kernel's child process (dist/kernel.js) — Node's IPC channel (kernelProcess.ts) or frames on fd 3
// (`--channel=fd3`, the grader's sandbox), and a `vm` context whose global object is the learner's namespace; each
// cell's synchronous part runs with `breakOnSigint`, so an interrupt stops `while (true) {}` and keeps the variables.
import { Socket } from 'node:net';
import vm from 'node:vm';
import { Worker } from 'node:worker_threads';
import { KernelInterrupt, KernelRuntime, type KernelHost } from '../kernel/runtime';
import type { FromKernel } from '../kernel/protocol';
import { encodeFrame, FrameReader } from './framedChannel';

/** Where a cell's call arguments wait while its script runs (a registry symbol: the same in every realm). */
const CELL_ARGUMENTS = Symbol.for('rnnLab.cellArguments');
/** How often the watcher thread checks that the editor (the parent process) still exists. */
const PARENT_POLL_MS = 1000;
/** The largest request the grader sends over fd 3 (a check's arguments). */
const MAX_REQUEST_BYTES = 256 * 1024 * 1024;
const CALL_CELL = new vm.Script("'use strict'; (([cell, args]) => cell(...args))(globalThis[Symbol.for('rnnLab.cellArguments')])", { filename: 'rnn-lab kernel' });

/** How the kernel talks to its driver: Node's IPC channel (the editor, the lesson runner) or frames on fd 3 (the grader). */
interface Channel {
  send(message: FromKernel): void;
  onMessage(listener: (message: unknown) => void): void;
}

function ipcChannel(): Channel | undefined {
  const send = process.send?.bind(process);
  if (!send) return undefined;
  process.on('disconnect', () => process.exit(0));
  return {
    send: (message) => {
      if (process.connected) send(message);
    },
    onMessage: (listener) => process.on('message', listener),
  };
}

function fdChannel(): Channel {
  const socket = new Socket({ fd: 3, readable: true, writable: true });
  let listener: (message: unknown) => void = () => undefined;
  const reader = new FrameReader(MAX_REQUEST_BYTES, (message) => listener(message), () => process.exit(2));
  socket.on('data', (chunk: Buffer) => reader.push(chunk));
  // The grader closed its end (it finished, or it is gone): nothing more will be asked.
  socket.on('close', () => process.exit(0));
  socket.on('error', () => process.exit(0));
  return {
    send: (message) => {
      if (!socket.destroyed) socket.write(encodeFrame(message));
    },
    onMessage: (next) => (listener = next),
  };
}

function main(): void {
  const channel = process.argv.includes('--channel=fd3') ? fdChannel() : ipcChannel();
  if (!channel) {
    process.stderr.write('dist/kernel.js is the RNN Lab lesson kernel: it runs as a child process with an IPC channel (see src/node/kernelProcess.ts).\n');
    process.exit(2);
  }
  const sandbox: Record<string | symbol, unknown> = {};
  const context = vm.createContext(sandbox, { name: 'RNN Lab lesson kernel' });
  const namespace = vm.runInContext('globalThis', context) as object;
  // Checks run in a context of their own, without the learner's names, as in the grader (src/grading/checkRealm.ts):
  // a check that uses a name it did not import fails here too, not only when it is graded.
  const checkSandbox: Record<string | symbol, unknown> = {};
  const checkContext = vm.createContext(checkSandbox, { name: 'RNN Lab lesson checks' });

  const evaluateIn = (where: vm.Context, globals: Record<string | symbol, unknown>, source: string, filename: string, args: readonly unknown[]): unknown => {
    const cell = new vm.Script(source, { filename, lineOffset: -1 }).runInContext(where);
    globals[CELL_ARGUMENTS] = [cell, args];
    try {
      // The call runs in a script of its own: its frame is not one of the cell's lines, and the learner's stack
      // ends with their cell.
      return CALL_CELL.runInContext(where, { breakOnSigint: true });
    } catch (error) {
      if ((error as { code?: unknown })?.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED') throw new KernelInterrupt('interrupted');
      throw error;
    } finally {
      delete globals[CELL_ARGUMENTS];
    }
  };
  const host: KernelHost = {
    send: (message: FromKernel) => channel.send(message),
    namespace,
    evaluate: (source, filename, args) => evaluateIn(context, sandbox, source, filename, args),
    evaluateCheck: (source, filename, args) => evaluateIn(checkContext, checkSandbox, source, filename, args),
    // The engine loads when a cell first imports 'rnn-lab', not at start: it is a bundle of its own next to this one
    // (scripts/build.mjs), so the kernel neither reads nor compiles it before it is ready.
    loadLab: async (hooks) => (require('./kernelLab.js') as typeof import('../kernel/labModule')).createLabModule(hooks),
  };
  const runtime = new KernelRuntime(host);
  installGlobals(sandbox, runtime);
  installGlobals(checkSandbox, runtime);

  channel.onMessage((message) => runtime.receive(message));
  // SIGINT (sent with every interrupt) stops a cell's synchronous part through breakOnSigint; anywhere else it must
  // neither end the kernel nor interrupt: the 'interrupt' message does that, and a signal handled late would
  // interrupt the next cell instead.
  process.on('SIGINT', () => undefined);
  process.on('uncaughtException', (error) => runtime.reportBackgroundError(error));
  process.on('unhandledRejection', (reason) => runtime.reportBackgroundError(reason));
  channel.send({ type: 'ready' });
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
