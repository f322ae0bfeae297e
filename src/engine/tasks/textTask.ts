// Engine layer: `text`, a min-char-rnn style character-level language model on public-domain English prose.
import { createCharacterTask } from './characterTask';
import prose from './corpora/prideAndPrejudice.json';
import { taskFacts } from './taskCatalogue';
import type { TaskSpec } from './taskSpec';
import { buildVocabulary } from './textEncoding';

/** Share of the text, at its end, held out for validation. */
const VALIDATION_FRACTION = 0.1;

/** Jane Austen, "Pride and Prejudice" (1813), chapters 1–7, one paragraph per line (see corpora/README.md). */
export const TEXT_CORPUS: string = prose.text;

/** Every character of the corpus, sorted by code point ('\n' first, then ' ', punctuation, digits, letters). */
export const TEXT_VOCABULARY: readonly string[] = buildVocabulary(TEXT_CORPUS);

/**
 * Training text = the first ~90%; validation = the rest, starting at the first paragraph that begins after the
 * 90% mark, so the two parts share no character. The split does not depend on the seed: text cannot be shuffled.
 */
export function splitText(): { training: string; validation: string } {
  const boundary = TEXT_CORPUS.indexOf('\n', Math.floor(TEXT_CORPUS.length * (1 - VALIDATION_FRACTION))) + 1;
  return { training: TEXT_CORPUS.slice(0, boundary), validation: TEXT_CORPUS.slice(boundary) };
}

export const textTaskSpec: TaskSpec = {
  ...taskFacts('text'),
  create({ sequenceLength }) {
    const { training, validation } = splitText();
    const corpus = { trainingText: training, validationText: validation, vocabulary: TEXT_VOCABULARY };
    return createCharacterTask(textTaskSpec.name, textTaskSpec.description, corpus, sequenceLength);
  },
};
