// `rnn-lab train` end to end: the run folder it writes, its JSON and plain output, and Ctrl-C that still saves.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRun } from '../../src/cli/runFiles';
import { RUN_FILES } from '../../src/shared/runStoreFormat';
import { parseModel } from '../../src/engine/io/modelJson';
import { collect, runCli, spawnCli, temporaryFolder, tinyTrainArgs } from './cliHarness';
import { availableParallelism } from 'node:os';
import type { ChildProcess } from 'node:child_process';

/** What a run on this machine says it computed on: both cores where there are two. */
const KERNEL_THREADS = availableParallelism() >= 2 ? '2 threads' : '1 thread';

describe('rnn-lab train', () => {
  const folder = temporaryFolder();

  it('--json: one JSON object per reported step, then a summary; writes config, metrics, model and summary', async () => {
    const out = join(folder, 'json-run');
    const result = await runCli(tinyTrainArgs(out, { json: true, 'print-every': '4' }));
    assert.equal(result.code, 0, result.stderr);
    const objects = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; step?: number; runDirectory?: string });
    assert.deepEqual(objects.map((o) => o.type), ['start', 'step', 'step', 'step', 'summary']);
    assert.deepEqual(objects.filter((o) => o.type === 'step').map((o) => o.step), [4, 8, 12]);
    assert.equal(objects[4].runDirectory, out);
    assert.match(result.stderr, /rnn-lab report/, 'the human hints go to stderr, keeping stdout machine-readable');

    assert.deepEqual(readdirSync(out).sort(), [RUN_FILES.config, RUN_FILES.metrics, RUN_FILES.model, RUN_FILES.summary].sort(), 'no temporary files left');
    const run = readRun(out);
    assert.equal(run.config.cell, 'gru');
    assert.equal(run.config.hidden, 8);
    assert.equal(run.config.sequenceLength, 10);
    assert.deepEqual(run.metrics.map((m) => m.step), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.deepEqual(run.metrics.filter((m) => m.validationLoss !== undefined).map((m) => m.step), [5, 10, 12]);
    assert.equal(run.metrics[0].gradientNorms[0].hidden.length, 10, '‖∂L/∂h⟨t⟩‖ for each of the 10 time steps');
    assert.ok(run.summary);
    assert.equal(run.summary.stepsCompleted, 12);
    assert.equal(run.summary.stoppedEarly, false);
    assert.equal(run.summary.stopReason, 'completed');
    assert.equal(run.summary.finalLoss, run.metrics[11].loss);
    assert.equal(run.summary.finalValidationLoss, run.metrics[11].validationLoss);
    assert.ok(run.summary.stepsPerSecond > 0 && run.summary.millisecondsPerStep > 0);
    assert.equal(run.summary.computedIn, `float32 WebAssembly SIMD on ${KERNEL_THREADS}`, 'the run says what it was computed in');
    assert.match(result.stderr, new RegExp(`^Computing in float32 WebAssembly SIMD on ${KERNEL_THREADS}$`, 'm'));

    const { model, meta } = parseModel(JSON.parse(readFileSync(join(out, RUN_FILES.model), 'utf8')));
    assert.equal(model.config.stack.hiddenSize, 8);
    assert.equal(meta.task?.name, 'dinos');
    assert.equal(meta.task?.vocabulary?.length, 27);
    assert.equal(meta.training?.steps, 12);
  });

  it('without a terminal: plain progress lines about every tenth of the run, then where the run is and how to use it', async () => {
    const out = join(folder, 'plain-run');
    const result = await runCli(tinyTrainArgs(out, { steps: '30' }));
    assert.equal(result.code, 0, result.stderr);
    const progress = result.stdout.split('\n').filter((line) => line.startsWith('step '));
    assert.equal(progress.length, 10);
    assert.match(progress[9], /^step 30\/30  loss \d\.\d{3}  val \d\.\d{3}  [\d.]+ steps\/s  ETA 0:00$/);
    assert.ok(!result.stdout.includes('\r'), 'no carriage returns in a log');
    assert.match(result.stdout, /Run saved in .*plain-run/);
    assert.match(result.stdout, /rnn-lab sample --model .*plain-run\/model\.json/);
    assert.match(result.stdout, /rnn-lab report .*plain-run/);
  });

  it('refuses to overwrite a folder that already holds a run (exit 2)', async () => {
    const out = join(folder, 'json-run');
    const before = readFileSync(join(out, RUN_FILES.summary), 'utf8');
    const result = await runCli(tinyTrainArgs(out));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--out .* already holds a run/);
    assert.equal(readFileSync(join(out, RUN_FILES.summary), 'utf8'), before);
  });

  it('--out \'\' is refused (it used to write the run into the current folder)', async () => {
    const cwd = temporaryFolder();
    const result = await runCli(tinyTrainArgs(''), cwd);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--out must name a folder, got ""/);
    assert.deepEqual(readdirSync(cwd), []);
  });

  it('an --out folder holding other files is refused and left as it was (it used to be written into)', async () => {
    const out = join(temporaryFolder(), 'notes');
    mkdirSync(out);
    writeFileSync(join(out, 'model.json'), 'my own file');
    const result = await runCli(tinyTrainArgs(out));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--out .*notes is not empty \(it holds model\.json\); a run needs a new or empty folder/);
    assert.deepEqual(readdirSync(out), ['model.json']);
    assert.equal(readFileSync(join(out, 'model.json'), 'utf8'), 'my own file');
  });

  it('two runs started together with the same --out: exactly one saves, the other says why and exits 2, nothing is lost', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const out = join(temporaryFolder(), 'same');
      const results = await Promise.all([runCli(tinyTrainArgs(out, { seed: '1', json: true })), runCli(tinyTrainArgs(out, { seed: '2', json: true }))]);
      const winners = results.filter((r) => r.code === 0);
      const losers = results.filter((r) => r.code !== 0);
      assert.equal(winners.length, 1, results.map((r) => `${r.code}: ${r.stderr}`).join('\n'));
      assert.equal(losers[0].code, 2);
      assert.match(losers[0].stderr, /--out .*same (already holds a run|was taken by another run started at the same moment)/);
      assert.doesNotMatch(losers[0].stderr, /Run saved/);
      const winnerSeed = results.indexOf(winners[0]) + 1;
      const run = readRun(out);
      assert.equal(run.config.seed, winnerSeed, 'the folder holds the winner\'s run, not a mix');
      assert.equal(run.summary?.stepsCompleted, 12);
      assert.deepEqual(run.metrics.map((m) => m.step), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      const saved = JSON.parse(winners[0].stdout.trim().split('\n').pop() ?? '') as { finalLoss: number };
      assert.equal(run.summary?.finalLoss, saved.finalLoss);
      assert.deepEqual(readdirSync(out).sort(), [RUN_FILES.config, RUN_FILES.metrics, RUN_FILES.model, RUN_FILES.summary].sort());
    }
  });

  it('without --out, saves under runs/<time>-<task>-<cell> in the current folder', async () => {
    const cwd = temporaryFolder();
    const result = await runCli(tinyTrainArgs(null), cwd);
    assert.equal(result.code, 0, result.stderr);
    const [name] = readdirSync(join(cwd, 'runs'));
    assert.match(name, /^\d{8}-\d{6}-dinos-gru$/);
    assert.ok(existsSync(join(cwd, 'runs', name, RUN_FILES.summary)));
  });

  it('Ctrl-C (SIGINT) stops after the current step, saves everything, says where, and exits 130', async () => {
    const out = join(folder, 'interrupted');
    const child = spawnCli(tinyTrainArgs(out, { steps: '1000000', json: true, 'print-every': '1' }));
    const finished = collect(child);
    await new Promise<void>((started, failed) => {
      let seen = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if ((seen.match(/"type":"step"/g) ?? []).length >= 3) started();
      });
      child.on('exit', (code) => failed(new Error(`the run ended (exit ${code}) before it could be interrupted`)));
    });
    child.kill('SIGINT');
    const result = await finished;
    assert.equal(result.code, 130, result.stderr);
    assert.match(result.stderr, /Stopping after this step/);
    assert.match(result.stderr, /Stopped after \d+ of 1000000 steps/);
    const run = readRun(out);
    assert.ok(run.summary);
    assert.equal(run.summary.stopReason, 'interrupted');
    assert.equal(run.summary.stoppedEarly, true);
    assert.ok(run.summary.stepsCompleted >= 3 && run.summary.stepsCompleted < 1000000);
    assert.equal(run.metrics.length, run.summary.stepsCompleted, 'every completed step is in metrics.jsonl');
    assert.ok(parseModel(JSON.parse(readFileSync(join(out, RUN_FILES.model), 'utf8'))).model);
    const summaryLine = JSON.parse(result.stdout.trim().split('\n').pop() ?? '') as { type: string; stopReason: string };
    assert.deepEqual([summaryLine.type, summaryLine.stopReason], ['summary', 'interrupted']);
  });

  it('the terminal closing (SIGHUP) stops after the current step and saves everything, as Ctrl-C does: exit 129', async () => {
    const out = join(folder, 'hung-up');
    const child = spawnCli(tinyTrainArgs(out, { steps: '1000000', json: true, 'print-every': '1' }));
    const finished = collect(child);
    await stepsSeen(child, 3);
    child.kill('SIGHUP');
    const result = await finished;
    assert.equal(result.code, 129, result.stderr);
    assert.match(result.stderr, /The terminal closed\. Stopping after this step and saving/);
    const run = readRun(out);
    assert.equal(run.summary?.stopReason, 'interrupted');
    assert.equal(run.metrics.length, run.summary?.stepsCompleted);
    assert.ok(parseModel(JSON.parse(readFileSync(join(out, RUN_FILES.model), 'utf8'))).model);
  });

  it('`train --json | head -2`: the reader closing stdout stops training after the step and saves the run: exit 141', async () => {
    const out = join(folder, 'piped');
    const child = spawnCli(tinyTrainArgs(out, { steps: '1000000', json: true, 'print-every': '1' }));
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    await stepsSeen(child, 2);
    child.stdout?.destroy();   // as head does after its lines: the pipe's read end closes
    const code = await exited;
    assert.equal(code, 141, stderr);
    assert.match(stderr, /Nobody reads the output any more \(the pipe closed\)\. Stopping after this step and saving/);
    assert.match(stderr, /Stopped after \d+ of 1000000 steps; what was trained is saved/);
    const run = readRun(out);
    assert.equal(run.summary?.stopReason, 'interrupted');
    assert.ok((run.summary?.stepsCompleted ?? 0) >= 2);
    assert.equal(run.metrics.length, run.summary?.stepsCompleted);
    assert.ok(parseModel(JSON.parse(readFileSync(join(out, RUN_FILES.model), 'utf8'))).model);
  });
});

/** Resolves once the run has printed `count` JSON step lines. */
function stepsSeen(child: ChildProcess, count: number): Promise<void> {
  return new Promise<void>((started, failed) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if ((seen.match(/"type":"step"/g) ?? []).length >= count) started();
    });
    child.on('exit', (code) => failed(new Error(`the run ended (exit ${code}) before it could be interrupted`)));
  });
}
