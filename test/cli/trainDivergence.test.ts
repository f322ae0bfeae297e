// `rnn-lab train` on a run that blows up: it stops, says "diverged" with when and why, saves the last good model,
// records it in summary.json and exits 3 (the runs of issue #7 exited 0 and said "completed").
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readRun } from '../../src/cli/runFiles';
import { runCli, temporaryFolder } from './cliHarness';

describe('rnn-lab train: a run that diverges', function () {
  this.timeout(300_000);
  const folder = temporaryFolder();
  const runs: { what: string; flags: string[] }[] = [
    { what: 'Adam at lr 10 with clipping', flags: ['--task', 'adding', '--lr', '10'] },
    { what: 'a ReLU RNN with Adagrad at lr 10', flags: ['--task', 'adding', '--cell', 'rnn', '--nonlinearity', 'relu', '--optimizer', 'adagrad', '--lr', '10'] },
    { what: 'SGD at lr 1000', flags: ['--task', 'adding', '--optimizer', 'sgd', '--lr', '1000', '--steps', '100'] },
  ];
  runs.forEach(({ what, flags }, index) => {
    it(`${what}: exit 3, "diverged at step N" with the reason, summary.json says so, the last good model saved`, async () => {
      const out = join(folder, `run-${index}`);
      const result = await runCli(['train', ...flags, '--out', out]);
      assert.equal(result.code, 3, `${result.stdout}\n${result.stderr}`);
      assert.match(result.stdout, /^Training diverged at step \d+: (the loss stayed far above where it started|\d+ of the last \d+ steps were skipped).*; the saved model is the (one after step \d+|untrained one)/m);
      assert.match(result.stdout, /Try a smaller --lr/);
      assert.doesNotMatch(result.stdout, /completed/i);
      const run = readRun(out);
      assert.ok(run.summary);
      assert.equal(run.summary.stopReason, 'diverged');
      assert.equal(run.summary.stoppedEarly, true);
      assert.ok(run.summary.divergence);
      assert.equal(run.summary.divergence.step, run.summary.stepsCompleted);
      assert.equal(run.metrics.length, run.summary.stepsCompleted);
    });
  });

  it('--help documents the exit codes, 3 among them', async () => {
    const result = await runCli(['train', '--help']);
    assert.match(result.stdout.replace(/\s+/g, ' '), /Exit codes: .*; 3 training diverged: stopped, and saved with the last good model;/);
  });
});
