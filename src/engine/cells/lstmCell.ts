// Engine layer: the LSTM cell (Hochreiter & Schmidhuber 1997, with a forget gate), the course's long-memory model.
import { accumulateColumnSums, sigmoid, typescriptGemm as gemm } from '../math';
import { Parameter } from '../parameter';
import { RandomState } from '../random/randomState';
import { CellOptions, CellState, createCellParameters, GateInfo, RecurrentCell, StepCache } from './cell';

/**
 * LSTM (PyTorch nn.LSTM, gate order i, f, g, o), one step:
 *   [i f g o] = x·W_ihᵀ + b_ih + h_prev·W_hhᵀ + b_hh;   i, f, o = σ(·);   g = tanh(·)
 *   c = f ⊙ c_prev + i ⊙ g
 *   h = o ⊙ tanh(c)
 * Shapes: x [B, I]; h, c [B, H]; W_ih [4H, I]; W_hh [4H, H].
 * Reference note: the course writes Γf, Γu (= i), c̃ (= g), Γo with separate W_f, W_u, W_c, W_o acting on the
 * concatenation [a⟨t−1⟩; x⟨t⟩]; stacking those row-wise in the order (u, f, c, o) gives PyTorch's W. The syllabus
 * prints the cell update as `c = f − c_prev + i − c̃`; it is the elementwise product written above.
 */
export class LstmCell implements RecurrentCell {
  readonly kind = 'lstm';
  readonly variant = 'lstm';
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
  private readonly gateCache: StepCache;       // [T, B, 4H] activated gates i, f, g, o
  private readonly tanhCellCache: StepCache;   // [T, B, H]  tanh(c)

  /** `forgetBias`, when given, initialises the forget gate's bias to it (Jozefowicz et al. 2015 use 1). */
  constructor(
    readonly inputSize: number,
    readonly hiddenSize: number,
    rng: RandomState,
    options: CellOptions & { forgetBias?: number },
  ) {
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

  /**
   * The forward equations of the class comment; `xProjection` [B, 4H] is x·W_ihᵀ + b_ih, computed by the layer.
   * Caches the activated gates and tanh(c) of step t for the backward.
   */
  forwardStep(t: number, xProjection: Float64Array, previous: CellState, next: CellState): void {
    const H = this.hiddenSize;
    const G = 4 * H;
    const B = next.h.length / H;
    const b_hh = this.biasHh.value.data;
    const cPrevious = previous.c!;
    const { h } = next;
    const c = next.c!;
    const gates = this.gateCache.at(t);
    const tanhC = this.tanhCellCache.at(t);
    gates.set(xProjection);
    gemm(B, G, H, previous.h, false, this.weightHh.value.data, true, gates, true);   // += h_prev·W_hhᵀ
    for (let b = 0; b < B; b++) {
      const row = b * G;
      for (let j = 0; j < H; j++) {
        const i = sigmoid(gates[row + j] + b_hh[j]);
        const f = sigmoid(gates[row + H + j] + b_hh[H + j]);
        const g = Math.tanh(gates[row + 2 * H + j] + b_hh[2 * H + j]);
        const o = sigmoid(gates[row + 3 * H + j] + b_hh[3 * H + j]);
        gates[row + j] = i;
        gates[row + H + j] = f;
        gates[row + 2 * H + j] = g;
        gates[row + 3 * H + j] = o;
        const k = b * H + j;
        c[k] = f * cPrevious[k] + i * g;                                             // c = f ⊙ c_prev + i ⊙ g
        tanhC[k] = Math.tanh(c[k]);
        h[k] = o * tanhC[k];                                                         // h = o ⊙ tanh(c)
      }
    }
  }

  gateValues(t: number): Float64Array {
    return this.gateCache.at(t);
  }

  /**
   * One step backward, given dh = ∂L/∂h⟨t⟩ in total and dc_next, the part of ∂L/∂c⟨t⟩ from step t+1. The gate
   * gradients are taken at the gates' pre-activations (before σ or tanh):
   *   dc = dc_next + dh ⊙ o ⊙ (1 − tanh²(c))        everything that reaches c⟨t⟩ (left in dNext.c for the charts)
   *   di = dc ⊙ g ⊙ i ⊙ (1 − i)
   *   df = dc ⊙ c_prev ⊙ f ⊙ (1 − f)
   *   dg = dc ⊙ i ⊙ (1 − g²)
   *   do = dh ⊙ tanh(c) ⊙ o ⊙ (1 − o)
   *   dGates = [di df dg do];   dW_hh += dGatesᵀ·h_prev;   db_hh += Σ_b dGates
   *   dh_prev = dGates·W_hh;    dc_prev = dc ⊙ f
   * (course/lstm.ts's lstmCellBackward is the same step in the course's notation.)
   */
  backwardStep(
    t: number, previous: CellState, next: CellState, dNext: CellState, dGates: Float64Array, dPrevious: CellState,
  ): void {
    const H = this.hiddenSize;
    const G = 4 * H;
    const B = next.h.length / H;
    const gates = this.gateCache.at(t);
    const tanhC = this.tanhCellCache.at(t);
    const cPrevious = previous.c!;
    const dh = dNext.h;
    const dc = dNext.c!;
    const dcPrevious = dPrevious.c!;
    for (let b = 0; b < B; b++) {
      const row = b * G;
      for (let j = 0; j < H; j++) {
        const k = b * H + j;
        const i = gates[row + j];
        const f = gates[row + H + j];
        const g = gates[row + 2 * H + j];
        const o = gates[row + 3 * H + j];
        dc[k] += dh[k] * o * (1 - tanhC[k] * tanhC[k]);                     // dc = dc_next + dh ⊙ o ⊙ (1 − tanh²(c))
        dGates[row + j] = dc[k] * g * i * (1 - i);                          // di
        dGates[row + H + j] = dc[k] * cPrevious[k] * f * (1 - f);           // df
        dGates[row + 2 * H + j] = dc[k] * i * (1 - g * g);                  // dg
        dGates[row + 3 * H + j] = dh[k] * tanhC[k] * o * (1 - o);           // do
        dcPrevious[k] = dc[k] * f;                                          // dc_prev = dc ⊙ f
      }
    }
    gemm(G, H, B, dGates, true, previous.h, false, this.weightHh.grad.data, true);    // dW_hh += dGatesᵀ·h_prev
    accumulateColumnSums(this.biasHh.grad.data, dGates, B, G);                        // db_hh += Σ_b dGates
    gemm(B, H, G, dGates, false, this.weightHh.value.data, false, dPrevious.h, false); // dh_prev = dGates·W_hh
  }
}
