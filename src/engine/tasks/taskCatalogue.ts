// Engine layer: the static facts of every bundled task — name, sentence, sizes, sequence lengths, where the loss reads
// the network — as plain data, with no corpus and no task code, so the extension host can describe and check a run
// without building its task. Each task's spec (./registry) is these facts plus the code that builds it; a test checks
// the numbers that come from a corpus (vocabulary size, longest window) against the built task.
import type { TaskFacts } from './taskSpec';

/** Every bundled task, in the order `--help` lists them. */
export const TASK_CATALOGUE: readonly TaskFacts[] = [
  {
    name: 'dinos',
    description: 'Learn to spell dinosaur names one character at a time, then invent new ones (the course\'s "Dinosaur Island").',
    defaultSequenceLength: 25, minSequenceLength: 1, maxSequenceLength: 1205, sequenceLengthReason: 'a window must fit in the held-out names',
    inputSize: 27, outputSize: 27, mode: 'many-to-many', writesText: true,
  },
  {
    name: 'text',
    description: 'Predict the next character of Jane Austen\'s "Pride and Prejudice" (chapters 1–7), as Karpathy\'s min-char-rnn does.',
    defaultSequenceLength: 25, minSequenceLength: 1, maxSequenceLength: 5243, sequenceLengthReason: 'a window must fit in the held-out text',
    inputSize: 68, outputSize: 68, mode: 'many-to-many', writesText: true,
  },
  {
    name: 'adding',
    description: 'Read a long stream of random numbers and output the sum of the two marked ones, which can be far apart.',
    defaultSequenceLength: 50, minSequenceLength: 2, maxSequenceLength: 10000, sequenceLengthReason: 'one marked step in each half',
    inputSize: 2, outputSize: 1, mode: 'many-to-one', writesText: false,
  },
  {
    name: 'copy-memory',
    description: 'Remember 10 symbols shown at the start, wait through a long run of blanks, then repeat them after the delimiter.',
    defaultSequenceLength: 40, minSequenceLength: 21, maxSequenceLength: 10000,
    sequenceLengthReason: 'the total length T + 20: 10 symbols, at least one step of waiting, 10 recall steps',
    inputSize: 10, outputSize: 9, mode: 'many-to-many', writesText: false,
  },
  {
    name: 'temporal-order',
    description: 'Among many distractor letters, tell in which order the two marker symbols X and Y appeared: XX, XY, YX or YY.',
    defaultSequenceLength: 100, minSequenceLength: 10, maxSequenceLength: 10000,
    sequenceLengthReason: 'the two marker ranges must not touch the begin and end symbols',
    inputSize: 8, outputSize: 4, mode: 'many-to-one', writesText: false,
  },
  {
    name: 'sentiment',
    description: 'Decide whether a short movie review is positive, where a "but" clause far from the start can overturn the first opinion.',
    defaultSequenceLength: 40, minSequenceLength: 11, maxSequenceLength: 10000, sequenceLengthReason: 'an opening opinion and a "but" clause take 11 words',
    inputSize: 60, outputSize: 1, mode: 'many-to-one', writesText: false,
  },
  {
    name: 'word-sense',
    description: 'Tag each word of sentences like "he said he saw a bat … it flew away", where only the words after "bat" tell the animal from the club.',
    defaultSequenceLength: 16, minSequenceLength: 16, maxSequenceLength: 10000, sequenceLengthReason: 'the longest sentence has 16 words',
    inputSize: 55, outputSize: 3, mode: 'many-to-many', writesText: false,
  },
  {
    name: 'spell-digit',
    description: 'Read one digit at the first step and nothing after, then write its English name letter by letter ("7" → "seven."): one-to-many.',
    defaultSequenceLength: 6, minSequenceLength: 6, maxSequenceLength: 10000, sequenceLengthReason: 'the longest name, "three", "seven" or "eight", and its stop mark take 6 steps',
    inputSize: 10, outputSize: 16, mode: 'many-to-many', writesText: false,
  },
];

export const TASK_NAMES: readonly string[] = TASK_CATALOGUE.map((facts) => facts.name);

/** The facts of a task by name; an unknown name is an Error that lists the known ones. */
export function taskFacts(name: string): TaskFacts {
  const facts = TASK_CATALOGUE.find((candidate) => candidate.name === name);
  if (!facts) throw new RangeError(`unknown task ${JSON.stringify(name)}; choose one of: ${TASK_NAMES.join(', ')}`);
  return facts;
}

/** One line per task for `--help`: name, default length and the learner's sentence. */
export function describeTasks(): string {
  const width = TASK_NAMES.reduce((widest, name) => Math.max(widest, name.length), 0);
  return TASK_CATALOGUE.map((facts) => `${facts.name.padEnd(width)}  ${facts.description} (T = ${facts.defaultSequenceLength} by default)`).join('\n');
}
