// Grading layer: one student's code in a process of its own — the lesson kernel started through isolation.ts's command
// line, in a read-only copy with a trimmed environment, over size-limited frames on fd 3; only answers to the grader's
// own requests are taken from it, and its process group (its PID namespace on Linux as root) is killed at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import type { StudentOutcome } from '../lessons/checks/student';
import type { FromKernel, KernelError, ToKernel } from '../kernel/protocol';
import { encodeFrame, FrameReader } from '../node/framedChannel';
import { sandboxCommand, type Isolation } from './isolation';

export interface SandboxOptions {
  /** dist/kernel.js (a copy the sandbox user can read). */
  readonly kernelScript: string;
  readonly isolation: Isolation;
  readonly memoryMB: number;
  /** The working folder (the read-only copy of the submission). */
  readonly workFolder: string;
  /** An empty folder given as HOME and TMPDIR. */
  readonly homeFolder: string;
  /** Folders the student's process must not see (hidden where the OS allows it). */
  readonly hidden: readonly string[];
  /** Marks the process's environment, so the grader can find anything it left behind (see `leftoverProcesses`). */
  readonly token: string;
}

/** A cell's outcome as the grader records it. */
export type CellOutcome = { readonly status: 'ok' } | { readonly status: 'error'; readonly error: KernelError };

/** Why the process is gone, in words for the student. */
export class SandboxEnded extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxEnded';
  }
}

/** The largest message the student's process may send (a function's result); more ends the process. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** Characters of output (console.log and the like) the student's process may print in all; more ends it (an output flood). */
export const MAX_OUTPUT_CHARS = 16_000_000;
/** How long the process may take to start (a loaded machine is slow). */
const START_TIMEOUT_MS = 30_000;
const STDERR_KEPT = 4096;

/** Every sandbox of this process still running: killed when the grader exits, even early (Ctrl-C, an error). */
const running = new Set<Sandbox>();
let killOnExit = false;

function track(sandbox: Sandbox): void {
  running.add(sandbox);
  if (killOnExit) return;
  killOnExit = true;
  process.on('exit', () => {
    for (const each of running) each.kill('the grader stopped');
  });
}

interface Pending {
  readonly id: number;
  readonly accept: (message: FromKernel) => boolean;
  readonly reject: (error: SandboxEnded) => void;
}

export class Sandbox {
  private readonly socket: Socket;
  private pending: Pending | undefined;
  private nextId = 1;
  private stderrTail = '';
  private endMessage: string | undefined;
  private readonly endedPromise: Promise<string>;
  private markEnded!: (message: string) => void;
  private ready!: () => void;
  private readonly readyPromise: Promise<void>;
  /** Characters the student's code printed (console output streamed by the kernel). */
  outputChars = 0;

