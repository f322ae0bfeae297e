// Engine layer (course API): the basic RNN of the course's "Building your Recurrent Neural Network — Step by Step"
// (Sequence Models, week 1): cell and sequence, forward and backward, with the notebook's names and shapes.
import { zeros, type Tensor } from '../tensor';
import { cachedSteps, stepsToBackpropagate, tensorArgument, type ParametersLike, type TensorLike } from './arguments';
import { accumulate, map, matmul, plus, setTimeStep, sumColumns, tanh, timeStep, times, transpose } from './arrays';
import { softmax } from './rnnUtils';

/** The notebook's `parameters` dictionary for the basic RNN. Shapes: Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), ba (n_a, 1), by (n_y, 1). */
export interface RnnParameters {
  readonly Wax: Tensor;
  readonly Waa: Tensor;
  readonly Wya: Tensor;
  readonly ba: Tensor;
  readonly by: Tensor;
}

/** The cache `rnn_cell_forward` returns: `(a_next, a_prev, xt, parameters)`. */
export type RnnCellCache = readonly [aNext: Tensor, aPrev: Tensor, xt: Tensor, parameters: RnnParameters];

/** The caches `rnn_forward` returns: `(caches, x)`, one cell cache per time step. */
export type RnnCaches = readonly [caches: readonly RnnCellCache[], x: Tensor];

/** `rnn_cell_backward`'s dictionary: dxt (n_x, m), da_prev (n_a, m), dWax, dWaa, dba (the parameters' shapes). */
export interface RnnCellGradients {
  readonly dxt: Tensor;
  readonly da_prev: Tensor;
  readonly dWax: Tensor;
  readonly dWaa: Tensor;
  readonly dba: Tensor;
}

/** `rnn_backward`'s dictionary: dx (n_x, m, T_x), da0 (n_a, m), dWax, dWaa, dba. */
export interface RnnGradients {
  readonly dx: Tensor;
  readonly da0: Tensor;
  readonly dWax: Tensor;
  readonly dWaa: Tensor;
  readonly dba: Tensor;
}

/**
 * `rnn_cell_forward(xt, a_prev, parameters)`: one step of the basic RNN, for a batch of m examples (columns).
 *   a⟨t⟩ = tanh(W_aa a⟨t−1⟩ + W_ax x⟨t⟩ + b_a)
 *   ŷ⟨t⟩ = softmax(W_ya a⟨t⟩ + b_y)
 * Shapes: xt (n_x, m); a_prev (n_a, m); returns a_next (n_a, m), yt_pred (n_y, m) and the cache for the backward pass.
 */
export function rnnCellForward(
  xtArgument: TensorLike, aPrevArgument: TensorLike, parametersArgument: ParametersLike<RnnParameters>,
): [aNext: Tensor, ytPred: Tensor, cache: RnnCellCache] {
  const xt = tensorArgument('rnnCellForward', 'xt', xtArgument, [null, null], '(n_x, m)');
  const [aPrev, parameters] = rnnInputs('rnnCellForward', xt.shape[0], xt.shape[1], aPrevArgument, 'a_prev', parametersArgument);
  const { Wax, Waa, Wya, ba, by } = parameters;
  const aNext = tanh(plus(matmul(Waa, aPrev), matmul(Wax, xt), ba));
  const ytPred = softmax(plus(matmul(Wya, aNext), by));
  return [aNext, ytPred, [aNext, aPrev, xt, parameters]];
}

/**
 * `rnn_cell_backward(da_next, cache)`: gradients of one step, given da_next = ∂L/∂a⟨t⟩ (n_a, m).
 *   dtanh   = (1 − a⟨t⟩²) ⊙ da_next            (gradient at the tanh's input)
 *   dxt     = W_axᵀ · dtanh
 *   da_prev = W_aaᵀ · dtanh
 *   dWax    = dtanh · x⟨t⟩ᵀ
 *   dWaa    = dtanh · a⟨t−1⟩ᵀ
 *   dba     = Σ over the batch of dtanh       (n_a, 1)
 * As in the notebook, the output ŷ⟨t⟩ takes no part: da_next already holds whatever reaches a⟨t⟩.
 */
export function rnnCellBackward(daNextArgument: TensorLike, cache: RnnCellCache): RnnCellGradients {
  const [aNext, aPrev, xt, parameters] = cache;
  const daNext = tensorArgument('rnnCellBackward', 'da_next', daNextArgument, aNext.shape, '(n_a, m), the shape of a_next');
  const { Wax, Waa } = parameters;
  const dtanh = times(map(aNext, (a) => 1 - a * a), daNext);
  return {
    dxt: matmul(transpose(Wax), dtanh),
    da_prev: matmul(transpose(Waa), dtanh),
    dWax: matmul(dtanh, transpose(xt)),
    dWaa: matmul(dtanh, transpose(aPrev)),
    dba: sumColumns(dtanh),
  };
}

