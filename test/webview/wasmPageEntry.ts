// Test support: one forward and backward pass of a small LSTM with the fastest kernels this JavaScript engine has,
// compared with the float64 reference — run in Node by the test and, bundled, in a browser page.
import { fastestKernels, typescriptKernels, type Kernels } from '../../src/engine/kernels';
import { RecurrentStack } from '../../src/engine/layers/recurrentStack';
import { RandomState } from '../../src/engine/random/randomState';

export interface PageResult {
  readonly kernels: string;
  /** Every output and gradient, concatenated: equal arrays mean equal arithmetic. */
  readonly fingerprint: number[];
  /** max |fast − float64| ÷ max |float64| over the fingerprint. */
  readonly relativeDifference: number;
}

function values(kernels: Kernels): number[] {
  const config = { cell: 'lstm' as const, inputSize: 6, hiddenSize: 20, numLayers: 2, bidirectional: true };
  const stack = new RecurrentStack(config, new RandomState(3), kernels);
  const rng = new RandomState(4);
  const [T, B] = [9, 3];
  const forward = stack.forward({ shape: [T, B, config.inputSize], data: rng.randnArray(T * B * config.inputSize) });
  stack.backward({ shape: forward.output.shape, data: rng.randnArray(forward.output.data.length) });
  return [...forward.output.data, ...stack.parameters().flatMap((p) => Array.from(p.grad.data))];
}

export function runInPage(): PageResult {
  const kernels = fastestKernels();
  const fast = values(kernels);
  const reference = values(typescriptKernels);
  const scale = Math.max(...reference.map(Math.abs));
  const worst = Math.max(...reference.map((value, i) => Math.abs(value - fast[i])));
  return { kernels: kernels.name, fingerprint: fast, relativeDifference: worst / scale };
}