  private constructor(private readonly child: ChildProcess, private readonly options: SandboxOptions) {
    this.endedPromise = new Promise((resolve) => (this.markEnded = resolve));
    this.readyPromise = new Promise((resolve) => (this.ready = resolve));
    this.socket = child.stdio[3] as Socket;
    const reader = new FrameReader(MAX_MESSAGE_BYTES, (message) => this.receive(message), (error) => this.end(`your code's process sent the grader ${error.message}, so it was stopped`));
    this.socket.on('data', (chunk: Buffer) => reader.push(chunk));
    this.socket.on('error', () => undefined);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => (this.stderrTail = (this.stderrTail + text).slice(-STDERR_KEPT)));
    child.on('error', (error) => this.end(`the grader could not start the process for your code: ${error.message}`));
    child.on('exit', (code, signal) => this.end(this.exitMessage(code, signal)));
    track(this);
  }

  /** Starts the kernel in the sandbox and waits for it to be ready. */
  static async start(options: SandboxOptions): Promise<Sandbox> {
    const program = [process.execPath, `--max-old-space-size=${options.memoryMB}`, options.kernelScript, '--channel=fd3'];
    const { command, args } = sandboxCommand(options.isolation, program, options.memoryMB, options.hidden);
    const child = spawn(command, args, {
      cwd: options.workFolder,
      env: sandboxEnvironment(options),
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
      // Its own process group: the kernel and anything it starts are killed together.
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    const sandbox = new Sandbox(child, options);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`the process for your code did not start within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS)));
    const failure = await Promise.race([sandbox.readyPromise.then(() => undefined), sandbox.endedPromise, timedOut]);
    clearTimeout(timer);
    if (failure !== undefined) {
      sandbox.kill(failure);
      throw new SandboxEnded(failure);
    }
    return sandbox;
  }

  /** Resolves once the process has exited (after `kill`, or by itself). */
  get exited(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  /** Resolves with why the process ended, once it has. */
  get ended(): Promise<string> {
    return this.endedPromise;
  }

  get alive(): boolean {
    return this.endMessage === undefined;
  }

  /** True while a request has no answer yet (a call that loops forever): the process must be replaced before reuse. */
  get busy(): boolean {
    return this.pending !== undefined;
  }

  /** Runs a cell of the student's lesson in the kernel's namespace. */
  run(code: string, label: string): Promise<CellOutcome> {
    return this.request((id) => ({ type: 'run', id, code, label }), (message) => {
      if (message.type !== 'done') return undefined;
      return message.ok ? { status: 'ok' } : { status: 'error', error: narrowKernelError(message.error) };
    });
  }

  /** Calls the student's function `name`; rejects with SandboxEnded when the process ends first. */
  call(name: string, args: readonly unknown[]): Promise<StudentOutcome> {
    return this.request((id) => ({ type: 'call', id, name, args }), studentOutcomeOf);
  }

  /** Reads the value the student's cells gave `name`. */
  read(name: string): Promise<StudentOutcome> {
    return this.request((id) => ({ type: 'read', id, name }), studentOutcomeOf);
  }

  /** Ends the process and everything it started; `reason` is what a pending request is told. */
  kill(reason = 'the grader stopped your code'): void {
    const pid = this.child.pid;
    if (pid !== undefined && this.child.exitCode === null && this.child.signalCode === null) {
      try {
        if (process.platform === 'win32') this.child.kill('SIGKILL');
        else process.kill(-pid, 'SIGKILL');
      } catch {
        this.child.kill('SIGKILL');
      }
    }
    killLeftovers(this.options.token);
    this.socket.destroy();
    this.end(reason);
  }

  private request<T>(message: (id: number) => ToKernel, answer: (message: FromKernel) => T | undefined): Promise<T> {
    if (this.pending) return Promise.reject(new Error('the sandbox runs one request at a time'));
    if (this.endMessage !== undefined) return Promise.reject(new SandboxEnded(this.endMessage));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending = {
        id,
        accept: (reply) => {
          const value = answer(reply);
          if (value === undefined) return false;
          resolve(value);
          return true;
        },
        reject,
      };
      this.socket.write(encodeFrame(message(id)));
    });
  }

  /** Every message is untrusted: only an answer of the expected kind to the pending request is taken. */
  private receive(message: unknown): void {
    if (!message || typeof message !== 'object') return;
    const candidate = message as { type?: unknown; id?: unknown; text?: unknown };
    if (candidate.type === 'ready') {
      this.ready();
      return;
    }
    if (candidate.type === 'stream') {
      this.outputChars += typeof candidate.text === 'string' ? candidate.text.length : 0;
      if (this.outputChars > MAX_OUTPUT_CHARS) this.kill(`your code printed more than ${MAX_OUTPUT_CHARS / 1e6} million characters of output, so it was stopped`);
      return;
    }
    const pending = this.pending;
    if (!pending || candidate.id !== pending.id) return;
    if (pending.accept(message as FromKernel)) this.pending = undefined;
  }

  private end(message: string): void {
    if (this.endMessage !== undefined) return;
    this.endMessage = message;
    running.delete(this);
    this.markEnded(message);
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(new SandboxEnded(message));
    if (this.child.exitCode === null && this.child.signalCode === null) this.kill(message);
  }

  private exitMessage(code: number | null, signal: NodeJS.Signals | null): string {
    if (/heap out of memory|Reached heap limit|Allocation failed|Cannot allocate memory|Out of memory/i.test(this.stderrTail)) {
      return `your code ran out of memory (the limit is ${this.options.memoryMB} MB), so its process ended`;
    }
    return `your code's process ended (${signal ? `signal ${signal}` : `exit code ${code}`}): did something call process.exit, or crash it?`;
  }
}

/** The environment of the student's process: no tokens, keys or the teacher's HOME; UTC, so dates print the same everywhere. */
function sandboxEnvironment(options: SandboxOptions): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {
    PATH: process.platform === 'win32' ? process.env.PATH : '/usr/local/bin:/usr/bin:/bin',
    HOME: options.homeFolder,
    TMPDIR: options.homeFolder,
    LANG: 'C.UTF-8',
    TZ: 'UTC',
    RNN_LAB_SANDBOX: options.token,
  };
  if (process.platform === 'win32') Object.assign(environment, { SystemRoot: process.env.SystemRoot, USERPROFILE: options.homeFolder, TEMP: options.homeFolder, TMP: options.homeFolder });
  if (process.versions.electron) environment.ELECTRON_RUN_AS_NODE = '1';
  return environment;
}

