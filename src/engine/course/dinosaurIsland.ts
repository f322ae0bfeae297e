// Engine layer (course API): the character-level language model of the course's "Dinosaur Island" notebook
// (Sequence Models, week 1) — clip, sample, optimize and the utilities they use, with the notebook's names.
import { RandomState } from '../random/randomState';
import { zeros, type Tensor } from '../tensor';
import { describe, tensorArgument, type ParametersLike, type TensorLike } from './arguments';
import { accumulate, copy, map, matmul, plus, randnCourse, tanh, times, transpose } from './arrays';
import { softmax } from './rnnUtils';

/**
 * The notebook's `parameters`: Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), b (n_a, 1), by (n_y, 1), with
 * n_x = n_y = the vocabulary size. `updateParameters` and `optimize` change the arrays in place, as the course does.
 * Reference note: this notebook calls the hidden bias `b` (the Step-by-Step notebook calls it `ba`).
 */
export interface CharRnnParameters {
  readonly Wax: Tensor;
  readonly Waa: Tensor;
  readonly Wya: Tensor;
  readonly b: Tensor;
  readonly by: Tensor;
}

/** The gradients `clip` takes and returns, each the shape of its parameter. */
export interface CharRnnGradients {
  readonly dWax: Tensor;
  readonly dWaa: Tensor;
  readonly dWya: Tensor;
  readonly db: Tensor;
  readonly dby: Tensor;
}

/** The gradients during backpropagation, plus `da_next`: ∂L/∂a⟨t⟩ flowing back from step t + 1, (n_a, 1). */
export interface CharRnnBackwardGradients extends CharRnnGradients {
  da_next: Tensor;
}

/** One character index, or `null` for the zero vector the course feeds first (`X = [None] + …`). */
export type CharIndex = number | null;

/**
 * The cache `rnn_forward` returns: `(y_hat, a, x)` with y_hat[t] (n_y, 1), x[t] the one-hot input (n_x, 1), and
 * a[t] (n_a, 1) for t = −1 … T_x − 1: like the course's dictionary, `a[-1]` holds a copy of a0.
 */
export type CharRnnCache = readonly [yHat: readonly Tensor[], a: Readonly<Record<number, Tensor>>, x: readonly Tensor[]];

/** The longest name `sample` draws before it stops and appends '\n' itself. */
export const MAX_SAMPLE_LENGTH = 50;

/**
 * `clip(gradients, maxValue)`: every entry of dWaa, dWax, dWya, db, dby clamped to [−maxValue, maxValue]
 * (clipping by value, elementwise; the lecture's remedy for exploding gradients).
 * Reference note: the course clips the arrays in place (`np.clip(..., out=gradient)`) and returns a dictionary of
 * these five only (dropping `da_next`); this returns the same five as new arrays and leaves its input unchanged.
 */
export function clip(gradients: ParametersLike<CharRnnGradients>, maxValue: number): CharRnnGradients {
  if (!(maxValue >= 0)) throw new RangeError(`clip: maxValue must be a non-negative number, got ${maxValue}`);
  if (typeof gradients !== 'object' || gradients === null || Array.isArray(gradients)) {
    throw new TypeError('clip: gradients must be a dictionary of arrays (dWaa, dWax, dWya, db, dby)');
  }
  const clamp = (v: number): number => Math.min(Math.max(v, -maxValue), maxValue);
  const clipped = (name: keyof CharRnnGradients): Tensor => map(tensorArgument('clip', name, gradients[name], [null, null], '(rows, columns)'), clamp);
  return { dWaa: clipped('dWaa'), dWax: clipped('dWax'), dWya: clipped('dWya'), db: clipped('db'), dby: clipped('dby') };
}

