// classAccuracy (src/engine/accuracy.ts) on hand-set networks, and what it proves on the word-sense task (lesson 11):
// a network that reads only the past tags at most half the validation bats right; a bidirectional one learns them all.
import * as assert from 'node:assert/strict';
import { classAccuracy } from '../../src/engine/accuracy';
import { SequenceModel } from '../../src/engine/model';
import { RandomState } from '../../src/engine/random/randomState';
import { createTask } from '../../src/engine/tasks/registry';
import { ANIMAL_TAG, CLUB_TAG, OTHER_TAG } from '../../src/engine/tasks/wordSenseTask';
import { Trainer } from '../../src/engine/trainer';

const task = createTask('word-sense', { seed: 1 });

function wordSenseModel(seed: number, bidirectional: boolean, cell: 'rnn' | 'gru' | 'lstm' = 'rnn'): SequenceModel {
  return new SequenceModel({
    stack: { cell, inputSize: task.inputSize, hiddenSize: 8, numLayers: 1, bidirectional },
    outputSize: task.outputSize, mode: task.mode, loss: task.loss,
  }, new RandomState(seed));
}

/** The targets of every validation position, counted by class. */
function targetCounts(): number[] {
  const counts = [0, 0, 0];
  for (const batch of task.validationBatches()) if (batch.targets.kind === 'classes') for (const index of batch.targets.indices) counts[index]++;
  return counts;
}

describe('classAccuracy: how often the most likely class is the target', () => {
  it('a network that always answers one class is right exactly where the target is that class', () => {
    const model = wordSenseModel(1, false);
    const [weight, bias] = model.head.parameters();
    weight.value.data.fill(0);
    bias.value.data.set([0, 1, 0]); // always "animal"
    const counts = targetCounts();
    const everywhere = classAccuracy(model, task.validationBatches());
    assert.deepEqual({ count: everywhere.count, correct: everywhere.correct }, { count: counts[0] + counts[1] + counts[2], correct: counts[ANIMAL_TAG] });
    assert.deepEqual(classAccuracy(model, task.validationBatches(), [ANIMAL_TAG, CLUB_TAG]), { count: 256, correct: 128, accuracy: 0.5 });
    assert.deepEqual(classAccuracy(model, task.validationBatches(), [OTHER_TAG]).accuracy, 0);
    bias.value.data.set([0, 0, 0]); // a tie everywhere counts for the lowest class, as numpy's argmax
    assert.equal(classAccuracy(model, task.validationBatches(), [OTHER_TAG]).accuracy, 1);
    assert.ok(Number.isNaN(classAccuracy(model, [], [OTHER_TAG]).accuracy));
  });

  it('refuses a network that does not pick classes, and classes it does not have', () => {
    const adding = new Trainer({ task: 'adding', steps: 1, hidden: 2 });
    assert.throws(() => classAccuracy(adding.model, adding.task.validationBatches()), { name: 'RangeError', message: /accuracy needs a network that picks a class \(softmax cross-entropy\), but this one's loss is mse/ });
    const model = wordSenseModel(1, false);
    assert.throws(() => classAccuracy(model, task.validationBatches(), [3]), { name: 'RangeError', message: 'classes must be a list of class numbers from 0 to 2, got [3]' });
    assert.throws(() => classAccuracy(model, task.validationBatches(), [0.5]), { name: 'RangeError' });
  });

  it('word-sense: a network that reads only the past, trained or not, tags at most half of the validation bats right', () => {
    // Twins are identical up to "bat", so such a network gives both the same answer there: at most one of them is right.
    for (const [seed, cell] of [[1, 'rnn'], [2, 'gru'], [3, 'lstm'], [4, 'rnn'], [5, 'gru']] as const) {
      const { count, correct } = classAccuracy(wordSenseModel(seed, false, cell), task.validationBatches(), [ANIMAL_TAG, CLUB_TAG]);
      assert.equal(count, 256);
      assert.ok(correct <= 128, `${cell}, seed ${seed}: ${correct} of 256`);
    }
  });

  it('word-sense: trained the same way, the unidirectional network stays at half and above the baseline; the bidirectional one tags every bat', () => {
    const train = (bidirectional: boolean): Trainer => {
      const trainer = new Trainer({ task: 'word-sense', cell: 'rnn', hidden: 16, steps: 300, optimizer: 'adam', learningRate: 0.01, clipMode: 'norm', clip: 1, seed: 1, bidirectional });
      while (!trainer.done) trainer.step();
      return trainer;
    };
    const [forwardOnly, both] = [train(false), train(true)];
    const bats = (trainer: Trainer): number => classAccuracy(trainer.model, trainer.task.validationBatches(), [ANIMAL_TAG, CLUB_TAG]).accuracy;
    assert.equal(bats(forwardOnly), 0.5);
    assert.ok(forwardOnly.validationLoss() >= task.baselineLoss!, `${forwardOnly.validationLoss()} is not below ln 2 / 16`);
    assert.equal(bats(both), 1);
    assert.ok(both.validationLoss() < task.baselineLoss! / 10);
  });
});
