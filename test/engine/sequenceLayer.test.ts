// Engine tests: the time loop (layers/sequenceLayer.ts) on its own, around a fake cell whose every number can be
// worked out by hand — so a fault in the loop (step order, time positions, the carried gradients, the input
// projection and its gradients) shows here, apart from any real cell's arithmetic.
import assert from 'node:assert/strict';
import type { CellState, GateInfo, RecurrentCell } from '../../src/engine/cells/cell';
import { SequenceLayer } from '../../src/engine/layers/sequenceLayer';
import { createParameter, type Parameter } from '../../src/engine/parameter';

/**
 * A running sum with a memory, H = 1, one "gate" (the input projection p = 2x + 1, through W_ih = [[2]], b_ih = [1]):
 *   c⟨t⟩ = c⟨t−1⟩ + p⟨t⟩;   h⟨t⟩ = h⟨t−1⟩ + c⟨t⟩
 * Backward: dc = dc_next + dh (the total, left in dNext.c as the interface asks); dGates = dc; dh_prev = dh; dc_prev = dc.
 * Records the processing steps it is called with, to check the order. `kind` and `variant` only satisfy the interface
 * (an LSTM's, for the cell state): the float64 loop never reads them.
 */
class RunningSumCell implements RecurrentCell {
  readonly kind = 'lstm';
  readonly variant = 'lstm';
  readonly inputSize = 1;
  readonly hiddenSize = 1;
  readonly hasCellState = true;
  readonly gates: readonly GateInfo[] = [{ name: 'p', activation: 'tanh' }];
  readonly weightIh: Parameter = createParameter('weight_ih_l0', [1, 1]);
  readonly weightHh: Parameter = createParameter('weight_hh_l0', [1, 1]);
  readonly biasIh: Parameter = createParameter('bias_ih_l0', [1]);
  readonly biasHh: Parameter = createParameter('bias_hh_l0', [1]);
  readonly forwardCalls: number[] = [];
  readonly backwardCalls: number[] = [];
  private projections: Float64Array[] = [];

  constructor() {
    this.weightIh.value.data[0] = 2;
    this.biasIh.value.data[0] = 1;
  }

  prepare(steps: number): void {
    this.projections = new Array<Float64Array>(steps);
  }

  forwardStep(t: number, xProjection: Float64Array, previous: CellState, next: CellState): void {
    this.forwardCalls.push(t);
    this.projections[t] = xProjection.slice();
    for (let b = 0; b < next.h.length; b++) {
      next.c![b] = previous.c![b] + xProjection[b];
      next.h[b] = previous.h[b] + next.c![b];
    }
  }

  gateValues(t: number): Float64Array {
    return this.projections[t];
  }

  backwardStep(t: number, _previous: CellState, _next: CellState, dNext: CellState, dGates: Float64Array, dPrevious: CellState): void {
    this.backwardCalls.push(t);
    for (let b = 0; b < dNext.h.length; b++) {
      dNext.c![b] += dNext.h[b];
      dGates[b] = dNext.c![b];
      dPrevious.h[b] = dNext.h[b];
      dPrevious.c![b] = dNext.c![b];
    }
  }
}

