// Engine layer: `sentiment`, tiny generated movie reviews whose label can hinge on a clause far from the opening,
// many-to-one binary classification over word-level one-hot inputs.
import type { RandomState } from '../random/randomState';
import {
  checkBatchSize,
  drawFromPartition,
  inValidationBatches,
  oneHotInputs,
  sequenceValueTargets,
  validationRandomState,
  validationSequenceCount,
} from './batchBuilding';
import type { Batch, Task } from './task';
import { taskFacts } from './taskCatalogue';
import type { TaskSpec } from './taskSpec';

export const PAD = '<pad>';
const ASPECTS = ['acting', 'plot', 'ending', 'music', 'script', 'cast', 'story', 'dialogue'];
export const POSITIVE_WORDS: readonly string[] = ['amazing', 'great', 'wonderful', 'brilliant', 'superb', 'moving'];
export const NEGATIVE_WORDS: readonly string[] = ['terrible', 'awful', 'boring', 'dull', 'weak', 'dreadful'];
/** Neutral sentences that separate the opinions; none holds an opinion word or 'but'. */
const FILLERS: readonly string[] = [
  'we saw it on sunday .',
  'we saw it on friday .',
  'i went with my sister .',
  'i went with my friend .',
  'i went with my parents .',
  'the film runs for two hours .',
  'the film runs for three hours .',
  'the cinema is near the station .',
  'the cinema is near the park .',
  'the tickets were sold online .',
  'there was a short break .',
  'it was shown in french .',
];

/** Every word, index = input id; '<pad>' is 0. */
export const SENTIMENT_VOCABULARY: readonly string[] = [
  PAD,
  ...new Set(['the', 'was', 'but', '.', ...ASPECTS, ...POSITIVE_WORDS, ...NEGATIVE_WORDS, ...FILLERS.flatMap((s) => s.split(' '))]),
];

const wordIds = new Map(SENTIMENT_VOCABULARY.map((word, id) => [word, id]));
const POSITIVE_IDS = new Set(POSITIVE_WORDS.map((word) => wordIds.get(word)!));
const NEGATIVE_IDS = new Set(NEGATIVE_WORDS.map((word) => wordIds.get(word)!));
const BUT_ID = wordIds.get('but')!;

/** Words → input ids; an unknown word is an Error that names it. */
export function encodeWords(words: readonly string[]): Int32Array {
  return Int32Array.from(words, (word) => {
    const id = wordIds.get(word);
    if (id === undefined) throw new RangeError(`word ${JSON.stringify(word)} is not in the sentiment vocabulary`);
    return id;
  });
}

/** Input ids → words. */
export function decodeWords(ids: ArrayLike<number>): string[] {
  return Array.from(ids, (id) => SENTIMENT_VOCABULARY[id] ?? `<${id}?>`);
}

/**
 * The labelling rule: 1 (positive) or 0 (negative). If the review has a 'but', the first opinion word after the last
 * 'but' decides; otherwise the first opinion word of the review does. A review with no opinion word there is an Error.
 */
export function sentimentLabel(ids: ArrayLike<number>): 0 | 1 {
  let from = 0;
  for (let t = 0; t < ids.length; t++) if (ids[t] === BUT_ID) from = t + 1;
  for (let t = from; t < ids.length; t++) {
    if (POSITIVE_IDS.has(ids[t])) return 1;
    if (NEGATIVE_IDS.has(ids[t])) return 0;
  }
  throw new RangeError('the review has no opinion word where the rule looks for one');
}

/** `the <aspect> was <opinion> .`, the opinion positive or negative with equal chance. */
function drawOpinion(rng: RandomState): string[] {
  const aspect = ASPECTS[rng.randint(0, ASPECTS.length)];
  const words = rng.randint(0, 2) === 1 ? POSITIVE_WORDS : NEGATIVE_WORDS;
  return ['the', aspect, 'was', words[rng.randint(0, words.length)], '.'];
}

