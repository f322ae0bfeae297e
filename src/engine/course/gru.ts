// Engine layer (course API): one GRU step in the course's notation (lecture "Gated Recurrent Unit"), with the same
// layout as the LSTM's functions, so lesson 08 can check a learner's `gruCellForward` against it.
import type { Tensor } from '../tensor';
import { tensorArgument, type ParametersLike, type TensorLike } from './arguments';
import { concatRows, map, matmul, plus, tanh, times } from './arrays';
import { sigmoid } from './rnnUtils';

/**
 * The GRU's `parameters` dictionary in the course's notation: each gate has its own weights acting on a
 * concatenation of (n_a + n_x) rows: Wu, Wr, Wc (n_a, n_a + n_x) and bu, br, bc (n_a, 1).
 * Reference note: PyTorch names the gates z, r, n and splits each into an input and a recurrent matrix (W_iz, W_hz, …);
 * its z is the course's 1 − Γu, and its reset gate acts after the recurrent product (see gruCellForward).
 */
export interface GruParameters {
  readonly Wu: Tensor;
  readonly bu: Tensor;
  readonly Wr: Tensor;
  readonly br: Tensor;
  readonly Wc: Tensor;
  readonly bc: Tensor;
}

/** What `gruCellForward` computed on the way: the two gates and the candidate, each (n_a, m). */
export interface GruGates {
  readonly gammaU: Tensor;
  readonly gammaR: Tensor;
  readonly cTilde: Tensor;
}

/**
 * One GRU step in the course's notation (⊙ is the elementwise product; the GRU's memory c⟨t⟩ is its output a⟨t⟩):
 *   Γu = σ(W_u [a⟨t−1⟩; x⟨t⟩] + b_u)                update gate
 *   Γr = σ(W_r [a⟨t−1⟩; x⟨t⟩] + b_r)                reset (relevance) gate
 *   c̃⟨t⟩ = tanh(W_c [Γr ⊙ a⟨t−1⟩; x⟨t⟩] + b_c)     candidate: the reset gate acts before the product
 *   a⟨t⟩ = Γu ⊙ c̃⟨t⟩ + (1 − Γu) ⊙ a⟨t−1⟩            Γu ≈ 1 takes the candidate, Γu ≈ 0 keeps the old memory
 * Shapes: xt (n_x, m); a_prev (n_a, m). Returns a_next (n_a, m) and the gates.
 * Reference note: PyTorch (and cuDNN, Keras reset_after) computes n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),
 * the reset gate after the product: a different cell, not a relabeling. The engine's GRU has both (`gruReset`).
 */
export function gruCellForward(xtArgument: TensorLike, aPrevArgument: TensorLike, parametersArgument: ParametersLike<GruParameters>): [aNext: Tensor, gates: GruGates] {
  const where = 'gruCellForward';
  if (typeof parametersArgument !== 'object' || parametersArgument === null || Array.isArray(parametersArgument)) {
    throw new TypeError(`${where}: parameters must be a dictionary of arrays (Wu, bu, Wr, br, Wc, bc)`);
  }
  const xt = tensorArgument(where, 'xt', xtArgument, [null, null], '(n_x, m)');
  const [nX, m] = xt.shape;
  const aPrev = tensorArgument(where, 'a_prev', aPrevArgument, [null, m], '(n_a, m)');
  const nA = aPrev.shape[0];
  const weight = (name: keyof GruParameters): Tensor => tensorArgument(where, name, parametersArgument[name], [nA, nA + nX], '(n_a, n_a + n_x)');
  const bias = (name: keyof GruParameters): Tensor => tensorArgument(where, name, parametersArgument[name], [nA, 1], '(n_a, 1)');
  const [Wu, Wr, Wc, bu, br, bc] = [weight('Wu'), weight('Wr'), weight('Wc'), bias('bu'), bias('br'), bias('bc')];
  const concat = concatRows(aPrev, xt);
  const gammaU = sigmoid(plus(matmul(Wu, concat), bu));
  const gammaR = sigmoid(plus(matmul(Wr, concat), br));
  const cTilde = tanh(plus(matmul(Wc, concatRows(times(gammaR, aPrev), xt)), bc));
  const aNext = plus(times(gammaU, cTilde), times(map(gammaU, (u) => 1 - u), aPrev));
  return [aNext, { gammaU, gammaR, cTilde }];
}
