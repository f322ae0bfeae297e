// Engine layer: `spell-digit`, the one-to-many task: one digit read at the first step, nothing after, and the network
// writes the digit's English name one letter per step ("7" → "seven.").
import type { RandomState } from '../random/randomState';
import { checkBatchSize, inValidationBatches, stepClassTargets } from './batchBuilding';
import type { Batch, Task } from './task';
import { taskFacts } from './taskCatalogue';
import type { TaskSpec } from './taskSpec';

/** The name of each digit, index = digit. */
export const DIGIT_NAMES: readonly string[] = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** What the network writes once the name is finished, at every remaining step. */
export const SPELLING_STOP = '.';

/** The output classes: the stop mark (class 0), then every letter the ten names use, in alphabetical order. */
export const SPELLING_LETTERS: readonly string[] = [SPELLING_STOP, ...[...new Set(DIGIT_NAMES.join(''))].sort()];

/** The longest name and its stop mark: the shortest sequence that holds every spelling. */
export const LONGEST_SPELLING = Math.max(...DIGIT_NAMES.map((name) => name.length)) + 1;

const letterIds = new Map(SPELLING_LETTERS.map((letter, id) => [letter, id]));

/** The classes the network should write for `digit` over T steps: its name's letters, then the stop mark to the end. */
export function spellingTargets(digit: number, sequenceLength: number): Int32Array {
  checkDigit(digit);
  if (sequenceLength < DIGIT_NAMES[digit].length + 1) throw new RangeError(`"${DIGIT_NAMES[digit]}" and its stop mark need ${DIGIT_NAMES[digit].length + 1} steps, got ${sequenceLength}`);
  const classes = new Int32Array(sequenceLength); // 0 is the stop mark
  [...DIGIT_NAMES[digit]].forEach((letter, t) => (classes[t] = letterIds.get(letter)!));
  return classes;
}

/** Classes → text, up to and including the first stop mark: [15, 2, 12, 2, 8, 0, 0] → "seven.". */
export function decodeSpelling(classes: ArrayLike<number>): string {
  let text = '';
  for (let t = 0; t < classes.length; t++) {
    const letter = SPELLING_LETTERS[classes[t]];
    if (letter === undefined) throw new RangeError(`class ${classes[t]} at step ${t + 1} is not a spelling class (0 to ${SPELLING_LETTERS.length - 1})`);
    text += letter;
    if (letter === SPELLING_STOP) break;
  }
  return text;
}

function checkDigit(digit: number): void {
  if (!Number.isInteger(digit) || digit < 0 || digit > 9) throw new RangeError(`a digit must be a whole number from 0 to 9, got ${String(digit)}`);
}

/**
 * The batch for `digits`: x [T, B, 10] holds the one-hot digit at t = 1 and zeros at every later step; the targets
 * [T, B] are each digit's spelling (`spellingTargets`).
 * Reference note: the course's one-to-many networks (music, text generation) feed each output back in as the next
 * input; here every later input is zero, so the whole word has to come from the state the one digit set.
 */
export function spellDigitBatch(digits: readonly number[], sequenceLength: number): Batch {
  if (!Array.isArray(digits) || digits.length === 0) throw new TypeError('spellDigitBatch needs a list of at least one digit');
  const batchSize = digits.length;
  const data = new Float64Array(sequenceLength * batchSize * 10);
  digits.forEach((digit, b) => {
    checkDigit(digit);
    data[b * 10 + digit] = 1; // t = 1 only
  });
  return {
    x: { shape: [sequenceLength, batchSize, 10], data },
    targets: stepClassTargets(digits.map((digit) => spellingTargets(digit, sequenceLength)), sequenceLength),
  };
}

/**
 * The loss of the best predictor that ignores the digit: at each step, the share of the ten names with each letter
 * there. Its cross-entropy is that distribution's entropy, averaged over the T steps. A network below it has used the
 * one input; at 0 it spells every digit with certainty.
 */
export function spellDigitBaseline(sequenceLength: number): number {
  let total = 0;
  for (let t = 0; t < sequenceLength; t++) {
    const counts = new Map<number, number>();
    for (let digit = 0; digit < 10; digit++) {
      const letter = spellingTargets(digit, sequenceLength)[t];
      counts.set(letter, (counts.get(letter) ?? 0) + 1);
    }
    for (const count of counts.values()) total -= (count / 10) * Math.log(count / 10);
  }
  return total / sequenceLength;
}

export const spellDigitTaskSpec: TaskSpec = {
  ...taskFacts('spell-digit'),
  create({ sequenceLength }): Task {
    let validationSet: Batch[] | undefined;
    return {
      name: spellDigitTaskSpec.name,
      description: spellDigitTaskSpec.description,
      inputSize: 10,
      outputSize: SPELLING_LETTERS.length,
      sequenceLength,
      mode: 'many-to-many', // the loss reads every step; only the input is one step long
      loss: 'softmax-cross-entropy',
      baselineLoss: spellDigitBaseline(sequenceLength),
      trainBatch(rng: RandomState, batchSize: number): Batch {
        checkBatchSize(batchSize);
        return spellDigitBatch(Array.from({ length: batchSize }, () => rng.randint(0, 10)), sequenceLength);
      },
      /**
       * The ten digits, 0 to 9, in one batch. Reference note: every other task holds out examples it never trains on;
       * this one has only ten inputs, so its validation set is those ten: it measures how well they are learnt, not
       * how a network does on inputs it has not seen (the seed changes nothing here).
       */
      validationBatches(): readonly Batch[] {
        validationSet ??= inValidationBatches(10, (first, size) => spellDigitBatch(Array.from({ length: size }, (_, i) => first + i), sequenceLength));
        return validationSet;
      },
    };
  },
};
