// Engine layer: characters ⇄ class ids for the character-level language models (dinos, text), shared by the tasks,
// sampling and the CLI.

/**
 * The sorted set of characters in `text`, index = class id. Sorting is by code point, as Python's
 * `sorted(set(data))` in the course, so '\n' (code 10) comes first: the dinosaur vocabulary is '\n', 'a' … 'z'.
 */
export function buildVocabulary(text: string): string[] {
  return [...new Set(text)].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
}

/** `char_to_ix` of the course: character → class id. */
export function characterIndex(vocabulary: readonly string[]): Map<string, number> {
  return new Map(vocabulary.map((character, index) => [character, index]));
}

/** Class id of one character; an Error names the character when it is not in the vocabulary. */
export function indexOfCharacter(character: string, vocabulary: readonly string[]): number {
  const index = vocabulary.indexOf(character);
  if (index < 0) throw new RangeError(`character ${JSON.stringify(character)} is not in the vocabulary`);
  return index;
}

/** Text → class ids. Every character must be in the vocabulary; the first one that is not is named in the Error. */
export function encodeText(text: string, vocabulary: readonly string[]): Int32Array {
  const lookup = characterIndex(vocabulary);
  const characters = [...text];
  const indices = new Int32Array(characters.length);
  characters.forEach((character, position) => {
    const index = lookup.get(character);
    if (index === undefined) {
      throw new RangeError(`character ${JSON.stringify(character)} at position ${position} is not in the vocabulary`);
    }
    indices[position] = index;
  });
  return indices;
}

/** Class ids → text (`ix_to_char` of the course); an id outside the vocabulary is an Error. */
export function decodeIndices(indices: ArrayLike<number>, vocabulary: readonly string[]): string {
  let text = '';
  for (let position = 0; position < indices.length; position++) {
    const index = indices[position];
    const character = vocabulary[index];
    if (!Number.isInteger(index) || character === undefined) {
      throw new RangeError(`index ${index} at position ${position} is outside the vocabulary of ${vocabulary.length}`);
    }
    text += character;
  }
  return text;
}
