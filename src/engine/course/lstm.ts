// Engine layer (course API): the LSTM of the course's "Building your Recurrent Neural Network — Step by Step"
// (Sequence Models, week 1): cell and sequence, forward and backward, with the notebook's names and shapes.
import { zeros, type Tensor } from '../tensor';
import { cachedSteps, stepsToBackpropagate, tensorArgument, type ParametersLike, type TensorLike } from './arguments';
import { accumulate, concatRows, map, matmul, plus, rows, setTimeStep, sumColumns, tanh, timeStep, times, transpose } from './arrays';
import { sigmoid, softmax } from './rnnUtils';

/**
 * The notebook's `parameters` dictionary for the LSTM. Each gate has its own weights acting on the concatenation
 * [a⟨t−1⟩; x⟨t⟩]: Wf, Wi, Wc, Wo (n_a, n_a + n_x), bf, bi, bc, bo (n_a, 1); the output layer Wy (n_y, n_a), by (n_y, 1).
 * Reference note: the course names the update gate Γu but stores it as `Wi`/`bi`; PyTorch stacks the four gates as
 * (i, f, g, o) in one matrix and splits it into an input and a recurrent part.
 */
export interface LstmParameters {
  readonly Wf: Tensor;
  readonly bf: Tensor;
  readonly Wi: Tensor;
  readonly bi: Tensor;
  readonly Wc: Tensor;
  readonly bc: Tensor;
  readonly Wo: Tensor;
  readonly bo: Tensor;
  readonly Wy: Tensor;
  readonly by: Tensor;
}

/** The cache `lstm_cell_forward` returns: `(a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)`. */
export type LstmCellCache = readonly [
  aNext: Tensor, cNext: Tensor, aPrev: Tensor, cPrev: Tensor, ft: Tensor, it: Tensor, cct: Tensor, ot: Tensor, xt: Tensor, parameters: LstmParameters,
];

/** The caches `lstm_forward` returns: `(caches, x)`, one cell cache per time step. */
export type LstmCaches = readonly [caches: readonly LstmCellCache[], x: Tensor];

/** The gradients of the gate parameters, as the notebook names them. */
export interface LstmParameterGradients {
  readonly dWf: Tensor;
  readonly dbf: Tensor;
  readonly dWi: Tensor;
  readonly dbi: Tensor;
  readonly dWc: Tensor;
  readonly dbc: Tensor;
  readonly dWo: Tensor;
  readonly dbo: Tensor;
}

/** `lstm_cell_backward`'s dictionary: dxt (n_x, m), da_prev and dc_prev (n_a, m), and the gate parameters' gradients. */
export interface LstmCellGradients extends LstmParameterGradients {
  readonly dxt: Tensor;
  readonly da_prev: Tensor;
  readonly dc_prev: Tensor;
}

/** `lstm_backward`'s dictionary: dx (n_x, m, T_x), da0 (n_a, m), and the gate parameters' gradients. */
export interface LstmGradients extends LstmParameterGradients {
  readonly dx: Tensor;
  readonly da0: Tensor;
}

/**
 * `lstm_cell_forward(xt, a_prev, c_prev, parameters)`: one LSTM step (course notation; ⊙ is the elementwise product).
 *   concat = [a⟨t−1⟩; x⟨t⟩]                                   (n_a + n_x, m)
 *   Γf = σ(W_f concat + b_f)                                  forget gate  (ft)
 *   Γu = σ(W_i concat + b_i)                                  update gate  (it)
 *   c̃⟨t⟩ = tanh(W_c concat + b_c)                             candidate    (cct)
 *   c⟨t⟩ = Γf ⊙ c⟨t−1⟩ + Γu ⊙ c̃⟨t⟩
 *   Γo = σ(W_o concat + b_o)                                  output gate  (ot)
 *   a⟨t⟩ = Γo ⊙ tanh(c⟨t⟩)
 *   ŷ⟨t⟩ = softmax(W_y a⟨t⟩ + b_y)
 * Shapes: xt (n_x, m); a_prev, c_prev (n_a, m). Returns a_next, c_next (n_a, m), yt_pred (n_y, m) and the cache.
 */
export function lstmCellForward(
  xtArgument: TensorLike, aPrevArgument: TensorLike, cPrevArgument: TensorLike, parametersArgument: ParametersLike<LstmParameters>,
): [aNext: Tensor, cNext: Tensor, ytPred: Tensor, cache: LstmCellCache] {
  const xt = tensorArgument('lstmCellForward', 'xt', xtArgument, [null, null], '(n_x, m)');
  const [aPrev, parameters] = lstmInputs('lstmCellForward', xt.shape[0], xt.shape[1], aPrevArgument, 'a_prev', parametersArgument);
  const cPrev = tensorArgument('lstmCellForward', 'c_prev', cPrevArgument, aPrev.shape, '(n_a, m), the shape of a_prev');
  const { Wf, bf, Wi, bi, Wc, bc, Wo, bo, Wy, by } = parameters;
  const concat = concatRows(aPrev, xt);
  const ft = sigmoid(plus(matmul(Wf, concat), bf));
  const it = sigmoid(plus(matmul(Wi, concat), bi));
  const cct = tanh(plus(matmul(Wc, concat), bc));
  const cNext = plus(times(ft, cPrev), times(it, cct));
  const ot = sigmoid(plus(matmul(Wo, concat), bo));
  const aNext = times(ot, tanh(cNext));
  const ytPred = softmax(plus(matmul(Wy, aNext), by));
  return [aNext, cNext, ytPred, [aNext, cNext, aPrev, cPrev, ft, it, cct, ot, xt, parameters]];
}

