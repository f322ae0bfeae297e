// Engine layer: how a task is described before it is built (for `--help`) and how its options are checked.
import type { Task, TaskMode } from './task';

/** What a user may choose when creating a task. Anything left out takes the task's default. */
export interface TaskOptions {
  /** Time steps per sequence (the length of x's first axis). */
  readonly sequenceLength?: number;
  /** Fixes the train/validation split and the validation set; an integer in [0, 2³²). Default 0. */
  readonly seed?: number;
}

/** Options after checking, with every default filled in. */
export interface TaskSettings {
  readonly sequenceLength: number;
  readonly seed: number;
}

/**
 * What is known of a task before it is built — what `--help` lists, the allowed range of its options, its sizes — as
 * plain data (./taskCatalogue), so that describing or checking a run needs no corpus and no task code.
 */
export interface TaskFacts {
  readonly name: string;
  /** One sentence a learner understands; the built task carries the same sentence. */
  readonly description: string;
  readonly defaultSequenceLength: number;
  /** Widths of x and of the network's output, as the built task has them (so a run's memory is known before building it). */
  readonly inputSize: number;
  readonly outputSize: number;
  readonly minSequenceLength: number;
  /** At most `MAX_SEQUENCE_LENGTH`; a text task may allow less (its held-out text must hold one window). */
  readonly maxSequenceLength: number;
  /** Why the range is what it is, quoted in the Error for a sequence length outside it. */
  readonly sequenceLengthReason?: string;
  /** Where the loss reads the network, as the built task's `mode`. */
  readonly mode: TaskMode;
  /** Whether the task is text (the built task has a vocabulary), so its models can be sampled. */
  readonly writesText: boolean;
}

/** A task's facts and the code that builds it. */
export interface TaskSpec extends TaskFacts {
  create(settings: TaskSettings): Task;
}

/** The longest sequence any task accepts: beyond it a batch no longer fits comfortably in memory. */
export const MAX_SEQUENCE_LENGTH = 10000;

export const DEFAULT_SEED = 0;

/** Checks `options` against the spec's ranges; an Error names the option, the allowed range and the bad value. */
export function resolveTaskSettings(spec: TaskSpec, options: TaskOptions = {}): TaskSettings {
  const sequenceLength = options.sequenceLength ?? spec.defaultSequenceLength;
  const low = spec.minSequenceLength;
  const high = Math.min(spec.maxSequenceLength, MAX_SEQUENCE_LENGTH);
  if (!Number.isInteger(sequenceLength) || sequenceLength < low || sequenceLength > high) {
    const reason = spec.sequenceLengthReason ? ` (${spec.sequenceLengthReason})` : '';
    throw new RangeError(
      `sequenceLength for task "${spec.name}" must be an integer from ${low} to ${high}${reason}, got ${String(sequenceLength)}`,
    );
  }
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an integer from 0 to 4294967295, got ${String(seed)}`);
  }
  return { sequenceLength, seed };
}
