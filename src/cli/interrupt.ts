// CLI layer: what ends a long command early — Ctrl-C (SIGINT), SIGTERM, the terminal closing (SIGHUP), or the reader
// of stdout going away (`rnn-lab train --json | head -2`). The first asks the loop to stop after the current step and
// save; a second signal quits at once without saving.

/** The stop reasons and their signal numbers; the exit code is 128 + the number, as a shell reports a signal. */
const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGPIPE: 13, SIGTERM: 15 } as const;
export type StopReason = keyof typeof SIGNAL_NUMBERS;
/** The signals a guard listens for. SIGPIPE is not one: Node ignores it, and a closed stdout arrives as EPIPE instead. */
const HANDLED_SIGNALS = ['SIGHUP', 'SIGINT', 'SIGTERM'] as const;

/** The guard of the command running now, told by `outputClosed` when stdout or stderr can no longer be written. */
let active: InterruptGuard | undefined;

export class InterruptGuard {
  private received: StopReason | null = null;
  private readonly handlers: [NodeJS.Signals, () => void][];

  /** `onFirst` runs on the first stop, e.g. to say "stopping after this step…". */
  constructor(private readonly onFirst: (reason: StopReason) => void) {
    this.handlers = HANDLED_SIGNALS.map((signal) => [signal, () => {
      if (this.received !== null) process.exit(128 + SIGNAL_NUMBERS[signal]);
      this.requestStop(signal);
    }]);
    for (const [signal, handler] of this.handlers) process.on(signal, handler);
    active = this;
  }

  /** Why the command was asked to stop, or null. */
  get signal(): StopReason | null {
    return this.received;
  }

  /** The conventional exit code for the reason: 128 + its signal number (130 Ctrl-C, 129 hang-up, 141 broken pipe). */
  get exitCode(): number {
    return this.received === null ? 0 : 128 + SIGNAL_NUMBERS[this.received];
  }

  dispose(): void {
    for (const [signal, handler] of this.handlers) process.off(signal, handler);
    if (active === this) active = undefined;
  }

  /** Asks the loop to stop after the current step; the first reason is kept. */
  requestStop(reason: StopReason): void {
    if (this.received !== null) return;
    this.received = reason;
    try {
      this.onFirst(reason);
    } catch {
      // Saying so failed (the terminal is gone): stopping and saving matter more.
    }
  }
}

/** True once a write to stdout or stderr failed because nobody reads it; later failures are the same news. */
let outputGone = false;

/**
 * Called when writing to stdout or stderr failed because nobody reads it any more (EPIPE: the pipe's reader exited;
 * EIO: the terminal closed). A command that is training stops after the current step and saves, and true is
 * returned — also for every later failure, which only repeats the news; with no command to stop, false (the caller
 * then simply exits).
 */
export function outputClosed(): boolean {
  if (outputGone) return true;
  if (!active) return false;
  outputGone = true;
  active.requestStop('SIGPIPE');   // kept only if nothing asked to stop before (a hang-up closes the terminal too)
  return true;
}

/** Lets pending signals be handled between two synchronous training steps. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
