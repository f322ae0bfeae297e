// Engine layer: a trainable parameter — its value and the gradient that backward passes accumulate into.
import { Tensor, zeros } from './tensor';

/** A named parameter. `name` follows PyTorch (`weight_ih_l0`, `bias_hh_l1_reverse`, `head.weight`). */
export interface Parameter {
  readonly name: string;
  readonly value: Tensor;
  /** Same shape as `value`. Backward passes add into it (`+=`); `zeroGrad` clears it. */
  readonly grad: Tensor;
}

export function createParameter(name: string, shape: readonly number[]): Parameter {
  return { name, value: zeros(shape), grad: zeros(shape) };
}

export function zeroGradients(parameters: readonly Parameter[]): void {
  for (const p of parameters) p.grad.data.fill(0);
}
