// Engine layer: what a training task is — batches of inputs and targets the trainer can learn from.
import type { RandomState } from '../random/randomState';
import type { Tensor } from '../tensor';

/** Where the loss reads the network: at every time step, or once after the whole sequence. */
export type TaskMode = 'many-to-many' | 'many-to-one';

export type LossName = 'softmax-cross-entropy' | 'mse' | 'sigmoid-bce';

/**
 * Targets of one batch.
 * - `classes`: integer class per position — shape [T, B] for many-to-many, [B] for many-to-one
 *   (softmax cross-entropy).
 * - `values`: real targets — shape [T, B, O] or [B, O] (MSE, or 0/1 labels for sigmoid BCE).
 */
export type Targets =
  | { readonly kind: 'classes'; readonly shape: readonly number[]; readonly indices: Int32Array }
  | { readonly kind: 'values'; readonly tensor: Tensor };

/** One batch, time-major: x is [T, B, inputSize]. */
export interface Batch {
  readonly x: Tensor;
  readonly targets: Targets;
}

export interface Task {
  /** Short id used on the command line: `--task adding`. */
  readonly name: string;
  /** One sentence a learner reads in `rnn-lab train --help` and the dashboard. */
  readonly description: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly sequenceLength: number;
  readonly mode: TaskMode;
  readonly loss: LossName;
  /** The loss of a trivial predictor (e.g. 0.167 MSE for always predicting 1 in the adding problem), for charts. */
  readonly baselineLoss?: number;
  /** Characters of a text task, index = class id; the stop token is '\n' where there is one. */
  readonly vocabulary?: readonly string[];
  /** A fresh training batch drawn with `rng`. */
  trainBatch(rng: RandomState, batchSize: number): Batch;
  /** A fixed validation set, the same on every call for the task's seed. */
  validationBatches(): readonly Batch[];
}
