// Benchmark (issue #4): one runner child process seen from the orchestrator — requests out on stdin, marked replies
// back on stdout, a time limit per request (the child is killed when it passes), and its peak RSS read from /proc
// when it can no longer answer.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ROOT } from './bundle';
import { decodeReply, type FromRunner, type ToRunner } from './protocol';

export class TimeoutError extends Error {}

/** One runner child process and its request/reply channel. */
export class RunnerProcess {
  private readonly child: ChildProcess;
  private buffer = '';
  private waiting: { resolve: (reply: FromRunner) => void; reject: (error: Error) => void } | null = null;
  private readonly stderrTail: string[] = [];
  private exitCode: number | null = null;
  private peakKiB: number | undefined;

  constructor(command: string, args: string[], env: NodeJS.ProcessEnv, private readonly label: string, verbose: boolean) {
    this.child = spawn(command, args, { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8');
    this.child.stdout!.on('data', (chunk: string) => {
      this.buffer += chunk;
      let newline: number;
      while ((newline = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, newline);
        this.buffer = this.buffer.slice(newline + 1);
        this.onLine(line, verbose);
      }
    });
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (chunk: string) => {
      if (verbose) process.stderr.write(`[${label}] ${chunk}`);
      this.stderrTail.push(...chunk.split('\n').filter(Boolean));
      this.stderrTail.splice(0, Math.max(0, this.stderrTail.length - 12));
    });
    this.child.on('error', (error) => this.fail(new Error(`${label}: ${error.message}`)));
    this.child.on('exit', (code, signal) => {
      this.exitCode = code ?? -1;
      this.fail(new Error(`${label} exited (${signal ?? `code ${code}`})${this.stderrTail.length ? `:\n  ${this.stderrTail.join('\n  ')}` : ''}`));
    });
  }

  private onLine(line: string, verbose: boolean): void {
    let reply: FromRunner | null;
    try {
      reply = decodeReply(line);
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    if (reply === null) {
      if (verbose && line.trim()) process.stderr.write(`[${this.label}] ${line}\n`);
      return;
    }
    const waiting = this.waiting;
    this.waiting = null;
    if (!waiting) return;
    if (reply.op === 'error') waiting.reject(new Error(reply.message));
    else waiting.resolve(reply);
  }

  private fail(error: Error): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.reject(error);
  }

  /** Sends one request; rejects with TimeoutError (after killing the child) when no reply comes within `timeoutMs`. */
  request(message: ToRunner, timeoutMs: number): Promise<FromRunner> {
    if (this.exitCode !== null) return Promise.reject(new Error(`${this.label} is no longer running`));
    return new Promise<FromRunner>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        this.kill();
        reject(new TimeoutError(`${this.label}: no reply within ${Math.round(timeoutMs / 1000)} s`));
      }, Math.max(0, timeoutMs));
      this.waiting = {
        resolve: (reply) => { clearTimeout(timer); resolve(reply); },
        reject: (error) => { clearTimeout(timer); reject(error); },
      };
      this.child.stdin!.write(`${JSON.stringify(message)}\n`);
    });
  }

  /** Peak resident set size from /proc (for a runner about to be killed, which can no longer answer 'memory'). */
  private readPeakFromProc(): void {
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const match = /VmHWM:\s+(\d+)\s+kB/.exec(status);
      if (match) this.peakKiB = Number(match[1]);
    } catch {
      // already gone
    }
  }

  get peakRssKiBBeforeKill(): number | undefined {
    return this.peakKiB;
  }

  kill(): void {
    if (this.exitCode !== null || this.child.pid === undefined) return;
    this.readPeakFromProc();
    this.child.kill('SIGKILL');
  }

  async close(): Promise<void> {
    if (this.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin!.write(`${JSON.stringify({ op: 'exit' } satisfies ToRunner)}\n`);
    const timer = setTimeout(() => this.kill(), 5000);
    await exited;
    clearTimeout(timer);
  }
}
