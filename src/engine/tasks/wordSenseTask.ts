// Engine layer: `word-sense`, "he said he saw a bat … it flew away": tag every word, where the sense of "bat" (the
// animal or the club) is decided only by words after it — many-to-many tagging that a bidirectional network can solve.
import type { RandomState } from '../random/randomState';
import {
  checkBatchSize,
  inValidationBatches,
  isHeldOut,
  oneHotInputs,
  stepClassTargets,
  validationRandomState,
  validationSequenceCount,
} from './batchBuilding';
import type { Batch, Task } from './task';
import { taskFacts } from './taskCatalogue';
import type { TaskSpec } from './taskSpec';

export const WORD_SENSE_PAD = '<pad>';
/** The word whose sense is to be told. */
export const AMBIGUOUS_WORD = 'bat';
/** Output classes, index = class id: every word but "bat" is tagged `other`; "bat" is tagged with its sense. */
export const WORD_SENSE_TAGS: readonly string[] = ['other', 'animal', 'club'];
export const OTHER_TAG = 0;
export const ANIMAL_TAG = 1;
export const CLUB_TAG = 2;

/** Who saw it: drawn with no regard to the sense, so nothing up to "bat" tells the sense. */
const OPENINGS: readonly string[] = [
  'he said he saw', 'she said she saw', 'they said they found', 'i saw', 'we found', 'my sister saw', 'the boy found', 'our neighbour saw',
];
/** Words between "bat" and the clue, none of which tells the sense ('' for none). */
const GAPS: readonly string[] = ['', 'last night', 'in the garden', 'near the old barn', 'by the shed', 'after dinner'];
/** The clause that decides: each starts "it", and its deciding word comes one to three words in. */
export const ANIMAL_CLUES: readonly string[] = ['it flew away', 'it had wings', 'it hung upside down', 'it ate insects', 'it was asleep', 'it slept all day'];
export const CLUB_CLUES: readonly string[] = ['it hit the ball', 'it had a grip', 'it hung on the wall', 'it was for cricket', 'it was made of willow', 'it was for baseball'];

/** Every word, index = input id; '<pad>' is 0. */
export const WORD_SENSE_VOCABULARY: readonly string[] = [
  WORD_SENSE_PAD,
  ...new Set(['a', AMBIGUOUS_WORD, '.', ...[...OPENINGS, ...GAPS, ...ANIMAL_CLUES, ...CLUB_CLUES].flatMap((phrase) => phrase.split(' ').filter((word) => word !== ''))]),
];

const wordIds = new Map(WORD_SENSE_VOCABULARY.map((word, id) => [word, id]));
const BAT_ID = wordIds.get(AMBIGUOUS_WORD)!;

const wordsOf = (phrase: string): string[] => phrase.split(' ').filter((word) => word !== '');
const longest = (phrases: readonly string[]): number => Math.max(...phrases.map((phrase) => wordsOf(phrase).length));

/** The most words a sentence has: the longest opening, "a bat", the longest gap and clue, and the full stop. */
export const LONGEST_SENTENCE = longest(OPENINGS) + 2 + longest(GAPS) + longest([...ANIMAL_CLUES, ...CLUB_CLUES]) + 1;

/** Words → input ids; an unknown word is an Error that names it. */
export function encodeSentenceWords(words: readonly string[]): Int32Array {
  return Int32Array.from(words, (word) => {
    const id = wordIds.get(word);
    if (id === undefined) throw new RangeError(`word ${JSON.stringify(word)} is not in the word-sense vocabulary`);
    return id;
  });
}

/** Input ids → words. */
export function decodeSentenceWords(ids: ArrayLike<number>): string[] {
  return Array.from(ids, (id) => WORD_SENSE_VOCABULARY[id] ?? `<${id}?>`);
}

const ANIMAL_CLUE_WORDS = new Set(ANIMAL_CLUES.flatMap(wordsOf));
const CLUB_CLUE_WORDS = new Set(CLUB_CLUES.flatMap(wordsOf));
/** Words that can stand anywhere in a sentence with either sense: the openings', the gaps', "a", "bat" and ".". */
const NEUTRAL_WORDS = new Set(['a', AMBIGUOUS_WORD, '.', ...[...OPENINGS, ...GAPS].flatMap(wordsOf)]);
/** The words that decide: in one sense's clues, in no clue of the other sense, and nowhere else. */
export const ANIMAL_WORDS: ReadonlySet<string> = new Set([...ANIMAL_CLUE_WORDS].filter((word) => !CLUB_CLUE_WORDS.has(word) && !NEUTRAL_WORDS.has(word)));
export const CLUB_WORDS: ReadonlySet<string> = new Set([...CLUB_CLUE_WORDS].filter((word) => !ANIMAL_CLUE_WORDS.has(word) && !NEUTRAL_WORDS.has(word)));

/**
 * The tagging rule: every word `other`, except each "bat", tagged by the first word after it that is one of
 * `ANIMAL_WORDS` (`animal`) or `CLUB_WORDS` (`club`). A "bat" with no such word after it is an Error.
 */
export function wordSenseTags(ids: ArrayLike<number>): Int32Array {
  const tags = new Int32Array(ids.length);
  for (let t = 0; t < ids.length; t++) {
    if (ids[t] !== BAT_ID) continue;
    for (let after = t + 1; after < ids.length && tags[t] === OTHER_TAG; after++) {
      const word = WORD_SENSE_VOCABULARY[ids[after]];
      if (ANIMAL_WORDS.has(word)) tags[t] = ANIMAL_TAG;
      else if (CLUB_WORDS.has(word)) tags[t] = CLUB_TAG;
    }
    if (tags[t] === OTHER_TAG) throw new RangeError(`no word after "bat" (at position ${t + 1}) tells its sense`);
  }
  return tags;
}

