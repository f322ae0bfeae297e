// How the host describes a run without building its task: facts from the engine's static catalogue, the trivial
// baseline (which depends on the task's data) from the worker that built the task or from the saved summary.json, and
// the label charts and pickers show.
import assert from 'node:assert/strict';
import { createTask } from '../../src/engine/tasks/registry';
import { runLabel, taskInfo } from '../../src/shared/runInfo';
import { RunManager } from '../../src/extension/host/runManager';
import type { RunInfo, ToPanel } from '../../src/shared/protocol';
import { DEFAULT_TRAINING_CONFIG, resolveTrainingConfig, type TrainingConfig } from '../../src/engine/trainingConfig';
import { ensureWorkerBuilt, temporaryFolder } from './extensionHarness';

describe('run info: task facts without building the task', function () {
  this.timeout(60_000);

  it('describes every task as the built task does (default sequence length when the config has none)', () => {
    for (const [task, sequenceLength] of [['dinos', undefined], ['text', 30], ['adding', 7], ['copy-memory', undefined], ['temporal-order', 12], ['sentiment', undefined], ['word-sense', 20], ['spell-digit', 9]] as const) {
      const config = resolveTrainingConfig({ task, ...(sequenceLength !== undefined ? { sequenceLength } : {}) });
      const built = createTask(task, { ...(sequenceLength !== undefined ? { sequenceLength } : {}), seed: config.seed });
      assert.deepEqual(taskInfo(config, built.baselineLoss), {
        name: built.name, description: built.description, sequenceLength: built.sequenceLength, mode: built.mode,
        ...(built.baselineLoss !== undefined ? { baselineLoss: built.baselineLoss } : {}), hasVocabulary: built.vocabulary !== undefined,
      });
    }
  });

  it('a live run gets its baseline from the worker before any step, and keeps it once saved', async () => {
    const root = temporaryFolder();
    const messages: ToPanel[] = [];
    const runs = new RunManager({ workerScript: ensureWorkerBuilt(), version: '0.0.0-test', runsRoot: () => root, metricsPerSecond: () => 20, log: () => undefined });
    runs.onPanelMessage((message) => messages.push(message));
    try {
      const run = runs.startRun({ task: 'dinos', sequenceLength: 6, cell: 'rnn', hidden: 4, steps: 30, seed: 5 });
      assert.equal((await run.ended).status, 'done');
      const expected = createTask('dinos', { sequenceLength: 6, seed: 5 }).baselineLoss;
      assert.ok(expected !== undefined && expected > 0);
      const started = messages.filter((message): message is Extract<ToPanel, { type: 'runStarted' }> => message.type === 'runStarted').map((message) => message.run);
      assert.equal(started[0].task.baselineLoss, undefined, 'not known before the worker built the task');
      assert.equal(started.at(-1)!.task.baselineLoss, expected);
      const firstMetrics = messages.findIndex((message) => message.type === 'metrics');
      assert.ok(messages.findIndex((message) => message.type === 'runStarted' && message.run.task.baselineLoss !== undefined) < firstMetrics, 'the card has its baseline before its first steps');
      const fresh = new RunManager({ workerScript: ensureWorkerBuilt(), version: '0.0.0-test', runsRoot: () => root, metricsPerSecond: () => 20, log: () => undefined });
      const saved: RunInfo = (await fresh.loadRun(run.id)).run;
      await fresh.dispose();
      assert.equal(saved.task.baselineLoss, expected, 'a saved run\'s baseline comes from its summary.json');
    } finally {
      await runs.dispose();
    }
  });
});

// How a run is named on charts and in pickers: two runs compared on one chart must read apart by the settings that
// change what the network computes.
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

  it('tells a run on a fixed training set (trainingExamples) from one on all the task\'s data', () => {
    assert.equal(runLabel(config({ cell: 'gru', task: 'dinos', hidden: 32, layers: 2, trainingExamples: 64, seed: 1 })), 'GRU · dinos · h32 · 2 layers · 64 examples · seed 1');
    assert.equal(runLabel(config({ cell: 'gru', task: 'dinos', hidden: 32, trainingExamples: 1, seed: 1 })), 'GRU · dinos · h32 · 1 example · seed 1');
    assert.equal(runLabel(config({ cell: 'gru', task: 'dinos', hidden: 32, seed: 1 })), 'GRU · dinos · h32 · seed 1');
  });
});
