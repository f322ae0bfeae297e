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
