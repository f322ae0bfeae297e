// Engine layer: the GRU cell (Cho et al. 2014) in both of its real variants — reset after or before the
// recurrent matrix product.
import type { Kernels } from '../kernels';
import { accumulateColumnSums, sigmoid, typescriptGemm as gemm } from '../math';
import { Parameter } from '../parameter';
import { RandomState } from '../random/randomState';
import { CellOptions, CellState, createCellParameters, GateInfo, RecurrentCell, StepCache } from './cell';

/** Where the reset gate acts: after W_hn·h (PyTorch, cuDNN, Keras reset_after) or on h before it (Cho 2014, the course, tfjs). */
export type GruReset = 'after' | 'before';

/** Everything one step reads and writes. Shapes: [B, H] unless noted. */
export interface GruStep {
  readonly batch: number;
  readonly hidden: number;
  readonly reset: GruReset;
  readonly weightHh: Float64Array;   // [3H, H]
  readonly biasHh: Float64Array;     // [3H]
  readonly hPrevious: Float64Array;
  readonly gates: Float64Array;      // [B, 3H] cache: r, z, n
  readonly recurrent: Float64Array;  // cache: 'after' h_prev·W_hnᵀ + b_hn;  'before' r ⊙ h_prev
  readonly h: Float64Array;          // written by forward
  readonly scratch: Float64Array;    // [B, 3H] working space
}

export interface GruStepGradients {
  readonly dh: Float64Array;            // ∂L/∂h⟨t⟩ in total
  readonly dXProjection: Float64Array;  // [B, 3H] written: ∂L/∂(x·W_ihᵀ + b_ih)
  readonly dWeightHh: Float64Array;     // accumulated
  readonly dBiasHh: Float64Array;       // accumulated
  readonly dhPrevious: Float64Array;    // written
  readonly scratch: Float64Array;       // [B, 4H] working space
}

export interface GruStepKernel {
  /** `xProjection` [B, 3H] is x·W_ihᵀ + b_ih, computed for all steps at once by the layer. */
  forward(s: GruStep, xProjection: Float64Array): void;
  backward(s: GruStep, g: GruStepGradients): void;
}

/**
 * GRU, one step (PyTorch layout: gate order r, z, n in the rows of W_ih and W_hh):
 *   r = σ(x·W_irᵀ + b_ir + h_prev·W_hrᵀ + b_hr)
 *   z = σ(x·W_izᵀ + b_iz + h_prev·W_hzᵀ + b_hz)
 *   n = tanh(x·W_inᵀ + b_in + r ⊙ (h_prev·W_hnᵀ + b_hn))      reset 'after'  (PyTorch)
 *   n = tanh(x·W_inᵀ + b_in + (r ⊙ h_prev)·W_hnᵀ + b_hn)      reset 'before' (Cho 2014, the course)
 *   h = (1 − z) ⊙ n + z ⊙ h_prev
 * Shapes: x [B, I]; h [B, H]; W_ih [3H, I]; W_hh [3H, H].
 * Reference note: here, as in PyTorch, Keras and Cho et al., z ≈ 1 keeps the old memory. The course's equation
 * a = (1 − Γu) ⊙ a_prev + Γu ⊙ ã labels the gate the other way (Γu = 1 − z): Γu ≈ 1 takes the candidate. The syllabus
 * text ("z ≈ 1 keeps the old memory") contradicts its own equation; both labelings are the same cell.
 */
