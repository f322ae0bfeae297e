// Engine layer: `dinos`, the course's "Dinosaur Island" character-level language model on 1,536 dinosaur names.
import { RandomState } from '../random/randomState';
import { createCharacterTask } from './characterTask';
import dinosCorpus from './corpora/dinos.json';
import { taskFacts } from './taskCatalogue';
import type { TaskSpec } from './taskSpec';
import { buildVocabulary } from './textEncoding';

/** Share of the (shuffled) names held out for validation. */
const VALIDATION_FRACTION = 0.1;

/** All names, lower-cased on load as the course does (`data.lower()`), in file order. */
export const DINOSAUR_NAMES: readonly string[] = dinosCorpus.lines.map((line) => line.toLowerCase());

/** '\n' then 'a' … 'z': 27 characters. '\n' ends a name and is the stop token of sampling. */
export const DINOSAUR_VOCABULARY: readonly string[] = buildVocabulary(DINOSAUR_NAMES.join('\n') + '\n');

const VALIDATION_COUNT = Math.round(DINOSAUR_NAMES.length * VALIDATION_FRACTION);

/**
 * The names shuffled as the course does (`np.random.seed(seed); np.random.shuffle(examples)`; seed 0 gives the
 * course's order, starting with 'turiasaurus'), then split: the last 10% for validation, the rest for training.
 * The file repeats a few names once lower-cased (e.g. 'velociraptor'); a held-out name that also occurs in the
 * training part stays in training, so no validation name is ever trained on.
 */
export function splitDinosaurNames(seed: number): { training: string[]; validation: string[] } {
  const shuffled = [...DINOSAUR_NAMES];
  new RandomState(seed).shuffle(shuffled);
  const training = shuffled.slice(0, shuffled.length - VALIDATION_COUNT);
  const seen = new Set(training);
  const validation: string[] = [];
  for (const name of shuffled.slice(shuffled.length - VALIDATION_COUNT)) {
    if (seen.has(name)) training.push(name);
    else validation.push(name);
  }
  return { training, validation };
}

/**
 * The character stream of a list of names: '\n' before the first name and after every name.
 * Reference note: the course trains on one name at a time and feeds a zero vector as the first input; we cut
 * fixed-length windows from this stream instead (min-char-rnn style, so names batch), where the '\n' that ends one
 * name is also the input that starts the next — the same role the course's zero vector plays.
 */
export function dinosaurStream(names: readonly string[]): string {
  return '\n' + names.map((name) => name + '\n').join('');
}

/**
 * The longest window every seed's validation stream can hold: the stream of the shortest names that could be held
 * out (a held-out name is dropped at most once per repeated name), less one character for the shifted target.
 */
export function longestValidationWindow(): number {
  const repeats = DINOSAUR_NAMES.length - new Set(DINOSAUR_NAMES).size;
  const shortest = DINOSAUR_NAMES.map((name) => name.length + 1).sort((a, b) => a - b);
  const streamLength = 1 + shortest.slice(0, VALIDATION_COUNT - repeats).reduce((sum, length) => sum + length, 0);
  return streamLength - 1;
}

export const dinosTaskSpec: TaskSpec = {
  ...taskFacts('dinos'),
  create({ sequenceLength, seed }) {
    const { training, validation } = splitDinosaurNames(seed);
    const corpus = {
      trainingText: dinosaurStream(training),
      validationText: dinosaurStream(validation),
      vocabulary: DINOSAUR_VOCABULARY,
    };
    return createCharacterTask(dinosTaskSpec.name, dinosTaskSpec.description, corpus, sequenceLength);
  },
};
