// Node layer: the driver side of a lesson kernel — forks dist/kernel.js, sends it cells one at a time, routes what it
// streams to an output sink, and keeps working whatever a cell does: interrupt (message + SIGINT, then kill after
// 1 s), a per-cell time limit, a crash, process.exit or running out of memory each end the request with a clear
// message, and the next request runs in a fresh kernel. Used by the notebook controller, the headless runner, the grader.
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import type { CheckResult, CheckSource } from '../lessons/lesson';
import { INTERRUPT_TIMING, type FromKernel, type KernelError, type OutputItem, type ToKernel } from '../kernel/protocol';

/** Where a request's output goes (a notebook cell's output, the terminal). */
export interface OutputSink {
  stream(stream: 'stdout' | 'stderr', text: string): void;
  display(items: readonly OutputItem[], displayId?: string): void;
  updateDisplay(displayId: string, items: readonly OutputItem[]): void;
}

export type RunOutcome =
  | { readonly status: 'ok'; readonly value?: readonly OutputItem[] }
  | { readonly status: 'error'; readonly error: KernelError }
  /** `restarted`: the kernel had to be restarted, so the variables of earlier cells are gone. */
  | { readonly status: 'interrupted' | 'timeout' | 'crashed'; readonly message: string; readonly restarted: boolean };

export interface KernelProcessOptions {
  /** The path of dist/kernel.js. */
  readonly kernelScript: string;
  /** A request running longer is stopped as an interrupt would stop it. */
  readonly cellTimeLimitMs: number;
  /** The kernel's V8 heap limit (`--max-old-space-size`); a cell that needs more ends the kernel, not the editor. */
  readonly memoryLimitMb?: number;
  readonly cwd?: string;
}

export interface Disposable {
  dispose(): void;
}

/** Reference note: Node's default heap limit depends on the machine; a kernel gets a fixed, generous one. */
export const DEFAULT_MEMORY_LIMIT_MB = 2048;
/** A loaded machine can be slow to start a process; past this the kernel is reported as failing to start. */
const START_TIMEOUT_MS = 30_000;
/** The end of the kernel's stderr, kept to say why it died (V8 writes "heap out of memory" there). */
const STDERR_KEPT = 4096;

/**
 * Environment variables a kernel inherits: enough to run Node and format dates and text, nothing else — no tokens,
 * keys or NODE_OPTIONS from the editor's or the terminal's environment.
 */
const INHERITED_ENVIRONMENT = ['PATH', 'HOME', 'USERPROFILE', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'TMP', 'TEMP', 'SystemRoot', 'windir'];

interface Pending {
  readonly id: number;
  /** The kernel the request was sent to: only its exit ends the request. */
  readonly child: Child;
  readonly sink: OutputSink;
  /** Ends the request with its outcome (check results for a check request); later calls are ignored. */
  readonly finish: (result: RunOutcome | readonly CheckResult[]) => void;
  readonly finished: Promise<void>;
}

type Listener<T> = (value: T) => void;

class Emitter<T> {
  private readonly listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
}

/** One kernel child process. */
class Child {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private stderrTail = '';
  private constructor(readonly process: ChildProcess) {
    this.exited = new Promise((resolve) => process.once('exit', (code, signal) => resolve({ code, signal })));
    process.stderr?.setEncoding('utf8');
    process.stderr?.on('data', (text: string) => (this.stderrTail = (this.stderrTail + text).slice(-STDERR_KEPT)));
  }

  /** The end of what the kernel wrote to stderr (V8's fatal errors). */
  get stderr(): string {
    return this.stderrTail;
  }

  /** Forks a kernel and waits for its 'ready'; later messages go to `onMessage`. */
  static async start(options: KernelProcessOptions, onMessage: (message: FromKernel) => void, onStdout: (text: string) => void): Promise<Child> {
    const forked = fork(options.kernelScript, [], {
      cwd: options.cwd,
      env: kernelEnvironment(),
      execArgv: [`--max-old-space-size=${options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB}`],
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Its own process group on POSIX, so the kernel and anything it started can be killed at once.
      detached: process.platform !== 'win32',
    });
    const child = new Child(forked);
    forked.stdout?.setEncoding('utf8');
    forked.stdout?.on('data', onStdout);
    let ready = false;
    let markReady!: () => void;
    const started = new Promise<void>((resolve) => (markReady = resolve));
    forked.on('message', (message: FromKernel) => {
      if (ready) onMessage(message);
      else if (message?.type === 'ready') {
        ready = true;
        markReady();
      }
    });
    const failed = new Promise<never>((_, reject) => {
      forked.once('error', (error) => reject(new Error(`the lesson kernel could not start: ${error.message}`)));
      void child.exited.then(({ code, signal }) => reject(new Error(`the lesson kernel exited while starting (${describeExit(code, signal)}): ${child.stderr.trim()}`)));
    });
    failed.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the lesson kernel did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    });
    try {
      await Promise.race([started, failed, timedOut]);
    } catch (error) {
      child.kill();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return child;
  }

  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  send(message: ToKernel): void {
    if (this.alive && this.process.connected) this.process.send(message);
  }

  /** Sends SIGINT (POSIX; Windows has no such signal and relies on the message, then the kill). */
  signalInterrupt(): void {
    if (process.platform !== 'win32' && this.alive) this.process.kill('SIGINT');
  }

  /** Ends the kernel and anything it started. */
  kill(): void {
    if (!this.alive || this.process.pid === undefined) return;
    const pid = this.process.pid;
    if (process.platform === 'win32') spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true });
    else {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        this.process.kill('SIGKILL');
      }
    }
  }
}

