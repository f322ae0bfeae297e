// Engine layer (course API): the bidirectional RNN of the course's lecture (no notebook has one) — two basic RNNs, one
// reading x⟨1⟩ … x⟨T_x⟩ and one reading x⟨T_x⟩ … x⟨1⟩, their hidden states stacked: a⟨t⟩ = [a→⟨t⟩; a←⟨t⟩].
import { zeros, type Tensor } from '../tensor';
import { tensorArgument, type ParametersLike, type TensorLike } from './arguments';
import { setTimeStep, timeStep } from './arrays';
import { rnnForward, type RnnParameters } from './rnn';

/**
 * `birnnForward(x, a0Forward, a0Backward, forward, backward)`: the hidden states of a bidirectional basic RNN.
 *   a→ = rnn_forward(x, a0Forward, forward)                         (reads t = 1 … T_x)
 *   a← = rnn_forward(x reversed in time, a0Backward, backward), reversed back   (reads t = T_x … 1)
 *   a⟨t⟩ = [a→⟨t⟩; a←⟨t⟩]
 * Each direction has its own parameters (the course's RnnParameters; their Wya and by, each direction's own output,
 * take no part: a bidirectional network's output reads a⟨t⟩, both halves). Shapes: x (n_x, m, T_x); a0Forward and
 * a0Backward (n_a, m); returns a (2 n_a, m, T_x), the forward states in rows 0 … n_a − 1.
 * Reference note: PyTorch's `nn.RNN(bidirectional=True)` stacks its output the same way, forward then reverse.
 */
export function birnnForward(
  xArgument: TensorLike, a0ForwardArgument: TensorLike, a0BackwardArgument: TensorLike,
  forward: ParametersLike<RnnParameters>, backward: ParametersLike<RnnParameters>,
): Tensor {
  const x = tensorArgument('birnnForward', 'x', xArgument, [null, null, null], '(n_x, m, T_x)');
  const [, m, Tx] = x.shape;
  const a0Forward = tensorArgument('birnnForward', 'a0Forward', a0ForwardArgument, [null, m], '(n_a, m)');
  const nA = a0Forward.shape[0];
  const a0Backward = tensorArgument('birnnForward', 'a0Backward', a0BackwardArgument, [nA, m], '(n_a, m), the shape of a0Forward');
  const [aForward] = rnnForward(x, a0Forward, forward);
  const [aBackwardReversed] = rnnForward(reversedInTime(x), a0Backward, backward);
  const aBackward = reversedInTime(aBackwardReversed);
  const a = zeros([2 * nA, m, Tx]);
  for (let t = 0; t < Tx; t++) {
    const forwardStep = timeStep(aForward, t);
    const backwardStep = timeStep(aBackward, t);
    const both: Tensor = { shape: [2 * nA, m], data: new Float64Array(2 * nA * m) };
    both.data.set(forwardStep.data, 0);
    both.data.set(backwardStep.data, nA * m);
    setTimeStep(a, t, both);
  }
  return a;
}

/** An (n, m, T) array with its time axis reversed: step t of the result is step T − 1 − t of `array`. */
function reversedInTime(array: Tensor): Tensor {
  const T = array.shape[2];
  const result = zeros(array.shape);
  for (let t = 0; t < T; t++) setTimeStep(result, t, timeStep(array, T - 1 - t));
  return result;
}
