// Engine layer: the vanilla (Elman) RNN cell, tanh or ReLU — the course's first model.
import { accumulateColumnSums, Kernels } from '../kernels';
import { Parameter } from '../parameter';
import { RandomState } from '../random/randomState';
import { CellOptions, CellState, createCellParameters, GateInfo, RecurrentCell } from './cell';

/**
 * Vanilla RNN, one step (PyTorch nn.RNN; the course writes W_aa for W_hh and W_ax for W_ih):
 *   pre = x·W_ihᵀ + b_ih + h_prev·W_hhᵀ + b_hh
 *   h   = tanh(pre)            (or relu(pre))
 * Shapes: x [B, I]; h [B, H]; W_ih [H, I]; W_hh [H, H].
 * Reference note: the course uses one bias b_a; PyTorch has two (b_ih + b_hh), which sum to b_a.
 */
export class RnnCell implements RecurrentCell {
  readonly kind = 'rnn';
  readonly hasCellState = false;
  readonly gates: readonly GateInfo[];
  readonly weightIh: Parameter;
  readonly weightHh: Parameter;
  readonly biasIh: Parameter;
  readonly biasHh: Parameter;
  private readonly kernels: Kernels;
  private dPre: Float64Array = new Float64Array(0);
  private stepOutputs: Float64Array[] = [];

  constructor(
    readonly inputSize: number,
    readonly hiddenSize: number,
    readonly nonlinearity: 'tanh' | 'relu',
    rng: RandomState,
    options: CellOptions,
  ) {
    this.kernels = options.kernels;
    this.gates = [{ name: 'h', activation: nonlinearity }];
    ({ weightIh: this.weightIh, weightHh: this.weightHh, biasIh: this.biasIh, biasHh: this.biasHh } =
      createCellParameters(options, 1, inputSize, hiddenSize, rng));
  }

  prepare(steps: number, batch: number): void {
    if (this.dPre.length !== batch * this.hiddenSize) this.dPre = new Float64Array(batch * this.hiddenSize);
    this.stepOutputs.length = steps;
  }

  forwardStep(t: number, xProjection: Float64Array, previous: CellState, next: CellState): void {
    const H = this.hiddenSize;
    const B = xProjection.length / H;
    const h = next.h;
    h.set(xProjection);
    this.kernels.gemm(B, H, H, previous.h, false, this.weightHh.value.data, true, h, true);  // += h_prev·W_hhᵀ
    const bHh = this.biasHh.value.data;
    const relu = this.nonlinearity === 'relu';
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const pre = h[b * H + j] + bHh[j];
        h[b * H + j] = relu ? (pre > 0 ? pre : 0) : Math.tanh(pre);
      }
    }
    this.stepOutputs[t] = h;
  }

  gateValues(t: number): Float64Array {
    return this.stepOutputs[t];
  }

  backwardStep(
    _t: number, previous: CellState, next: CellState, dNext: CellState, dXProjection: Float64Array, dPrevious: CellState,
  ): void {
    const H = this.hiddenSize;
    const B = dXProjection.length / H;
    const h = next.h;
    const dh = dNext.h;
    const dPre = this.dPre;
    const relu = this.nonlinearity === 'relu';
    for (let i = 0; i < B * H; i++) {
      dPre[i] = relu ? (h[i] > 0 ? dh[i] : 0) : dh[i] * (1 - h[i] * h[i]);   // dpre = dh ⊙ act′(pre)
    }
    dXProjection.set(dPre);
    this.kernels.gemm(H, H, B, dPre, true, previous.h, false, this.weightHh.grad.data, true);  // dW_hh += dpreᵀ·h_prev
    accumulateColumnSums(this.biasHh.grad.data, dPre, B, H);                                     // db_hh += Σ_b dpre
    this.kernels.gemm(B, H, H, dPre, false, this.weightHh.value.data, false, dPrevious.h, false); // dh_prev = dpre·W_hh
  }
}
