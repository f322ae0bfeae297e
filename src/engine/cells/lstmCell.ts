// Engine layer: the LSTM cell (Hochreiter & Schmidhuber 1997, with a forget gate), the course's long-memory model.
import { accumulateColumnSums, Kernels, sigmoid } from '../kernels';
import { Parameter } from '../parameter';
import { RandomState } from '../random/randomState';
import { CellOptions, CellState, createCellParameters, GateInfo, RecurrentCell, StepCache } from './cell';

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
  private dGates: Float64Array = new Float64Array(0);        // [B, 4H]

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
    if (this.dGates.length !== batch * 4 * this.hiddenSize) this.dGates = new Float64Array(batch * 4 * this.hiddenSize);
  }

  forwardStep(t: number, xProjection: Float64Array, previous: CellState, next: CellState): void {
    const H = this.hiddenSize;
    const G = 4 * H;
    const B = xProjection.length / G;
    const gates = this.gateCache.at(t);
    const tanhC = this.tanhCellCache.at(t);
    const cPrev = previous.c!;
    const c = next.c!;
    const h = next.h;
    const bHh = this.biasHh.value.data;
    gates.set(xProjection);
    this.kernels.gemm(B, G, H, previous.h, false, this.weightHh.value.data, true, gates, true);  // += h_prev·W_hhᵀ
    for (let b = 0; b < B; b++) {
      const row = b * G;
      for (let j = 0; j < H; j++) {
        const i = sigmoid(gates[row + j] + bHh[j]);
        const f = sigmoid(gates[row + H + j] + bHh[H + j]);
        const g = Math.tanh(gates[row + 2 * H + j] + bHh[2 * H + j]);
        const o = sigmoid(gates[row + 3 * H + j] + bHh[3 * H + j]);
        gates[row + j] = i;
        gates[row + H + j] = f;
        gates[row + 2 * H + j] = g;
        gates[row + 3 * H + j] = o;
        const k = b * H + j;
        c[k] = f * cPrev[k] + i * g;
        tanhC[k] = Math.tanh(c[k]);
        h[k] = o * tanhC[k];
      }
    }
  }

  gateValues(t: number): Float64Array {
    return this.gateCache.at(t);
  }

  backwardStep(
    t: number, previous: CellState, _next: CellState, dNext: CellState, dXProjection: Float64Array, dPrevious: CellState,
  ): void {
    const H = this.hiddenSize;
    const G = 4 * H;
    const B = dXProjection.length / G;
    const gates = this.gateCache.at(t);
    const tanhC = this.tanhCellCache.at(t);
    const cPrev = previous.c!;
    const dh = dNext.h;
    const dc = dNext.c!;
    const dcPrev = dPrevious.c!;
    const dGates = this.dGates;
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
        dGates[row + j] = dcTotal * g * i * (1 - i);                  // di ⊙ σ′
        dGates[row + H + j] = dcTotal * cPrev[k] * f * (1 - f);       // df ⊙ σ′
        dGates[row + 2 * H + j] = dcTotal * i * (1 - g * g);          // dg ⊙ tanh′
        dGates[row + 3 * H + j] = dh[k] * tanhC[k] * o * (1 - o);     // do ⊙ σ′
        dcPrev[k] = dcTotal * f;                                      // dc_prev = dc ⊙ f
      }
    }
    dXProjection.set(dGates);
    this.kernels.gemm(G, H, B, dGates, true, previous.h, false, this.weightHh.grad.data, true);  // dW_hh += dGatesᵀ·h_prev
    accumulateColumnSums(this.biasHh.grad.data, dGates, B, G);                                     // db_hh += Σ_b dGates
    this.kernels.gemm(B, H, G, dGates, false, this.weightHh.value.data, false, dPrevious.h, false); // dh_prev = dGates·W_hh
  }
}
