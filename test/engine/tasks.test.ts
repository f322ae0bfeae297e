// Tests for the bundled tasks: batch shapes and one-hot layout, seeding, train/validation splits, baselines, and the
// option errors a user sees on the command line.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { RandomState } from '../../src/engine/random/randomState';
import { drawAddingExample } from '../../src/engine/tasks/addingTask';
import { isHeldOut } from '../../src/engine/tasks/batchBuilding';
import { copyMemoryBaseline } from '../../src/engine/tasks/copyMemoryTask';
import dinosCorpus from '../../src/engine/tasks/corpora/dinos.json';
import { dinosaurStream } from '../../src/engine/tasks/dinosTask';
import {
  DINOSAUR_NAMES,
  DINOSAUR_VOCABULARY,
  MAX_SEQUENCE_LENGTH,
  SENTIMENT_VOCABULARY,
  TASK_NAMES,
  TASK_SPECS,
  TEXT_CORPUS,
  TEXT_VOCABULARY,
  createTask,
  decodeIndices,
  decodeWords,
  describeTasks,
  encodeText,
  encodeWords,
  getTaskSpec,
  sentimentLabel,
  splitDinosaurNames,
  splitText,
  type Batch,
  type Task,
} from '../../src/engine/tasks';
import { NEGATIVE_WORDS, POSITIVE_WORDS, reviewBatch } from '../../src/engine/tasks/sentimentTask';
import { DIGIT_NAMES, LONGEST_SPELLING, SPELLING_LETTERS, decodeSpelling, spellDigitBaseline, spellDigitBatch, spellingTargets } from '../../src/engine/tasks/spellDigitTask';
import { temporalOrderPositions } from '../../src/engine/tasks/temporalOrderTask';
import {
  ANIMAL_CLUES,
  ANIMAL_WORDS,
  CLUB_CLUES,
  CLUB_WORDS,
  LONGEST_SENTENCE,
  WORD_SENSE_TAGS,
  WORD_SENSE_VOCABULARY,
  decodeSentenceWords,
  encodeSentenceWords,
  sentenceBatch,
  wordSenseTags,
} from '../../src/engine/tasks/wordSenseTask';

/** The input id at every (t, b) of a one-hot x [T, B, V], asserting each row is exactly one 1 and zeros. */
function oneHotIds(x: Batch['x']): Int32Array[] {
  const [T, B, V] = x.shape;
  const sequences = Array.from({ length: B }, () => new Int32Array(T));
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const row = x.data.subarray((t * B + b) * V, (t * B + b + 1) * V);
      let ones = 0;
      for (let v = 0; v < V; v++) {
        assert.ok(row[v] === 0 || row[v] === 1, `x[${t}, ${b}, ${v}] = ${row[v]}`);
        if (row[v] === 1) {
          ones++;
          sequences[b][t] = v;
        }
      }
      assert.equal(ones, 1, `x[${t}, ${b}] should be one-hot`);
    }
  }
  return sequences;
}

/** The class targets of a batch as per-sequence arrays (per step for many-to-many, one entry for many-to-one). */
function classTargets(batch: Batch): Int32Array[] {
  assert.equal(batch.targets.kind, 'classes');
  if (batch.targets.kind !== 'classes') return [];
  const { shape, indices } = batch.targets;
  if (shape.length === 1) return Array.from(indices, (index) => Int32Array.of(index));
  const [T, B] = shape;
  return Array.from({ length: B }, (_, b) => Int32Array.from({ length: T }, (_, t) => indices[t * B + b]));
}

function valueTargets(batch: Batch): Float64Array {
  assert.equal(batch.targets.kind, 'values');
  return batch.targets.kind === 'values' ? batch.targets.tensor.data : new Float64Array();
}

/** Checks the shapes of x and targets against the task's declared sizes. */
function assertBatchShape(task: Task, batch: Batch, batchSize: number): void {
  const T = task.sequenceLength;
  assert.deepEqual(batch.x.shape, [T, batchSize, task.inputSize]);
  assert.equal(batch.x.data.length, T * batchSize * task.inputSize);
  const targets = batch.targets;
  if (targets.kind === 'classes') {
    assert.equal(task.loss, 'softmax-cross-entropy');
    assert.deepEqual(targets.shape, task.mode === 'many-to-many' ? [T, batchSize] : [batchSize]);
    assert.equal(targets.indices.length, targets.shape.reduce((a, b) => a * b, 1));
    for (const index of targets.indices) assert.ok(index >= 0 && index < task.outputSize, `class ${index} out of range`);
  } else {
    assert.notEqual(task.loss, 'softmax-cross-entropy');
    assert.deepEqual(targets.tensor.shape, task.mode === 'many-to-many' ? [T, batchSize, task.outputSize] : [batchSize, task.outputSize]);
  }
}

