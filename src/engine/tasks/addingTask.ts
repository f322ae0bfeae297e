// Engine layer: `adding`, the adding problem (Hochreiter & Schmidhuber 1997), many-to-one regression.
import type { RandomState } from '../random/randomState';
import { checkBatchSize, inValidationBatches, sequenceValueTargets, validationRandomState, validationSequenceCount } from './batchBuilding';
import type { Batch, Task } from './task';
import { taskFacts } from './taskCatalogue';
import type { TaskSpec } from './taskSpec';

/** One adding example: inputs [T, 2] row-major (value, marker) and the target sum. */
interface AddingExample {
  readonly features: Float64Array; // [T, 2]
  readonly sum: number;
}

/**
 * The variant used by Le, Jaitly & Hinton (2015) and Arjovsky et al. (2016): at step t the input is
 * (v⟨t⟩, m⟨t⟩) with v⟨t⟩ ~ U[0, 1) and m⟨t⟩ ∈ {0, 1}; exactly two steps are marked, one drawn uniformly from the first
 * half [0, ⌊T/2⌋) and one from the second half [⌊T/2⌋, T). The target, read once after the last step, is
 * v⟨first⟩ + v⟨second⟩; the loss is the mean squared error.
 * Baseline: always predicting 1 (the mean of the target) costs E[(v₁ + v₂ − 1)²] = Var(v₁ + v₂) = 2 · 1/12 = 1/6 ≈ 0.167.
 * Draw order, per sequence: the T values, then the first marked step, then the second.
 * Reference note: Hochreiter & Schmidhuber's original (experiment 4) differs: values from [−1, 1], lengths varying from
 * T to T + T/10, the first mark among the first ten steps and the second among the first T/2 − 1, the first and last
 * steps marked −1, and the target 0.5 + (v₁ + v₂)/4. Later papers use the simpler form above, whose baseline is 1/6.
 */
export function drawAddingExample(rng: RandomState, sequenceLength: number): AddingExample {
  const T = sequenceLength;
  const features = new Float64Array(T * 2);
  for (let t = 0; t < T; t++) features[t * 2] = rng.random();
  const half = Math.floor(T / 2);
  const first = rng.randint(0, half);
  const second = rng.randint(half, T);
  features[first * 2 + 1] = 1;
  features[second * 2 + 1] = 1;
  return { features, sum: features[first * 2] + features[second * 2] };
}

/** Examples → x [T, B, 2] and targets [B, 1]. */
function addingBatch(examples: readonly AddingExample[], sequenceLength: number): Batch {
  const batchSize = examples.length;
  const data = new Float64Array(sequenceLength * batchSize * 2);
  examples.forEach(({ features }, b) => {
    for (let t = 0; t < sequenceLength; t++) {
      data[(t * batchSize + b) * 2] = features[t * 2];
      data[(t * batchSize + b) * 2 + 1] = features[t * 2 + 1];
    }
  });
  return {
    x: { shape: [sequenceLength, batchSize, 2], data }, // [T, B, 2]
    targets: sequenceValueTargets(examples.map((example) => example.sum)), // [B, 1]
  };
}

export const addingTaskSpec: TaskSpec = {
  ...taskFacts('adding'),
  create({ sequenceLength, seed }): Task {
    let validationSet: Batch[] | undefined;
    return {
      name: addingTaskSpec.name,
      description: addingTaskSpec.description,
      inputSize: 2,
      outputSize: 1,
      sequenceLength,
      mode: 'many-to-one',
      loss: 'mse',
      baselineLoss: 1 / 6,
      trainBatch(rng: RandomState, batchSize: number): Batch {
        checkBatchSize(batchSize);
        return addingBatch(Array.from({ length: batchSize }, () => drawAddingExample(rng, sequenceLength)), sequenceLength);
      },
      validationBatches(): readonly Batch[] {
        if (!validationSet) {
          const rng = validationRandomState(seed, addingTaskSpec.name);
          const examples = Array.from({ length: validationSequenceCount(sequenceLength) }, () => drawAddingExample(rng, sequenceLength));
          validationSet = inValidationBatches(examples.length, (first, size) => addingBatch(examples.slice(first, first + size), sequenceLength));
        }
        return validationSet;
      },
    };
  },
};
