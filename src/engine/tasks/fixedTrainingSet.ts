// Engine layer: a task trained on a small, fixed set of examples — drawn once, then every batch picked from them — so
// a network can be watched overfitting (its training loss falls while the held-out validation loss rises).
import type { RandomState } from '../random/randomState';
import type { Batch, Targets, Task } from './task';

/**
 * `task`, but its training data is `examples` sequences drawn once from `task.trainBatch(rng, examples)`; each
 * `trainBatch(rng, batchSize)` then picks `batchSize` of them uniformly at random, with replacement (an example can
 * appear twice in a batch). The validation set is the task's own, held out as ever, so it never meets these examples.
 */
export function withFixedTrainingSet(task: Task, examples: number, rng: RandomState): Task {
  if (!Number.isInteger(examples) || examples < 1) throw new RangeError(`a fixed training set needs a whole number of examples of at least 1, got ${String(examples)}`);
  const trainingSet = task.trainBatch(rng, examples);
  return {
    name: task.name,
    description: task.description,
    inputSize: task.inputSize,
    outputSize: task.outputSize,
    sequenceLength: task.sequenceLength,
    mode: task.mode,
    loss: task.loss,
    ...(task.baselineLoss !== undefined ? { baselineLoss: task.baselineLoss } : {}),
    ...(task.vocabulary !== undefined ? { vocabulary: task.vocabulary } : {}),
    trainBatch(batchRng: RandomState, batchSize: number): Batch {
      if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${String(batchSize)}`);
      const picked = Array.from({ length: batchSize }, () => Math.floor(batchRng.random() * examples));
      return selectExamples(trainingSet, picked);
    },
    validationBatches: () => task.validationBatches(),
  };
}

/** The sequences `indices` of a time-major batch (x [T, N, I]) as a new batch [T, indices.length, I], targets alike. */
export function selectExamples(batch: Batch, indices: readonly number[]): Batch {
  const [T, N, I] = batch.x.shape;
  const B = indices.length;
  for (const n of indices) {
    if (!Number.isInteger(n) || n < 0 || n >= N) throw new RangeError(`example ${String(n)} is not in a batch of ${N}`);
  }
  return {
    x: { shape: [T, B, I], data: selectColumns(batch.x.data, T, N, I, indices) },
    targets: selectTargets(batch.targets, T, N, indices),
  };
}

function selectTargets(targets: Targets, T: number, N: number, indices: readonly number[]): Targets {
  const B = indices.length;
  if (targets.kind === 'classes') {
    const perStep = targets.shape.length === 2;                   // [T, N] many-to-many, [N] many-to-one
    const chosen = new Int32Array(selectColumns(Float64Array.from(targets.indices), perStep ? T : 1, N, 1, indices));
    return { kind: 'classes', shape: perStep ? [T, B] : [B], indices: chosen };
  }
  const { shape, data } = targets.tensor;
  const width = shape[shape.length - 1];
  const perStep = shape.length === 3;                             // [T, N, O] many-to-many, [N, O] many-to-one
  return { kind: 'values', tensor: { shape: perStep ? [T, B, width] : [B, width], data: selectColumns(data, perStep ? T : 1, N, width, indices) } };
}

/** Rows `indices` of each of `steps` blocks of `rows` rows of `width` numbers: [steps, rows, width] → [steps, B, width]. */
function selectColumns(data: Float64Array, steps: number, rows: number, width: number, indices: readonly number[]): Float64Array {
  const chosen = new Float64Array(steps * indices.length * width);
  for (let t = 0; t < steps; t++) {
    indices.forEach((n, b) => chosen.set(data.subarray((t * rows + n) * width, (t * rows + n + 1) * width), (t * indices.length + b) * width));
  }
  return chosen;
}
