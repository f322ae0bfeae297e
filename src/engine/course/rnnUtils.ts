// Engine layer (course API): the course's `rnn_utils.py` — softmax and sigmoid on feature-major arrays.
import type { Tensor } from '../tensor';
import { tensorArgument, type TensorLike } from './arguments';
import { map } from './arrays';

/**
 * `sigmoid(x) = 1 / (1 + e^(−x))` elementwise, written as the course writes it (for x < −709, e^(−x) is Infinity and
 * the result is exactly 0, never NaN).
 */
export function sigmoid(x: TensorLike): Tensor {
  return map(x, (v) => 1 / (1 + Math.exp(-v)));
}

/**
 * Softmax over the first axis (each column of an [n, m] matrix is one example's distribution):
 *   softmax(z)ᵢⱼ = exp(zᵢⱼ − maxₖ zₖⱼ) / Σₖ exp(zₖⱼ − maxₖ zₖⱼ)
 * Reference note: the course's `softmax` subtracts one global max `np.max(x)` over the whole batch. Subtracting any
 * constant per column gives the same probabilities (they agree to rounding, ~1e-16), but with the global max a
 * column whose values all lie ~745 below another column's max underflows to 0/0 = NaN; the per-column max never does.
 */
export function softmax(logits: TensorLike): Tensor {
  const z = tensorArgument('softmax', 'x', logits, [null, null], '(n, m)');
  const [n, m] = z.shape;
  const out = new Float64Array(n * m);
  for (let j = 0; j < m; j++) {
    let max = -Infinity;
    for (let i = 0; i < n; i++) max = Math.max(max, z.data[i * m + j]);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const e = Math.exp(z.data[i * m + j] - max);
      out[i * m + j] = e;
      sum += e;
    }
    for (let i = 0; i < n; i++) out[i * m + j] /= sum;
  }
  return { shape: [n, m], data: out };
}
