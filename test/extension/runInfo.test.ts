// How the host describes a run without building its task: facts from the engine's static catalogue, and the trivial
// baseline (which depends on the task's data) from the worker that built the task, or from the saved summary.json.
import assert from 'node:assert/strict';
import { createTask } from '../../src/engine/tasks/registry';
import { taskInfo } from '../../src/shared/runInfo';
import { RunManager } from '../../src/extension/host/runManager';
import type { RunInfo, ToPanel } from '../../src/shared/protocol';
import { resolveTrainingConfig } from '../../src/engine/trainingConfig';
import { ensureWorkerBuilt, temporaryFolder } from './extensionHarness';

describe('run info: task facts without building the task', function () {
  this.timeout(60_000);

  it('describes every task as the built task does (default sequence length when the config has none)', () => {
    for (const [task, sequenceLength] of [['dinos', undefined], ['text', 30], ['adding', 7], ['copy-memory', undefined], ['temporal-order', 12], ['sentiment', undefined], ['word-sense', 20]] as const) {
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