/** What a sentence is made of: indices into OPENINGS, GAPS, and the clue pair, and the sense. */
interface SentenceParts {
  readonly opening: number;
  readonly gap: number;
  readonly clue: number;
  readonly sense: typeof ANIMAL_TAG | typeof CLUB_TAG;
}

function drawParts(rng: RandomState): SentenceParts {
  const opening = rng.randint(0, OPENINGS.length);
  const gap = rng.randint(0, GAPS.length);
  const clue = rng.randint(0, ANIMAL_CLUES.length);
  const sense = rng.randint(0, 2) === 0 ? ANIMAL_TAG : CLUB_TAG;
  return { opening, gap, clue, sense };
}

/** `<opening> a bat <gap> <clue> .`, padded at the end to T words. */
function sentenceIds(parts: SentenceParts, sequenceLength: number): Int32Array {
  const clue = (parts.sense === ANIMAL_TAG ? ANIMAL_CLUES : CLUB_CLUES)[parts.clue];
  const words = [...wordsOf(OPENINGS[parts.opening]), 'a', AMBIGUOUS_WORD, ...wordsOf(GAPS[parts.gap]), ...wordsOf(clue), '.'];
  while (words.length < sequenceLength) words.push(WORD_SENSE_PAD);
  return encodeSentenceWords(words);
}

/** The same sentence with the other sense's clue: identical up to the clue, tagged the other way at "bat". */
function twinOf(parts: SentenceParts): SentenceParts {
  return { ...parts, sense: parts.sense === ANIMAL_TAG ? CLUB_TAG : ANIMAL_TAG };
}

/**
 * Whether a sentence is held out for validation. Its twin goes with it (the partition hashes the animal twin), so the
 * validation set can hold both twins of every pair and no training sentence is the twin of a validation sentence.
 */
function isHeldOutPair(parts: SentenceParts): boolean {
  return isHeldOut(sentenceIds({ ...parts, sense: ANIMAL_TAG }, LONGEST_SENTENCE));
}

function drawOutsideValidation(rng: RandomState): SentenceParts {
  for (;;) {
    const parts = drawParts(rng);
    if (!isHeldOutPair(parts)) return parts;
  }
}

function wordSenseBatch(sentences: readonly Int32Array[], sequenceLength: number): Batch {
  return {
    x: oneHotInputs(sentences, sequenceLength, WORD_SENSE_VOCABULARY.length), // [T, B, V]
    targets: stepClassTargets(sentences.map((ids) => wordSenseTags(ids)), sequenceLength), // [T, B]
  };
}

/**
 * Sentences written as text ('he said he saw a bat last night it flew away .') as the batch a word-sense network
 * reads: each padded at the end to `sequenceLength` words and tagged by `wordSenseTags`. An unknown word, a sentence
 * longer than `sequenceLength` or a "bat" whose sense no later word tells is an Error naming it.
 */
export function sentenceBatch(sentences: readonly string[], sequenceLength: number): Batch {
  if (!Array.isArray(sentences) || sentences.length === 0) throw new TypeError('sentenceBatch needs a list of at least one sentence');
  const encoded = sentences.map((sentence) => {
    const words = String(sentence).trim().split(/\s+/);
    if (words.length > sequenceLength) throw new RangeError(`the sentence ${JSON.stringify(sentence)} has ${words.length} words, more than sequenceLength ${sequenceLength}`);
    while (words.length < sequenceLength) words.push(WORD_SENSE_PAD);
    return encodeSentenceWords(words);
  });
  return wordSenseBatch(encoded, sequenceLength);
}

/**
 * Each sentence has one "bat", its sense equally likely animal or club, and nothing before it tells which. A network
 * that reads only the past can at best tag every other word right and give "bat" 1/2 for each sense: of the T tags
 * of a sentence, one costs ln 2, so its loss is ln 2 / T. That is this task's baseline; a bidirectional network can
 * go below it.
 * The validation set is made of twin pairs (the same sentence with the animal and with the club clue): a network that
 * reads only the past gives both twins the same answer at "bat", so it tags exactly half of them right.
 * Reference note: real word-sense data (e.g. SemCor) has many ambiguous words and clues before them too; here the
 * clue comes only after, so that the lesson's claim is exact.
 */
export const wordSenseTaskSpec: TaskSpec = {
  ...taskFacts('word-sense'),
  create({ sequenceLength, seed }): Task {
    let validationSet: Batch[] | undefined;
    return {
      name: wordSenseTaskSpec.name,
      description: wordSenseTaskSpec.description,
      inputSize: WORD_SENSE_VOCABULARY.length,
      outputSize: WORD_SENSE_TAGS.length,
      sequenceLength,
      mode: 'many-to-many',
      loss: 'softmax-cross-entropy',
      baselineLoss: Math.LN2 / sequenceLength,
      trainBatch(rng: RandomState, batchSize: number): Batch {
        checkBatchSize(batchSize);
        return wordSenseBatch(Array.from({ length: batchSize }, () => sentenceIds(drawOutsideValidation(rng), sequenceLength)), sequenceLength);
      },
      validationBatches(): readonly Batch[] {
        if (!validationSet) {
          const rng = validationRandomState(seed, wordSenseTaskSpec.name);
          const sentences: Int32Array[] = [];
          while (sentences.length < validationSequenceCount(sequenceLength)) {
            const parts = drawParts(rng);
            if (isHeldOutPair(parts)) sentences.push(sentenceIds(parts, sequenceLength), sentenceIds(twinOf(parts), sequenceLength));
          }
          validationSet = inValidationBatches(sentences.length, (first, size) => wordSenseBatch(sentences.slice(first, first + size), sequenceLength));
        }
        return validationSet;
      },
    };
  },
};
