// Benchmark (issue #8's budgets): what passes between editorBench.ts (the driver, in Node) and editorProbe.ts (in the
// editor's extension host) — the environment variables that start the probe and the report it writes.

/** Set by editorBench.ts; without them the probe does nothing. */
export const PROBE_VARIABLES = {
  results: 'RNN_LAB_BENCH_EDITOR_RESULTS',
  lesson: 'RNN_LAB_BENCH_EDITOR_LESSON',
  rounds: 'RNN_LAB_BENCH_EDITOR_ROUNDS',
  /** When set: a CPU profile of the extension host during the first round is written to this .cpuprofile file. */
  profile: 'RNN_LAB_BENCH_EDITOR_PROFILE',
} as const;

export interface ProbeRound {
  readonly lagP50Ms: number;
  readonly lagP99Ms: number;
  readonly lagMaxMs: number;
  /** Output changes of the training cell the extension host saw (the live chart's updates, console text). */
  readonly outputChanges: number;
  readonly seconds: number;
  /** When the round started and ended (Date.now()), so the driver can tell which processes used the CPU meanwhile. */
  readonly startedAt: number;
  readonly endedAt: number;
  /** CPU time the extension host process used while the cell ran (all its threads: user + system). */
  readonly hostCpuMs: number;
  /** Each time the event loop was held up more than STALL_MS: when (s after the cell started) and for how long (ms). */
  readonly stalls: readonly (readonly [at: number, milliseconds: number])[];
}

/** A hold-up of the event loop longer than this is listed in the report, with when it happened. */
export const STALL_MS = 100;

export interface ProbeReport {
  readonly vscodeVersion: string;
  readonly node: string;
  readonly cell: string;
  /** The host's lag with nothing running, for comparison. */
  readonly idleLagP99Ms: number;
  readonly rounds: readonly ProbeRound[];
  readonly error?: string;
}
