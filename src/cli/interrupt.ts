// CLI layer: Ctrl-C (SIGINT) and SIGTERM during a long command — the first asks the loop to stop after the current
// step and save; a second one quits at once without saving.

const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15 } as const;
type StopSignal = keyof typeof SIGNAL_NUMBERS;

export class InterruptGuard {
  private received: StopSignal | null = null;
  private readonly handlers: [StopSignal, () => void][];

  /** `onFirst` runs on the first signal, e.g. to say "stopping after this step…". */
  constructor(onFirst: (signal: StopSignal) => void) {
    this.handlers = (Object.keys(SIGNAL_NUMBERS) as StopSignal[]).map((signal) => [signal, () => {
      if (this.received !== null) process.exit(128 + SIGNAL_NUMBERS[signal]);
      this.received = signal;
      onFirst(signal);
    }]);
    for (const [signal, handler] of this.handlers) process.on(signal, handler);
  }

  /** The signal that asked to stop, or null. */
  get signal(): StopSignal | null {
    return this.received;
  }

  /** The conventional exit code for the signal: 128 + its number (130 for Ctrl-C). */
  get exitCode(): number {
    return this.received === null ? 0 : 128 + SIGNAL_NUMBERS[this.received];
  }

  dispose(): void {
    for (const [signal, handler] of this.handlers) process.off(signal, handler);
  }
}

/** Lets pending signals be handled between two synchronous training steps. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