/**
 * `rnn_forward(x, a0, parameters)`: the basic RNN over T_x steps, one cell per step, sharing the parameters.
 *   a⟨0⟩ = a0;  for t = 1 … T_x:  a⟨t⟩, ŷ⟨t⟩ = rnn_cell_forward(x⟨t⟩, a⟨t−1⟩)
 * Shapes: x (n_x, m, T_x); a0 (n_a, m); returns a (n_a, m, T_x), y_pred (n_y, m, T_x) and caches `(caches, x)`.
 * This is the "Step by Step" notebook's `rnn_forward`; the Dinosaur Island notebook's `rnn_forward(X, Y, a0,
 * parameters)`, the character model's loss, is `charRnnForward`.
 */
export function rnnForward(xArgument: TensorLike, a0Argument: TensorLike, parametersArgument: ParametersLike<RnnParameters>): [a: Tensor, yPred: Tensor, caches: RnnCaches] {
  pointToCharacterModel('rnnForward', 'x', xArgument, 'charRnnForward(X, Y, a0, parameters)');
  const x = tensorArgument('rnnForward', 'x', xArgument, [null, null, null], '(n_x, m, T_x)');
  const [nX, m, Tx] = x.shape;
  const [a0, parameters] = rnnInputs('rnnForward', nX, m, a0Argument, 'a0', parametersArgument);
  const [nY, nA] = parameters.Wya.shape;
  const a = zeros([nA, m, Tx]);
  const yPred = zeros([nY, m, Tx]);
  const caches: RnnCellCache[] = [];
  let aNext = a0;
  for (let t = 0; t < Tx; t++) {
    const [aT, yT, cache] = rnnCellForward(timeStep(x, t), aNext, parameters);
    setTimeStep(a, t, aT);
    setTimeStep(yPred, t, yT);
    caches.push(cache);
    aNext = aT;
  }
  return [a, yPred, [caches, x]];
}

/** One layer of a deep basic RNN: Wax (n_a, n_in) with n_in the width of the layer below (n_x for the first), Waa (n_a, n_a), ba (n_a, 1). */
export interface RnnLayerParameters {
  readonly Wax: Tensor;
  readonly Waa: Tensor;
  readonly ba: Tensor;
}

/**
 * A deep (stacked) basic RNN — the lectures' deep RNN; the notebooks have no such function. Layer l reads, at each
 * step, the state layer l − 1 computed at that same step (layer 1 reads x):
 *   a[l]⟨t⟩ = tanh(W_aa[l] a[l]⟨t−1⟩ + W_ax[l] a[l−1]⟨t⟩ + b_a[l]),   a[0]⟨t⟩ = x⟨t⟩,   a[l]⟨0⟩ = a0[l]
 * Shapes: x (n_x, m, T_x); a0 a list of (n_a[l], m), one per layer; layers a list of { Wax, Waa, ba } (each layer
 * its own width). Returns one (n_a[l], m, T_x) array of states per layer, bottom first. With one width throughout it
 * equals PyTorch's nn.RNN(n_x, n_a, num_layers=L) (weight_ih_l{l−1} = W_ax[l], weight_hh_l{l−1} = W_aa[l], their
 * two biases summing to b_a[l]); a prediction ŷ⟨t⟩ = softmax(W_ya a[L]⟨t⟩ + b_y) reads the top layer only.
 */
export function deepRnnForward(xArgument: TensorLike, a0Argument: readonly TensorLike[], layersArgument: readonly ParametersLike<RnnLayerParameters>[]): Tensor[] {
  const where = 'deepRnnForward';
  pointToCharacterModel(where, 'x', xArgument, 'charRnnForward(X, Y, a0, parameters)');
  let input = tensorArgument(where, 'x', xArgument, [null, null, null], '(n_x, m, T_x)');
  const [, m, Tx] = input.shape;
  if (!Array.isArray(layersArgument) || layersArgument.length === 0) throw new TypeError(`${where}: layers must be a list of one dictionary (Wax, Waa, ba) per layer, got ${Array.isArray(layersArgument) ? 'an empty list' : typeof layersArgument}`);
  if (!Array.isArray(a0Argument) || a0Argument.length !== layersArgument.length) {
    throw new TypeError(`${where}: a0 must be a list of one initial state (n_a, m) per layer: ${layersArgument.length} for ${layersArgument.length} layer${layersArgument.length === 1 ? '' : 's'}`);
  }
  const states: Tensor[] = [];
  layersArgument.forEach((parameters, l) => {
    const name = (key: string) => `layers[${l}].${key}`;
    if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) throw new TypeError(`${where}: layers[${l}] must be a dictionary of arrays (Wax, Waa, ba)`);
    const aPrevious = tensorArgument(where, `a0[${l}]`, a0Argument[l], [null, m], '(n_a, m)');
    const nA = aPrevious.shape[0];
    const Wax = tensorArgument(where, name('Wax'), parameters.Wax, [nA, input.shape[0]], l === 0 ? '(n_a, n_x)' : '(n_a, n_a of the layer below)');
    const Waa = tensorArgument(where, name('Waa'), parameters.Waa, [nA, nA], '(n_a, n_a)');
    const ba = tensorArgument(where, name('ba'), parameters.ba, [nA, 1], '(n_a, 1)');
    const a = zeros([nA, m, Tx]);
    let aT = aPrevious;
    for (let t = 0; t < Tx; t++) {
      aT = tanh(plus(matmul(Waa, aT), matmul(Wax, timeStep(input, t)), ba));
      setTimeStep(a, t, aT);
    }
    states.push(a);
    input = a;                                   // the next layer's x⟨t⟩ is this layer's a⟨t⟩
  });
  return states;
}

