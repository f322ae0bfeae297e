// Engine layer: helpers every task uses to lay out batches (time-major one-hot inputs, targets), to size and seed its
// validation set, and to keep validation examples out of training.
import { RandomState } from '../random/randomState';
import type { Tensor } from '../tensor';
import type { Batch, Targets } from './task';

/** Sequences per validation batch. */
export const VALIDATION_BATCH_SIZE = 32;

/** Time steps (sequences × length) a synthetic task's validation set aims for: enough for a steady curve, cheap to score. */
const VALIDATION_STEP_BUDGET = 65536;

/**
 * How many validation sequences a synthetic task makes at length T: 256 for short sequences, fewer for long ones,
 * never fewer than one batch, always whole batches.
 */
export function validationSequenceCount(sequenceLength: number): number {
  const wanted = Math.floor(VALIDATION_STEP_BUDGET / sequenceLength / VALIDATION_BATCH_SIZE) * VALIDATION_BATCH_SIZE;
  return Math.max(VALIDATION_BATCH_SIZE, Math.min(256, wanted));
}

/** A positive integer batch size, or an Error naming the bad value. */
export function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${String(batchSize)}`);
  }
}

/**
 * The generator of a task's validation set. Its seed is derived from the task seed and name rather than equal to it,
 * so a trainer that seeds its own RandomState with the same number does not draw the validation set as batch one.
 */
export function validationRandomState(seed: number, taskName: string): RandomState {
  return new RandomState((seed ^ fnv1a(Array.from(taskName, (character) => character.charCodeAt(0)))) >>> 0);
}

/**
 * The train/validation partition of a discrete task: a fixed tenth of all possible sequences (by a hash of their
 * tokens) is held out. Training draws only sequences outside it, validation only sequences inside it, so the two sets
 * are disjoint by construction, whatever the seeds.
 */
export function isHeldOut(tokens: ArrayLike<number>): boolean {
  return fnv1a(tokens) % 10 === 0;
}

/** 32-bit FNV-1a over integer tokens (each folded in as four bytes). */
function fnv1a(tokens: ArrayLike<number>): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < tokens.length; i++) {
    let token = tokens[i] >>> 0;
    for (let byte = 0; byte < 4; byte++) {
      hash = Math.imul(hash ^ (token & 0xff), 0x01000193) >>> 0;
      token >>>= 8;
    }
  }
  return hash;
}

/** Draws a sequence with `draw` until it falls on the wanted side of the held-out partition. */
export function drawFromPartition(draw: () => Int32Array, heldOut: boolean): Int32Array {
  for (;;) {
    const tokens = draw();
    if (isHeldOut(tokens) === heldOut) return tokens;
  }
}

/** Token sequences (each of length T, ids < size) → one-hot inputs x [T, B, size], time-major. */
export function oneHotInputs(sequences: readonly ArrayLike<number>[], sequenceLength: number, size: number): Tensor {
  const batchSize = sequences.length;
  const data = new Float64Array(sequenceLength * batchSize * size);
  sequences.forEach((tokens, b) => {
    for (let t = 0; t < sequenceLength; t++) data[(t * batchSize + b) * size + tokens[t]] = 1;
  });
  return { shape: [sequenceLength, batchSize, size], data }; // [T, B, size]
}

/** Per-step class targets [T, B] from per-sequence arrays of length T. */
export function stepClassTargets(sequences: readonly ArrayLike<number>[], sequenceLength: number): Targets {
  const batchSize = sequences.length;
  const indices = new Int32Array(sequenceLength * batchSize);
  sequences.forEach((classes, b) => {
    for (let t = 0; t < sequenceLength; t++) indices[t * batchSize + b] = classes[t];
  });
  return { kind: 'classes', shape: [sequenceLength, batchSize], indices };
}

/** One class per sequence: targets [B]. */
export function sequenceClassTargets(classes: readonly number[]): Targets {
  return { kind: 'classes', shape: [classes.length], indices: Int32Array.from(classes) };
}

/** One real value per sequence: targets [B, 1]. */
export function sequenceValueTargets(values: readonly number[]): Targets {
  return { kind: 'values', tensor: { shape: [values.length, 1], data: Float64Array.from(values) } };
}

/** Splits `count` examples into batches of at most `VALIDATION_BATCH_SIZE`, built by `makeBatch(first, size)`. */
export function inValidationBatches(count: number, makeBatch: (first: number, size: number) => Batch): Batch[] {
  const batches: Batch[] = [];
  for (let first = 0; first < count; first += VALIDATION_BATCH_SIZE) {
    batches.push(makeBatch(first, Math.min(VALIDATION_BATCH_SIZE, count - first)));
  }
  return batches;
}
