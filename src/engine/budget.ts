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
