// Engine layer: losses, each returning the mean loss and its gradient with respect to the network's output.
// All are numerically stable for any finite input: a diverging network yields a large loss, never NaN.

export interface LossResult {
  /** Mean over rows (cross-entropy) or over elements (MSE, BCE), as PyTorch's default reduction. */
  readonly loss: number;
  /** ∂loss/∂input, the input's shape. */
  readonly gradient: Float64Array;
}

/**
 * Softmax cross-entropy over rows of logits [N, C] with integer targets [N]:
 *   loss = mean_n( logsumexp(z_n) − z_n[y_n] ),   ∂loss/∂z_n = (softmax(z_n) − onehot(y_n)) / N
 * The log-sum-exp subtracts each row's max. Reference note: the course subtracts one global max over the batch;
 * per row gives the same probabilities and never underflows a whole row.
 */
export function softmaxCrossEntropy(logits: Float64Array, targets: Int32Array, classes: number): LossResult {
  const rows = targets.length;
  if (logits.length !== rows * classes) throw new RangeError(`cross-entropy: ${logits.length} logits for ${rows} targets of ${classes} classes`);
  const gradient = new Float64Array(logits.length);
  let total = 0;
  for (let n = 0; n < rows; n++) {
    const target = targets[n];
    if (!(target >= 0 && target < classes)) throw new RangeError(`cross-entropy: target ${n} is ${target}, not a class from 0 to ${classes - 1}`);
    const row = n * classes;
    let max = -Infinity;
    for (let k = 0; k < classes; k++) max = Math.max(max, logits[row + k]);
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += Math.exp(logits[row + k] - max);
    const logSumExp = max + Math.log(sum);
    total += logSumExp - logits[row + target];
    for (let k = 0; k < classes; k++) gradient[row + k] = Math.exp(logits[row + k] - logSumExp) / rows;
    gradient[row + target] -= 1 / rows;
  }
  return { loss: total / rows, gradient };
}

/** Mean squared error over all elements: loss = mean((p − y)²), ∂loss/∂p = 2(p − y)/N. */
export function meanSquaredError(predictions: Float64Array, targets: Float64Array): LossResult {
  if (predictions.length !== targets.length) throw new RangeError(`MSE: ${predictions.length} predictions for ${targets.length} targets`);
  const count = predictions.length;
  const gradient = new Float64Array(count);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const difference = predictions[i] - targets[i];
    total += difference * difference;
    gradient[i] = (2 * difference) / count;
  }
  return { loss: total / count, gradient };
}

/**
 * Binary cross-entropy on logits z with 0/1 (or soft) targets y, mean over elements, in the stable form
 *   loss = max(z, 0) − z·y + log(1 + e^(−|z|)),   ∂loss/∂z = (σ(z) − y)/N
 */
export function sigmoidBinaryCrossEntropy(logits: Float64Array, targets: Float64Array): LossResult {
  if (logits.length !== targets.length) throw new RangeError(`BCE: ${logits.length} logits for ${targets.length} targets`);
  const count = logits.length;
  const gradient = new Float64Array(count);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const z = logits[i];
    const y = targets[i];
    total += Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
    const probability = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    gradient[i] = (probability - y) / count;
  }
  return { loss: total / count, gradient };
}
