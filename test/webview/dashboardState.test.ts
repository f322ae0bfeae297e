// Webview tests: the dashboard's state as messages arrive — here, runs that share a label are told apart.
import * as assert from 'node:assert/strict';
import { DashboardState } from '../../src/webview/dashboardState';
import { initOf, trainRun } from './engineRuns';

describe('webview: runs with the same settings get distinct labels', () => {
  const label = 'LSTM · adding · h8 · seed 1';
  const settings = { task: 'adding', sequenceLength: 6, cell: 'lstm' as const, hidden: 8, steps: 3, seed: 1 };
  const first = trainRun('run-a', label, settings, 'done');
  const second = trainRun('run-b', label, settings, 'done');
  const other = trainRun('run-c', 'GRU · adding · h8 · seed 1', { ...settings, cell: 'gru' }, 'done');

  it('numbers the second and third run "(2)", "(3)" in the order they arrive; other labels stay as they are', () => {
    const state = new DashboardState();
    state.apply(initOf([first, second, other]));
    const third = trainRun('run-d', label, settings);
    state.apply({ type: 'runStarted', run: third.info });
    assert.deepEqual(state.runs.map((run) => run.info.label), [label, `${label} (2)`, 'GRU · adding · h8 · seed 1', `${label} (3)`]);
    assert.deepEqual(state.runs.map((run) => run.label), [label, label, 'GRU · adding · h8 · seed 1', label], 'each run keeps its own label');
  });

  it('a run loaded again keeps the label it is shown with', () => {
    const state = new DashboardState();
    state.apply(initOf([first, second]));
    state.apply({ type: 'runLoaded', run: second.info, history: second.steps });
    assert.deepEqual(state.runs.map((run) => run.info.label), [label, `${label} (2)`]);
  });
});

describe('webview: runs whose ids are names of Object.prototype members', () => {
  const settings = { task: 'adding', sequenceLength: 6, cell: 'gru' as const, hidden: 4, seed: 1 };
  const ids = ['__proto__', 'toString', 'constructor', 'hasOwnProperty'];
  // Different lengths, so a run that shows another's history (or the prototype's) is caught.
  const runs = ids.map((id, i) => trainRun(id, `GRU · ${id}`, { ...settings, steps: 2 + i }, 'done'));

  it('shows each with its own history after init, also when one of them has no history', () => {
    const state = new DashboardState();
    const init = initOf(runs, true);
    state.apply({ ...init, history: init.history.filter((entry) => entry.runId !== 'toString') });
    assert.deepEqual(state.runs.map((run) => run.info.id), ids);
    assert.deepEqual(state.runs.map((run) => run.steps.length), [2, 0, 4, 5]);
  });

  it('routes metrics, endings, load errors and samples to the run of that id', () => {
    const state = new DashboardState();
    state.apply(initOf([]));
    for (const run of runs) state.apply({ type: 'runStarted', run: { ...run.info, status: 'running' } });
    state.apply({ type: 'metrics', runId: 'constructor', steps: runs[2].steps });
    state.apply({ type: 'runEnded', runId: '__proto__', status: 'stopped', message: 'stopped by the test' });
    state.apply({ type: 'sample', runId: 'hasOwnProperty', text: 'abc', temperature: 1, seed: 2 });
    assert.deepEqual(state.runs.map((run) => run.steps.length), [0, 0, 4, 0]);
    assert.deepEqual(state.runs.map((run) => run.status), ['stopped', 'running', 'running', 'running']);
    assert.equal(state.run('hasOwnProperty')?.sample?.text, 'abc');
    state.requestLoad('valueOf');
    state.apply({ type: 'runLoaded', runId: 'valueOf', error: 'gone' });
    assert.equal(state.loadErrors.get('valueOf'), 'gone');
    assert.equal(state.run('valueOf'), undefined);
  });
});
