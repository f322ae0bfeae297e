// Engine layer: the character-level language model task shared by `dinos` and `text` (min-char-rnn style windows).
import type { RandomState } from '../random/randomState';
import { checkBatchSize, inValidationBatches, oneHotInputs, stepClassTargets } from './batchBuilding';
import type { Batch, Task } from './task';
import { encodeText } from './textEncoding';

/** The text a character task learns from, already split; both parts must be encodable with the vocabulary. */
export interface CharacterCorpus {
  readonly trainingText: string;
  readonly validationText: string;
  /** Sorted characters, index = class id. */
  readonly vocabulary: readonly string[];
}

/**
 * A many-to-many next-character task. Inputs are one-hot characters c⟨1⟩ … c⟨T⟩ and the target at step t is the
 * class of c⟨t+1⟩ (softmax cross-entropy at every step).
 * - Training windows: T + 1 consecutive characters from a uniformly random start in the training text.
 * - Validation: the held-out text cut into consecutive, non-overlapping windows (the tail shorter than T + 1 is
 *   dropped), the same on every call.
 * - `baselineLoss`: the cross-entropy of the unigram model — predicting each character with its frequency in the
 *   training text, ignoring all context (the best a memoryless model can do).
 */
export function createCharacterTask(name: string, description: string, corpus: CharacterCorpus, sequenceLength: number): Task {
  const { vocabulary } = corpus;
  const training = encodeText(corpus.trainingText, vocabulary);
  const validation = encodeText(corpus.validationText, vocabulary);
  const size = vocabulary.length;
  const T = sequenceLength;
  if (training.length < T + 1 || validation.length < T + 1) {
    throw new RangeError(`sequenceLength ${T} is too long for task "${name}": each window needs ${T + 1} characters`);
  }

  const windowBatch = (stream: Int32Array, starts: readonly number[]): Batch => {
    const inputs = starts.map((start) => stream.subarray(start, start + T));
    const targets = starts.map((start) => stream.subarray(start + 1, start + T + 1));
    return { x: oneHotInputs(inputs, T, size), targets: stepClassTargets(targets, T) };
  };

  let validationSet: Batch[] | undefined;
  return {
    name,
    description,
    inputSize: size,
    outputSize: size,
    sequenceLength: T,
    mode: 'many-to-many',
    loss: 'softmax-cross-entropy',
    baselineLoss: unigramCrossEntropy(training, size),
    vocabulary,
    trainBatch(rng: RandomState, batchSize: number): Batch {
      checkBatchSize(batchSize);
      const starts = Array.from({ length: batchSize }, () => rng.randint(0, training.length - T));
      return windowBatch(training, starts);
    },
    validationBatches(): readonly Batch[] {
      validationSet ??= inValidationBatches(Math.floor((validation.length - 1) / T), (first, count) =>
        windowBatch(validation, Array.from({ length: count }, (_, i) => (first + i) * T)),
      );
      return validationSet;
    },
  };
}

/** Entropy (nats) of the character frequencies of `stream`: the loss of predicting every character by frequency. */
export function unigramCrossEntropy(stream: Int32Array, size: number): number {
  const counts = new Float64Array(size);
  for (const index of stream) counts[index]++;
  let entropy = 0;
  for (const count of counts) {
    if (count > 0) entropy -= (count / stream.length) * Math.log(count / stream.length);
  }
  return entropy;
}
