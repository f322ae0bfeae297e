// Engine layer: how often a classifying network's most likely class is the target — over every position, or only
// where the target is one of some classes (e.g. the sense of "bat" in the word-sense task, lesson 11).
import type { SequenceModel } from './model';
import type { Batch } from './tasks/task';

export interface Accuracy {
  /** Positions counted (those whose target is one of the classes asked about). */
  readonly count: number;
  /** Of those, the positions where the network's highest output is the target's class. */
  readonly correct: number;
  /** correct / count (NaN when no position was counted). */
  readonly accuracy: number;
}

/**
 * The accuracy of `model` on `batches` (class targets: [T, B] many-to-many or [B] many-to-one), counting only the
 * positions whose target is in `classes` (every position when it is left out). A tie between the highest outputs
 * counts for the lowest class, as numpy's argmax does.
 */
export function classAccuracy(model: SequenceModel, batches: readonly Batch[], classes?: readonly number[]): Accuracy {
  const outputs = model.config.outputSize;
  if (model.config.loss !== 'softmax-cross-entropy') {
    throw new RangeError(`accuracy needs a network that picks a class (softmax cross-entropy), but this one's loss is ${model.config.loss}`);
  }
  if (classes !== undefined && !(Array.isArray(classes) && classes.every((c) => Number.isInteger(c) && c >= 0 && c < outputs))) {
    throw new RangeError(`classes must be a list of class numbers from 0 to ${outputs - 1}, got ${JSON.stringify(classes)}`);
  }
  const counted = classes === undefined ? undefined : new Set(classes);
  let count = 0;
  let correct = 0;
  for (const batch of batches) {
    if (batch.targets.kind !== 'classes') throw new TypeError('accuracy needs class targets');
    const { indices } = batch.targets;
    const logits = model.predict(batch.x).output.data;
    if (logits.length !== indices.length * outputs) {
      throw new RangeError(`the network gave ${logits.length / outputs} predictions for ${indices.length} targets`);
    }
    for (let n = 0; n < indices.length; n++) {
      if (counted && !counted.has(indices[n])) continue;
      let best = 0;
      for (let k = 1; k < outputs; k++) if (logits[n * outputs + k] > logits[n * outputs + best]) best = k;
      count++;
      if (best === indices[n]) correct++;
    }
  }
  return { count, correct, accuracy: count > 0 ? correct / count : NaN };
}
