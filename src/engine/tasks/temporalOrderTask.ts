// Engine layer: `temporal-order`, Hochreiter & Schmidhuber's (1997) temporal order problem (experiment 6a),
// many-to-one classification.
import type { RandomState } from '../random/randomState';
import {
  checkBatchSize,
  drawFromPartition,
  inValidationBatches,
  oneHotInputs,
  sequenceClassTargets,
  validationRandomState,
  validationSequenceCount,
} from './batchBuilding';
import type { Batch, Task } from './task';
import { taskFacts } from './taskCatalogue';
import type { TaskSpec } from './taskSpec';

/** Input symbols, index = input id: four distractors, begin, end, and the two relevant symbols. */
export const TEMPORAL_ORDER_SYMBOLS: readonly string[] = ['a', 'b', 'c', 'd', 'B', 'E', 'X', 'Y'];
/** Output classes, index = class id, named by the order of the two relevant symbols (the paper's Q, R, S, U). */
export const TEMPORAL_ORDER_CLASSES: readonly string[] = ['XX', 'XY', 'YX', 'YY'];

const BEGIN = 4;
const END = 5;
const X = 6;

/** The steps that may hold the first and the second relevant symbol (inclusive ranges) at length T. */
export function temporalOrderPositions(sequenceLength: number): { first: [number, number]; second: [number, number] } {
  const T = sequenceLength;
  return {
    first: [Math.floor(T / 10), Math.floor(T / 5)],
    second: [Math.floor(T / 2), Math.floor((3 * T) / 5)],
  };
}

/**
 * One sequence: B at step 0, E at step T − 1, and distractors drawn uniformly from a, b, c, d everywhere else, except
 * one step t₁ ∈ [⌊T/10⌋, ⌊T/5⌋] and one step t₂ ∈ [⌊T/2⌋, ⌊3T/5⌋], which hold X or Y (each uniformly). The class,
 * read once after E, is the order of the two: XX, XY, YX or YY — equally likely, so the baseline (always predicting
 * 1/4 each) is ln 4 ≈ 1.386. At T = 100 the ranges are the paper's [10, 20] and [50, 60].
 * Draw order: the T − 2 distractors, t₁, t₂, then the symbol at t₁ and the one at t₂.
 * Reference note: the paper drew the length uniformly from 100 … 110; here T is fixed so sequences batch, and the
 * marker ranges scale with T.
 * Returns the T input ids followed by the class id (one array, so the held-out partition hashes both).
 */
export function drawTemporalOrderExample(rng: RandomState, sequenceLength: number): Int32Array {
  const T = sequenceLength;
  const example = new Int32Array(T + 1);
  example[0] = BEGIN;
  for (let t = 1; t < T - 1; t++) example[t] = rng.randint(0, 4);
  example[T - 1] = END;
  const { first, second } = temporalOrderPositions(T);
  const firstStep = rng.randint(first[0], first[1] + 1);
  const secondStep = rng.randint(second[0], second[1] + 1);
  const firstIsY = rng.randint(0, 2);
  const secondIsY = rng.randint(0, 2);
  example[firstStep] = X + firstIsY;
  example[secondStep] = X + secondIsY;
  example[T] = 2 * firstIsY + secondIsY;
  return example;
}

function temporalOrderBatch(examples: readonly Int32Array[], sequenceLength: number): Batch {
  return {
    x: oneHotInputs(examples, sequenceLength, TEMPORAL_ORDER_SYMBOLS.length), // [T, B, 8]
    targets: sequenceClassTargets(examples.map((example) => example[sequenceLength])), // [B]
  };
}

export const temporalOrderTaskSpec: TaskSpec = {
  ...taskFacts('temporal-order'),
  create({ sequenceLength, seed }): Task {
    let validationSet: Batch[] | undefined;
    const draw = (rng: RandomState, heldOut: boolean): Int32Array =>
      drawFromPartition(() => drawTemporalOrderExample(rng, sequenceLength), heldOut);
    return {
      name: temporalOrderTaskSpec.name,
      description: temporalOrderTaskSpec.description,
      inputSize: TEMPORAL_ORDER_SYMBOLS.length,
      outputSize: TEMPORAL_ORDER_CLASSES.length,
      sequenceLength,
      mode: 'many-to-one',
      loss: 'softmax-cross-entropy',
      baselineLoss: Math.log(TEMPORAL_ORDER_CLASSES.length),
      trainBatch(rng: RandomState, batchSize: number): Batch {
        checkBatchSize(batchSize);
        return temporalOrderBatch(Array.from({ length: batchSize }, () => draw(rng, false)), sequenceLength);
      },
      validationBatches(): readonly Batch[] {
        if (!validationSet) {
          const rng = validationRandomState(seed, temporalOrderTaskSpec.name);
          const examples = Array.from({ length: validationSequenceCount(sequenceLength) }, () => draw(rng, true));
          validationSet = inValidationBatches(examples.length, (first, size) => temporalOrderBatch(examples.slice(first, first + size), sequenceLength));
        }
        return validationSet;
      },
    };
  },
};