/**
 * `lstm_cell_backward(da_next, dc_next, cache)`: gradients of one step, given da_next = ∂L/∂a⟨t⟩ and
 * dc_next = ∂L/∂c⟨t⟩ from later steps (both (n_a, m)). The gate gradients are taken at the gates' inputs
 * (before σ or tanh), as in the notebook:
 *   dc      = dc_next + da_next ⊙ Γo ⊙ (1 − tanh²(c⟨t⟩))        everything that reaches c⟨t⟩
 *   dot     = da_next ⊙ tanh(c⟨t⟩) ⊙ Γo ⊙ (1 − Γo)             dΓo
 *   dcct    = dc ⊙ Γu ⊙ (1 − c̃²)                              dc̃
 *   dit     = dc ⊙ c̃ ⊙ Γu ⊙ (1 − Γu)                          dΓu
 *   dft     = dc ⊙ c⟨t−1⟩ ⊙ Γf ⊙ (1 − Γf)                     dΓf
 *   dW_g    = dg · concatᵀ,  db_g = Σ over the batch of dg    for each gate g ∈ {f, i, c, o}
 *   dconcat = W_fᵀ dft + W_iᵀ dit + W_cᵀ dcct + W_oᵀ dot;     da_prev = dconcat[:n_a],  dxt = dconcat[n_a:]
 *   dc_prev = dc ⊙ Γf
 * Reference note: versions of the notebook differ here (the gate-gradient formulas in its text and the expected
 * values it printed changed between releases). These are the exact gradients, checked against finite differences in
 * test/engine/course.test.ts, whose negative control shows that dropping the da_next path into dc fails the check.
 */
export function lstmCellBackward(daNextArgument: TensorLike, dcNextArgument: TensorLike, cache: LstmCellCache): LstmCellGradients {
  const [aNext, cNext, aPrev, cPrev, ft, it, cct, ot, xt, parameters] = cache;
  const daNext = tensorArgument('lstmCellBackward', 'da_next', daNextArgument, aNext.shape, '(n_a, m), the shape of a_next');
  const dcNext = tensorArgument('lstmCellBackward', 'dc_next', dcNextArgument, cNext.shape, '(n_a, m), the shape of c_next');
  const nA = aNext.shape[0];
  const tanhC = tanh(cNext);
  const dc = plus(dcNext, times(daNext, ot, map(tanhC, (v) => 1 - v * v)));
  const dot = times(daNext, tanhC, ot, map(ot, (v) => 1 - v));
  const dcct = times(dc, it, map(cct, (v) => 1 - v * v));
  const dit = times(dc, cct, it, map(it, (v) => 1 - v));
  const dft = times(dc, cPrev, ft, map(ft, (v) => 1 - v));
  const concatT = transpose(concatRows(aPrev, xt));
  const { Wf, Wi, Wc, Wo } = parameters;
  const dconcat = plus(matmul(transpose(Wf), dft), matmul(transpose(Wi), dit), matmul(transpose(Wc), dcct), matmul(transpose(Wo), dot));
  return {
    dxt: rows(dconcat, nA, dconcat.shape[0]),
    da_prev: rows(dconcat, 0, nA),
    dc_prev: times(dc, ft),
    dWf: matmul(dft, concatT),
    dbf: sumColumns(dft),
    dWi: matmul(dit, concatT),
    dbi: sumColumns(dit),
    dWc: matmul(dcct, concatT),
    dbc: sumColumns(dcct),
    dWo: matmul(dot, concatT),
    dbo: sumColumns(dot),
  };
}

/**
 * `lstm_forward(x, a0, parameters)`: the LSTM over T_x steps; the memory cell starts at zero.
 *   a⟨0⟩ = a0,  c⟨0⟩ = 0;  for t = 1 … T_x:  a⟨t⟩, c⟨t⟩, ŷ⟨t⟩ = lstm_cell_forward(x⟨t⟩, a⟨t−1⟩, c⟨t−1⟩)
 * Shapes: x (n_x, m, T_x); a0 (n_a, m). Returns a (n_a, m, T_x), y (n_y, m, T_x), c (n_a, m, T_x) and caches
 * `(caches, x)` — in the notebook's order `a, y, c, caches`.
 */