function studentOutcomeOf(message: FromKernel): StudentOutcome | undefined {
  if (message.type === 'student') return narrowOutcome(message.outcome);
  // The kernel could not even put the learner's error into words (an error whose `message` getter throws).
  if (message.type === 'done' && !message.ok) {
    const error = narrowKernelError(message.error);
    return { kind: 'threw', error: `${error.name}: ${error.message}` };
  }
  return undefined;
}

/** A student outcome from the untrusted process, rebuilt from checked fields (text capped) so nothing else rides along. */
function narrowOutcome(outcome: unknown): StudentOutcome {
  const candidate = (outcome ?? {}) as Record<string, unknown>;
  const text = (value: unknown): string => (typeof value === 'string' ? value.slice(0, 500) : 'something');
  switch (candidate.kind) {
    case 'value': return { kind: 'value', value: candidate.value };
    case 'missing': return { kind: 'missing' };
    case 'unanswered': return { kind: 'unanswered' };
    case 'notFunction': return { kind: 'notFunction', description: text(candidate.description) };
    case 'uncopyable': return { kind: 'uncopyable', description: text(candidate.description) };
    case 'threw': return { kind: 'threw', error: text(candidate.error), ...(typeof candidate.where === 'string' ? { where: text(candidate.where) } : {}) };
    default: return { kind: 'threw', error: 'an answer the grader does not understand' };
  }
}

function narrowKernelError(error: unknown): KernelError {
  const candidate = (error ?? {}) as Record<string, unknown>;
  const text = (value: unknown, limit: number): string => (typeof value === 'string' ? value.slice(0, limit) : '');
  return { name: text(candidate.name, 100) || 'Error', message: text(candidate.message, 1000), stack: text(candidate.stack, 4000) };
}

/**
 * Processes still marked with `token` (Linux: their environment). Without a PID namespace a process can leave the
 * process group (setsid) but keeps the environment it was started with unless it replaces it.
 */
export function leftoverProcesses(token: string): number[] {
  if (process.platform !== 'linux') return [];
  const marker = `RNN_LAB_SANDBOX=${token}`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environment = readFileSync(`/proc/${entry}/environ`, 'latin1');
      if (environment.split('\0').includes(marker)) found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

function killLeftovers(token: string): void {
  for (const pid of leftoverProcesses(token)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
