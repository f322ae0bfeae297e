// Engine layer: the output head — a fully connected layer applied to every row (every time step of every example).
import { accumulateColumnSums, addRowBias, typescriptGemm, type Gemm } from '../math';
import { createParameter, Parameter } from '../parameter';
import { RandomState } from '../random/randomState';

/**
 * y = x·Wᵀ + b for rows x [N, in]; W [out, in], b [out] (PyTorch nn.Linear, initialised like it: U(±1/√in)).
 * The course calls it W_ya, b_y: ŷ⟨t⟩ = softmax(W_ya a⟨t⟩ + b_y).
 */
export class Linear {
  readonly weight: Parameter;
  readonly bias: Parameter;
  private input: Float64Array = new Float64Array(0);
  private rows = 0;

  /** `gemm` is the matrix product it computes with (the backend's; float64 TypeScript unless given). */
  constructor(readonly inputSize: number, readonly outputSize: number, rng: RandomState, prefix = 'head', private gemm: Gemm = typescriptGemm) {
    this.weight = createParameter(`${prefix}.weight`, [outputSize, inputSize]);
    this.bias = createParameter(`${prefix}.bias`, [outputSize]);
    const bound = 1 / Math.sqrt(inputSize);
    for (const p of [this.weight, this.bias]) {
      for (let i = 0; i < p.value.data.length; i++) p.value.data[i] = rng.uniform(-bound, bound);
    }
  }

  /** Computes with `gemm` from now on. */
  useGemm(gemm: Gemm): void {
    this.gemm = gemm;
  }

  parameters(): Parameter[] {
    return [this.weight, this.bias];
  }

  /** x [N, in] → y [N, out]. Keeps a reference to x for backward. */
  forward(x: Float64Array, rows: number): Float64Array {
    this.input = x;
    this.rows = rows;
    const y = new Float64Array(rows * this.outputSize);
    this.gemm(rows, this.outputSize, this.inputSize, x, false, this.weight.value.data, true, y, false);
    addRowBias(y, this.bias.value.data, rows, this.outputSize);
    return y;
  }

  /** dy [N, out] → dx [N, in]; accumulates dW += dyᵀ·x and db += Σ dy. */
  backward(dy: Float64Array): Float64Array {
    const dx = new Float64Array(this.rows * this.inputSize);
    this.gemm(this.outputSize, this.inputSize, this.rows, dy, true, this.input, false, this.weight.grad.data, true);
    accumulateColumnSums(this.bias.grad.data, dy, this.rows, this.outputSize);
    this.gemm(this.rows, this.inputSize, this.outputSize, dy, false, this.weight.value.data, false, dx, false);
    return dx;
  }
}
