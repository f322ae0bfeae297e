// Engine layer: a memory budget checked before allocating, so an absurd size is a clear error, not an
// out-of-memory crash of the editor.

/** What one network may allocate: parameters with their gradients and optimizer state, plus one pass's activations. */
export const MEMORY_BUDGET_BYTES = 4 * 1024 ** 3;
const BYTES_PER_VALUE = 8;  // float64

export interface SizeDescription {
  readonly cell: string;
  readonly gateCount: number;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly directions: number;
}

/** Values held by parameters (value, gradient, and up to two optimizer slots each). */
export function parameterValues(size: SizeDescription): number {
  let count = 0;
  for (let l = 0; l < size.numLayers; l++) {
    const input = l === 0 ? size.inputSize : size.hiddenSize * size.directions;
    count += size.directions * size.gateCount * size.hiddenSize * (input + size.hiddenSize + 2);
  }
  return 4 * count;
}

/** Values held by one forward + backward pass over T steps of batch B. */
export function activationValues(size: SizeDescription, steps: number, batch: number): number {
  const perStep = size.numLayers * size.directions * batch * size.hiddenSize * (3 * size.gateCount + 6);
  return steps * perStep;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${Math.ceil(bytes / 1024 ** 2)} MB`;
}

/** What one training run holds: the network (as `SizeDescription`), its task's input/output width, and one batch's shape. */
export interface TrainingSize {
  readonly cell: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly directions: number;
  /** Time steps per sequence (T) and sequences per batch (B). */
  readonly steps: number;
  readonly batch: number;
  /** Steps backpropagated at once: T, or k with truncated BPTT (activations are kept for one chunk). */
  readonly bpttSteps?: number;
  /** A fixed training set of this many sequences, kept for the whole run (TrainingConfig.trainingExamples); 0 or absent: none. */
  readonly trainingExamples?: number;
}

/** Time steps a validation set holds at most (tasks cap theirs near 65,536 steps, and at one batch of 32 sequences). */
const VALIDATION_STEPS = (steps: number): number => Math.max(65_536, 32 * steps);

/**
 * The bytes a training run needs, by part: parameters (value, gradient, two optimizer slots and the last good copy
 * kept in case the run diverges), one pass's activations, the training batch (one-hot inputs [T, B, I], outputs and
 * their gradients [T, B, O] twice) and the validation inputs.
 */
export function trainingMemoryBytes(size: TrainingSize): { parameters: number; activations: number; batches: number; total: number } {
  const gateCount = size.cell === 'lstm' ? 4 : size.cell === 'gru' ? 3 : 1;
  const network: SizeDescription = { ...size, gateCount };
  const parameters = (parameterValues(network) / 4) * 5 * BYTES_PER_VALUE;
  // Training keeps one chunk of B sequences; validation runs whole sequences, 32 at a time.
  const activations = Math.max(
    activationValues(network, Math.min(size.steps, size.bpttSteps ?? size.steps), size.batch),
    activationValues(network, size.steps, 32),
  ) * BYTES_PER_VALUE;
  const batches = (size.steps * (size.batch + (size.trainingExamples ?? 0)) * (size.inputSize + 3 * size.outputSize)
    + VALIDATION_STEPS(size.steps) * (size.inputSize + size.outputSize)) * BYTES_PER_VALUE;
  return { parameters, activations, batches, total: parameters + activations + batches };
}

/**
 * Why a training run would not fit in RNN Lab's memory budget, or undefined when it fits. Checked before the task's
 * batches or the network are allocated (by `resolveTrainingConfig`), so a refused run allocates nothing.
 */
export function checkTrainingMemory(size: TrainingSize): string | undefined {
  const bytes = trainingMemoryBytes(size);
  if (bytes.total <= MEMORY_BUDGET_BYTES) return undefined;
  const network = `a ${size.numLayers}-layer ${size.directions === 2 ? 'bidirectional ' : ''}${size.cell.toUpperCase()} with hidden size ${size.hiddenSize}`;
  const parts = [
    `${formatBytes(bytes.parameters)} for its parameters`,
    `${formatBytes(bytes.activations)} of activations for backpropagation through time (${size.steps} steps × batch ${size.batch})`,
    `${formatBytes(bytes.batches)} for the input batches`,
  ];
  const advice = bytes.parameters >= bytes.activations + bytes.batches
    ? 'use a smaller hidden size or fewer layers'
    : 'shorten the sequence (or use truncated BPTT), or reduce the batch or hidden size';
  return `${network} training on sequences of ${size.steps} steps in batches of ${size.batch} needs about ${formatBytes(bytes.total)} ` +
    `(${parts.join(', ')}), over RNN Lab's limit of ${formatBytes(MEMORY_BUDGET_BYTES)}: ${advice}`;
}

export function checkParameterBudget(size: SizeDescription): void {
  const bytes = parameterValues(size) * BYTES_PER_VALUE;
  if (bytes > MEMORY_BUDGET_BYTES) {
    throw new RangeError(`a ${size.numLayers}-layer ${size.cell.toUpperCase()} with hidden size ${size.hiddenSize} and input size ${size.inputSize} ` +
      `needs about ${formatBytes(bytes)} for its parameters and their gradients, over RNN Lab's limit of ${formatBytes(MEMORY_BUDGET_BYTES)}: use a smaller hidden size or fewer layers`);
  }
}

export function checkActivationBudget(size: SizeDescription, steps: number, batch: number): void {
  const bytes = activationValues(size, steps, batch) * BYTES_PER_VALUE;
  if (bytes > MEMORY_BUDGET_BYTES) {
    throw new RangeError(`a sequence of ${steps} steps with batch ${batch} through hidden size ${size.hiddenSize} ` +
      `needs about ${formatBytes(bytes)} of activations for backpropagation through time, over RNN Lab's limit of ${formatBytes(MEMORY_BUDGET_BYTES)}: ` +
      'shorten the sequence (or use truncated BPTT), or reduce the batch or hidden size');
  }
}