type StopStatus = 'interrupted' | 'timeout';

export class KernelProcess implements Disposable {
  private child: Child | undefined;
  private starting: Promise<Child> | undefined;
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private count = 0;
  private kernelsStarted = 0;
  private disposed = false;
  /** Why the running request is being stopped, once an interrupt or the time limit asked. */
  private stopping: { readonly status: StopStatus; readonly message: string } | undefined;
  /** A kernel this driver killed, and the words that tell the running request why. */
  private killed: { readonly child: Child; readonly status: StopStatus; readonly message: string } | undefined;
  private readonly restartEmitter = new Emitter<void>();
  private readonly crashEmitter = new Emitter<string>();

  /** After the kernel came back fresh (Restart, or after a crash, a kill or a time limit): variables are gone. */
  readonly onDidRestart = this.restartEmitter.event;
  /** When the kernel died by itself (a crash, process.exit, out of memory), with the words that say so. */
  readonly onDidCrash = this.crashEmitter.event;

  private constructor(private readonly options: KernelProcessOptions) {}

  /** Starts a kernel and waits until it is ready. */
  static async start(options: KernelProcessOptions): Promise<KernelProcess> {
    const kernel = new KernelProcess(options);
    await kernel.ensureChild();
    return kernel;
  }

  /** Cells run in this kernel's life so far (a restart resets it), as the notebook's execution order shows it. */
  get executionCount(): number {
    return this.count;
  }

  /** The kernel process's id, while one runs. */
  get pid(): number | undefined {
    return this.child?.process.pid;
  }

  /** Runs a cell in the persistent namespace; requests queue and run one at a time. */
  run(code: string, label: string, sink: OutputSink): Promise<RunOutcome> {
    return this.enqueue(sink, (id) => {
      this.count++;
      return { type: 'run', id, code, label };
    }) as Promise<RunOutcome>;
  }

  /** Runs checks against the functions the namespace holds now, each check's Math.random starting from `seed`. */
  check(checks: readonly CheckSource[], seed: number, sink: OutputSink): Promise<readonly CheckResult[] | RunOutcome> {
    return this.enqueue(sink, (id) => ({ type: 'check', id, checks, seed }));
  }

  /** Stops the running request: in place when the kernel answers within 1 s, else by restarting the kernel. */
  interrupt(): Promise<void> {
    return this.stop('interrupted', 'Interrupted: the cell was stopped.');
  }

  /** A fresh kernel: the running request (if any) ends, every variable is gone. */
  async restart(): Promise<void> {
    const pending = this.pending;
    this.kill('interrupted', 'The kernel was restarted while this cell ran: variables are gone.');
    await pending?.finished;
    await this.ensureChild();
  }

  dispose(): void {
    this.disposed = true;
    this.kill('interrupted', 'The lesson kernel was shut down.');
  }

