// Training really happens in a worker thread (dist/worker.js, as shipped): the run folder it saves is the CLI's
// format, Stop takes effect within seconds (200 ms on a quiet machine, printed), the main thread's event loop stays responsive while it trains, samples
// match `rnn-lab sample` for the same seed, hidden states come from the live worker or the one worker for saved runs (never this
// thread), and any saved run can be loaded by id — only from inside the runs folder.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { readRun } from '../../src/cli/runFiles';
import type { TrainingConfig } from '../../src/engine/trainer';
import { readModelFile } from '../../src/node/modelFile';
import { createTask } from '../../src/engine/tasks/registry';
import { answer } from '../../src/extension/host/dashboardRequests';
import { RunManager, type RunManagerOptions } from '../../src/extension/host/runManager';
import { hiddenStatesFor } from '../../src/shared/hiddenStates';
import { decodeNumber, parseToPanel, type ToPanel } from '../../src/shared/protocol';
import { RUN_FILES } from '../../src/shared/runStoreFormat';
import { CLI } from '../cli/cliHarness';
import { ensureWorkerBuilt, temporaryFolder } from './extensionHarness';
import { availableParallelism } from 'node:os';

/** What a run on this machine says it computed on: both cores where there are two. */
const KERNEL_THREADS = availableParallelism() >= 2 ? '2 threads' : '1 thread';

/** The run Enter-Enter-Enter starts (adding, LSTM, T = 20, hidden 32), with more steps than any test waits for. */
const DEFAULT_RUN: Partial<TrainingConfig> = {
  task: 'adding', sequenceLength: 20, cell: 'lstm', layers: 1, bidirectional: false, hidden: 32, steps: 100_000,
  learningRate: 0.01, clipMode: 'norm', clip: 1, optimizer: 'adam', seed: 1,
};

function manager(root: string, extra: Partial<RunManagerOptions> = {}): { runs: RunManager; log: string[]; messages: ToPanel[] } {
  const log: string[] = [];
  const messages: ToPanel[] = [];
  const runs = new RunManager({
    workerScript: ensureWorkerBuilt(), version: '0.0.0-test', runsRoot: () => root, metricsPerSecond: () => 20,
    log: (line) => log.push(line), ...extra,
  });
  // What the panel does with each message: serialize it for the webview; the dashboard's own validator must accept it.
  runs.onPanelMessage((message) => {
    const wire = JSON.parse(JSON.stringify(message)) as unknown;
    const parsed = parseToPanel(wire);
    assert.ok(parsed.ok, `the dashboard would refuse: ${parsed.ok ? '' : parsed.reason}`);
    messages.push(message);
  });
  return { runs, log, messages };
}

/** The distinct nice values of this process's threads (Linux: /proc/self/task/<tid>/stat, field 19). */
function threadNiceValues(): number[] {
  if (process.platform !== 'linux') return [];
  const values = readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
  return [...new Set(values)].sort((a, b) => a - b);
}

function untilStep(runs: RunManager, runId: string, step: number): Promise<void> {
  return new Promise((resolve) => {
    const subscription = runs.onProgress((event) => {
      if (event.runId === runId && event.step >= step) {
        subscription.dispose();
        resolve();
      }
    });
  });
}