/** A key per sequence of a batch (inputs and targets), to compare sets of examples. */
function exampleKeys(batch: Batch): string[] {
  const [T, B, V] = batch.x.shape;
  const keys: string[] = [];
  for (let b = 0; b < B; b++) {
    const parts: number[] = [];
    for (let t = 0; t < T; t++) parts.push(...batch.x.data.subarray((t * B + b) * V, (t * B + b + 1) * V));
    keys.push(parts.join(','));
  }
  return keys;
}

function validationKeys(task: Task): Set<string> {
  return new Set(task.validationBatches().flatMap(exampleKeys));
}

describe('tasks', () => {
  describe('registry', () => {
    it('lists the seven bundled tasks, each with one learner sentence', () => {
      assert.deepEqual([...TASK_NAMES], ['dinos', 'text', 'adding', 'copy-memory', 'temporal-order', 'sentiment', 'word-sense', 'spell-digit']);
      const help = describeTasks();
      for (const spec of TASK_SPECS) {
        assert.ok(help.includes(spec.name) && help.includes(spec.description));
        assert.match(spec.description, /^[A-Z][^]*\.$/);
        assert.equal(spec.description.split(/[.!?] /).length, 1, `"${spec.description}" should be one sentence`);
        assert.equal(createTask(spec.name).description, spec.description);
        assert.equal(createTask(spec.name).sequenceLength, spec.defaultSequenceLength);
      }
    });

    it('rejects an unknown task name and lists the known ones', () => {
      assert.throws(() => createTask('addition'), /unknown task "addition"; choose one of: dinos, text, adding/);
    });

    it('rejects absurd sequence lengths, naming the option and the allowed range', () => {
      for (const bad of [0, -3, 2.5, Number.NaN, MAX_SEQUENCE_LENGTH + 1, Infinity]) {
        assert.throws(() => createTask('adding', { sequenceLength: bad }), /sequenceLength for task "adding" must be an integer from 2 to 10000/);
      }
      assert.throws(() => createTask('copy-memory', { sequenceLength: 20 }), /sequenceLength .* from 21 to 10000 .*got 20/);
      const dinosMax = getTaskSpec('dinos').maxSequenceLength;
      assert.ok(dinosMax < MAX_SEQUENCE_LENGTH);
      assert.throws(() => createTask('dinos', { sequenceLength: dinosMax + 1 }), new RegExp(`from 1 to ${dinosMax}`));
      assert.equal(createTask('adding', { sequenceLength: MAX_SEQUENCE_LENGTH }).sequenceLength, MAX_SEQUENCE_LENGTH);
    });

    it('rejects bad seeds, naming the option', () => {
      for (const bad of [-1, 0.5, 2 ** 32]) assert.throws(() => createTask('dinos', { seed: bad }), /seed must be an integer from 0 to 4294967295/);
    });

    it('rejects a bad batch size', () => {
      assert.throws(() => createTask('adding').trainBatch(new RandomState(0), 0), /batchSize must be a positive integer/);
    });
  });

  describe('every task', () => {
    for (const name of TASK_NAMES) {
      describe(name, () => {
        const spec = getTaskSpec(name);
        const lengths = [spec.defaultSequenceLength, Math.max(spec.minSequenceLength, 23)];
        for (const sequenceLength of lengths) {
          it(`makes batches of the declared shapes, one-hot where the inputs are symbols (T = ${sequenceLength})`, () => {
            const task = createTask(name, { sequenceLength, seed: 3 });
            assertBatchShape(task, task.trainBatch(new RandomState(1), 7), 7);
            const validation = task.validationBatches();
            assert.ok(validation.length > 0);
            for (const batch of validation) assertBatchShape(task, batch, batch.x.shape[1]);
            if (name !== 'adding' && name !== 'spell-digit') { // real numbers; a digit at t = 1 and zeros after (its own tests)
              oneHotIds(task.trainBatch(new RandomState(2), 5).x);
              for (const batch of validation) oneHotIds(batch.x);
            }
          });
        }

        it('draws the same training batch from the same RandomState, a different one from another', () => {
          const task = createTask(name);
          const first = task.trainBatch(new RandomState(11), 4);
          assert.deepEqual(task.trainBatch(new RandomState(11), 4), first);
          assert.notDeepEqual(task.trainBatch(new RandomState(12), 4).x.data, first.x.data);
        });

        it('keeps one validation set per seed', () => {
          const task = createTask(name, { seed: 5 });
          assert.deepEqual(createTask(name, { seed: 5 }).validationBatches(), task.validationBatches());
          assert.equal(task.validationBatches(), task.validationBatches());
          // text holds out its last chapter, spell-digit validates on its ten digits: the seed does not change either
          if (name !== 'text' && name !== 'spell-digit') assert.notDeepEqual(createTask(name, { seed: 6 }).validationBatches(), task.validationBatches());
        });

        // spell-digit has ten inputs only, and validates on all ten (its own test says so)
        if (name !== 'spell-digit') it('does not hand out its validation set as the first batch of a trainer seeded alike', () => {
          const task = createTask(name, { seed: 9 });
          const validation = validationKeys(task);
          const training = exampleKeys(task.trainBatch(new RandomState(9), 64));
          assert.ok(training.every((key) => !validation.has(key)));
        });
      });
    }
  });

  describe('text helpers', () => {
    it('the dinosaur vocabulary is the course\'s 27 characters, newline first', () => {
      assert.equal(DINOSAUR_VOCABULARY.length, 27);
      assert.deepEqual([...DINOSAUR_VOCABULARY], ['\n', ...'abcdefghijklmnopqrstuvwxyz']);
      assert.deepEqual(createTask('dinos').vocabulary, DINOSAUR_VOCABULARY);
    });

    it('encodes and decodes text, and names a character outside the vocabulary', () => {
      const ids = encodeText('tyrannosaurus\n', DINOSAUR_VOCABULARY);
      assert.deepEqual(Array.from(ids.subarray(0, 3)), [20, 25, 18]);
      assert.equal(ids[13], 0);
      assert.equal(decodeIndices(ids, DINOSAUR_VOCABULARY), 'tyrannosaurus\n');
      assert.throws(() => encodeText('T-rex', DINOSAUR_VOCABULARY), /character "T" at position 0 is not in the vocabulary/);
      assert.throws(() => decodeIndices([27], DINOSAUR_VOCABULARY), /index 27 .* outside the vocabulary of 27/);
      assert.equal(decodeIndices(encodeText(TEXT_CORPUS, TEXT_VOCABULARY), TEXT_VOCABULARY), TEXT_CORPUS);
    });

    it('ships the course\'s dinos.txt unchanged', () => {
      const original = dinosCorpus.lines.join('\n');
      assert.equal(Buffer.byteLength(original), 19909);
      assert.equal(createHash('sha256').update(original).digest('hex'), 'ad6465621cf56c08f71d4fbb40cf7eab763f9df42c54cc460d6c4d86e9c927fb');
      assert.equal(DINOSAUR_NAMES.length, 1536);
    });
  });

  describe('dinos', () => {
    it('shuffles the names as the course does with np.random.seed(0)', () => {
      // np.random.seed(0); np.random.shuffle(examples) with numpy 1.24 / 2.x gives this order.
      assert.deepEqual(splitDinosaurNames(0).training.slice(0, 5), ['turiasaurus', 'pandoravenator', 'ilokelesia', 'chubutisaurus', 'quaesitosaurus']);
    });

    it('holds out about 10% of the names, none of them trained on', () => {
      for (const seed of [0, 1, 2]) {
        const { training, validation } = splitDinosaurNames(seed);
        assert.equal(training.length + validation.length, DINOSAUR_NAMES.length);
        assert.ok(validation.length >= 140 && validation.length <= 154, `${validation.length} held out`);
        const trained = new Set(training);
        assert.ok(validation.every((name) => !trained.has(name)));
      }
    });

    it('trains on windows of the training names and validates on the held-out ones', () => {
      const task = createTask('dinos', { seed: 1 });
      const { training, validation } = splitDinosaurNames(1);
      const trainStream = dinosaurStream(training);
      const held = new Set(validation);
      const batch = task.trainBatch(new RandomState(4), 200);
      const inputs = oneHotIds(batch.x);
      const targets = classTargets(batch);
      inputs.forEach((ids, b) => {
        const window = decodeIndices(ids, DINOSAUR_VOCABULARY);
        assert.ok(trainStream.includes(window));
        assert.deepEqual(Array.from(targets[b].subarray(0, ids.length - 1)), Array.from(ids.subarray(1)), 'target = next character');
        for (const name of window.split('\n').slice(1, -1)) assert.ok(!held.has(name), `${name} is held out`);
      });
      const validationText = task.validationBatches().flatMap((b) => oneHotIds(b.x).map((ids) => decodeIndices(ids, DINOSAUR_VOCABULARY)));
      assert.ok(dinosaurStream(validation).startsWith(validationText.join('')));
    });

    it('accepts the longest window for any seed', () => {
      const longest = getTaskSpec('dinos').maxSequenceLength;
      for (const seed of [0, 1, 2, 3]) assert.ok(createTask('dinos', { seed, sequenceLength: longest }).validationBatches().length >= 1);
    });
  });

  describe('text', () => {
    it('is 20–60 KB of prose split into a training head and a held-out tail', () => {
      assert.ok(TEXT_CORPUS.length > 20000 && TEXT_CORPUS.length < 60000);
      assert.ok(TEXT_CORPUS.startsWith('Chapter 1\nIt is a truth universally acknowledged'));
      const { training, validation } = splitText();
      assert.equal(training + validation, TEXT_CORPUS);
      assert.ok(validation.length > 0.05 * TEXT_CORPUS.length && validation.length <= 0.1 * TEXT_CORPUS.length);
      assert.ok(training.endsWith('\n'));
      assert.equal(TEXT_VOCABULARY[0], '\n');
    });

    it('draws training windows only from the training head', () => {
      const task = createTask('text', { sequenceLength: 40 });
      const { training, validation } = splitText();
      for (const ids of oneHotIds(task.trainBatch(new RandomState(8), 100).x)) {
        assert.ok(training.includes(decodeIndices(ids, TEXT_VOCABULARY)));
      }
      const windows = task.validationBatches().flatMap((b) => oneHotIds(b.x).map((ids) => decodeIndices(ids, TEXT_VOCABULARY)));
      assert.equal(windows.length, Math.floor((validation.length - 1) / 40));
      assert.ok(validation.startsWith(windows.join('')));
    });
  });

  describe('adding', () => {
    it('marks exactly two steps, one in each half, and targets their sum', () => {
      const task = createTask('adding', { sequenceLength: 31 });
      const batch = task.trainBatch(new RandomState(0), 50);
      const [T, B] = batch.x.shape;
      const sums = valueTargets(batch);
      for (let b = 0; b < B; b++) {
        const marked: number[] = [];
        let sum = 0;
        for (let t = 0; t < T; t++) {
          const value = batch.x.data[(t * B + b) * 2];
          const marker = batch.x.data[(t * B + b) * 2 + 1];
          assert.ok(value >= 0 && value < 1);
          assert.ok(marker === 0 || marker === 1);
          if (marker === 1) {
            marked.push(t);
            sum += value;
          }
        }
        assert.equal(marked.length, 2);
        assert.ok(marked[0] < 15 && marked[1] >= 15, `marked steps ${marked}`);
        assert.equal(sums[b], sum);
      }
    });

    it('costs about 0.167 for always predicting 1, measured on 40,000 sequences', () => {
      const task = createTask('adding', { sequenceLength: 10 });
      const rng = new RandomState(2024);
      let total = 0;
      let count = 0;
      for (let i = 0; i < 40; i++) {
        for (const sum of valueTargets(task.trainBatch(rng, 1000))) {
          total += (sum - 1) ** 2;
          count++;
        }
      }
      assert.ok(Math.abs(total / count - 0.1667) < 0.01, `measured ${total / count}`);
      assert.ok(Math.abs(task.baselineLoss! - 1 / 6) < 1e-12);
    });

    it('draws values, then the two marked steps, in that order', () => {
      const rng = new RandomState(3);
      const values = new RandomState(3).randArray(8);
      const example = drawAddingExample(rng, 8);
      for (let t = 0; t < 8; t++) assert.equal(example.features[t * 2], values[t]);
    });
  });

  describe('copy-memory', () => {
    it('lays out symbols, blanks, the delimiter and the recall as in Arjovsky et al.', () => {
      const task = createTask('copy-memory', { sequenceLength: 35 });
      const batch = task.trainBatch(new RandomState(1), 20);
      const targets = classTargets(batch);
      oneHotIds(batch.x).forEach((input, b) => {
        const symbols = Array.from(input.subarray(0, 10));
        assert.ok(symbols.every((symbol) => symbol >= 1 && symbol <= 8));
        assert.ok(Array.from(input.subarray(10, 24)).every((id) => id === 0), 'T − 1 = 14 blanks');
        assert.equal(input[24], 9, 'delimiter');
        assert.ok(Array.from(input.subarray(25)).every((id) => id === 0), '10 blanks while recalling');
        assert.ok(Array.from(targets[b].subarray(0, 25)).every((id) => id === 0));
        assert.deepEqual(Array.from(targets[b].subarray(25)), symbols);
      });
    });

    it('has the memoryless baseline 10·ln 8 / (T + 20), and no memoryless model does better', () => {
      const length = 30;
      assert.ok(Math.abs(copyMemoryBaseline(length) - (10 * Math.log(8)) / 30) < 1e-12);
      const task = createTask('copy-memory', { sequenceLength: length });
      assert.equal(task.baselineLoss, copyMemoryBaseline(length));
      // The best memoryless model predicts, at each step, the class frequencies of that step: its loss is the mean
      // over steps of the per-step entropy, measured here on 8,000 sequences.
      const counts = Array.from({ length }, () => new Float64Array(task.outputSize));
      const rng = new RandomState(7);
      let sequences = 0;
      for (let i = 0; i < 16; i++) {
        for (const target of classTargets(task.trainBatch(rng, 500))) {
          target.forEach((id, t) => counts[t][id]++);
          sequences++;
        }
      }
      let entropy = 0;
      for (const stepCounts of counts) for (const c of stepCounts) if (c > 0) entropy -= (c / sequences) * Math.log(c / sequences);
      assert.ok(Math.abs(entropy / length - copyMemoryBaseline(length)) < 0.01, `measured ${entropy / length}`);
    });

    it('keeps held-out symbol strings out of training', () => {
      const task = createTask('copy-memory');
      const training = task.trainBatch(new RandomState(3), 2000);
      for (const input of oneHotIds(training.x)) assert.equal(isHeldOut(input.subarray(0, 10)), false);
      for (const batch of task.validationBatches()) for (const input of oneHotIds(batch.x)) assert.equal(isHeldOut(input.subarray(0, 10)), true);
    });
  });

  describe('temporal-order', () => {
    it('puts X/Y at the paper\'s positions and classes them by their order', () => {
      const task = createTask('temporal-order');
      assert.deepEqual(temporalOrderPositions(100), { first: [10, 20], second: [50, 60] });
      const batch = task.trainBatch(new RandomState(5), 400);
      const classes = classTargets(batch).map((target) => target[0]);
      const seen = [0, 0, 0, 0];
      oneHotIds(batch.x).forEach((input, b) => {
        assert.equal(input[0], 4, 'B first');
        assert.equal(input[99], 5, 'E last');
        const markers = [...input.keys()].filter((t) => input[t] >= 6);
        assert.equal(markers.length, 2);
        assert.ok(markers[0] >= 10 && markers[0] <= 20 && markers[1] >= 50 && markers[1] <= 60, `markers at ${markers}`);
        assert.equal(classes[b], 2 * (input[markers[0]] - 6) + (input[markers[1]] - 6));
        seen[classes[b]]++;
      });
      assert.ok(seen.every((n) => n > 60), `classes seen ${seen}`);
      assert.ok(Math.abs(task.baselineLoss! - Math.log(4)) < 1e-12);
    });

    it('never trains on a validation sequence', () => {
      const task = createTask('temporal-order', { sequenceLength: 12 });
      const validation = validationKeys(task);
      const training = exampleKeys(task.trainBatch(new RandomState(0), 3000));
      assert.ok(training.every((key) => !validation.has(key)));
    });
  });

  describe('sentiment', () => {
    const polarityOf = (word: string): number => (POSITIVE_WORDS.includes(word) ? 1 : NEGATIVE_WORDS.includes(word) ? 0 : -1);
    const flip = (word: string): string =>
      POSITIVE_WORDS.includes(word) ? NEGATIVE_WORDS[POSITIVE_WORDS.indexOf(word)] : POSITIVE_WORDS[NEGATIVE_WORDS.indexOf(word)];

    it('labels a review by the opinion after "but", else by the opening one', () => {
      const task = createTask('sentiment');
      const batch = task.trainBatch(new RandomState(12), 1000);
      const labels = valueTargets(batch);
      let butReviews = 0;
      let agreesWithOpening = 0;
      let positives = 0;
      oneHotIds(batch.x).forEach((ids, b) => {
        const words = decodeWords(ids);
        const label = labels[b];
        positives += label;
        assert.equal(label, sentimentLabel(ids));
        const opening = words.findIndex((word) => polarityOf(word) >= 0);
        const but = words.indexOf('but');
        if (but < 0) {
          assert.equal(label, polarityOf(words[opening]));
          const flipped = [...words];
          flipped[opening] = flip(words[opening]);
          assert.equal(sentimentLabel(encodeWords(flipped)), 1 - label, 'flipping the only opinion flips the label');
          return;
        }
        butReviews++;
        const decisive = but + 4; // but the <aspect> was <opinion>
        assert.ok(decisive - opening >= 6, 'the deciding word is at least a sentence away from the opening opinion');
        assert.equal(label, polarityOf(words[decisive]));
        if (label === polarityOf(words[opening])) agreesWithOpening++;
        const flippedDecisive = [...words];
        flippedDecisive[decisive] = flip(words[decisive]);
        assert.equal(sentimentLabel(encodeWords(flippedDecisive)), 1 - label, 'flipping the opinion after "but" flips the label');
        const flippedOpening = [...words];
        flippedOpening[opening] = flip(words[opening]);
        assert.equal(sentimentLabel(encodeWords(flippedOpening)), label, 'the opening opinion does not decide');
      });
      assert.ok(butReviews > 400 && butReviews < 600, `${butReviews} reviews with "but"`);
      assert.ok(Math.abs(agreesWithOpening / butReviews - 0.5) < 0.1, 'the opening opinion is a distraction, not a cue');
      assert.ok(Math.abs(positives / 1000 - 0.5) < 0.05, 'labels are balanced, so the baseline is ln 2');
      assert.equal(task.baselineLoss, Math.LN2);
    });

    it('pads at the end and separates opinions with filler sentences', () => {
      const task = createTask('sentiment', { sequenceLength: 60 });
      const reviews = oneHotIds(task.trainBatch(new RandomState(13), 300).x).map((ids) => decodeWords(ids));
      for (const words of reviews) {
        const firstPad = words.indexOf('<pad>');
        if (firstPad >= 0) assert.ok(words.slice(firstPad).every((word) => word === '<pad>'));
        assert.equal(words.filter((word) => word === 'but').length <= 1, true);
      }
      const gaps = reviews.map((words) => words.indexOf('but')).filter((but) => but > 5);
      assert.ok(gaps.length > 50, 'many reviews have filler between the opening and "but"');
      assert.equal(SENTIMENT_VOCABULARY[0], '<pad>');
    });

    it('reviewBatch: reviews written as text, padded at the end and labelled by the rule; bad reviews are named', () => {
      const batch = reviewBatch(['the plot was terrible . but the ending was amazing .', 'the acting was great .  i went with my sister .'], 14);
      const [first, second] = oneHotIds(batch.x).map((ids) => decodeWords(ids));
      assert.deepEqual(first, ['the', 'plot', 'was', 'terrible', '.', 'but', 'the', 'ending', 'was', 'amazing', '.', '<pad>', '<pad>', '<pad>']);
      assert.deepEqual(second.slice(0, 11), ['the', 'acting', 'was', 'great', '.', 'i', 'went', 'with', 'my', 'sister', '.']);
      assert.deepEqual([...valueTargets(batch)], [1, 1]);
      assert.deepEqual([...valueTargets(reviewBatch(['the plot was amazing . but the ending was terrible .'], 11))], [0]);
      assert.throws(() => reviewBatch(['the movie was terrible .'], 11), { name: 'RangeError', message: 'word "movie" is not in the sentiment vocabulary' });
      assert.throws(() => reviewBatch(['the plot was terrible .'], 4), { name: 'RangeError', message: /has 5 words, more than sequenceLength 4/ });
      assert.throws(() => reviewBatch(['we saw it on sunday .'], 11), { name: 'RangeError', message: /no opinion word/ });
      assert.throws(() => reviewBatch([], 11), { name: 'TypeError' });
    });

    it('never trains on a validation review', () => {
      const task = createTask('sentiment', { sequenceLength: 16 });
      const validation = validationKeys(task);
      const training = exampleKeys(task.trainBatch(new RandomState(1), 3000));
      assert.ok(training.every((key) => !validation.has(key)));
    });
  });
  describe('word-sense', () => {
    /** Each sentence of a batch as its words, without the padding, and its tags by word. */
    const sentencesOf = (batch: Batch): { words: string[]; tags: string[] }[] => {
      const tags = classTargets(batch);
      return oneHotIds(batch.x).map((ids, b) => {
        const words = decodeSentenceWords(ids);
        const length = words.indexOf('<pad>') < 0 ? words.length : words.indexOf('<pad>');
        return { words: words.slice(0, length), tags: Array.from(tags[b].slice(0, length), (tag) => WORD_SENSE_TAGS[tag]) };
      });
    };

    it('tags every word "other" but "bat", whose sense the clue after it decides; nothing before "bat" tells it', () => {
      const task = createTask('word-sense');
      assertBatchShape(task, task.trainBatch(new RandomState(2), 5), 5);
      const sentences = sentencesOf(task.trainBatch(new RandomState(3), 2000));
      const sensesByPrefix = new Map<string, Set<string>>();
      let animals = 0;
      for (const { words, tags } of sentences) {
        const bat = words.indexOf('bat');
        assert.equal(words.filter((word) => word === 'bat').length, 1);
        assert.ok(tags.every((tag, t) => (t === bat ? tag !== 'other' : tag === 'other')), words.join(' '));
        const sense = tags[bat];
        if (sense === 'animal') animals++;
        const clue = (sense === 'animal' ? ANIMAL_CLUES : CLUB_CLUES).find((phrase) => words.join(' ').endsWith(`${phrase} .`));
        assert.ok(clue, `"${words.join(' ')}" ends with a ${sense} clue`);
        assert.ok(words.slice(0, bat + 1).every((word) => !ANIMAL_WORDS.has(word) && !CLUB_WORDS.has(word)), 'no deciding word up to "bat"');
        const prefix = words.slice(0, bat + 1).join(' ');
        sensesByPrefix.set(prefix, new Set([...(sensesByPrefix.get(prefix) ?? []), sense]));
        assert.ok(words.length <= LONGEST_SENTENCE);
      }
      assert.ok(Math.abs(animals / sentences.length - 0.5) < 0.05, `${animals} of ${sentences.length} are the animal`);
      assert.equal(sensesByPrefix.size, 8, 'eight openings');
      assert.ok([...sensesByPrefix.values()].every((senses) => senses.size === 2), 'every beginning is seen with both senses');
      assert.equal(task.baselineLoss, Math.LN2 / 16);
      assert.equal(createTask('word-sense', { sequenceLength: 20 }).baselineLoss, Math.LN2 / 20);
    });

    it('every clue starts "it", then holds a deciding word of its own sense only, one to three words in', () => {
      for (const [clues, own, other] of [[ANIMAL_CLUES, ANIMAL_WORDS, CLUB_WORDS], [CLUB_CLUES, CLUB_WORDS, ANIMAL_WORDS]] as const) {
        for (const clue of clues) {
          const deciding = clue.split(' ').findIndex((word) => own.has(word));
          assert.ok(deciding >= 1 && deciding <= 3 && clue.startsWith('it '), `"${clue}" starts "it" and has a deciding word one to three words in`);
          assert.ok(clue.split(' ').every((word) => !other.has(word)), `"${clue}" has no word of the other sense`);
        }
      }
    });

    it('wordSenseTags and sentenceBatch: the first deciding word after "bat" decides; unknown words and undecided bats are named', () => {
      const tagsOf = (sentence: string): string[] => Array.from(wordSenseTags(encodeSentenceWords(sentence.split(' '))), (tag) => WORD_SENSE_TAGS[tag]);
      assert.deepEqual(tagsOf('he said he saw a bat it flew away .'), ['other', 'other', 'other', 'other', 'other', 'animal', 'other', 'other', 'other', 'other']);
      assert.deepEqual(tagsOf('i saw a bat in the garden it hit the ball .')[3], 'club');
      assert.equal(tagsOf('i saw a bat it was for baseball it had wings .')[3], 'club', 'the first deciding word after "bat" decides');
      const batch = sentenceBatch(['he said he saw a bat it flew away .', 'we found a bat by the shed it had a grip .'], 16);
      const [first, second] = sentencesOf(batch);
      assert.deepEqual(first.words, ['he', 'said', 'he', 'saw', 'a', 'bat', 'it', 'flew', 'away', '.']);
      assert.equal(first.tags[5], 'animal');
      assert.equal(second.tags[3], 'club');
      assert.equal(oneHotIds(batch.x)[0][15], 0, 'padded at the end with <pad>, id 0');
      assert.throws(() => sentenceBatch(['i saw a bat it was big .'], 16), { name: 'RangeError', message: 'word "big" is not in the word-sense vocabulary' });
      assert.throws(() => sentenceBatch(['i saw a bat last night .'], 16), { name: 'RangeError', message: 'no word after "bat" (at position 4) tells its sense' });
      assert.throws(() => sentenceBatch(['i saw a bat it flew away .'], 5), { name: 'RangeError', message: /has 8 words, more than sequenceLength 5/ });
      assert.throws(() => sentenceBatch([], 16), { name: 'TypeError' });
      assert.equal(WORD_SENSE_VOCABULARY[0], '<pad>');
    });

    it('validation is made of twin pairs, identical up to the clue and tagged the other way, none of them a training sentence', () => {
      const task = createTask('word-sense', { seed: 4 });
      const validation = task.validationBatches().flatMap(sentencesOf);
      assert.equal(validation.length, 256);
      for (let i = 0; i < validation.length; i += 2) {
        const [one, twin] = [validation[i], validation[i + 1]];
        const bat = one.words.indexOf('bat');
        assert.deepEqual(twin.words.slice(0, bat + 3), one.words.slice(0, bat + 1).concat(twin.words.slice(bat + 1, bat + 3)));
        assert.deepEqual(twin.words.slice(0, bat + 1), one.words.slice(0, bat + 1));
        assert.deepEqual(new Set([one.tags[bat], twin.tags[bat]]), new Set(['animal', 'club']));
      }
      const validationSet = validationKeys(task);
      const training = exampleKeys(task.trainBatch(new RandomState(1), 3000));
      assert.ok(training.every((key) => !validationSet.has(key)));
      assert.deepEqual(task.validationBatches(), createTask('word-sense', { seed: 4 }).validationBatches(), 'the same for the same seed');
    });

    it('refuses a sequence shorter than the longest sentence', () => {
      assert.throws(() => createTask('word-sense', { sequenceLength: 15 }), /sequenceLength for task "word-sense" must be an integer from 16 to 10000 \(the longest sentence has 16 words\), got 15/);
    });
  });

  describe('spell-digit', () => {
    it('reads the digit at t = 1 only and asks for its name letter by letter, then the stop mark to the end', () => {
      const batch = spellDigitBatch([7, 0, 3], 8);
      assert.deepEqual(batch.x.shape, [8, 3, 10]);
      for (let t = 0; t < 8; t++) {
        for (let b = 0; b < 3; b++) {
          const row = [...batch.x.data.subarray((t * 3 + b) * 10, (t * 3 + b + 1) * 10)];
          assert.deepEqual(row, Array.from({ length: 10 }, (_, i) => (t === 0 && i === [7, 0, 3][b] ? 1 : 0)), `x at t = ${t + 1}, b = ${b}`);
        }
      }
      assert.ok(batch.targets.kind === 'classes');
      assert.deepEqual(batch.targets.shape, [8, 3]);
      const column = (b: number): number[] => Array.from({ length: 8 }, (_, t) => (batch.targets.kind === 'classes' ? batch.targets.indices[t * 3 + b] : -1));
      assert.deepEqual(column(0).map((c) => SPELLING_LETTERS[c]).join(''), 'seven...');
      assert.deepEqual(column(1).map((c) => SPELLING_LETTERS[c]).join(''), 'zero....');
      assert.equal(decodeSpelling(column(2)), 'three.');
    });

    it('has a class for every letter of the ten names and the stop mark first, and needs 6 steps for the longest name', () => {
      assert.equal(SPELLING_LETTERS[0], '.');
      assert.deepEqual(new Set(SPELLING_LETTERS.slice(1)), new Set(DIGIT_NAMES.join('')));
      assert.equal(createTask('spell-digit').outputSize, SPELLING_LETTERS.length);
      assert.equal(LONGEST_SPELLING, 6);
      for (let digit = 0; digit < 10; digit++) assert.equal(decodeSpelling(spellingTargets(digit, 6)), `${DIGIT_NAMES[digit]}.`);
      assert.throws(() => createTask('spell-digit', { sequenceLength: 5 }), /from 6 to 10000 \(the longest name/);
    });

    it('validates on the ten digits in order, whatever the seed, and trains on digits drawn uniformly', () => {
      const [validation, ...more] = createTask('spell-digit', { seed: 4 }).validationBatches();
      assert.equal(more.length, 0);
      assert.deepEqual(validation, spellDigitBatch([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 6));
      const counts = new Array<number>(10).fill(0);
      const train = createTask('spell-digit').trainBatch(new RandomState(1), 5000);
      for (let b = 0; b < 5000; b++) counts[train.x.data.subarray(b * 10, b * 10 + 10).indexOf(1)]++;
      assert.ok(counts.every((count) => count > 400 && count < 600), `digit counts ${counts}`);
    });

    it('its baseline is the loss of the best predictor that ignores the digit, and a network below it used the digit', () => {
      // At T = 6: step 1 has letters z, o, t, t, f, f, s, s, e, n (z o e n once, t f s twice); step 6 is '.' for all.
      const step1 = -(4 * 0.1 * Math.log(0.1) + 3 * 0.2 * Math.log(0.2));
      assert.ok(spellDigitBaseline(6) > step1 / 6);
      // The per-step marginal, scored by cross-entropy on the ten digits, gives exactly the baseline.
      let loss = 0;
      for (let t = 0; t < 6; t++) {
        const letters = DIGIT_NAMES.map((_, digit) => spellingTargets(digit, 6)[t]);
        for (const letter of letters) loss -= Math.log(letters.filter((other) => other === letter).length / 10);
      }
      assert.ok(Math.abs(loss / 60 - spellDigitBaseline(6)) < 1e-12);
      assert.equal(createTask('spell-digit', { sequenceLength: 9 }).baselineLoss, spellDigitBaseline(9));
      assert.ok(spellDigitBaseline(9) < spellDigitBaseline(6), 'longer sequences add only certain stop marks');
    });

    it('refuses what is not a digit, naming it', () => {
      assert.throws(() => spellDigitBatch([10], 6), /a digit must be a whole number from 0 to 9, got 10/);
      assert.throws(() => spellDigitBatch([2.5], 6), /got 2.5/);
      assert.throws(() => spellDigitBatch([], 6), { name: 'TypeError' });
      assert.throws(() => spellingTargets(3, 5), /"three" and its stop mark need 6 steps, got 5/);
      assert.throws(() => decodeSpelling([99]), /class 99 at step 1 is not a spelling class \(0 to 15\)/);
    });
  });
});
