// Benchmarks: one core kept busy by another process while a measurement runs, as a learner's laptop is never idle.
// The busy child watches its parent and ends with it, so even a bench that is killed leaves no spinning orphan.
import { spawn } from 'node:child_process';

/**
 * A core-bound loop that checks every few milliseconds whether the process that started it still exists (signal 0
 * tests without sending anything; Node caches process.ppid, so it cannot tell).
 */
const BUSY_SOURCE = `
const parent = ${process.pid};
for (;;) {
  for (let i = 0; i < 1e7; i++);
  try { process.kill(parent, 0); } catch { process.exit(0); }
}
`;

export interface BusyCore {
  readonly pid: number;
  /** Kills the busy process and resolves once it has exited. */
  stop(): Promise<void>;
}

export function startBusyCore(): BusyCore {
  const child = spawn(process.execPath, ['-e', BUSY_SOURCE], { stdio: 'ignore' });
  child.unref();
  if (child.pid === undefined) throw new Error('could not start the process that keeps a core busy');
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  // Killed with this process too when it exits normally or on Ctrl-C (the ppid check covers a harder end).
  const killOnExit = (): void => { if (!exited) child.kill('SIGKILL'); };
  process.once('exit', killOnExit);
  return {
    pid: child.pid,
    async stop() {
      process.off('exit', killOnExit);
      if (!exited) child.kill('SIGKILL');
      await exit;
    },
  };
}