describe('training worker thread', function () {
  this.timeout(60_000);
  const managers: RunManager[] = [];
  after(async () => {
    await Promise.all(managers.map((m) => m.dispose()));
  });

  it('trains a run to the end and saves a folder the CLI reads and reports on', async () => {
    const root = temporaryFolder();
    const { runs, messages, log } = manager(root);
    managers.push(runs);
    const run = runs.startRun({ task: 'adding', sequenceLength: 10, cell: 'gru', hidden: 8, steps: 40, validateEvery: 20 });
    assert.equal(run.info.status, 'running');
    const end = await run.ended;
    assert.equal(end.status, 'done');
    assert.equal(end.steps, 40);
    assert.deepEqual(readdirSync(run.directory).sort(), [RUN_FILES.config, RUN_FILES.metrics, RUN_FILES.model, RUN_FILES.weights, RUN_FILES.summary].sort());
    const saved = readRun(run.directory);
    assert.equal(saved.metrics.length, 40);
    assert.equal(saved.summary?.stopReason, 'completed');
    assert.equal(saved.summary?.computedIn, `float32 WebAssembly SIMD on ${KERNEL_THREADS}`);
    assert.equal(saved.config.cell, 'gru');
    execFileSync(process.execPath, [CLI, 'report', run.directory], { stdio: 'pipe' });
    assert.ok(existsSync(join(run.directory, 'report.html')));
    // The dashboard heard: the start, every step exactly once in order, the end.
    assert.equal(messages[0].type, 'runStarted');
    assert.deepEqual(messages[messages.length - 1], { type: 'runEnded', runId: run.id, status: 'done' });
    const steps = messages.flatMap((m) => (m.type === 'metrics' ? m.steps.map((s) => s.step) : []));
    assert.deepEqual(steps, Array.from({ length: 40 }, (_, i) => i + 1));
    assert.ok(messages.some((m) => m.type === 'metrics' && m.steps.some((s) => s.gradientNorms !== undefined)), 'per-time-step series reach the dashboard');
    assert.ok(log.some((line) => line.includes('event-loop lag')));
    assert.ok(log.includes(`Run ${run.id}: computes in float32 WebAssembly SIMD on ${KERNEL_THREADS}`), `the output channel says what the run computes in:\n${log.join('\n')}`);
    // Replay after the end: the same run, with its history.
    const init = await runs.snapshot();
    assert.deepEqual(init.runs.map((r) => [r.id, r.status]), [[run.id, 'done']]);
    assert.equal(init.history.find((entry) => entry.runId === run.id)?.steps.length, 40);
  });

  // Issue #3's target is 200 ms (printed below; quiet machines give ~15 ms). The bound asserted is what a user would call
  // broken, so a shared, loaded CI machine (seen: 1059 ms at load 17) does not turn a speed target into a flaky test.
  it('stops within seconds of Stop (latency printed), and saves what was trained', async () => {
    const root = temporaryFolder();
    const { runs, messages } = manager(root);
    managers.push(runs);
    const run = runs.startRun(DEFAULT_RUN);
    await untilStep(runs, run.id, 5);
    assert.equal(runs.stop(run.id), true);
    const end = await run.ended;
    console.log(`      stop latency: ${end.stopLatencyMs?.toFixed(1)} ms (Stop asked at step ≥ 5, ended after ${end.steps} steps)`);
    assert.equal(end.status, 'stopped');
    assert.ok(end.stopLatencyMs !== undefined && end.stopLatencyMs < 3000, `stop took ${end.stopLatencyMs} ms`);
    const saved = readRun(run.directory);
    assert.equal(saved.summary?.stopReason, 'interrupted');
    assert.equal(saved.summary?.stepsCompleted, end.steps);
    assert.equal(saved.metrics.length, end.steps);
    assert.ok(existsSync(join(run.directory, RUN_FILES.model)));
    assert.equal(messages.filter((m) => m.type === 'runEnded').length, 1);
    assert.equal(runs.stop(run.id), false, 'a second Stop finds nothing to stop');
  });

  it('keeps the main thread\'s event loop free while the worker trains (busy < 25 % of the time; lag printed)', async () => {
    const root = temporaryFolder();
    const { runs } = manager(root);
    managers.push(runs);
    const lagOver = async (action: () => Promise<void>): Promise<{ p99: number; max: number; busy: number }> => {
      const histogram = monitorEventLoopDelay({ resolution: 5 });
      const utilization = performance.eventLoopUtilization();
      histogram.enable();
      await action();
      histogram.disable();
      const ms = (nanoseconds: number): number => Math.max(0, nanoseconds / 1e6 - 5);
      return { p99: ms(histogram.percentile(99)), max: ms(histogram.max), busy: performance.eventLoopUtilization(utilization).utilization };
    };
    const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
    // The same measurement with nothing training: on a machine shared with other work, the OS scheduler alone adds lag.
    const idle = await lagOver(() => pause(500));
    let steps = 0;
    let managerP99 = 0;
    let niceValuesSeen: number[] = [];
    const training = await lagOver(async () => {
      const run = runs.startRun(DEFAULT_RUN);
      await untilStep(runs, run.id, 1);
      niceValuesSeen = threadNiceValues();
      await pause(2500);
      runs.stop(run.id);
      const end = await run.ended;
      steps = end.steps;
      managerP99 = end.lag.p99;
    });
    console.log(`      main-thread event-loop lag while the worker trained ${steps} steps: p99 ${training.p99.toFixed(1)} ms, max ${training.max.toFixed(1)} ms, `
      + `busy ${(100 * training.busy).toFixed(1)} % of the time (idle baseline: p99 ${idle.p99.toFixed(1)} ms); the manager's own measure: p99 ${managerP99.toFixed(1)} ms`);
    assert.ok(steps >= 10, `only ${steps} steps in 2.5 s`);
    if (process.platform === 'linux') assert.deepEqual(niceValuesSeen, [0, 10], 'the training thread runs at nice 10, every other thread at 0');
    // Lag in milliseconds is printed, not asserted: CI machines are shared and noisy (timed figures belong to
    // benchmarks). What must hold everywhere is that the training work is not on this thread.
    assert.ok(training.busy < 0.25, `the main thread was busy ${training.busy} of the time`);
  });

  it('samples a saved character model exactly as `rnn-lab sample` does for the same seed, and from a live run', async () => {
    const root = temporaryFolder();
    const { runs } = manager(root);
    managers.push(runs);
    const run = runs.startRun({ task: 'dinos', cell: 'lstm', hidden: 16, steps: 20 });
    assert.equal((await run.ended).status, 'done');
    const texts = await runs.sample(run.id, 0.7, 42, 3);
    const cli = execFileSync(process.execPath, [CLI, 'sample', '--model', run.directory, '--temperature', '0.7', '--seed', '42', '--n', '3'], { encoding: 'utf8' });
    assert.deepEqual(texts, cli.split('\n').slice(0, 3));
    assert.deepEqual(await runs.sample(run.id, 0.7, 42, 3), texts, 'the same seed, the same text');

    const live = runs.startRun({ task: 'dinos', cell: 'gru', hidden: 8, steps: 100_000 });
    await untilStep(runs, live.id, 2);
    const [text] = await runs.sample(live.id, 1, 7, 1);
    assert.equal(typeof text, 'string');
    runs.stop(live.id);
    assert.equal((await live.ended).status, 'stopped');
  });

  it('refuses to sample a non-character run, and names a corrupt model.json without touching it', async () => {
    const root = temporaryFolder();
    const { runs } = manager(root);
    managers.push(runs);
    const adding = runs.startRun({ task: 'adding', sequenceLength: 5, hidden: 4, steps: 2 });
    await adding.ended;
    await assert.rejects(runs.sample(adding.id, 1, 0, 1), /task \(adding\) is not a character task/);
    const dinos = runs.startRun({ task: 'dinos', hidden: 4, steps: 2 });
    await dinos.ended;
    const modelPath = join(dinos.directory, RUN_FILES.model);
    writeFileSync(modelPath, '{"format": "rnn-lab-model", "version": 1, "config": ');
    await assert.rejects(runs.sample(dinos.id, 1, 0, 1), (error: Error) => error.message.startsWith(`${modelPath} is not valid JSON`));
    assert.equal(readFileSync(modelPath, 'utf8'), '{"format": "rnn-lab-model", "version": 1, "config": ');
    await assert.rejects(runs.sample('../escape', 1, 0, 1), /not a run id/);
  });

  it('refuses a bad configuration with the engine\'s message before creating anything', () => {
    const root = temporaryFolder();
    const { runs } = manager(root);
    managers.push(runs);
    assert.throws(() => runs.startRun({ task: 'adding', hidden: 0 }), /^ConfigError: hidden must be a whole number from 1 to 4096, got 0$/);
    assert.deepEqual(readdirSync(root), []);
  });

  it('trains RNN, GRU and LSTM at once (Compare Cells), each in its own thread and folder, its kernels on one core', async () => {
    const root = temporaryFolder();
    const { runs, messages, log } = manager(root);
    managers.push(runs);
    const started = (['rnn', 'gru', 'lstm'] as const).map((cell) => runs.startRun({ task: 'adding', sequenceLength: 8, cell, hidden: 8, steps: 30, seed: 3 }, { kernelThreads: 1 }));
    assert.equal(new Set(started.map((r) => r.directory)).size, 3);
    const ends = await Promise.all(started.map((r) => r.ended));
    assert.deepEqual(ends.map((e) => [e.status, e.steps]), [['done', 30], ['done', 30], ['done', 30]]);
    for (const run of started) {
      const steps = messages.flatMap((m) => (m.type === 'metrics' && m.runId === run.id ? m.steps.map((s) => s.step) : []));
      assert.equal(steps.length, 30, run.id);
      assert.ok(log.includes(`Run ${run.id}: computes in float32 WebAssembly SIMD on 1 thread`), log.join('\n'));
    }
  });

  it('on dispose, stops running runs and waits for them to save', async () => {
    const root = temporaryFolder();
    const { runs } = manager(root);
    const run = runs.startRun(DEFAULT_RUN);
    await untilStep(runs, run.id, 2);
    await runs.dispose();
    const end = await run.ended;
    assert.equal(end.status, 'stopped');
    assert.equal(readRun(run.directory).summary?.stopReason, 'interrupted');
    assert.throws(() => runs.startRun(DEFAULT_RUN), /shutting down/);
  });
  it('reports the hidden states of the first validation input while it trains and of the final model, named for the dashboard', async () => {
    const root = temporaryFolder();
    const { runs, messages } = manager(root, { hiddenStatesEveryMs: 0 });
    managers.push(runs);
    const run = runs.startRun({ task: 'dinos', cell: 'lstm', hidden: 8, steps: 30, seed: 2 });
    assert.equal((await run.ended).status, 'done');
    const states = messages.filter((m): m is Extract<ToPanel, { type: 'hiddenStates'; values: unknown }> => m.type === 'hiddenStates' && 'values' in m);
    assert.ok(states.length >= 1, 'no hidden states reached the dashboard');
    const final = states[states.length - 1];
    assert.equal(final.step, 30, 'the last report is the final model\'s');
    assert.ok(messages.indexOf(final) < messages.findIndex((m) => m.type === 'runEnded'), 'sent before runEnded');
    assert.equal(final.values.length, run.info.task.sequenceLength);
    assert.equal(final.values[0].length, 8);
    assert.match(final.input.label, /^validation sequence 1 of dinos: “[a-z↵]+”$/);
    // The same numbers as the saved model gives on that input in this thread (computed here only to check, in
    // float64: the worker's float32 kernels agree to float32's precision).
    const { model } = readModelFile(join(run.directory, RUN_FILES.model));
    const task = createTask('dinos', { seed: 2 });
    const expected = hiddenStatesFor(model, task, 0, 'forward').values;
    const worst = Math.max(...final.values.flatMap((row, t) => row.map((value, j) => Math.abs(decodeNumber(value) - expected[t][j]))));
    assert.ok(worst < 1e-5, `the worker's hidden states differ from the saved model's by ${worst}`);
    // Asked again after the end: from memory, no worker.
    assert.equal(await runs.hiddenStates(run.id, 0, 'forward'), final);
  });

  it('answers hidden-state requests from the live worker, which then reports that layer', async () => {
    const root = temporaryFolder();
    const { runs, messages } = manager(root, { hiddenStatesEveryMs: 0 });
    managers.push(runs);
    const run = runs.startRun({ task: 'temporal-order', sequenceLength: 20, cell: 'gru', layers: 2, bidirectional: true, hidden: 6, steps: 100_000 });
    await untilStep(runs, run.id, 2);
    const reply = await runs.hiddenStates(run.id, 1, 'reverse');
    assert.deepEqual([reply.layer, reply.direction, reply.values.length, reply.values[0].length], [1, 'reverse', 20, 6]);
    assert.ok(reply.step! >= 2);
    assert.match(reply.input.label, /^validation sequence 1 of temporal-order: [XY] at t = \d+, then [XY] at t = \d+ among distractor letters$/);
    const asked = messages.length;
    await untilStep(runs, run.id, (reply.step ?? 0) + 5);
    // Periodic reports come at the worker's report interval and reach the dashboard at the next flush: wait for three.
    const later = (): ToPanel[] => messages.slice(asked).filter((m) => m.type === 'hiddenStates');
    for (const deadline = Date.now() + 20_000; later().length < 3 && Date.now() < deadline;) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(later().length >= 3, `only ${later().length} hidden-state reports reached the dashboard in 20 s`);
    assert.ok(later().every((m) => m.type === 'hiddenStates' && m.layer === 1 && m.direction === 'reverse'), 'the worker kept reporting layer 1 (reverse)');
    await assert.rejects(runs.hiddenStates(run.id, 2, 'forward'), /layer 3 does not exist: the network has 2 layers/);
    runs.stop(run.id);
    assert.equal((await run.ended).status, 'stopped', 'a refused request does not end the run');
  });

  it('computes a saved run\'s hidden states in the one worker for saved runs, and refuses path-like ids, links and corrupt models', async () => {
    const root = temporaryFolder();
    const first = manager(root);
    managers.push(first.runs);
    const run = first.runs.startRun({ task: 'adding', sequenceLength: 12, cell: 'rnn', hidden: 5, steps: 7, seed: 3 });
    await run.ended;
    const { runs } = manager(root);   // a new session: nothing in memory
    managers.push(runs);
    const reply = await runs.hiddenStates(run.id, 0, 'forward');
    assert.equal(reply.step, 7, 'the steps from summary.json');
    assert.match(reply.input.label, /^validation sequence 1 of adding: 12 random numbers; the marked ones \(▲\), at t = \d+ and t = \d+, are 0\.\d\d and 0\.\d\d \(sum \d\.\d\d\)$/);
    const { model } = readModelFile(join(run.directory, RUN_FILES.model));
    assert.deepEqual(reply.values.map((row) => row.map(decodeNumber)), hiddenStatesFor(model, createTask('adding', { sequenceLength: 12, seed: 3 }), 0, 'forward').values);
    assert.equal(await runs.hiddenStates(run.id, 0, 'forward'), reply, 'the second time from memory');
    await assert.rejects(runs.hiddenStates(run.id, 1, 'forward'), /layer 2 does not exist: the network has 1 layer$/);
    await assert.rejects(runs.hiddenStates('../escape', 0, 'forward'), /not a run id/);
    await assert.rejects(runs.hiddenStates('no-such-run', 0, 'forward'), /there is no saved run no-such-run in /);
    // A link inside the runs folder that points at another folder is not a run of this folder.
    const elsewhere = temporaryFolder('rnn-lab-elsewhere-');
    mkdirSync(join(elsewhere, 'run'));
    symlinkSync(join(elsewhere, 'run'), join(root, 'linked-run'));
    await assert.rejects(runs.hiddenStates('linked-run', 0, 'forward'), /there is no saved run linked-run/);
    await assert.rejects(runs.loadRun('linked-run'), /there is no saved run linked-run/);
    // A corrupt model.json is named, and a later request asks again (failures are not remembered).
    const other = first.runs.startRun({ task: 'adding', sequenceLength: 6, hidden: 3, steps: 2 });
    await other.ended;
    const modelPath = join(other.directory, RUN_FILES.model);
    writeFileSync(modelPath, '{"format": "rnn-lab-model"');
    await assert.rejects(runs.hiddenStates(other.id, 0, 'forward'), (error: Error) => error.message.startsWith(`${modelPath} is not valid JSON`));
    await assert.rejects(runs.hiddenStates(other.id, 0, 'forward'), (error: Error) => error.message.startsWith(modelPath));
  });

  it('keeps runs started together in their start order after they are saved (so a dashboard reload keeps their colours)', async () => {
    const root = temporaryFolder();
    const { runs } = manager(root);
    managers.push(runs);
    // As Compare Cells does: three runs started in one go, finishing in whatever order the threads finish.
    const started = (['rnn', 'gru', 'lstm'] as const).map((cell) => runs.startRun({ task: 'adding', sequenceLength: 5, cell, hidden: 3, steps: 5 }));
    const startTimes = started.map((run) => run.info.startedAt);
    assert.deepEqual([...startTimes].sort(), startTimes, 'start times increase in start order, never tie');
    assert.equal(new Set(startTimes).size, 3);
    await Promise.all(started.map((run) => run.ended));
    const init = await runs.snapshot();
    assert.deepEqual(init.runs.map((run) => run.config.cell), ['rnn', 'gru', 'lstm']);
    assert.deepEqual(init.runs.map((run) => run.startedAt), startTimes, 'summary.json keeps the host\'s start time');
  });

  it('lists every saved run in init, replays the most recent, and loads any other by id from the runs folder only', async () => {
    const root = temporaryFolder();
    const { runs } = manager(root, { maxReplayedSavedRuns: 1 });
    managers.push(runs);
    const ids: string[] = [];
    for (const seed of [1, 2, 3]) {
      const run = runs.startRun({ task: 'adding', sequenceLength: 5, hidden: 3, steps: 4 + seed, seed });
      await run.ended;
      ids.push(run.id);
    }
    const init = await runs.snapshot();
    assert.ok(parseToPanel(JSON.parse(JSON.stringify(init))).ok);
    assert.deepEqual(init.saved.map((entry) => entry.id).sort(), [...ids].sort());
    assert.ok(init.saved.every((entry) => entry.status === 'done' && /^LSTM · adding · h3 · seed \d$/.test(entry.label)));
    assert.equal(init.runs.length, 1, 'only the most recent saved run is replayed');
    assert.equal(init.runs[0].id, init.saved[0].id);
    assert.equal(init.runs[0].task.mode, 'many-to-one');
    const older = init.saved[2].id;
    assert.equal(init.history.find((entry) => entry.runId === older), undefined);
    const loaded = await runs.loadRun(older);
    assert.equal(loaded.run.id, older);
    assert.equal(loaded.history.length, loaded.run.config.steps);
    assert.deepEqual(loaded.history.map((s) => s.step), Array.from({ length: loaded.run.config.steps }, (_, i) => i + 1));
    for (const hostile of ['../x', '..', '/etc', 'a/b']) await assert.rejects(runs.loadRun(hostile), /not a run id/);
    await assert.rejects(runs.loadRun('20000101-000000-gone'), /there is no saved run 20000101-000000-gone/);
  });

  it('answers every dashboard request, and a failed one with its error instead of nothing', async () => {
    const root = temporaryFolder();
    const { runs } = manager(root);
    managers.push(runs);
    const log: string[] = [];
    const adding = runs.startRun({ task: 'adding', sequenceLength: 5, hidden: 3, steps: 3 });
    await adding.ended;
    const check = (reply: ToPanel): ToPanel => {
      const parsed = parseToPanel(JSON.parse(JSON.stringify(reply)));
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
      return reply;
    };
    assert.deepEqual(check(await answer(runs, { type: 'sample', runId: adding.id, temperature: 1, seed: 4 }, (line) => log.push(line))),
      { type: 'sample', runId: adding.id, text: '', temperature: 1, seed: 4, error: 'this run\'s task (adding) is not a character task, so its model has no text to write; sample a run of dinos or text' });
    assert.deepEqual(check(await answer(runs, { type: 'hiddenStates', runId: 'gone', layer: 0, direction: 'forward' }, (line) => log.push(line))),
      { type: 'hiddenStates', runId: 'gone', layer: 0, direction: 'forward', error: `there is no saved run gone in ${root}` });
    assert.deepEqual(check(await answer(runs, { type: 'loadRun', runId: 'gone' }, (line) => log.push(line))), { type: 'runLoaded', runId: 'gone', error: `there is no saved run gone in ${root}` });
    assert.equal(log.length, 3, 'each failure is logged');
    const ok = check(await answer(runs, { type: 'hiddenStates', runId: adding.id, layer: 0, direction: 'forward' }, (line) => log.push(line)));
    assert.ok(ok.type === 'hiddenStates' && 'values' in ok && ok.values.length === 5);
    const loaded = check(await answer(runs, { type: 'loadRun', runId: adding.id }, (line) => log.push(line)));
    assert.ok(loaded.type === 'runLoaded' && 'run' in loaded && loaded.history.length === 3);
  });

  it('routes a worker\'s refusal to the request that caused it: a failed sample does not disturb the live run', async () => {
    const root = temporaryFolder();
    const { runs, log } = manager(root);
    managers.push(runs);
    const run = runs.startRun({ ...DEFAULT_RUN, steps: 100_000 });
    await untilStep(runs, run.id, 2);
    const [sample, states] = await Promise.allSettled([runs.sample(run.id, 1, 1, 1), runs.hiddenStates(run.id, 0, 'forward')]);
    assert.equal(sample.status, 'rejected');
    assert.match((sample as PromiseRejectedResult).reason.message, /task \(adding\) is not a character task/);
    assert.equal(states.status, 'fulfilled', 'the other request in flight is answered, not blamed for the error');
    runs.stop(run.id);
    assert.equal((await run.ended).status, 'stopped');
    assert.ok(!log.some((line) => line.includes('not a character task')), 'a refused request is not logged as a worker error');
  });
});
