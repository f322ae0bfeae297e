// The one worker thread that answers about saved runs (real worker_threads, dist/worker.js as shipped): twelve
// dashboard sample requests at once start one thread, not twelve, and are answered in the order asked, each with the
// text `rnn-lab sample` writes for its seed; a failing request fails alone; the thread ends when idle and on dispose.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answer } from '../../src/extension/host/dashboardRequests';
import { RunManager, type RunManagerOptions } from '../../src/extension/host/runManager';
import { parseToPanel, type ToPanel } from '../../src/shared/protocol';
import { RUN_FILES } from '../../src/shared/runStoreFormat';
import { CLI } from '../cli/cliHarness';
import { ensureWorkerBuilt, temporaryFolder } from './extensionHarness';

/** The ids of this process's threads right now (Linux: /proc/self/task; a worker thread adds one). */
function threadIds(): string[] {
  return readdirSync('/proc/self/task');
}

/** Threads alive now that were not in `before`. */
function threadsSince(before: ReadonlySet<string>): string[] {
  return threadIds().filter((id) => !before.has(id));
}

/**
 * Runs `work` while looking at this process's threads every millisecond; returns its result and how many threads
 * appeared meanwhile (ids not there at the start: a thread of an earlier test that ends meanwhile does not count).
 */
async function withNewThreads<T>(work: () => Promise<T>): Promise<{ result: T; started: number }> {
  const before = new Set(threadIds());
  const seen = new Set<string>();
  const look = (): void => {
    for (const id of threadIds()) if (!before.has(id)) seen.add(id);
  };
  const timer = setInterval(look, 1);
  try {
    const result = await work();
    look();
    return { result, started: seen.size };
  } finally {
    clearInterval(timer);
  }
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function cliSamples(directory: string, temperature: number, seed: number, count: number): string[] {
  const output = execFileSync(process.execPath, [CLI, 'sample', '--model', directory, '--temperature', String(temperature), '--seed', String(seed), '--n', String(count)], { encoding: 'utf8' });
  return output.split('\n').slice(0, count);
}

describe('the worker for saved runs: one thread, a queue', function () {
  this.timeout(120_000);
  const LINUX = process.platform === 'linux';
  let root: string;
  let runs: RunManager;
  let dinos: { id: string; directory: string };
  let other: { id: string; directory: string };
  let adding: { id: string; directory: string };

  function manager(extra: Partial<RunManagerOptions> = {}): RunManager {
    return new RunManager({ workerScript: ensureWorkerBuilt(), version: '0.0.0-test', runsRoot: () => root, metricsPerSecond: () => 20, log: () => undefined, ...extra });
  }

  before(async () => {
    root = temporaryFolder();
    const trainer = manager();
    const started = [
      trainer.startRun({ task: 'dinos', cell: 'lstm', hidden: 16, steps: 20, seed: 1 }),
      trainer.startRun({ task: 'dinos', cell: 'gru', hidden: 8, steps: 10, seed: 2 }),
      trainer.startRun({ task: 'adding', sequenceLength: 5, hidden: 4, steps: 2 }),
    ];
    for (const run of started) assert.equal((await run.ended).status, 'done');
    [dinos, other, adding] = started;
    await trainer.dispose();
    // Warm the thread pool that file reads use, so the only threads that appear below are worker threads.
    await Promise.all(Array.from({ length: 8 }, () => import('node:fs/promises').then((fs) => fs.readFile(join(dinos.directory, RUN_FILES.config)))));
  });

  afterEach(() => runs?.dispose());

  it('answers 12 dashboard sample requests sent at once from one worker thread, in order, each as `rnn-lab sample` does', async () => {
    runs = manager();
    const seeds = Array.from({ length: 12 }, (_, i) => 100 + i);
    const order: number[] = [];
    const { result: replies, started } = await withNewThreads(() => Promise.all(seeds.map((seed, i) =>
      answer(runs, { type: 'sample', runId: dinos.id, temperature: 0.7, seed }, () => undefined).then((reply) => {
        order.push(i);
        return reply;
      }))));
    if (LINUX) assert.equal(started, 1, `${started} threads were started for 12 requests`);
    assert.deepEqual(order, seeds.map((_, i) => i), 'answered in the order asked');
    const expected = cliSamples(dinos.directory, 0.7, 100, 12);
    assert.deepEqual(replies.map((reply) => reply.type === 'sample' ? [reply.seed, reply.text, reply.error] : reply.type),
      seeds.map((seed, i) => [seed, expected[i], undefined]));
    for (const reply of replies) assert.ok(parseToPanel(JSON.parse(JSON.stringify(reply)) as ToPanel).ok);
  });

  it('a failing request fails alone: requests about other runs, before and after it, are answered right', async () => {
    runs = manager();
    const { result, started } = await withNewThreads(() => Promise.allSettled([
      runs.sample(dinos.id, 1, 5, 1),
      runs.sample(adding.id, 1, 5, 1),
      runs.sample(other.id, 1, 5, 1),
      runs.hiddenStates(adding.id, 0, 'forward'),
      runs.sample('gone', 1, 5, 1),
      runs.hiddenStates(dinos.id, 0, 'forward'),
      runs.sample(dinos.id, 1, 6, 1),
    ]));
    if (LINUX) assert.equal(started, 1, `${started} threads were started`);
    const [first, notText, fromOther, addingStates, gone, dinosStates, last] = result;
    assert.deepEqual(first.status === 'fulfilled' && first.value, cliSamples(dinos.directory, 1, 5, 1));
    assert.equal(notText.status, 'rejected');
    assert.match((notText as PromiseRejectedResult).reason.message, /task \(adding\) is not a character task/);
    assert.deepEqual(fromOther.status === 'fulfilled' && fromOther.value, cliSamples(other.directory, 1, 5, 1));
    assert.ok(addingStates.status === 'fulfilled' && addingStates.value.values.length === 5);
    assert.equal(gone.status, 'rejected');
    assert.match((gone as PromiseRejectedResult).reason.message, /there is no saved run gone/);
    assert.ok(dinosStates.status === 'fulfilled' && dinosStates.value.runId === dinos.id);
    assert.deepEqual(last.status === 'fulfilled' && last.value, cliSamples(dinos.directory, 1, 6, 1));
  });

  it('a corrupt model.json refuses its own requests only', async () => {
    runs = manager();
    const copy = join(root, 'corrupt-copy');
    execFileSync('cp', ['-r', other.directory, copy]);
    writeFileSync(join(copy, RUN_FILES.model), '{ not json');
    const [bad, good] = await Promise.allSettled([runs.sample('corrupt-copy', 1, 1, 1), runs.sample(dinos.id, 1, 1, 1)]);
    assert.equal(bad.status, 'rejected');
    assert.match((bad as PromiseRejectedResult).reason.message, /model\.json is not valid JSON/);
    assert.deepEqual(good.status === 'fulfilled' && good.value, cliSamples(dinos.directory, 1, 1, 1));
  });

  it('the thread ends when idle, and the next request starts a new one', async () => {
    runs = manager({ savedRunWorkerIdleMs: 200 });
    const before = new Set(threadIds());
    const [text] = await runs.sample(dinos.id, 1, 3, 1);
    if (LINUX) {
      const worker = threadsSince(before);
      assert.equal(worker.length, 1, 'the thread is there while requests may follow');
      await until(() => !threadIds().includes(worker[0]), 'the idle thread to end');
    }
    assert.deepEqual(await runs.sample(dinos.id, 1, 3, 1), [text], 'a new thread answers the same');
  });

  it('the thread ends on dispose (the extension deactivating), and later requests are refused', async () => {
    runs = manager();
    const before = new Set(threadIds());
    await runs.sample(dinos.id, 1, 3, 1);
    const worker = threadsSince(before);
    await runs.dispose();
    if (LINUX) {
      assert.equal(worker.length, 1);
      await until(() => !threadIds().includes(worker[0]), 'the thread to end on dispose');
    }
    await assert.rejects(runs.sample(dinos.id, 1, 3, 1), /shutting down/);
  });
});