/**
 * `rnn_backward(da, caches)`: backpropagation through time. da (n_a, m, T_x) is the gradient of the loss with respect
 * to each a⟨t⟩ from above (the outputs); the recurrence adds what flows back from step t + 1:
 *   da_prevt = 0;  for t = T_x … 1:  g = rnn_cell_backward(da⟨t⟩ + da_prevt);  da_prevt = g.da_prev;  dW += g.dW
 *   da0 = da_prevt
 * Parameter gradients are accumulated over the steps. As in the notebook, T_x is read from da: a da of fewer steps
 * than the caches hold backpropagates through the first T_x steps only, as if the sequence ended there (dx then has
 * T_x steps too).
 * The Dinosaur Island notebook's `rnn_backward(X, Y, parameters, cache)` is `charRnnBackward`.
 */
export function rnnBackward(daArgument: TensorLike, caches: RnnCaches): RnnGradients {
  pointToCharacterModel('rnnBackward', 'da', daArgument, 'charRnnBackward(X, Y, parameters, cache)');
  const cellCaches = cachedSteps('rnnBackward', caches);
  const [, a0, x1] = cellCaches[0];
  const [nA, m] = a0.shape;
  const nX = x1.shape[0];
  const da = tensorArgument('rnnBackward', 'da', daArgument, [nA, m, null], '(n_a, m, T_x)');
  const Tx = stepsToBackpropagate('rnnBackward', da, cellCaches.length);
  const dx = zeros([nX, m, Tx]);
  const dWax = zeros([nA, nX]);
  const dWaa = zeros([nA, nA]);
  const dba = zeros([nA, 1]);
  let daPrevt = zeros([nA, m]);
  for (let t = Tx - 1; t >= 0; t--) {
    const gradients = rnnCellBackward(plus(timeStep(da, t), daPrevt), cellCaches[t]);
    setTimeStep(dx, t, gradients.dxt);
    accumulate(dWax, gradients.dWax);
    accumulate(dWaa, gradients.dWaa);
    accumulate(dba, gradients.dba);
    daPrevt = gradients.da_prev;
  }
  return { dx, da0: daPrevt, dWax, dWaa, dba };
}

/** The hidden state and the parameters as Tensors, checked to fit an input of n_x features and m examples. */
function rnnInputs(
  where: string, nX: number, m: number, aPrevArgument: TensorLike, aPrevName: string, parameters: ParametersLike<RnnParameters>,
): [aPrev: Tensor, parameters: RnnParameters] {
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
    throw new TypeError(`${where}: parameters must be a dictionary of arrays (Wax, Waa, Wya, ba, by)`);
  }
  const aPrev = tensorArgument(where, aPrevName, aPrevArgument, [null, m], '(n_a, m)');
  const nA = aPrev.shape[0];
  const Wax = tensorArgument(where, 'Wax', parameters.Wax, [nA, nX], '(n_a, n_x)');
  const Waa = tensorArgument(where, 'Waa', parameters.Waa, [nA, nA], '(n_a, n_a)');
  const Wya = tensorArgument(where, 'Wya', parameters.Wya, [null, nA], '(n_y, n_a)');
  const ba = tensorArgument(where, 'ba', parameters.ba, [nA, 1], '(n_a, 1)');
  const by = tensorArgument(where, 'by', parameters.by, [Wya.shape[0], 1], '(n_y, 1)');
  return [aPrev, { Wax, Waa, Wya, ba, by }];
}

/**
 * The Step by Step notebook and the Dinosaur Island notebook both have an `rnn_forward` and an `rnn_backward`. A flat
 * list of indices where this notebook wants an (n_a, m, T_x) array means the other one was meant: say which.
 */
function pointToCharacterModel(where: string, name: string, value: unknown, characterModelCall: string): void {
  const flatList = Array.isArray(value) && value.every((entry) => entry === null || typeof entry === 'number');
  if (!flatList) return;
  const preview = JSON.stringify(value.slice(0, 6)).replace(/]$/, value.length > 6 ? ', …]' : ']');
  throw new TypeError(`${where}: ${name} is a flat list ${preview}, but ${where} is the Step by Step notebook's function, which takes ` +
    `${name} of shape ${name === 'x' ? '(n_x, m, T_x)' : '(n_a, m, T_x)'}. For the Dinosaur Island notebook's character model, call ${characterModelCall}.`);
}
