// The static task catalogue (what the extension host knows of a task without building it) agrees with the tasks as
// built: sizes, where the loss reads the network, whether it writes text, and the ranges that come from the corpora.
import assert from 'node:assert/strict';
import { COPY_SYMBOL_COUNT } from '../../src/engine/tasks/copyMemoryTask';
import { DINOSAUR_VOCABULARY, longestValidationWindow } from '../../src/engine/tasks/dinosTask';
import { createTask, getTaskSpec, TASK_SPECS } from '../../src/engine/tasks/registry';
import { SENTIMENT_VOCABULARY, SHORTEST_REVIEW } from '../../src/engine/tasks/sentimentTask';
import { TASK_CATALOGUE, taskFacts, TASK_NAMES } from '../../src/engine/tasks/taskCatalogue';
import { LONGEST_SPELLING, SPELLING_LETTERS } from '../../src/engine/tasks/spellDigitTask';
import { splitText, TEXT_VOCABULARY } from '../../src/engine/tasks/textTask';
import { LONGEST_SENTENCE, WORD_SENSE_VOCABULARY } from '../../src/engine/tasks/wordSenseTask';

describe('task catalogue: the static facts of every task', () => {
  it('lists every task the registry builds, in the same order', () => {
    assert.deepEqual(TASK_SPECS.map((spec) => spec.name), TASK_NAMES);
    assert.equal(TASK_CATALOGUE.length, 8);
  });

  for (const facts of TASK_CATALOGUE) {
    it(`${facts.name}: the built task has the catalogue's sizes, mode and text-ness, at its shortest, default and longest length`, () => {
      for (const sequenceLength of [facts.minSequenceLength, facts.defaultSequenceLength, Math.min(facts.maxSequenceLength, 400)]) {
        const task = createTask(facts.name, { sequenceLength, seed: 3 });
        assert.deepEqual(
          { name: task.name, description: task.description, inputSize: task.inputSize, outputSize: task.outputSize, mode: task.mode, writesText: task.vocabulary !== undefined },
          { name: facts.name, description: facts.description, inputSize: facts.inputSize, outputSize: facts.outputSize, mode: facts.mode, writesText: facts.writesText },
        );
      }
      assert.throws(() => createTask(facts.name, { sequenceLength: facts.minSequenceLength - 1 }), /sequenceLength/);
      assert.deepEqual(getTaskSpec(facts.name).maxSequenceLength, facts.maxSequenceLength);
    });
  }

  it('the numbers that come from the corpora and the task code are the catalogue\'s', () => {
    assert.equal(taskFacts('dinos').inputSize, DINOSAUR_VOCABULARY.length);
    assert.equal(taskFacts('dinos').maxSequenceLength, longestValidationWindow());
    assert.equal(taskFacts('text').inputSize, TEXT_VOCABULARY.length);
    assert.equal(taskFacts('text').maxSequenceLength, splitText().validation.length - 1);
    assert.equal(taskFacts('sentiment').inputSize, SENTIMENT_VOCABULARY.length);
    assert.equal(taskFacts('sentiment').minSequenceLength, SHORTEST_REVIEW);
    assert.equal(taskFacts('word-sense').inputSize, WORD_SENSE_VOCABULARY.length);
    assert.equal(taskFacts('word-sense').minSequenceLength, LONGEST_SENTENCE);
    assert.equal(taskFacts('copy-memory').minSequenceLength, 2 * COPY_SYMBOL_COUNT + 1);
    assert.equal(taskFacts('spell-digit').outputSize, SPELLING_LETTERS.length);
    assert.equal(taskFacts('spell-digit').minSequenceLength, LONGEST_SPELLING);
    // The longest text window is built and validated (one window of held-out text exactly).
    assert.equal(createTask('text', { sequenceLength: taskFacts('text').maxSequenceLength }).validationBatches().length, 1);
  });

  it('an unknown task is an Error listing the known ones; __proto__ and toString are not tasks', () => {
    for (const name of ['nope', '__proto__', 'toString', 'constructor']) {
      assert.throws(() => taskFacts(name), new RegExp(`unknown task "${name}"; choose one of: dinos, text, adding`));
    }
  });
});
