// `rnn-lab train` end to end: the run folder it writes, its JSON and plain output, and Ctrl-C that still saves.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRun } from '../../src/cli/runFiles';
import { RUN_FILES } from '../../src/shared/runStoreFormat';
import { readModelFile } from '../../src/node/modelFile';
import { CLI, collect, ensureBuilt, runCli, spawnCli, temporaryFolder, tinyTrainArgs } from './cliHarness';
import { availableParallelism } from 'node:os';
import { spawn, type ChildProcess } from 'node:child_process';

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

    assert.deepEqual(readdirSync(out).sort(), [RUN_FILES.config, RUN_FILES.metrics, RUN_FILES.model, RUN_FILES.weights, RUN_FILES.summary].sort(), 'no temporary files left');
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

    const { model, meta } = readModelFile(join(out, RUN_FILES.model));
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
      assert.deepEqual(readdirSync(out).sort(), [RUN_FILES.config, RUN_FILES.metrics, RUN_FILES.model, RUN_FILES.weights, RUN_FILES.summary].sort());
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
    assert.ok(readModelFile(join(out, RUN_FILES.model)).model);
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
    assert.ok(readModelFile(join(out, RUN_FILES.model)).model);
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
    assert.ok(readModelFile(join(out, RUN_FILES.model)).model);
  });
});

describe('rnn-lab train: a run cut short keeps what it wrote, and report reads it', () => {
  it('kill -9 mid-run: metrics.jsonl holds every step written, and `rnn-lab report` draws them, saying the run ended early', async () => {
    const out = join(temporaryFolder(), 'killed');
    const child = spawnCli(tinyTrainArgs(out, { steps: '1000000', json: true, 'print-every': '1' }));
    const finished = collect(child);
    await stepsSeen(child, 5);
    child.kill('SIGKILL');
    assert.equal((await finished).signal, 'SIGKILL');
    assert.deepEqual(readdirSync(out).filter((name) => name.endsWith('.tmp')), [], 'nothing stranded in temporary files');
    const run = readRun(out);
    assert.equal(run.summary, undefined);
    assert.ok(run.metrics.length >= 5, `${run.metrics.length} steps kept`);
    const report = await runCli(['report', out]);
    assert.equal(report.code, 0, report.stderr);
    assert.match(report.stdout, new RegExp(`Note: this run ended before it finished saving \\(no summary\\.json\\); the report shows the ${run.metrics.length} steps it recorded`));
    assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /This run ended before it finished saving/);
  });

  it('the run folder made read-only mid-run: every step stays in metrics.jsonl, exit 1 naming what could not be saved', async () => {
    const parent = temporaryFolder();
    chmodSync(parent, 0o777);
    const out = join(parent, 'locked');
    ensureBuilt();
    // Root writes through any permission, so as root the run goes on as 'nobody', whom the folder's mode binds.
    const asRoot = process.getuid?.() === 0;
    const child = spawn(process.execPath, [CLI, ...tinyTrainArgs(out, { steps: '1000000', json: true, 'print-every': '1' })], {
      stdio: ['ignore', 'pipe', 'pipe'], ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    const finished = collect(child);
    await stepsSeen(child, 3);
    chmodSync(out, 0o555);
    child.kill('SIGINT');
    const result = await finished;
    chmodSync(out, 0o755);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /The run could not be saved completely in .*locked:\n  model\.json: .*EACCES/);
    const run = readRun(out);
    assert.ok(run.metrics.length >= 3, `${run.metrics.length} steps kept`);
    const stepsLine = /What was written is kept \((\d+) steps trained\)/.exec(result.stderr);
    assert.equal(run.metrics.length, Number(stepsLine?.[1]), 'every step trained is in metrics.jsonl');
    const report = await runCli(['report', out, '--out', join(temporaryFolder(), 'report.html')]);
    assert.equal(report.code, 0, report.stderr);
  });

  it('a write that fails mid-run (the file size limit, as a full disk fails it): training stops, exit 1 naming the file, every whole step kept', async () => {
    const out = join(temporaryFolder(), 'full');
    ensureBuilt();
    // Real write failures from the kernel without root: RLIMIT_FSIZE makes a write past 64 KiB fail (EFBIG) instead of
    // killing the process (SIGXFSZ is ignored, and an ignored signal stays ignored across exec).
    const args = tinyTrainArgs(out, { steps: '100000', json: true }).map((arg) => `'${arg}'`).join(' ');
    const child = spawn('/bin/sh', ['-c', `trap '' XFSZ; ulimit -f 128; exec '${process.execPath}' '${CLI}' ${args}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    const result = await collect(child);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /Training stopped after step \d+: could not write .*metrics\.jsonl: .*EFBIG/);
    const run = readRun(out);
    assert.ok(run.metrics.length > 5, `${run.metrics.length} steps kept`);
    assert.equal(run.tornLastLine, undefined, 'the file was cut back to its last whole line');
    assert.equal(run.summary?.stopReason, 'error');
    assert.ok(readModelFile(join(out, RUN_FILES.model)).model, 'the model trained so far is saved');
    assert.deepEqual(readdirSync(out).filter((name) => name.endsWith('.tmp')), []);
    const report = await runCli(['report', out]);
    assert.equal(report.code, 0, report.stderr);
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