/**
 * `sample(parameters, char_to_ix, seed)`: draws one name, character by character, feeding each sampled character
 * back in as the next input, until '\n' or MAX_SAMPLE_LENGTH characters (then '\n' is appended). Per step:
 *   a⟨t+1⟩ = tanh(W_ax x⟨t+1⟩ + W_aa a⟨t⟩ + b),   ŷ⟨t+1⟩ = softmax(W_ya a⟨t+1⟩ + b_y),   idx ~ ŷ⟨t+1⟩
 * starting from x⟨1⟩ = 0 and a⟨0⟩ = 0. Returns the sampled indices.
 * Reference note: for grading, the course reseeds before every draw with `np.random.seed(counter + seed)` and then
 * increments both `seed` and `counter`, so draw k (from 0) uses seed + 2k — and seeds s and s + 2j share their
 * random numbers, shifted by j characters (a model with a short memory then gives names with the same ending).
 * This does exactly that, with the numpy-compatible RandomState, so the course's seeds give the course's names.
 * With the notebook's example weights (randn, n_a = 100, unscaled) the recurrence is chaotic: a last-bit difference
 * in `tanh` between math libraries grows ~2.5× per character, so after ~25 characters the draw depends on the
 * platform, for numpy as for us.
 */
export function sample(parametersArgument: ParametersLike<CharRnnParameters>, charToIx: Readonly<Record<string, number>>, seed: number): number[] {
  const parameters = charRnnParameters('sample', parametersArgument);
  const { Wax, Waa, Wya, by, b } = parameters;
  const vocabSize = by.shape[0];
  const nA = Waa.shape[1];
  const newlineCharacter = charToIx['\n'];
  if (!Number.isInteger(newlineCharacter) || newlineCharacter < 0 || newlineCharacter >= vocabSize) {
    throw new RangeError(`sample: char_to_ix['\\n'] must be an index below the vocabulary size ${vocabSize}, got ${newlineCharacter}`);
  }
  const rs = new RandomState();
  let x = zeros([vocabSize, 1]);
  let aPrev = zeros([nA, 1]);
  const indices: number[] = [];
  let idx = -1;
  let counter = 0;
  let stepSeed = seed;
  while (idx !== newlineCharacter && counter !== MAX_SAMPLE_LENGTH) {
    const a = tanh(plus(matmul(Wax, x), matmul(Waa, aPrev), b));
    const z = plus(matmul(Wya, a), by);
    const y = softmax(z);
    rs.seed(counter + stepSeed);
    idx = rs.choice(vocabSize, y.data);
    indices.push(idx);
    x = zeros([vocabSize, 1]);
    x.data[idx] = 1;
    aPrev = a;
    stepSeed += 1;
    counter += 1;
  }
  if (counter === MAX_SAMPLE_LENGTH) indices.push(newlineCharacter);
  return indices;
}

/**
 * `rnn_step_forward(parameters, a_prev, x)`: one step of the character model (batch of one, column vectors).
 *   a⟨t⟩ = tanh(W_ax x⟨t⟩ + W_aa a⟨t−1⟩ + b)
 *   ŷ⟨t⟩ = softmax(W_ya a⟨t⟩ + b_y)
 */
export function rnnStepForward(parametersArgument: ParametersLike<CharRnnParameters>, aPrev: TensorLike, x: TensorLike): [aNext: Tensor, pT: Tensor] {
  const { Wax, Waa, Wya, by, b } = charRnnParameters('rnnStepForward', parametersArgument);
  const aNext = tanh(plus(matmul(Wax, x), matmul(Waa, aPrev), b));
  const pT = softmax(plus(matmul(Wya, aNext), by));
  return [aNext, pT];
}

/**
 * `rnn_step_backward(dy, gradients, parameters, x, a, a_prev)`: one step of BPTT, accumulating into `gradients`
 * (changed in place and returned, as in the course). dy = ŷ⟨t⟩ − onehot(y⟨t⟩) is the gradient at the softmax's input.
 *   dWya += dy · a⟨t⟩ᵀ;   dby += dy
 *   da    = W_yaᵀ · dy + da_next                     (from the output and from step t + 1)
 *   daraw = (1 − a⟨t⟩²) ⊙ da                         (through tanh)
 *   db   += daraw;   dWax += daraw · x⟨t⟩ᵀ;   dWaa += daraw · a⟨t−1⟩ᵀ
 *   da_next = W_aaᵀ · daraw                          (to step t − 1)
 */
