// The extension's side of a run that blows up, through the real training worker: the run ends "diverged" with when
// and why, the dashboard is told so, and the saved run still reads as diverged when the dashboard reopens. And a run
// too big for memory is refused before its folder exists.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { readRun } from '../../src/cli/runFiles';
import { ConfigError } from '../../src/engine/trainingConfig';
import { RunManager } from '../../src/extension/host/runManager';
import type { ToPanel } from '../../src/shared/protocol';
import { ensureWorkerBuilt, temporaryFolder } from './extensionHarness';

describe('training worker: a run that diverges', function () {
  this.timeout(120_000);
  const managers: RunManager[] = [];
  after(async () => {
    await Promise.all(managers.map((m) => m.dispose()));
  });

  function manager(root: string): { runs: RunManager; messages: ToPanel[] } {
    const messages: ToPanel[] = [];
    const runs = new RunManager({ workerScript: ensureWorkerBuilt(), version: '0.0.0-test', runsRoot: () => root, metricsPerSecond: () => 20, log: () => undefined });
    runs.onPanelMessage((message) => messages.push(message));
    managers.push(runs);
    return { runs, messages };
  }

  it('Adam at lr 10 ends "diverged" (not "done"), says at which step and why, and the saved run reads so again', async () => {
    const root = temporaryFolder();
    const { runs, messages } = manager(root);
    const run = runs.startRun({ task: 'adding', learningRate: 10 });
    const end = await run.ended;
    assert.equal(end.status, 'diverged');
    assert.match(end.message ?? '', /^diverged at step \d+: the loss stayed far above where it started.*; the saved model is the one after step \d+/);
    const ended = messages.find((message) => message.type === 'runEnded' && message.runId === run.id);
    assert.ok(ended && ended.type === 'runEnded');
    assert.equal(ended.status, 'diverged');
    assert.equal(readRun(run.directory).summary?.stopReason, 'diverged');
    const { saved } = await runs.listRuns();
    const listed = saved.find((entry) => entry.id === run.id);
    assert.equal(listed?.status, 'diverged');
    assert.match(listed?.message ?? '', /^diverged at step \d+/);
  });

  it('a run too big for memory (--task text --seq-len 5243 --batch 4096) is refused before any run folder exists', () => {
    const root = temporaryFolder();
    const { runs } = manager(root);
    assert.throws(() => runs.startRun({ task: 'text', sequenceLength: 5243, batchSize: 4096 }), (error: unknown) => error instanceof ConfigError && /over RNN Lab's limit of 4\.0 GB/.test(error.message));
    assert.deepEqual(readdirSync(root), []);
  });
});