/**
 * One review of exactly T words:
 *   the <aspect> was <opinion> .  <fillers>  [but the <aspect> was <opinion> .]  <fillers>  <pad> … <pad>
 * The 'but' clause appears in half the reviews; the two opinions are drawn independently, so the opening opinion is
 * pure distraction when a 'but' follows. Labels are balanced, hence the baseline (always predicting 1/2) is ln 2.
 * Up to ⌊room/6⌋ filler sentences (drawn in turn, stopping at the first that does not fit), with the 'but' clause
 * placed after a random number of them.
 * Reference note: Keras pads at the front by default; we pad at the end, so the deciding word can sit far from the
 * step where the loss reads the network, and a plain RNN has to carry it across the padding.
 */
export function drawReview(rng: RandomState, sequenceLength: number): Int32Array {
  const opening = drawOpinion(rng);
  const hasBut = rng.randint(0, 2) === 1;
  const turn = hasBut ? ['but', ...drawOpinion(rng)] : [];
  let room = sequenceLength - opening.length - turn.length;
  const fillers: string[][] = [];
  const wanted = rng.randint(0, Math.floor(room / 6) + 1);
  for (let i = 0; i < wanted; i++) {
    const filler = FILLERS[rng.randint(0, FILLERS.length)].split(' ');
    if (filler.length > room) break;
    fillers.push(filler);
    room -= filler.length;
  }
  const turnAt = rng.randint(0, fillers.length + 1);
  const words = [...opening, ...fillers.slice(0, turnAt).flat(), ...turn, ...fillers.slice(turnAt).flat()];
  while (words.length < sequenceLength) words.push(PAD);
  return encodeWords(words);
}

function sentimentBatch(reviews: readonly Int32Array[], sequenceLength: number): Batch {
  return {
    x: oneHotInputs(reviews, sequenceLength, SENTIMENT_VOCABULARY.length), // [T, B, V]
    targets: sequenceValueTargets(reviews.map((review) => sentimentLabel(review))), // [B, 1] of 0/1
  };
}

/**
 * Reviews written as text, words separated by spaces ('the plot was terrible . but the ending was amazing .'), as the
 * batch a sentiment network reads: each padded at the end to `sequenceLength` words, labelled by `sentimentLabel`.
 * An unknown word, a review longer than `sequenceLength` or one without a deciding opinion is an Error naming it.
 */
export function reviewBatch(reviews: readonly string[], sequenceLength: number): Batch {
  if (!Array.isArray(reviews) || reviews.length === 0) throw new TypeError('reviewBatch needs a list of at least one review');
  const encoded = reviews.map((review) => {
    const words = String(review).trim().split(/\s+/);
    if (words.length > sequenceLength) throw new RangeError(`the review ${JSON.stringify(review)} has ${words.length} words, more than sequenceLength ${sequenceLength}`);
    while (words.length < sequenceLength) words.push(PAD);
    return encodeWords(words);
  });
  return sentimentBatch(encoded, sequenceLength);
}

/** The shortest review: an opinion (5 words) and a 'but' clause (6 words). */
export const SHORTEST_REVIEW = 11;

export const sentimentTaskSpec: TaskSpec = {
  ...taskFacts('sentiment'),
  create({ sequenceLength, seed }): Task {
    let validationSet: Batch[] | undefined;
    const draw = (rng: RandomState, heldOut: boolean): Int32Array => drawFromPartition(() => drawReview(rng, sequenceLength), heldOut);
    return {
      name: sentimentTaskSpec.name,
      description: sentimentTaskSpec.description,
      inputSize: SENTIMENT_VOCABULARY.length,
      outputSize: 1,
      sequenceLength,
      mode: 'many-to-one',
      loss: 'sigmoid-bce',
      baselineLoss: Math.LN2,
      trainBatch(rng: RandomState, batchSize: number): Batch {
        checkBatchSize(batchSize);
        return sentimentBatch(Array.from({ length: batchSize }, () => draw(rng, false)), sequenceLength);
      },
      validationBatches(): readonly Batch[] {
        if (!validationSet) {
          const rng = validationRandomState(seed, sentimentTaskSpec.name);
          const reviews = Array.from({ length: validationSequenceCount(sequenceLength) }, () => draw(rng, true));
          validationSet = inValidationBatches(reviews.length, (first, size) => sentimentBatch(reviews.slice(first, first + size), sequenceLength));
        }
        return validationSet;
      },
    };
  },
};