// T = 3 steps of B = 2 examples, [T, B, I]: example 0 reads 1, 2, 3; example 1 reads 0, 1, 0.
const x = Float64Array.of(1, 0, 2, 1, 3, 0);
const zerosOfBatch = (): Float64Array => new Float64Array(2);
const close = (actual: ArrayLike<number>, expected: number[]): void => {
  assert.equal(actual.length, expected.length, `length ${actual.length}, expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) < 1e-12, `[${i}] ${actual[i]}, expected ${expected[i]}`);
};

describe('the time loop around a fake, hand-computable cell', () => {
  it('forward: projects the input (p = 2x + 1), walks t = 0, 1, 2, stores the outputs by time position', () => {
    const cell = new RunningSumCell();
    const loop = new SequenceLayer(cell, false);
    const { outputs, h, c } = loop.forward(x, 3, 2, zerosOfBatch(), zerosOfBatch());
    // p: example 0 → 3, 5, 7; example 1 → 1, 3, 1.  c: 3, 8, 15 and 1, 4, 5.  h: 3, 11, 26 and 1, 5, 10.
    close(outputs, [3, 1, 11, 5, 26, 10]);
    close(h, [26, 10]);
    close(c!, [15, 5]);
    assert.deepEqual(cell.forwardCalls, [0, 1, 2]);
    close(loop.hiddenStates(), [3, 1, 11, 5, 26, 10]);
    const [gate] = loop.gateStatistics();
    close(gate.mean, [2, 4, 4]);   // the mean projection over the batch at each t
  });

  it('backward: carries dh and dc from t + 1, records their norms, and turns dGates into dW_ih, db_ih and dx', () => {
    const cell = new RunningSumCell();
    const loop = new SequenceLayer(cell, false);
    loop.forward(x, 3, 2, zerosOfBatch(), zerosOfBatch());
    const dx = new Float64Array(6);
    // A loss of 1 on every output: dh⟨t⟩ = 1 + dh⟨t+1⟩ → 3, 2, 1;  dc⟨t⟩ = dh⟨t⟩ + dc⟨t+1⟩ → 6, 3, 1 (both examples).
    const { dh0, dc0 } = loop.backward(new Float64Array(6).fill(1), null, null, dx);
    assert.deepEqual(cell.backwardCalls, [2, 1, 0]);
    close(loop.hiddenGradNorms, [3 * Math.SQRT2, 2 * Math.SQRT2, Math.SQRT2]);
    close(loop.cellGradNorms, [6 * Math.SQRT2, 3 * Math.SQRT2, Math.SQRT2]);
    close(dh0, [3, 3]);
    close(dc0!, [6, 6]);
    close(dx, [12, 12, 6, 6, 2, 2]);                     // dx = dGates·W_ih = 2·dc
    close(cell.weightIh.grad.data, [6 * 1 + 6 * 0 + 3 * 2 + 3 * 1 + 1 * 3 + 1 * 0]);   // Σ dGates·x = 18
    close(cell.biasIh.grad.data, [20]);                  // Σ dGates
  });

  it('backward from the final state only (no loss on the outputs, no dx asked for)', () => {
    const cell = new RunningSumCell();
    const loop = new SequenceLayer(cell, false);
    loop.forward(x, 3, 2, zerosOfBatch(), zerosOfBatch());
    // dh_final = (1, 0), dc_final = (0, 1): example 0 has dh = 1 and dc = 1, 2, 3 going back; example 1 dh = 0, dc = 1.
    const { dh0, dc0 } = loop.backward(null, Float64Array.of(1, 0), Float64Array.of(0, 1), null);
    close(loop.hiddenGradNorms, [1, 1, 1]);
    close(loop.cellGradNorms, [Math.sqrt(9 + 1), Math.sqrt(4 + 1), Math.sqrt(1 + 1)]);
    close(dh0, [1, 0]);
    close(dc0!, [3, 1]);
    close(cell.weightIh.grad.data, [3 * 1 + 1 * 0 + 2 * 2 + 1 * 1 + 1 * 3 + 1 * 0]);   // 11
  });

  it('reverse: reads t = 2, 1, 0, still stores by time position, and its gradients follow the reading order', () => {
    const cell = new RunningSumCell();
    const loop = new SequenceLayer(cell, true);
    const { outputs, h } = loop.forward(x, 3, 2, zerosOfBatch(), zerosOfBatch());
    // Example 0 reads p = 7, 5, 3: c = 7, 12, 15 and h = 7, 19, 34 at t = 2, 1, 0. Example 1 reads 1, 3, 1.
    close(outputs, [34, 10, 19, 5, 7, 1]);
    close(h, [34, 10]);
    assert.deepEqual(cell.forwardCalls, [0, 1, 2]);   // processing steps; the loop maps them to t = 2, 1, 0
    const dx = new Float64Array(6);
    loop.backward(new Float64Array(6).fill(1), null, null, dx);
    close(loop.hiddenGradNorms, [Math.SQRT2, 2 * Math.SQRT2, 3 * Math.SQRT2]);
    close(loop.cellGradNorms, [Math.SQRT2, 3 * Math.SQRT2, 6 * Math.SQRT2]);
    close(dx, [2, 2, 6, 6, 12, 12]);
    close(cell.weightIh.grad.data, [1 * 1 + 1 * 0 + 3 * 2 + 3 * 1 + 6 * 3 + 6 * 0]);   // 28
  });

  it('a second forward of a shorter, smaller batch reuses the loop without reading stale steps', () => {
    const cell = new RunningSumCell();
    const loop = new SequenceLayer(cell, false);
    loop.forward(x, 3, 2, zerosOfBatch(), zerosOfBatch());
    const { outputs } = loop.forward(Float64Array.of(1, 2), 2, 1, Float64Array.of(10), Float64Array.of(100));
    // p = 3, 5 from h0 = 10, c0 = 100: c = 103, 108; h = 113, 221.
    close(outputs, [113, 221]);
    const { dh0, dc0 } = loop.backward(Float64Array.of(1, 1), null, null, null);
    close(loop.hiddenGradNorms, [2, 1]);
    close(dh0, [2]);
    close(dc0!, [3]);
  });
});
