// The loss chart's caption says where each run's loss is read: every step, once at the end, or every step after a
// single input (spell-digit, one-to-many).
import assert from 'node:assert/strict';
import { RunState } from '../../src/webview/dashboardState';
import { lossReading } from '../../src/webview/lossReading';
import { trainRun } from './engineRuns';

const runOf = (task: string): RunState => new RunState(trainRun(task, task, { task, hidden: 3, batchSize: 2, steps: 1, seed: 1 }).info, 0);

describe('webview: where the loss is read, in the caption', () => {
  it('names many-to-many, many-to-one, and spell-digit as one-to-many', () => {
    assert.equal(lossReading([]), '');
    assert.equal(lossReading([runOf('sentiment')]), 'Here the loss is read once per sequence, after its last step (many-to-one: sentiment).');
    assert.equal(lossReading([runOf('dinos')]), 'Here the loss is read at every time step (many-to-many: dinos): each step\'s prediction counts, and the loss is their mean.');
    assert.equal(lossReading([runOf('spell-digit')]),
      'Here the loss is read at every time step (one-to-many, one input and then an output at every step: spell-digit): each step\'s prediction counts, and the loss is their mean.');
    assert.equal(lossReading([runOf('dinos'), runOf('spell-digit'), runOf('adding')]),
      'The loss is read at every time step for dinos, spell-digit (many-to-many; one-to-many, one input and then an output at every step), and once, after the last step, for adding (many-to-one).');
    assert.equal(lossReading([runOf('text'), runOf('adding')]),
      'The loss is read at every time step for text (many-to-many), and once, after the last step, for adding (many-to-one).');
  });
});