export const typescriptGruStep: GruStepKernel = {
  forward({ batch: B, hidden: H, reset, weightHh: W, biasHh: bHh, hPrevious: hPrev, gates, recurrent, h, scratch: hh }, xProjection) {
    const G = 3 * H;
    // 'after' needs all three recurrent products at once; 'before' only r and z here, n once r is known.
    const recurrentRows = reset === 'after' ? G : 2 * H;
    gemm(B, recurrentRows, H, hPrev, false, W.subarray(0, recurrentRows * H), true, hh, false);  // h_prev·W_hhᵀ [B, rows]
    for (let b = 0; b < B; b++) {
      const row = b * G;
      const rowHh = b * recurrentRows;
      for (let j = 0; j < H; j++) {
        gates[row + j] = sigmoid(xProjection[row + j] + hh[rowHh + j] + bHh[j]);                 // r
        gates[row + H + j] = sigmoid(xProjection[row + H + j] + hh[rowHh + H + j] + bHh[H + j]); // z
      }
    }
    if (reset === 'after') {
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < H; j++) recurrent[b * H + j] = hh[b * G + 2 * H + j] + bHh[2 * H + j];  // h_prev·W_hnᵀ + b_hn
      }
      for (let b = 0; b < B; b++) {
        const row = b * G;
        for (let j = 0; j < H; j++) {
          gates[row + 2 * H + j] = Math.tanh(xProjection[row + 2 * H + j] + gates[row + j] * recurrent[b * H + j]);  // n
        }
      }
    } else {
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < H; j++) recurrent[b * H + j] = gates[b * G + j] * hPrev[b * H + j];     // r ⊙ h_prev
      }
      const nPre = hh.subarray(0, B * H);
      gemm(B, H, H, recurrent, false, W.subarray(2 * H * H), true, nPre, false);                    // (r ⊙ h_prev)·W_hnᵀ
      for (let b = 0; b < B; b++) {
        const row = b * G;
        for (let j = 0; j < H; j++) {
          gates[row + 2 * H + j] = Math.tanh(xProjection[row + 2 * H + j] + nPre[b * H + j] + bHh[2 * H + j]);   // n
        }
      }
    }
    for (let b = 0; b < B; b++) {
      const row = b * G;
      for (let j = 0; j < H; j++) {
        const z = gates[row + H + j];
        h[b * H + j] = (1 - z) * gates[row + 2 * H + j] + z * hPrev[b * H + j];   // h = (1 − z) ⊙ n + z ⊙ h_prev
      }
    }
  },

  backward({ batch: B, hidden: H, reset, weightHh: W, hPrevious: hPrev, gates, recurrent }, { dh, dXProjection: dx, dWeightHh: dW, dBiasHh: dBias, dhPrevious: dhPrev, scratch }) {
    const G = 3 * H;
    const dHh = scratch.subarray(0, B * G);           // gradient of h_prev·W_hhᵀ + b_hh, block by block
    const dRh = scratch.subarray(B * G, B * (G + H)); // 'before': gradient of r ⊙ h_prev
    for (let b = 0; b < B; b++) {
      const row = b * G;
      for (let j = 0; j < H; j++) {
        const k = b * H + j;
        const r = gates[row + j];
        const z = gates[row + H + j];
        const n = gates[row + 2 * H + j];
        const dn = dh[k] * (1 - z);                    // ∂h/∂n = 1 − z
        const dz = dh[k] * (hPrev[k] - n);             // ∂h/∂z = h_prev − n
        dhPrev[k] = dh[k] * z;                         // the direct path h_prev → h
        const dnPre = dn * (1 - n * n);                // through tanh
        dx[row + 2 * H + j] = dnPre;
        dx[row + H + j] = dz * z * (1 - z);            // through σ
        dHh[row + H + j] = dx[row + H + j];
        if (reset === 'after') {
          dHh[row + 2 * H + j] = dnPre * r;                   // ∂/∂(h_prev·W_hnᵀ + b_hn)
          const dr = dnPre * recurrent[k];
          dx[row + j] = dr * r * (1 - r);
          dHh[row + j] = dx[row + j];
        } else {
          dHh[row + 2 * H + j] = dnPre;                       // ∂/∂((r ⊙ h_prev)·W_hnᵀ + b_hn); dr comes below
        }
      }
    }
    if (reset === 'after') {
      accumulateWeightRows(dW, dHh, hPrev, 0, G, B, H);                                      // dW_hh += dHhᵀ·h_prev
    } else {
      for (let b = 0; b < B; b++) {
        const dnPre = dHh.subarray(b * G + 2 * H, b * G + 3 * H);
        gemm(1, H, H, dnPre, false, W.subarray(2 * H * H), false, dRh.subarray(b * H, (b + 1) * H), false);  // d(r ⊙ h_prev) = dn·W_hn
      }
      for (let b = 0; b < B; b++) {
        const row = b * G;
        for (let j = 0; j < H; j++) {
          const k = b * H + j;
          const r = gates[row + j];
          dhPrev[k] += dRh[k] * r;                              // through r ⊙ h_prev, the h_prev side
          const dr = dRh[k] * hPrev[k];                         // …and the r side
          dx[row + j] = dr * r * (1 - r);
          dHh[row + j] = dx[row + j];
        }
      }
      accumulateWeightRows(dW, dHh, hPrev, 0, 2 * H, B, H);                                  // dW_hr, dW_hz += ·ᵀ·h_prev
      accumulateWeightRows(dW, dHh, recurrent, 2 * H, 3 * H, B, H);                          // dW_hn += dnᵀ·(r ⊙ h_prev)
    }
    accumulateColumnSums(dBias, dHh, B, G);                                                  // db_hh += Σ_b dHh
    const recurrentRows = reset === 'after' ? G : 2 * H;
    for (let b = 0; b < B; b++) {
      // dh_prev += dHh[:, rows]·W_hh[rows]  (for 'before', the n block already went through r ⊙ h_prev)
      gemm(1, H, recurrentRows, dHh.subarray(b * G, b * G + recurrentRows), false, W, false, dhPrev.subarray(b * H, (b + 1) * H), true);
    }
  },
};