export function rnnStepBackward(
  dy: Tensor, gradients: CharRnnBackwardGradients, parameters: CharRnnParameters, x: Tensor, a: Tensor, aPrev: Tensor,
): CharRnnBackwardGradients {
  accumulate(gradients.dWya, matmul(dy, transpose(a)));
  accumulate(gradients.dby, dy);
  const da = plus(matmul(transpose(parameters.Wya), dy), gradients.da_next);
  const daraw = times(map(a, (v) => 1 - v * v), da);
  accumulate(gradients.db, daraw);
  accumulate(gradients.dWax, matmul(daraw, transpose(x)));
  accumulate(gradients.dWaa, matmul(daraw, transpose(aPrev)));
  gradients.da_next = matmul(transpose(parameters.Waa), daraw);
  return gradients;
}

/**
 * The Dinosaur Island notebook's `rnn_forward(X, Y, a0, parameters)`: the character model over one name and its
 * cross-entropy loss. (The "Step by Step" notebook's `rnn_forward(x, a0, parameters)` is `rnnForward`.)
 *   x⟨t⟩ = onehot(X[t]) (the zero vector for `null`);   a⟨t⟩, ŷ⟨t⟩ = rnn_step_forward(a⟨t−1⟩, x⟨t⟩)
 *   loss = −Σₜ log ŷ⟨t⟩[Y[t]]
 * Reference note: the course's `rnn_forward` has `vocab_size = 27` as a default argument (and `optimize` relies on
 * it); here the vocabulary size is read from Wax, so other vocabularies work too.
 */
export function charRnnForward(
  X: readonly CharIndex[], Y: readonly number[], a0Argument: TensorLike, parametersArgument: ParametersLike<CharRnnParameters>,
): [loss: number, cache: CharRnnCache] {
  checkSequence('charRnnForward', X, Y, 'rnnForward(x, a0, parameters)');
  const parameters = charRnnParameters('charRnnForward', parametersArgument);
  const vocabSize = parameters.by.shape[0];
  checkIndices('charRnnForward', X, Y, vocabSize);
  const a0 = tensorArgument('charRnnForward', 'a0', a0Argument, [parameters.Waa.shape[0], 1], '(n_a, 1)');
  const x: Tensor[] = [];
  const a: Record<number, Tensor> = { [-1]: copy(a0) };
  const yHat: Tensor[] = [];
  let loss = 0;
  for (let t = 0; t < X.length; t++) {
    x[t] = zeros([vocabSize, 1]);
    const input = X[t];
    if (input !== null) x[t].data[input] = 1;
    [a[t], yHat[t]] = rnnStepForward(parameters, a[t - 1], x[t]);
    loss -= Math.log(yHat[t].data[Y[t]]);
  }
  return [loss, [yHat, a, x]];
}

/**
 * The Dinosaur Island notebook's `rnn_backward(X, Y, parameters, cache)`: backpropagation through time over one
 * name (the "Step by Step" notebook's `rnn_backward(da, caches)` is `rnnBackward`). For t = T_x − 1 … 0:
 *   dy = ŷ⟨t⟩ − onehot(Y[t]);   rnn_step_backward(dy, …)
 * starting from zero gradients and da_next = 0. Returns the gradients (with da_next) and the hidden states `a`.
 */
