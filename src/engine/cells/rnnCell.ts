// Engine layer: the vanilla (Elman) RNN cell, tanh or ReLU — the course's first model.
import { accumulateColumnSums, typescriptGemm as gemm } from '../math';
import { Parameter } from '../parameter';
import { RandomState } from '../random/randomState';
import { CellOptions, CellState, CellVariant, createCellParameters, GateInfo, RecurrentCell } from './cell';

/**
 * Vanilla RNN (PyTorch nn.RNN; the course writes W_aa for W_hh and W_ax for W_ih), one step:
 *   pre = x·W_ihᵀ + b_ih + h_prev·W_hhᵀ + b_hh
 *   h   = tanh(pre)            (or relu(pre))
 * Shapes: x [B, I]; h [B, H]; W_ih [H, I]; W_hh [H, H].
 * Reference note: the course uses one bias b_a; PyTorch has two (b_ih + b_hh), which sum to b_a.
 */
export class RnnCell implements RecurrentCell {
  readonly kind = 'rnn';
  readonly variant: CellVariant;
  readonly hasCellState = false;
  readonly gates: readonly GateInfo[];
  readonly weightIh: Parameter;
  readonly weightHh: Parameter;
  readonly biasIh: Parameter;
  readonly biasHh: Parameter;
  private stepOutputs: Float64Array[] = [];

  constructor(
    readonly inputSize: number,
    readonly hiddenSize: number,
    readonly nonlinearity: 'tanh' | 'relu',
    rng: RandomState,
    options: CellOptions,
  ) {
    this.variant = nonlinearity === 'relu' ? 'rnn-relu' : 'rnn-tanh';
    this.gates = [{ name: 'h', activation: nonlinearity }];
    ({ weightIh: this.weightIh, weightHh: this.weightHh, biasIh: this.biasIh, biasHh: this.biasHh } =
      createCellParameters(options, 1, inputSize, hiddenSize, rng));
  }

  prepare(steps: number): void {
    this.stepOutputs.length = steps;
  }

  /** The forward equations of the class comment; `xProjection` [B, H] is x·W_ihᵀ + b_ih, computed by the layer. */
  forwardStep(t: number, xProjection: Float64Array, previous: CellState, next: CellState): void {
    const H = this.hiddenSize;
    const B = next.h.length / H;
    const relu = this.nonlinearity === 'relu';
    const W_hh = this.weightHh.value.data;
    const b_hh = this.biasHh.value.data;
    const h = next.h;
    h.set(xProjection);
    gemm(B, H, H, previous.h, false, W_hh, true, h, true);                 // pre = x·W_ihᵀ + b_ih + h_prev·W_hhᵀ …
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const pre = h[b * H + j] + b_hh[j];                                 // … + b_hh
        h[b * H + j] = relu ? (pre > 0 ? pre : 0) : Math.tanh(pre);        // h = tanh(pre)
      }
    }
    this.stepOutputs[t] = h;
  }

  gateValues(t: number): Float64Array {
    return this.stepOutputs[t];
  }

  /**
   * One step backward, given dh = ∂L/∂h⟨t⟩ in total:
   *   dpre   = dh ⊙ (1 − h²)                  (relu: dh where pre > 0, else 0)
   *   dW_hh += dpreᵀ·h_prev;   db_hh += Σ_b dpre
   *   dh_prev = dpre·W_hh
   * dGates is dpre: it is also ∂L/∂(x·W_ihᵀ + b_ih), from which the layer takes dW_ih, db_ih and dx.
   */
  backwardStep(
    _t: number, previous: CellState, next: CellState, dNext: CellState, dGates: Float64Array, dPrevious: CellState,
  ): void {
    const H = this.hiddenSize;
    const B = next.h.length / H;
    const relu = this.nonlinearity === 'relu';
    const h = next.h;
    const dh = dNext.h;
    const dpre = dGates;
    for (let i = 0; i < B * H; i++) {
      dpre[i] = relu ? (h[i] > 0 ? dh[i] : 0) : dh[i] * (1 - h[i] * h[i]);                  // dpre = dh ⊙ (1 − h²)
    }
    gemm(H, H, B, dpre, true, previous.h, false, this.weightHh.grad.data, true);            // dW_hh += dpreᵀ·h_prev
    accumulateColumnSums(this.biasHh.grad.data, dpre, B, H);                                // db_hh += Σ_b dpre
    gemm(B, H, H, dpre, false, this.weightHh.value.data, false, dPrevious.h, false);         // dh_prev = dpre·W_hh
  }
}
