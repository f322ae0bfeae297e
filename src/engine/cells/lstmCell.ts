// Engine layer: the LSTM cell (Hochreiter & Schmidhuber 1997, with a forget gate), the course's long-memory model.
import type { Kernels } from '../kernels';
import { accumulateColumnSums, sigmoid, typescriptGemm as gemm } from '../math';
import { Parameter } from '../parameter';
import { RandomState } from '../random/randomState';
import { CellOptions, CellState, createCellParameters, GateInfo, RecurrentCell, StepCache } from './cell';

/** Everything one step reads and writes. Shapes: [B, H] unless noted. */
export interface LstmStep {
  readonly batch: number;
  readonly hidden: number;
  readonly weightHh: Float64Array;  // [4H, H]
  readonly biasHh: Float64Array;    // [4H]
  readonly hPrevious: Float64Array;
  readonly cPrevious: Float64Array;
  readonly gates: Float64Array;     // [B, 4H] cache: i, f, g, o after their activations
  readonly tanhC: Float64Array;     // cache: tanh(c)
  readonly h: Float64Array;         // written by forward
  readonly c: Float64Array;         // written by forward
}

export interface LstmStepGradients {
  readonly dh: Float64Array;           // ∂L/∂h⟨t⟩ in total
  readonly dc: Float64Array;           // in: ∂L/∂c⟨t⟩ from step t+1; out: the total ∂L/∂c⟨t⟩
  readonly dXProjection: Float64Array; // [B, 4H] written: ∂L/∂(gate pre-activations)
  readonly dWeightHh: Float64Array;    // accumulated
  readonly dBiasHh: Float64Array;      // accumulated
  readonly dhPrevious: Float64Array;   // written
  readonly dcPrevious: Float64Array;   // written
}

export interface LstmStepKernel {
  /** `xProjection` [B, 4H] is x·W_ihᵀ + b_ih, computed for all steps at once by the layer. */
  forward(s: LstmStep, xProjection: Float64Array): void;
  backward(s: LstmStep, g: LstmStepGradients): void;
}

/**
 * LSTM, one step (PyTorch convention, gate order i, f, g, o):
 *   [i f g o] = x·W_ihᵀ + b_ih + h_prev·W_hhᵀ + b_hh;   i, f, o = σ(·);   g = tanh(·)
 *   c = f ⊙ c_prev + i ⊙ g
 *   h = o ⊙ tanh(c)
 * Shapes: x [B, I]; h, c [B, H]; W_ih [4H, I]; W_hh [4H, H].
 * Reference note: the course writes Γf, Γu (= i), c̃ (= g), Γo with separate W_f, W_u, W_c, W_o acting on the
 * concatenation [a⟨t−1⟩; x⟨t⟩]; stacking those row-wise in the order (u, f, c, o) gives PyTorch's W. The syllabus
 * prints the cell update as `c = f − c_prev + i − c̃`; it is the elementwise product written above.
 */
export const typescriptLstmStep: LstmStepKernel = {
  forward({ batch: B, hidden: H, weightHh, biasHh, hPrevious, cPrevious, gates, tanhC, h, c }, xProjection) {
    const G = 4 * H;
    gates.set(xProjection);
    gemm(B, G, H, hPrevious, false, weightHh, true, gates, true);                 // += h_prev·W_hhᵀ
    for (let b = 0; b < B; b++) {
      const row = b * G;
      for (let j = 0; j < H; j++) {
        const i = sigmoid(gates[row + j] + biasHh[j]);
        const f = sigmoid(gates[row + H + j] + biasHh[H + j]);
        const g = Math.tanh(gates[row + 2 * H + j] + biasHh[2 * H + j]);
        const o = sigmoid(gates[row + 3 * H + j] + biasHh[3 * H + j]);
        gates[row + j] = i;
        gates[row + H + j] = f;
        gates[row + 2 * H + j] = g;
        gates[row + 3 * H + j] = o;
        const k = b * H + j;
        c[k] = f * cPrevious[k] + i * g;                                          // c = f ⊙ c_prev + i ⊙ g
        tanhC[k] = Math.tanh(c[k]);
        h[k] = o * tanhC[k];                                                      // h = o ⊙ tanh(c)
      }
    }
  },
  backward({ batch: B, hidden: H, weightHh, hPrevious, cPrevious, gates, tanhC }, { dh, dc, dXProjection: dGates, dWeightHh, dBiasHh, dhPrevious, dcPrevious }) {
    const G = 4 * H;
    for (let b = 0; b < B; b++) {
      const row = b * G;
      for (let j = 0; j < H; j++) {
        const k = b * H + j;
        const i = gates[row + j];
        const f = gates[row + H + j];
        const g = gates[row + 2 * H + j];
        const o = gates[row + 3 * H + j];
        const dcTotal = dc[k] + dh[k] * o * (1 - tanhC[k] * tanhC[k]);  // dc = dc_next + dh ⊙ o ⊙ tanh′(c)
        dc[k] = dcTotal;
        dGates[row + j] = dcTotal * g * i * (1 - i);                      // di ⊙ σ′
        dGates[row + H + j] = dcTotal * cPrevious[k] * f * (1 - f);       // df ⊙ σ′
        dGates[row + 2 * H + j] = dcTotal * i * (1 - g * g);              // dg ⊙ tanh′
        dGates[row + 3 * H + j] = dh[k] * tanhC[k] * o * (1 - o);         // do ⊙ σ′
        dcPrevious[k] = dcTotal * f;                                      // dc_prev = dc ⊙ f
      }
    }
    gemm(G, H, B, dGates, true, hPrevious, false, dWeightHh, true);        // dW_hh += dGatesᵀ·h_prev
    accumulateColumnSums(dBiasHh, dGates, B, G);                           // db_hh += Σ_b dGates
    gemm(B, H, G, dGates, false, weightHh, false, dhPrevious, false);      // dh_prev = dGates·W_hh
  },
};