export function charRnnBackward(
  X: readonly CharIndex[], Y: readonly number[], parametersArgument: ParametersLike<CharRnnParameters>, cache: CharRnnCache,
): [gradients: CharRnnBackwardGradients, a: Readonly<Record<number, Tensor>>] {
  checkSequence('charRnnBackward', X, Y, 'rnnBackward(da, caches)');
  const parameters = charRnnParameters('charRnnBackward', parametersArgument);
  checkIndices('charRnnBackward', X, Y, parameters.by.shape[0]);
  if (!Array.isArray(cache) || !Array.isArray(cache[0])) throw new TypeError(`charRnnBackward: cache must be the cache charRnnForward returned, got ${describe(cache)}`);
  const [yHat, a, x] = cache;
  if (yHat.length !== X.length) throw new RangeError(`charRnnBackward: the cache holds ${yHat.length} steps but X has ${X.length}`);
  const { Wax, Waa, Wya, b, by } = parameters;
  const gradients: CharRnnBackwardGradients = {
    dWax: zeros(Wax.shape),
    dWaa: zeros(Waa.shape),
    dWya: zeros(Wya.shape),
    db: zeros(b.shape),
    dby: zeros(by.shape),
    da_next: zeros(a[0].shape),
  };
  for (let t = X.length - 1; t >= 0; t--) {
    const dy = copy(yHat[t]);
    dy.data[Y[t]] -= 1;
    rnnStepBackward(dy, gradients, parameters, x[t], a[t], a[t - 1]);
  }
  return [gradients, a];
}

/** `update_parameters(parameters, gradients, lr)`: one step of gradient descent, θ −= lr · dθ, in place. */
export function updateParameters(parameters: CharRnnParameters, gradients: ParametersLike<CharRnnGradients>, lr: number): CharRnnParameters {
  const step = (theta: Tensor, dTheta: TensorLike, name: string): void => {
    const gradient = tensorArgument('updateParameters', name, dTheta, theta.shape, `the shape of ${name.slice(1)}`);
    for (let i = 0; i < theta.data.length; i++) theta.data[i] += -lr * gradient.data[i];
  };
  charRnnParameters('updateParameters', parameters, 'in place');
  step(parameters.Wax, gradients.dWax, 'dWax');
  step(parameters.Waa, gradients.dWaa, 'dWaa');
  step(parameters.Wya, gradients.dWya, 'dWya');
  step(parameters.b, gradients.db, 'db');
  step(parameters.by, gradients.dby, 'dby');
  return parameters;
}

/**
 * `optimize(X, Y, a_prev, parameters, learning_rate)`: one training step on one name —
 * forward (loss), backward (BPTT), clip the gradients to [−5, 5], update the parameters in place.
 * Returns the loss, the clipped gradients and the last hidden state a⟨T_x−1⟩ (the next name's a_prev in `model`).
 */
export function optimize(
  X: readonly CharIndex[], Y: readonly number[], aPrev: TensorLike, parameters: CharRnnParameters, learningRate = 0.01,
): [loss: number, gradients: CharRnnGradients, aLast: Tensor] {
  charRnnParameters('optimize', parameters, 'in place');
  const [loss, cache] = charRnnForward(X, Y, aPrev, parameters);
  const [gradients, a] = charRnnBackward(X, Y, parameters, cache);
  const clipped = clip(gradients, 5);
  updateParameters(parameters, clipped, learningRate);
  return [loss, clipped, a[X.length - 1]];
}

/**
 * `initialize_parameters(n_a, n_x, n_y)`: small random weights (N(0, 1) · 0.01, drawn after `np.random.seed(1)` in the
 * order Wax, Waa, Wya) and zero biases, exactly as the course's utils.py.
 */
export function initializeParameters(nA: number, nX: number, nY: number): CharRnnParameters {
  const rs = new RandomState(1);
  const scaled = (t: Tensor): Tensor => map(t, (v) => v * 0.01);
  return {
    Wax: scaled(randnCourse(rs, nA, nX)),
    Waa: scaled(randnCourse(rs, nA, nA)),
    Wya: scaled(randnCourse(rs, nY, nA)),
    b: zeros([nA, 1]),
    by: zeros([nY, 1]),
  };
}

