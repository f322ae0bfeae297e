// Run ids are folder names, and `__proto__`, `toString`, `constructor` and `hasOwnProperty` are valid ones: the host
// lists, replays, loads and samples such runs, and the dashboard's state shows each with its own history — an id is
// never looked up on an object's prototype.
import assert from 'node:assert/strict';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { RunManager } from '../../src/extension/host/runManager';
import { parseToPanel, RUN_ID_PATTERN, type ToPanel } from '../../src/shared/protocol';
import { DashboardState } from '../../src/webview/dashboardState';
import { ensureWorkerBuilt, temporaryFolder } from './extensionHarness';

const PROTOTYPE_IDS = ['__proto__', 'toString', 'constructor', 'hasOwnProperty'] as const;

/** What the panel does with a message: JSON for the webview, then the dashboard's own validator. */
function overTheWire(message: ToPanel): ToPanel {
  const parsed = parseToPanel(JSON.parse(JSON.stringify(message)) as unknown);
  assert.ok(parsed.ok, `the dashboard would refuse: ${parsed.ok ? '' : parsed.reason}`);
  return parsed.message;
}

describe('run ids that are names of Object.prototype members', function () {
  this.timeout(120_000);
  let root: string;
  let runs: RunManager;
  /** Steps each run trained: all different, so a run showing another's history is caught. */
  const stepsOf = new Map<string, number>();

  before(async () => {
    root = temporaryFolder();
    runs = new RunManager({ workerScript: ensureWorkerBuilt(), version: '0.0.0-test', runsRoot: () => root, metricsPerSecond: () => 20, log: () => undefined });
    for (const [index, id] of PROTOTYPE_IDS.entries()) {
      assert.ok(RUN_ID_PATTERN.test(id), `${id} is a valid run id`);
      const steps = 3 + index;
      // A character task, so sampling has something to write.
      const run = runs.startRun({ task: 'dinos', sequenceLength: 5, cell: 'rnn', hidden: 4, steps, seed: index + 1 });
      assert.equal((await run.ended).status, 'done');
      renameSync(run.directory, join(root, id));
      stepsOf.set(id, steps);
    }
  });

  after(() => runs.dispose());

  it('lists and replays every one of them in init, each with its own history, and the dashboard shows them', async () => {
    const init = overTheWire(await runs.snapshot());
    assert.equal(init.type, 'init');
    if (init.type !== 'init') return;
    assert.deepEqual(init.saved.map((entry) => entry.id).sort(), [...PROTOTYPE_IDS].sort());
    assert.deepEqual(init.runs.map((run) => run.id).sort(), [...PROTOTYPE_IDS].sort());
    const state = new DashboardState();
    state.apply(init);
    assert.deepEqual(state.runs.map((run) => run.info.id).sort(), [...PROTOTYPE_IDS].sort());
    for (const id of PROTOTYPE_IDS) {
      const run = state.run(id);
      assert.ok(run, `the dashboard has run ${id}`);
      assert.deepEqual(run.steps, Array.from({ length: stepsOf.get(id)! }, (_, i) => i + 1), `run ${id} shows its own steps`);
      assert.equal(run.status, 'done');
    }
  });

  it('loads, samples and computes hidden states of each by id', async () => {
    const state = new DashboardState();
    for (const id of PROTOTYPE_IDS) {
      const loaded = await runs.loadRun(id);
      assert.equal(loaded.run.id, id);
      state.apply(overTheWire({ type: 'runLoaded', ...loaded }));
      assert.equal(state.run(id)?.steps.length, stepsOf.get(id));
      const [text] = await runs.sample(id, 1, 7, 1);
      assert.equal(typeof text, 'string');
      const states = await runs.hiddenStates(id, 0, 'forward');
      assert.equal(states.runId, id);
      assert.equal(states.values.length, 5);
      state.apply(overTheWire(states));
      assert.equal(state.run(id)?.hiddenStates.size, 1);
    }
    assert.equal(runs.directoryOf('__proto__'), join(root, '__proto__'));
  });

  it('the dashboard state keeps runs of these ids apart when messages arrive for them one by one', () => {
    const state = new DashboardState();
    state.apply({ type: 'init', runs: [], history: [], saved: [] });
    for (const id of PROTOTYPE_IDS) state.apply({ type: 'runLoaded', runId: id, error: `no ${id}` });
    for (const id of PROTOTYPE_IDS) assert.equal(state.loadErrors.get(id), `no ${id}`);
    assert.equal(state.run('toString'), undefined);
  });
});
