// The course-notation bidirectional RNN (course.birnnForward) against the engine's bidirectional RecurrentStack holding
// the same weights, what each half of a⟨t⟩ reads, and its argument errors.
import * as assert from 'node:assert/strict';
import { birnnForward, randnInOrder, rnnForward, type RnnParameters } from '../../src/engine/course';
import { RecurrentStack } from '../../src/engine/layers/recurrentStack';
import { RandomState } from '../../src/engine/random/randomState';
import type { Tensor } from '../../src/engine/tensor';

const [nX, nA, nY, m, Tx] = [3, 5, 2, 4, 6];

function courseInputs(seed: number): { x: Tensor; a0Forward: Tensor; a0Backward: Tensor; forward: RnnParameters; backward: RnnParameters } {
  const [x, a0Forward, a0Backward, Waa, Wax, Wya, ba, by, WaaBack, WaxBack, WyaBack, baBack, byBack] = randnInOrder(seed,
    [nX, m, Tx], [nA, m], [nA, m], [nA, nA], [nA, nX], [nY, nA], [nA, 1], [nY, 1], [nA, nA], [nA, nX], [nY, nA], [nA, 1], [nY, 1]);
  return {
    x, a0Forward, a0Backward,
    forward: { Waa, Wax, Wya, ba, by },
    backward: { Waa: WaaBack, Wax: WaxBack, Wya: WyaBack, ba: baBack, by: byBack },
  };
}

/** Entry [i, b, t] of an (n, m, T) course array. */
const entry = (a: Tensor, i: number, b: number, t: number): number => a.data[(i * a.shape[1] + b) * a.shape[2] + t];

/** A course array (n, m, T) as the engine's time-major [T, m, n]. */
function timeMajor(a: Tensor): Tensor {
  const [n, batch, T] = a.shape;
  const data = new Float64Array(n * batch * T);
  for (let i = 0; i < n; i++) for (let b = 0; b < batch; b++) for (let t = 0; t < T; t++) data[(t * batch + b) * n + i] = entry(a, i, b, t);
  return { shape: [T, batch, n], data };
}

describe('course API: birnnForward (a bidirectional basic RNN)', () => {
  for (const seed of [1, 2]) {
    it(`equals the engine's bidirectional RNN holding the same weights, forward then reverse (seed ${seed})`, () => {
      const { x, a0Forward, a0Backward, forward, backward } = courseInputs(seed);
      const a = birnnForward(x, a0Forward, a0Backward, forward, backward);
      assert.deepEqual(a.shape, [2 * nA, m, Tx]);
      const stack = new RecurrentStack({ cell: 'rnn', inputSize: nX, hiddenSize: nA, numLayers: 1, bidirectional: true }, new RandomState(0));
      const zeros = new Float64Array(nA);
      stack.loadStateDict({
        weight_ih_l0: forward.Wax, weight_hh_l0: forward.Waa, bias_ih_l0: { shape: [nA], data: forward.ba.data }, bias_hh_l0: { shape: [nA], data: zeros },
        weight_ih_l0_reverse: backward.Wax, weight_hh_l0_reverse: backward.Waa, bias_ih_l0_reverse: { shape: [nA], data: backward.ba.data }, bias_hh_l0_reverse: { shape: [nA], data: zeros },
      });
      const h0 = new Float64Array(2 * m * nA);
      for (let b = 0; b < m; b++) {
        for (let j = 0; j < nA; j++) {
          h0[b * nA + j] = a0Forward.data[j * m + b];
          h0[(m + b) * nA + j] = a0Backward.data[j * m + b];
        }
      }
      const { output } = stack.forward(timeMajor(x), { h: { shape: [2, m, nA], data: h0 } });
      const expected = timeMajor(a);
      assert.deepEqual(output.shape, expected.shape);
      output.data.forEach((value, i) => assert.ok(Math.abs(value - expected.data[i]) < 1e-12, `entry ${i}: ${value} vs ${expected.data[i]}`));
    });
  }

  it('the top half is the forward RNN; the bottom half at step t has read x⟨t⟩ … x⟨T_x⟩ only', () => {
    const { x, a0Forward, a0Backward, forward, backward } = courseInputs(3);
    const a = birnnForward(x, a0Forward, a0Backward, forward, backward);
    const [aForward] = rnnForward(x, a0Forward, forward);
    for (let i = 0; i < nA; i++) for (let b = 0; b < m; b++) for (let t = 0; t < Tx; t++) assert.equal(entry(a, i, b, t), entry(aForward, i, b, t));
    // Change x at step 3 (t = 2 in code): the forward half changes from step 3 on, the backward half up to step 3.
    const changed: Tensor = { shape: x.shape, data: Float64Array.from(x.data) };
    for (let i = 0; i < nX; i++) for (let b = 0; b < m; b++) changed.data[(i * m + b) * Tx + 2] += 1;
    const aChanged = birnnForward(changed, a0Forward, a0Backward, forward, backward);
    for (let t = 0; t < Tx; t++) {
      const differs = (rows: number[]): boolean => rows.some((i) => Array.from({ length: m }, (_, b) => b).some((b) => entry(a, i, b, t) !== entry(aChanged, i, b, t)));
      const forwardRows = Array.from({ length: nA }, (_, i) => i);
      const backwardRows = forwardRows.map((i) => nA + i);
      assert.equal(differs(forwardRows), t >= 2, `forward half at t = ${t}`);
      assert.equal(differs(backwardRows), t <= 2, `backward half at t = ${t}`);
    }
  });

  it('names the argument whose shape is wrong', () => {
    const { x, a0Forward, a0Backward, forward, backward } = courseInputs(1);
    assert.throws(() => birnnForward({ shape: [nX, m], data: new Float64Array(nX * m) }, a0Forward, a0Backward, forward, backward),
      { name: 'RangeError', message: /^birnnForward: x has shape \[3, 4\], expected \(n_x, m, T_x\)/ });
    assert.throws(() => birnnForward(x, a0Forward, { shape: [nA + 1, m], data: new Float64Array((nA + 1) * m) }, forward, backward),
      { name: 'RangeError', message: /^birnnForward: a0Backward has shape \[6, 4\], expected \(n_a, m\), the shape of a0Forward = \[5, 4\]/ });
    assert.throws(() => birnnForward(x, a0Forward, a0Backward, forward, { ...backward, Wax: { shape: [nA, nX + 1], data: new Float64Array(nA * (nX + 1)) } }),
      { name: 'RangeError', message: /^rnnForward: Wax has shape \[5, 4\]/ });
  });
});
