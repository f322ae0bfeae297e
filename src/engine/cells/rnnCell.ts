// Engine layer: the vanilla (Elman) RNN cell, tanh or ReLU — the course's first model.
import type { Kernels } from '../kernels';
import { accumulateColumnSums, typescriptGemm as gemm } from '../math';
import { Parameter } from '../parameter';
import { RandomState } from '../random/randomState';
import { CellOptions, CellState, createCellParameters, GateInfo, RecurrentCell } from './cell';

/** Everything one step reads and writes. Shapes: [B, H] unless noted. */
export interface RnnStep {
  readonly batch: number;
  readonly hidden: number;
  readonly relu: boolean;
  readonly weightHh: Float64Array;     // [H, H]
  readonly biasHh: Float64Array;       // [H]
  readonly hPrevious: Float64Array;
  readonly h: Float64Array;            // written by forward
}

export interface RnnStepGradients {
  readonly dh: Float64Array;           // ∂L/∂h⟨t⟩ in total
  readonly dXProjection: Float64Array; // written: ∂L/∂(x·W_ihᵀ + b_ih)
  readonly dWeightHh: Float64Array;    // accumulated
  readonly dBiasHh: Float64Array;      // accumulated
  readonly dhPrevious: Float64Array;   // written
}

export interface RnnStepKernel {
  /** `xProjection` [B, H] is x·W_ihᵀ + b_ih, computed for all steps at once by the layer. */
  forward(s: RnnStep, xProjection: Float64Array): void;
  backward(s: RnnStep, g: RnnStepGradients): void;
}

/**
 * Vanilla RNN, one step (PyTorch nn.RNN; the course writes W_aa for W_hh and W_ax for W_ih):
 *   pre = x·W_ihᵀ + b_ih + h_prev·W_hhᵀ + b_hh
 *   h   = tanh(pre)            (or relu(pre))
 * Shapes: x [B, I]; h [B, H]; W_ih [H, I]; W_hh [H, H].
 * Reference note: the course uses one bias b_a; PyTorch has two (b_ih + b_hh), which sum to b_a.
 */
export const typescriptRnnStep: RnnStepKernel = {
  forward({ batch: B, hidden: H, relu, weightHh, biasHh, hPrevious, h }, xProjection) {
    h.set(xProjection);
    gemm(B, H, H, hPrevious, false, weightHh, true, h, true);              // pre = x·W_ihᵀ + b_ih + h_prev·W_hhᵀ …
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const pre = h[b * H + j] + biasHh[j];                               // … + b_hh
        h[b * H + j] = relu ? (pre > 0 ? pre : 0) : Math.tanh(pre);        // h = tanh(pre)
      }
    }
  },
  backward({ batch: B, hidden: H, relu, weightHh, hPrevious, h }, { dh, dXProjection: dPre, dWeightHh, dBiasHh, dhPrevious }) {
    for (let i = 0; i < B * H; i++) {
      dPre[i] = relu ? (h[i] > 0 ? dh[i] : 0) : dh[i] * (1 - h[i] * h[i]);  // dpre = dh ⊙ tanh′(pre) = dh ⊙ (1 − h²)
    }
    gemm(H, H, B, dPre, true, hPrevious, false, dWeightHh, true);           // dW_hh += dpreᵀ·h_prev
    accumulateColumnSums(dBiasHh, dPre, B, H);                              // db_hh += Σ_b dpre
    gemm(B, H, H, dPre, false, weightHh, false, dhPrevious, false);          // dh_prev = dpre·W_hh
  },
};

export class RnnCell implements RecurrentCell {
  readonly kind = 'rnn';
  readonly hasCellState = false;
  readonly gates: readonly GateInfo[];
  readonly weightIh: Parameter;
  readonly weightHh: Parameter;
  readonly biasIh: Parameter;
  readonly biasHh: Parameter;
  private readonly kernels: Kernels;
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

  prepare(steps: number): void {
    this.stepOutputs.length = steps;
  }

  forwardStep(t: number, xProjection: Float64Array, previous: CellState, next: CellState): void {
    this.kernels.rnn.forward(this.step(previous, next), xProjection);
    this.stepOutputs[t] = next.h;
  }

  gateValues(t: number): Float64Array {
    return this.stepOutputs[t];
  }

  backwardStep(
    _t: number, previous: CellState, next: CellState, dNext: CellState, dXProjection: Float64Array, dPrevious: CellState,
  ): void {
    this.kernels.rnn.backward(this.step(previous, next), {
      dh: dNext.h, dXProjection, dWeightHh: this.weightHh.grad.data, dBiasHh: this.biasHh.grad.data, dhPrevious: dPrevious.h,
    });
  }

  private step(previous: CellState, next: CellState): RnnStep {
    const H = this.hiddenSize;
    return {
      batch: next.h.length / H, hidden: H, relu: this.nonlinearity === 'relu',
      weightHh: this.weightHh.value.data, biasHh: this.biasHh.value.data, hPrevious: previous.h, h: next.h,
    };
  }
}