/** `get_initial_loss(vocab_size, seq_length)`: the loss of uniform guessing over `seqLength` characters, −ln(1/V)·T. */
export function getInitialLoss(vocabSize: number, seqLength: number): number {
  return -Math.log(1.0 / vocabSize) * seqLength;
}

/** `smooth(loss, cur_loss)`: the exponential moving average the course prints, 0.999 · loss + 0.001 · cur_loss. */
export function smooth(loss: number, curLoss: number): number {
  return loss * 0.999 + curLoss * 0.001;
}

/**
 * The five parameters as Tensors, checked against each other (the vocabulary size is the rows of by). `'in place'`
 * for the functions that update them as the course does: those need Tensors, since a list read into a new Tensor
 * would be updated where nobody sees it.
 */
function charRnnParameters(where: string, parameters: ParametersLike<CharRnnParameters>, use?: 'in place'): CharRnnParameters {
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
    throw new TypeError(`${where}: parameters must be a dictionary of arrays (Wax, Waa, Wya, b, by)`);
  }
  if (use === 'in place') {
    for (const name of ['Wax', 'Waa', 'Wya', 'b', 'by'] as const) {
      if (Array.isArray(parameters[name])) {
        throw new TypeError(`${where}: parameters.${name} is a nested list, but ${where} updates the parameters in place, as the course does: give Tensors (fromNested(list) makes one)`);
      }
    }
  }
  const Waa = tensorArgument(where, 'Waa', parameters.Waa, [null, null], '(n_a, n_a)');
  const nA = Waa.shape[0];
  tensorArgument(where, 'Waa', Waa, [nA, nA], '(n_a, n_a)');
  const by = tensorArgument(where, 'by', parameters.by, [null, 1], '(n_y, 1)');
  const nY = by.shape[0];
  return {
    Wax: tensorArgument(where, 'Wax', parameters.Wax, [nA, nY], '(n_a, n_x) with n_x = n_y, the vocabulary size'),
    Waa,
    Wya: tensorArgument(where, 'Wya', parameters.Wya, [nY, nA], '(n_y, n_a)'),
    b: tensorArgument(where, 'b', parameters.b, [nA, 1], '(n_a, 1)'),
    by,
  };
}

/**
 * X and Y are lists of the same, non-zero length. An array where X should be is the Step by Step notebook's call
 * (`rnn_forward(x, a0, parameters)`), which has the same name in the course: the error says so.
 */
function checkSequence(where: string, X: readonly CharIndex[], Y: readonly number[], stepByStepCall: string): void {
  const looksLikeArray = !Array.isArray(X) || X.some((entry) => Array.isArray(entry));
  if (looksLikeArray && X !== undefined && X !== null) {
    throw new TypeError(`${where}: X must be a list of character indices (the Dinosaur Island notebook's character model), got ${Array.isArray(X) ? 'nested lists' : describe(X)}. ` +
      `For the Step by Step notebook's function of the same name, call ${stepByStepCall}.`);
  }
  if (!Array.isArray(X) || !Array.isArray(Y) || X.length !== Y.length || X.length === 0) {
    throw new RangeError(`${where}: X and Y must be non-empty lists of the same length, got lengths ${X?.length} and ${Y?.length}`);
  }
}

/** X holds indices below n_x or null, Y indices below n_y (here n_x = n_y, the vocabulary size). */
function checkIndices(where: string, X: readonly CharIndex[], Y: readonly number[], vocabularySize: number): void {
  X.forEach((index, t) => {
    if (index !== null && !(Number.isInteger(index) && index >= 0 && index < vocabularySize)) {
      throw new RangeError(`${where}: X[${t}] = ${index} is neither null nor a character index below ${vocabularySize}`);
    }
  });
  Y.forEach((index, t) => {
    if (!(Number.isInteger(index) && index >= 0 && index < vocabularySize)) throw new RangeError(`${where}: Y[${t}] = ${index} is not a character index below ${vocabularySize}`);
  });
}
