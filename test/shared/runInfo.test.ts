// How a run is named on charts and in pickers: two runs compared on one chart must read apart by the settings that
// change what the network computes.
import assert from 'node:assert/strict';
import { DEFAULT_TRAINING_CONFIG, type TrainingConfig } from '../../src/engine/trainingConfig';
import { runLabel } from '../../src/shared/runInfo';

const config = (changes: Partial<TrainingConfig>): TrainingConfig => ({ ...DEFAULT_TRAINING_CONFIG, ...changes });

describe('runLabel', () => {
  it('names the cell, the task, the hidden size and the seed of a default run', () => {
    assert.equal(runLabel(config({ cell: 'lstm', task: 'adding', hidden: 32, seed: 1 })), 'LSTM · adding · h32 · seed 1');
  });

  it('tells a GRU with the course\'s reset placement from PyTorch\'s, which is the default', () => {
    const course = runLabel(config({ cell: 'gru', task: 'sentiment', hidden: 16, gruReset: 'before' }));
    const pytorch = runLabel(config({ cell: 'gru', task: 'sentiment', hidden: 16, gruReset: 'after' }));
    assert.equal(course, `GRU · sentiment · h16 · reset before · seed ${DEFAULT_TRAINING_CONFIG.seed}`);
    assert.equal(pytorch, `GRU · sentiment · h16 · seed ${DEFAULT_TRAINING_CONFIG.seed}`);
  });

  it('tells an LSTM whose forget-gate bias starts at 0 from the default', () => {
    assert.equal(runLabel(config({ cell: 'lstm', task: 'adding', hidden: 16, forgetBias: 0, seed: 1 })), 'LSTM · adding · h16 · forget bias 0 · seed 1');
    assert.equal(runLabel(config({ cell: 'lstm', task: 'adding', hidden: 16, seed: 1 })), 'LSTM · adding · h16 · seed 1');
  });

  it('names layers, direction and dropout when they are not the default', () => {
    assert.equal(runLabel(config({ cell: 'rnn', task: 'dinos', hidden: 64, layers: 2, bidirectional: true, dropout: 0.3, seed: 4 })),
      'RNN · dinos · h64 · 2 layers · bidirectional · dropout 0.3 · seed 4');
  });
});
