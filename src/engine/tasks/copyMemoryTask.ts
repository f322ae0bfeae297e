// Engine layer: `copy-memory`, the copying memory problem as set by Arjovsky, Shah & Bengio (2016), many-to-many.
import type { RandomState } from '../random/randomState';
import {
  checkBatchSize,
  drawFromPartition,
  inValidationBatches,
  oneHotInputs,
  stepClassTargets,
  validationRandomState,
  validationSequenceCount,
} from './batchBuilding';
import type { Batch, Task } from './task';
import { taskFacts } from './taskCatalogue';
import type { TaskSpec } from './taskSpec';

/** Symbols to remember per sequence. */
export const COPY_SYMBOL_COUNT = 10;
/** Distinct symbols, ids 1 … 8. */
export const COPY_CATEGORY_COUNT = 8;
export const COPY_BLANK = 0;
export const COPY_DELIMITER = 9;
/** Input ids: blank 0, symbols 1–8, delimiter 9. */
const INPUT_SIZE = 10;
/** Output classes: blank 0, symbols 1–8 (the delimiter is never a target). */
const OUTPUT_SIZE = 9;

/**
 * The loss of the best memoryless strategy (the paper's baseline): predict blank for the first T + 10 steps, then
 * each of the 8 symbols with probability 1/8 for the last 10, which averages to 10 · ln 8 / (T + 20) per step,
 * where T + 20 = `sequenceLength`.
 */
export function copyMemoryBaseline(sequenceLength: number): number {
  return (COPY_SYMBOL_COUNT * Math.log(COPY_CATEGORY_COUNT)) / sequenceLength;
}

/**
 * One example. With delay T = sequenceLength − 20 (the paper's T):
 *   input  = s₁ … s₁₀, T − 1 blanks, delimiter, 10 blanks            (length T + 20)
 *   target = T + 10 blanks, s₁ … s₁₀                                 (length T + 20)
 * where s₁ … s₁₀ are drawn uniformly from the symbols 1 … 8 (ten `randint(1, 9)` calls, in order).
 */
export function copyMemoryExample(symbols: Int32Array, sequenceLength: number): { input: Int32Array; target: Int32Array } {
  const input = new Int32Array(sequenceLength); // blanks
  const target = new Int32Array(sequenceLength); // blanks
  input.set(symbols, 0);
  input[sequenceLength - COPY_SYMBOL_COUNT - 1] = COPY_DELIMITER;
  target.set(symbols, sequenceLength - COPY_SYMBOL_COUNT);
  return { input, target };
}

function drawSymbols(rng: RandomState): Int32Array {
  return Int32Array.from({ length: COPY_SYMBOL_COUNT }, () => rng.randint(1, COPY_CATEGORY_COUNT + 1));
}

function copyBatch(symbolSets: readonly Int32Array[], sequenceLength: number): Batch {
  const examples = symbolSets.map((symbols) => copyMemoryExample(symbols, sequenceLength));
  return {
    x: oneHotInputs(examples.map((example) => example.input), sequenceLength, INPUT_SIZE), // [T + 20, B, 10]
    targets: stepClassTargets(examples.map((example) => example.target), sequenceLength), // [T + 20, B]
  };
}

export const copyMemoryTaskSpec: TaskSpec = {
  ...taskFacts('copy-memory'),
  create({ sequenceLength, seed }): Task {
    let validationSet: Batch[] | undefined;
    return {
      name: copyMemoryTaskSpec.name,
      description: copyMemoryTaskSpec.description,
      inputSize: INPUT_SIZE,
      outputSize: OUTPUT_SIZE,
      sequenceLength,
      mode: 'many-to-many',
      loss: 'softmax-cross-entropy',
      baselineLoss: copyMemoryBaseline(sequenceLength),
      trainBatch(rng: RandomState, batchSize: number): Batch {
        checkBatchSize(batchSize);
        const symbolSets = Array.from({ length: batchSize }, () => drawFromPartition(() => drawSymbols(rng), false));
        return copyBatch(symbolSets, sequenceLength);
      },
      validationBatches(): readonly Batch[] {
        if (!validationSet) {
          const rng = validationRandomState(seed, copyMemoryTaskSpec.name);
          const count = validationSequenceCount(sequenceLength);
          const symbolSets = Array.from({ length: count }, () => drawFromPartition(() => drawSymbols(rng), true));
          validationSet = inValidationBatches(count, (first, size) => copyBatch(symbolSets.slice(first, first + size), sequenceLength));
        }
        return validationSet;
      },
    };
  },
};
