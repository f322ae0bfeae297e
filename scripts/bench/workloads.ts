// Benchmark (issue #4): the workloads W1–W4 that issue #4 set and the matrix FLOPs each training step does. Pure data
// and arithmetic, shared by the orchestrator, the runners and the unit test.

export type WorkloadId = 'W1' | 'W2-gru' | 'W2-rnn' | 'W3' | 'W4';
export type CellKind = 'lstm' | 'gru' | 'rnn';

/**
 * A sequence-regression workload: many-to-one MSE on the final hidden state, forward + full BPTT + one SGD update,
 * every step on the same batch (time-major x [T, B, I], targets [B, 1]).
 */
export interface RegressionWorkload {
  readonly kind: 'regression';
  readonly id: WorkloadId;
  readonly title: string;
  readonly cell: CellKind;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly steps: number;   // T
  readonly batch: number;   // B
  readonly outputSize: 1;
  readonly learningRate: number;
}

/**
 * Karpathy's min-char-rnn setting: a tanh RNN reads one-hot characters, predicts the next one at every step
 * (softmax cross-entropy summed over the sequence), Adagrad, gradients clipped to ±clip; the hidden state carries
 * from one sequence to the next (batch 1).
 */
export interface CharacterWorkload {
  readonly kind: 'character';
  readonly id: 'W3';
  readonly title: string;
  readonly cell: 'rnn';
  readonly vocabulary: number;  // V: one-hot input size and output size
  readonly hiddenSize: number;
  readonly steps: number;       // seq_length
  readonly batch: 1;
  readonly learningRate: number;
  readonly clip: number;
}

export type Workload = RegressionWorkload | CharacterWorkload;

const regression = (id: WorkloadId, title: string, cell: CellKind, inputSize: number, hiddenSize: number, steps: number, batch: number): RegressionWorkload =>
  ({ kind: 'regression', id, title, cell, inputSize, hiddenSize, steps, batch, outputSize: 1, learningRate: 0.05 });

export const WORKLOADS: readonly Workload[] = [
  regression('W1', 'W1 LSTM I32 H128 T50 B32', 'lstm', 32, 128, 50, 32),
  regression('W2-gru', 'W2 GRU I32 H128 T50 B32', 'gru', 32, 128, 50, 32),
  regression('W2-rnn', 'W2 tanh RNN I32 H128 T50 B32', 'rnn', 32, 128, 50, 32),
  { kind: 'character', id: 'W3', title: 'W3 char RNN V65 H100 T25 B1', cell: 'rnn', vocabulary: 65, hiddenSize: 100, steps: 25, batch: 1, learningRate: 0.1, clip: 5 },
  regression('W4', 'W4 LSTM I128 H512 T100 B64', 'lstm', 128, 512, 100, 64),
];

export const GATE_COUNT: Readonly<Record<CellKind, number>> = { rnn: 1, gru: 3, lstm: 4 };

export function workloadById(id: string): Workload {
  const workload = WORKLOADS.find((w) => w.id === id);
  if (!workload) throw new RangeError(`unknown workload '${id}': expected one of ${WORKLOADS.map((w) => w.id).join(', ')}`);
  return workload;
}

/**
 * `--only W1,W3`: each name is a workload id or a prefix of ids ('W2' selects W2-gru and W2-rnn), case-insensitive.
 * Returns the workloads in their canonical order.
 */
export function selectWorkloads(only: string | undefined): Workload[] {
  if (only === undefined || only.trim() === '') return [...WORKLOADS];
  const names = only.split(',').map((name) => name.trim().toUpperCase()).filter((name) => name.length > 0);
  const chosen = new Set<WorkloadId>();
  for (const name of names) {
    const matches = WORKLOADS.filter((w) => w.id.toUpperCase() === name || w.id.toUpperCase().startsWith(`${name}-`));
    if (matches.length === 0) throw new RangeError(`--only: unknown workload '${name}': expected ${WORKLOADS.map((w) => w.id).join(', ')} or W2`);
    for (const w of matches) chosen.add(w.id);
  }
  return WORKLOADS.filter((w) => chosen.has(w.id));
}

/**
 * Matrix FLOPs of one training step (forward + backward), one multiply-add = 2 FLOPs.
 *
 * Forward, with gate count g (tanh RNN 1, GRU 3, LSTM 4), G = g·H rows of W_ih and W_hh:
 *   input projection   2·T·B·I·G       (x⟨t⟩·W_ihᵀ for all t)
 *   recurrent product  2·T·B·H·G       (h⟨t−1⟩·W_hhᵀ)
 *   output head        2·R·H·O         (R = B rows for many-to-one, T·B for many-to-many)
 * Backward: each product A·Wᵀ of the forward has two of the same size, ∂L/∂A and ∂L/∂W, so
 *   FLOPs(step) = 3 · [2·T·B·G·(I + H) + 2·R·H·O].
 * This counts ∂L/∂x of the first layer, which PyTorch and min-char-rnn skip (the input needs no gradient) and our
 * engine computes; it is issue #4's convention (W1 ≈ 0.79 GFLOP) and the same count divides every
 * implementation's time, so the ratios do not depend on it.
 * W3 (min-char-rnn) reads a one-hot character through a dense W_xh, as np.dot(Wxh, x) does: I = V, O = V, R = T.
 * Element-wise gate arithmetic, the loss and the optimizer update are not counted.
 */
export function matrixFlopsPerStep(workload: Workload): number {
  const g = GATE_COUNT[workload.cell];
  const { steps: T, batch: B, hiddenSize: H } = workload;
  const G = g * H;
  const I = workload.kind === 'character' ? workload.vocabulary : workload.inputSize;
  const O = workload.kind === 'character' ? workload.vocabulary : workload.outputSize;
  const headRows = workload.kind === 'character' ? T * B : B;
  const forward = 2 * T * B * G * (I + H) + 2 * headRows * H * O;
  return 3 * forward;
}

/**
 * The bytes a training step cannot do without, in float32: the parameters and their gradients, and what BPTT must
 * keep from the forward pass — the input, every step's gate activations and hidden state (and cell state, LSTM).
 * The memory target of issue #4 is measured against it: a step's memory (peak RSS above the runner's size before
 * setup) within twice this.
 */
export function neededBytes(workload: Workload): number {
  const g = GATE_COUNT[workload.cell];
  const { steps: T, batch: B, hiddenSize: H } = workload;
  const I = workload.kind === 'character' ? workload.vocabulary : workload.inputSize;
  const kept = T * B * (I + g * H + H + (workload.cell === 'lstm' ? H : 0));
  return 4 * (2 * parameterCount(workload) + kept);
}

/** Parameters of the model of a workload (recurrent weights and both biases, PyTorch layout, plus the head). */
export function parameterCount(workload: Workload): number {
  const G = GATE_COUNT[workload.cell] * workload.hiddenSize;
  const I = workload.kind === 'character' ? workload.vocabulary : workload.inputSize;
  const O = workload.kind === 'character' ? workload.vocabulary : workload.outputSize;
  return G * (I + workload.hiddenSize + 2) + O * (workload.hiddenSize + 1);
}