  private enqueue(sink: OutputSink, request: (id: number) => ToKernel): Promise<RunOutcome | readonly CheckResult[]> {
    const result = this.queue.then(async () => {
      if (this.disposed) throw new Error('the lesson kernel was shut down');
      const child = await this.ensureChild();
      const id = this.nextId++;
      let finish!: Pending['finish'];
      const outcome = new Promise<RunOutcome | readonly CheckResult[]>((resolve) => (finish = resolve));
      const timer = setTimeout(
        () => void this.stop('timeout', `The cell was stopped: it ran longer than the time limit of ${formatSeconds(this.options.cellTimeLimitMs)}.`),
        this.options.cellTimeLimitMs,
      );
      const pending: Pending = {
        id,
        child,
        sink,
        finish: (value) => {
          if (this.pending !== pending) return;
          clearTimeout(timer);
          this.pending = undefined;
          this.stopping = undefined;
          finish(value);
        },
        finished: outcome.then(() => undefined),
      };
      this.pending = pending;
      child.send(request(id));
      return outcome;
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Interrupt and time limit: ask the kernel (message + SIGINT); if it has not answered within 1 s, kill it. */
  private async stop(status: StopStatus, message: string): Promise<void> {
    const pending = this.pending;
    const child = this.child;
    if (!pending || !child || this.stopping) return pending?.finished;
    this.stopping = { status, message };
    child.send({ type: 'interrupt' });
    // The message stops anything that awaits; only a synchronous loop needs SIGINT (breakOnSigint). Sending the signal
    // only when the message got no answer keeps a late signal from landing in the next cell.
    const answeredMessage = await Promise.race([pending.finished.then(() => true), delay(INTERRUPT_TIMING.signalAfterMs).then(() => false)]);
    if (answeredMessage) return;
    if (this.child === child) child.signalInterrupt();
    const answered = await Promise.race([pending.finished.then(() => true), delay(INTERRUPT_TIMING.waitMs - INTERRUPT_TIMING.signalAfterMs).then(() => false)]);
    if (!answered) {
      this.kill(status, `${message} It did not stop within ${formatSeconds(INTERRUPT_TIMING.waitMs)}, so the kernel was restarted: variables are gone; run the cells above again.`);
      await pending.finished;
    }
  }

  /** Kills the current kernel; its exit ends the running request with these words, and a new kernel starts. */
  private kill(status: StopStatus, message: string): void {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    this.killed = { child, status, message };
    child.kill();
  }

  private ensureChild(): Promise<Child> {
    if (this.child?.alive) return Promise.resolve(this.child);
    this.starting ??= Child.start(this.options, (message) => this.receive(message), (text) => this.pending?.sink.stream('stdout', text))
      .then((child) => {
        if (this.disposed) {
          child.kill();
          throw new Error('the lesson kernel was shut down');
        }
        this.child = child;
        this.count = 0;
        void child.exited.then((exit) => this.childExited(child, exit));
        if (this.kernelsStarted++ > 0) this.restartEmitter.fire();
        return child;
      })
      .finally(() => (this.starting = undefined));
    return this.starting;
  }

  private receive(message: FromKernel): void {
    const pending = this.pending;
    if (!pending || !message || typeof message !== 'object' || !('id' in message) || message.id !== pending.id) return;
    switch (message.type) {
      case 'stream':
        pending.sink.stream(message.stream, message.text);
        break;
      case 'display':
        pending.sink.display(message.items, message.displayId);
        break;
      case 'updateDisplay':
        pending.sink.updateDisplay(message.displayId, message.items);
        break;
      case 'checkResults':
        pending.finish(message.results);
        break;
      case 'done':
        if (message.ok) pending.finish({ status: 'ok', ...(message.value ? { value: message.value } : {}) });
        else if (message.interrupted) {
          const stopping = this.stopping ?? { status: 'interrupted', message: 'Interrupted: the cell was stopped.' };
          pending.finish({ status: stopping.status, message: `${stopping.message} Variables defined so far are kept.`, restarted: false });
        } else pending.finish({ status: 'error', error: message.error });
        break;
    }
  }

  private childExited(child: Child, exit: { code: number | null; signal: NodeJS.Signals | null }): void {
    if (this.child === child) this.child = undefined;
    const killed = this.killed?.child === child ? this.killed : undefined;
    if (killed) this.killed = undefined;
    const message = killed?.message ?? crashMessage(exit, child.stderr, this.options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB);
    if (!killed) this.crashEmitter.fire(message);
    if (this.pending?.child === child) this.pending.finish({ status: killed?.status ?? 'crashed', message, restarted: true });
    // The next kernel starts now, so the next cell does not wait for it.
    if (!this.disposed) void this.ensureChild().catch((error: unknown) => this.crashEmitter.fire(String(error)));
  }
}

function crashMessage(exit: { code: number | null; signal: NodeJS.Signals | null }, stderr: string, memoryLimitMb: number): string {
  if (/heap out of memory|Reached heap limit|Allocation failed/i.test(stderr)) {
    return `The kernel ran out of memory (its limit is ${memoryLimitMb} MB) and was restarted: variables are gone; run the cells above again.`;
  }
  return `The kernel process ended (${describeExit(exit.code, exit.signal)}) and was restarted: variables are gone; run the cells above again.`;
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

function kernelEnvironment(): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const name of INHERITED_ENVIRONMENT) if (process.env[name] !== undefined) environment[name] = process.env[name];
  // Inside VS Code, process.execPath is Electron: it runs the script as plain Node only with this variable set.
  if (process.versions.electron) environment.ELECTRON_RUN_AS_NODE = '1';
  return environment;
}

function formatSeconds(milliseconds: number): string {
  const seconds = milliseconds / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