export function lstmForward(
  xArgument: TensorLike, a0Argument: TensorLike, parametersArgument: ParametersLike<LstmParameters>,
): [a: Tensor, y: Tensor, c: Tensor, caches: LstmCaches] {
  const x = tensorArgument('lstmForward', 'x', xArgument, [null, null, null], '(n_x, m, T_x)');
  const [nX, m, Tx] = x.shape;
  const [a0, parameters] = lstmInputs('lstmForward', nX, m, a0Argument, 'a0', parametersArgument);
  const [nY, nA] = parameters.Wy.shape;
  const a = zeros([nA, m, Tx]);
  const c = zeros([nA, m, Tx]);
  const y = zeros([nY, m, Tx]);
  const caches: LstmCellCache[] = [];
  let aNext = a0;
  let cNext = zeros([nA, m]);
  for (let t = 0; t < Tx; t++) {
    const [aT, cT, yT, cache] = lstmCellForward(timeStep(x, t), aNext, cNext, parameters);
    setTimeStep(a, t, aT);
    setTimeStep(c, t, cT);
    setTimeStep(y, t, yT);
    caches.push(cache);
    aNext = aT;
    cNext = cT;
  }
  return [a, y, c, [caches, x]];
}

/**
 * `lstm_backward(da, caches)`: backpropagation through time for the LSTM. da (n_a, m, T_x) is ∂L/∂a⟨t⟩ from the
 * outputs; both recurrent paths flow back from step t + 1:
 *   da_prevt = dc_prevt = 0
 *   for t = T_x … 1:  g = lstm_cell_backward(da⟨t⟩ + da_prevt, dc_prevt);  da_prevt, dc_prevt = g.da_prev, g.dc_prev
 *   da0 = da_prevt;  parameter gradients accumulated over the steps
 * As in the notebook, T_x is read from da: its own check passes da (5, 10, 4) for a 7-step sequence, and BPTT then
 * runs through the first 4 steps only, as if the sequence ended there (dx has 4 steps too); the notebook's printed
 * values for that call are reproduced (test/engine/course.test.ts).
 */
export function lstmBackward(daArgument: TensorLike, caches: LstmCaches): LstmGradients {
  const cellCaches = cachedSteps('lstmBackward', caches);
  const [, , a0, , , , , , x1] = cellCaches[0];
  const [nA, m] = a0.shape;
  const nX = x1.shape[0];
  const da = tensorArgument('lstmBackward', 'da', daArgument, [nA, m, null], '(n_a, m, T_x)');
  const Tx = stepsToBackpropagate('lstmBackward', da, cellCaches.length);
  const dx = zeros([nX, m, Tx]);
  const sums = {
    dWf: zeros([nA, nA + nX]), dbf: zeros([nA, 1]),
    dWi: zeros([nA, nA + nX]), dbi: zeros([nA, 1]),
    dWc: zeros([nA, nA + nX]), dbc: zeros([nA, 1]),
    dWo: zeros([nA, nA + nX]), dbo: zeros([nA, 1]),
  };
  let daPrevt = zeros([nA, m]);
  let dcPrevt = zeros([nA, m]);
  for (let t = Tx - 1; t >= 0; t--) {
    const gradients = lstmCellBackward(plus(timeStep(da, t), daPrevt), dcPrevt, cellCaches[t]);
    setTimeStep(dx, t, gradients.dxt);
    for (const key of Object.keys(sums) as (keyof LstmParameterGradients)[]) accumulate(sums[key], gradients[key]);
    daPrevt = gradients.da_prev;
    dcPrevt = gradients.dc_prev;
  }
  return { dx, da0: daPrevt, ...sums };
}

/** The hidden state and the parameters as Tensors, checked to fit an input of n_x features and m examples. */
function lstmInputs(
  where: string, nX: number, m: number, aPrevArgument: TensorLike, aPrevName: string, parameters: ParametersLike<LstmParameters>,
): [aPrev: Tensor, parameters: LstmParameters] {
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
    throw new TypeError(`${where}: parameters must be a dictionary of arrays (Wf, bf, Wi, bi, Wc, bc, Wo, bo, Wy, by)`);
  }
  const aPrev = tensorArgument(where, aPrevName, aPrevArgument, [null, m], '(n_a, m)');
  const nA = aPrev.shape[0];
  const weight = (name: string, value: TensorLike): Tensor => tensorArgument(where, name, value, [nA, nA + nX], '(n_a, n_a + n_x)');
  const bias = (name: string, value: TensorLike): Tensor => tensorArgument(where, name, value, [nA, 1], '(n_a, 1)');
  const gates = {
    Wf: weight('Wf', parameters.Wf), bf: bias('bf', parameters.bf),
    Wi: weight('Wi', parameters.Wi), bi: bias('bi', parameters.bi),
    Wc: weight('Wc', parameters.Wc), bc: bias('bc', parameters.bc),
    Wo: weight('Wo', parameters.Wo), bo: bias('bo', parameters.bo),
  };
  const Wy = tensorArgument(where, 'Wy', parameters.Wy, [null, nA], '(n_y, n_a)');
  return [aPrev, { ...gates, Wy, by: tensorArgument(where, 'by', parameters.by, [Wy.shape[0], 1], '(n_y, 1)') }];
}