export class LstmCell implements RecurrentCell {
  readonly kind = 'lstm';
  readonly hasCellState = true;
  readonly gates: readonly GateInfo[] = [
    { name: 'i', activation: 'sigmoid' },
    { name: 'f', activation: 'sigmoid' },
    { name: 'g', activation: 'tanh' },
    { name: 'o', activation: 'sigmoid' },
  ];
  readonly weightIh: Parameter;
  readonly weightHh: Parameter;
  readonly biasIh: Parameter;
  readonly biasHh: Parameter;
  private readonly kernels: Kernels;
  private readonly gateCache: StepCache;       // [T, B, 4H] activated gates i, f, g, o
  private readonly tanhCellCache: StepCache;   // [T, B, H]  tanh(c)

  /** `forgetBias`, when given, initialises the forget gate's bias to it (Jozefowicz et al. 2015 use 1). */
  constructor(
    readonly inputSize: number,
    readonly hiddenSize: number,
    rng: RandomState,
    options: CellOptions & { forgetBias?: number },
  ) {
    this.kernels = options.kernels;
    ({ weightIh: this.weightIh, weightHh: this.weightHh, biasIh: this.biasIh, biasHh: this.biasHh } =
      createCellParameters(options, 4, inputSize, hiddenSize, rng));
    if (options.forgetBias !== undefined) {
      // Reference note: PyTorch adds two biases; we put the whole forget bias in b_ih and zero b_hh's share.
      this.biasIh.value.data.fill(options.forgetBias, hiddenSize, 2 * hiddenSize);
      this.biasHh.value.data.fill(0, hiddenSize, 2 * hiddenSize);
    }
    this.gateCache = new StepCache(4 * hiddenSize);
    this.tanhCellCache = new StepCache(hiddenSize);
  }

  prepare(steps: number, batch: number): void {
    this.gateCache.prepare(steps, batch);
    this.tanhCellCache.prepare(steps, batch);
  }

  forwardStep(t: number, xProjection: Float64Array, previous: CellState, next: CellState): void {
    this.kernels.lstm.forward(this.step(t, previous, next), xProjection);
  }

  gateValues(t: number): Float64Array {
    return this.gateCache.at(t);
  }

  backwardStep(
    t: number, previous: CellState, next: CellState, dNext: CellState, dXProjection: Float64Array, dPrevious: CellState,
  ): void {
    this.kernels.lstm.backward(this.step(t, previous, next), {
      dh: dNext.h, dc: dNext.c!, dXProjection, dWeightHh: this.weightHh.grad.data, dBiasHh: this.biasHh.grad.data,
      dhPrevious: dPrevious.h, dcPrevious: dPrevious.c!,
    });
  }

  private step(t: number, previous: CellState, next: CellState): LstmStep {
    return {
      batch: next.h.length / this.hiddenSize, hidden: this.hiddenSize,
      weightHh: this.weightHh.value.data, biasHh: this.biasHh.value.data,
      hPrevious: previous.h, cPrevious: previous.c!, gates: this.gateCache.at(t), tanhC: this.tanhCellCache.at(t), h: next.h, c: next.c!,
    };
  }
}
