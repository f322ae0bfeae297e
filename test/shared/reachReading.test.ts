// Webview tests: the plain-language reading under the ‖∂L/∂a⟨t⟩‖ chart (reachReading.ts), from real engine runs (float32 WebAssembly).
import * as assert from 'node:assert/strict';
import { DashboardState } from '../../src/webview/dashboardState';
import { describeReach } from '../../src/shared/reachReading';
import { initOf, trainRun } from '../webview/engineRuns';

describe('webview: the reading of ‖∂L/∂a⟨t⟩‖ per time step', () => {
  it('a tanh RNN at T = 100 (adding, hidden 32, seeded) reads how many powers of ten the gradient lost, never that nothing reached t = 1', () => {
    const run = trainRun('tanh-100', 'RNN · adding · T 100 · h32 · seed 1', { task: 'adding', sequenceLength: 100, cell: 'rnn', hidden: 32, steps: 5, seed: 1 }, 'done');
    const state = new DashboardState();
    state.apply(initOf([run]));
    const kept = state.runs[0].timeGradients.items();
    assert.ok(kept.length > 0);
    for (const step of kept) {
      const values = step.series[0].hidden;
      assert.ok(values[0] > 0 && values[0] < 1e-20, `step ${step.step}: ‖∂L/∂a⟨1⟩‖ = ${values[0]}`);
      assert.match(describeReach('RNN', step.step, values, '‖∂L/∂a⟨t⟩‖'), /and [0-9.e−-]+ at t = 1: (2[0-9]|3[0-9]) powers of ten smaller/);
    }
  });

  it('a norm of 0 at t = 1 is read as zero or below float64\'s range, not as a value', () => {
    const reading = describeReach('RNN', 7, Float64Array.of(0, 1e-300, 0.5), '‖∂L/∂a⟨t⟩‖');
    assert.match(reading, /0 at t = 1 \(zero, or below 4\.9e-324, the smallest number float64 holds\)/);
  });
});