/** dW[rows from..to] += dHh[:, from..to]ᵀ · input, with dHh [B, 3H] and input [B, H]. */
function accumulateWeightRows(dW: Float64Array, dHh: Float64Array, input: Float64Array, from: number, to: number, B: number, H: number): void {
  const G = 3 * H;
  for (let b = 0; b < B; b++) {
    for (let row = from; row < to; row++) {
      const d = dHh[b * G + row];
      if (d === 0) continue;
      const wRow = row * H;
      for (let j = 0; j < H; j++) dW[wRow + j] += d * input[b * H + j];
    }
  }
}

export class GruCell implements RecurrentCell {
  readonly kind = 'gru';
  readonly hasCellState = false;
  readonly gates: readonly GateInfo[] = [
    { name: 'r', activation: 'sigmoid' },
    { name: 'z', activation: 'sigmoid' },
    { name: 'n', activation: 'tanh' },
  ];
  readonly weightIh: Parameter;
  readonly weightHh: Parameter;
  readonly biasIh: Parameter;
  readonly biasHh: Parameter;
  private readonly kernels: Kernels;
  private readonly gateCache: StepCache;      // [T, B, 3H] r, z, n
  private readonly recurrentCache: StepCache; // [T, B, H]  'after': h_prev·W_hnᵀ + b_hn;  'before': r ⊙ h_prev
  private scratch: Float64Array = new Float64Array(0);  // [B, 4H]

  constructor(
    readonly inputSize: number,
    readonly hiddenSize: number,
    readonly reset: GruReset,
    rng: RandomState,
    options: CellOptions,
  ) {
    this.kernels = options.kernels;
    ({ weightIh: this.weightIh, weightHh: this.weightHh, biasIh: this.biasIh, biasHh: this.biasHh } =
      createCellParameters(options, 3, inputSize, hiddenSize, rng));
    this.gateCache = new StepCache(3 * hiddenSize);
    this.recurrentCache = new StepCache(hiddenSize);
  }

  prepare(steps: number, batch: number): void {
    this.gateCache.prepare(steps, batch);
    this.recurrentCache.prepare(steps, batch);
    if (this.scratch.length !== batch * 4 * this.hiddenSize) this.scratch = new Float64Array(batch * 4 * this.hiddenSize);
  }

  forwardStep(t: number, xProjection: Float64Array, previous: CellState, next: CellState): void {
    this.kernels.gru.forward(this.step(t, previous, next), xProjection);
  }

  gateValues(t: number): Float64Array {
    return this.gateCache.at(t);
  }

  backwardStep(
    t: number, previous: CellState, next: CellState, dNext: CellState, dXProjection: Float64Array, dPrevious: CellState,
  ): void {
    this.kernels.gru.backward(this.step(t, previous, next), {
      dh: dNext.h, dXProjection, dWeightHh: this.weightHh.grad.data, dBiasHh: this.biasHh.grad.data, dhPrevious: dPrevious.h, scratch: this.scratch,
    });
  }

  private step(t: number, previous: CellState, next: CellState): GruStep {
    return {
      batch: next.h.length / this.hiddenSize, hidden: this.hiddenSize, reset: this.reset,
      weightHh: this.weightHh.value.data, biasHh: this.biasHh.value.data, hPrevious: previous.h,
      gates: this.gateCache.at(t), recurrent: this.recurrentCache.at(t), h: next.h, scratch: this.scratch,
    };
  }
}
