// course.deepRnnForward (src/engine/course/rnn.ts), the deep basic RNN lesson 12's exercise is checked against: equal
// to the engine's stacked RecurrentStack (PyTorch's nn.RNN with num_layers) loaded with the same weights, its first
// layer equal to the course's rnnForward, and every wrong argument named.
import * as assert from 'node:assert/strict';
import { deepRnnForward, randnInOrder, rnnForward, type RnnLayerParameters } from '../../src/engine/course';
import { RecurrentStack } from '../../src/engine/layers/recurrentStack';
import { RandomState } from '../../src/engine/random/randomState';
import type { Tensor } from '../../src/engine/tensor';

const [nX, nA, m, Tx] = [3, 5, 4, 6];

/** L layers of one width with the course's seeded draws: x, then a0, Wax, Waa, ba for each layer. */
function draws(L: number): { x: Tensor; a0: Tensor[]; layers: RnnLayerParameters[] } {
  const shapes: number[][] = [[nX, m, Tx]];
  for (let l = 0; l < L; l++) shapes.push([nA, m], [nA, l === 0 ? nX : nA], [nA, nA], [nA, 1]);
  const [x, ...rest] = randnInOrder(1, ...shapes);
  const a0: Tensor[] = [];
  const layers: RnnLayerParameters[] = [];
  for (let l = 0; l < L; l++) {
    const [a, Wax, Waa, ba] = rest.slice(4 * l, 4 * l + 4);
    a0.push(a);
    layers.push({ Wax, Waa, ba });
  }
  return { x, a0, layers };
}

/** The value at (i, j, k) of a (d0, d1, d2) row-major array. */
const at3 = (tensor: Tensor, i: number, j: number, k: number): number => tensor.data[(i * tensor.shape[1] + j) * tensor.shape[2] + k];

describe('course: deepRnnForward', () => {
  for (const L of [2, 3]) {
    it(`${L} layers equal the engine's ${L}-layer RecurrentStack (PyTorch's nn.RNN, num_layers=${L}) with the same weights`, () => {
      const { x, a0, layers } = draws(L);
      const states = deepRnnForward(x, a0, layers);
      assert.deepEqual(states.map((a) => a.shape), Array(L).fill([nA, m, Tx]));

      const stack = new RecurrentStack({ cell: 'rnn', inputSize: nX, hiddenSize: nA, numLayers: L, bidirectional: false }, new RandomState(0));
      const dict: Record<string, Tensor> = {};
      layers.forEach(({ Wax, Waa, ba }, l) => {
        dict[`weight_ih_l${l}`] = Wax;
        dict[`weight_hh_l${l}`] = Waa;
        dict[`bias_ih_l${l}`] = { shape: [nA], data: Float64Array.from(ba.data) };
        dict[`bias_hh_l${l}`] = { shape: [nA], data: new Float64Array(nA) };
      });
      stack.loadStateDict(dict);
      const timeMajor = { shape: [Tx, m, nX], data: new Float64Array(Tx * m * nX) };    // (n_x, m, T_x) → [T, B, I]
      for (let i = 0; i < nX; i++) for (let b = 0; b < m; b++) for (let t = 0; t < Tx; t++) timeMajor.data[(t * m + b) * nX + i] = at3(x, i, b, t);
      const initial = { shape: [L, m, nA], data: new Float64Array(L * m * nA) };         // (n_a, m) per layer → [L, B, H]
      a0.forEach((a, l) => { for (let j = 0; j < nA; j++) for (let b = 0; b < m; b++) initial.data[(l * m + b) * nA + j] = a.data[j * m + b]; });
      stack.forward(timeMajor, { h: initial });
      let largest = 0;
      for (let l = 0; l < L; l++) {
        const engine = stack.hiddenStates(l);                                             // [T, B, H]
        for (let j = 0; j < nA; j++) for (let b = 0; b < m; b++) for (let t = 0; t < Tx; t++) {
          largest = Math.max(largest, Math.abs(at3(states[l], j, b, t) - engine.data[(t * m + b) * nA + j]));
        }
      }
      assert.ok(largest < 1e-12, `largest difference ${largest}`);
    });
  }

  it('its first layer is rnnForward; a layer may be narrower than the one below', () => {
    const { x, a0, layers } = draws(1);
    const [Wya, by] = randnInOrder(2, [2, nA], [2, 1]);
    assert.deepEqual(deepRnnForward(x, a0, layers)[0], rnnForward(x, a0[0], { ...layers[0], Wya, by })[0]);
    const [a0Narrow, WaxNarrow, WaaNarrow, baNarrow] = randnInOrder(3, [2, m], [2, nA], [2, 2], [2, 1]);
    const [, top] = deepRnnForward(x, [a0[0], a0Narrow], [layers[0], { Wax: WaxNarrow, Waa: WaaNarrow, ba: baNarrow }]);
    const [expected] = rnnForward(deepRnnForward(x, a0, layers)[0], a0Narrow, { Wax: WaxNarrow, Waa: WaaNarrow, ba: baNarrow, Wya: [[0, 0]], by: [[0]] });
    assert.deepEqual(top, expected, 'layer 2 is the basic RNN run over layer 1\'s states');
  });

  it('names a wrong argument: too few initial states, a weight of the wrong width, no layers', () => {
    const { x, a0, layers } = draws(2);
    assert.throws(() => deepRnnForward(x, [a0[0]], layers), /a0 must be a list of one initial state \(n_a, m\) per layer: 2 for 2 layers/);
    assert.throws(() => deepRnnForward(x, a0, [layers[0], { ...layers[1], Wax: layers[0].Wax }]), /layers\[1\]\.Wax has shape \[5, 3\], expected \(n_a, n_a of the layer below\) = \[5, 5\]/);
    assert.throws(() => deepRnnForward(x, [], []), /layers must be a list of one dictionary/);
  });
});
