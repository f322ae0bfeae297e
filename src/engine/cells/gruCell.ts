// Engine layer: the GRU cell (Cho et al. 2014) in both of its real variants — reset after or before the
// recurrent matrix product.
import { accumulateColumnSums, sigmoid, typescriptGemm as gemm } from '../math';
import { Parameter } from '../parameter';
import { RandomState } from '../random/randomState';
import { CellOptions, CellState, CellVariant, createCellParameters, GateInfo, RecurrentCell, StepCache } from './cell';

/** Where the reset gate acts: after W_hn·h (PyTorch, cuDNN, Keras reset_after) or on h before it (Cho 2014, the course, tfjs). */
export type GruReset = 'after' | 'before';

/**
 * GRU (PyTorch layout: gate order r, z, n in the rows of W_ih and W_hh), one step:
 *   r  = σ(x·W_irᵀ + b_ir + h_prev·W_hrᵀ + b_hr)
 *   z  = σ(x·W_izᵀ + b_iz + h_prev·W_hzᵀ + b_hz)
 *   u  = h_prev                    reset 'after'  (PyTorch)
 *   u  = r ⊙ h_prev                reset 'before' (Cho 2014, the course)
 *   hn = u·W_hnᵀ + b_hn            the recurrent part of the candidate
 *   n  = tanh(x·W_inᵀ + b_in + r ⊙ hn)     reset 'after'
 *   n  = tanh(x·W_inᵀ + b_in + hn)         reset 'before'
 *   h  = (1 − z) ⊙ n + z ⊙ h_prev
 * Shapes: x [B, I]; h [B, H]; W_ih [3H, I]; W_hh [3H, H]; W_h{r,z} is the first 2H rows of W_hh, W_hn the last H.
 * Reference note: here, as in PyTorch, Keras and Cho et al., z ≈ 1 keeps the old memory. The course's equation
 * a = (1 − Γu) ⊙ a_prev + Γu ⊙ ã labels the gate the other way (Γu = 1 − z): Γu ≈ 1 takes the candidate. The syllabus
 * text ("z ≈ 1 keeps the old memory") contradicts its own equation; both labelings are the same cell.
 */
export class GruCell implements RecurrentCell {
  readonly kind = 'gru';
  readonly variant: CellVariant;
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
  private readonly gateCache: StepCache;   // [T, B, 3H] r, z, n
  private readonly hnCache: StepCache;     // [T, B, H]  hn = u·W_hnᵀ + b_hn
  // Working space of one step, sized by the batch.
  private hRz = new Float64Array(0);       // [B, 2H] h_prev·W_h{r,z}ᵀ
  private u = new Float64Array(0);         // [B, H]  r ⊙ h_prev (reset 'before')
  private dRz = new Float64Array(0);       // [B, 2H] [dr dz]
  private dHn = new Float64Array(0);       // [B, H]  ∂L/∂hn
  private dU = new Float64Array(0);        // [B, H]  ∂L/∂u (reset 'before')

  constructor(
    readonly inputSize: number,
    readonly hiddenSize: number,
    readonly reset: GruReset,
    rng: RandomState,
    options: CellOptions,
  ) {
    this.variant = reset === 'before' ? 'gru-reset-before' : 'gru-reset-after';
    ({ weightIh: this.weightIh, weightHh: this.weightHh, biasIh: this.biasIh, biasHh: this.biasHh } =
      createCellParameters(options, 3, inputSize, hiddenSize, rng));
    this.gateCache = new StepCache(3 * hiddenSize);
    this.hnCache = new StepCache(hiddenSize);
  }

  prepare(steps: number, batch: number): void {
    const H = this.hiddenSize;
    this.gateCache.prepare(steps, batch);
    this.hnCache.prepare(steps, batch);
    if (this.u.length !== batch * H) {
      this.hRz = new Float64Array(batch * 2 * H);
      this.u = new Float64Array(batch * H);
      this.dRz = new Float64Array(batch * 2 * H);
      this.dHn = new Float64Array(batch * H);
      this.dU = new Float64Array(batch * H);
    }
  }

  /**
   * The forward equations of the class comment; `xProjection` [B, 3H] is x·W_ihᵀ + b_ih, computed by the layer.
   * Caches r, z, n and hn of step t for the backward.
   */
  forwardStep(t: number, xProjection: Float64Array, previous: CellState, next: CellState): void {
    const H = this.hiddenSize;
    const G = 3 * H;
    const B = next.h.length / H;
    const after = this.reset === 'after';
    const W_hh = this.weightHh.value.data;
    const b_hh = this.biasHh.value.data;
    const hPrevious = previous.h;
    const { h } = next;
    const gates = this.gateCache.at(t);
    const hn = this.hnCache.at(t);
    const { hRz } = this;
    const u = after ? hPrevious : this.u;
    gemm(B, 2 * H, H, hPrevious, false, W_hh.subarray(0, 2 * H * H), true, hRz, false);   // h_prev·W_h{r,z}ᵀ
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const r = sigmoid(xProjection[b * G + j] + hRz[b * 2 * H + j] + b_hh[j]);              // r
        gates[b * G + j] = r;
        gates[b * G + H + j] = sigmoid(xProjection[b * G + H + j] + hRz[b * 2 * H + H + j] + b_hh[H + j]);  // z
        if (!after) u[b * H + j] = r * hPrevious[b * H + j];                                    // u = r ⊙ h_prev
      }
    }
    gemm(B, H, H, u, false, W_hh.subarray(2 * H * H), true, hn, false);                      // hn = u·W_hnᵀ …
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const k = b * H + j;
        hn[k] += b_hh[2 * H + j];                                                               // … + b_hn
        const r = gates[b * G + j];
        const z = gates[b * G + H + j];
        const n = Math.tanh(xProjection[b * G + 2 * H + j] + (after ? r * hn[k] : hn[k]));      // n
        gates[b * G + 2 * H + j] = n;
        h[k] = (1 - z) * n + z * hPrevious[k];                                                  // h = (1 − z) ⊙ n + z ⊙ h_prev
      }
    }
  }

  gateValues(t: number): Float64Array {
    return this.gateCache.at(t);
  }

  /**
   * One step backward, given dh = ∂L/∂h⟨t⟩ in total. dr, dz, dn are taken at the gates' pre-activations:
   *   dn  = dh ⊙ (1 − z) ⊙ (1 − n²)
   *   dz  = dh ⊙ (h_prev − n) ⊙ z ⊙ (1 − z)
   *   dhn = dn ⊙ r   ('after');   dn   ('before')
   *   du  = dhn·W_hn                                                 ('before' only)
   *   dr  = dn ⊙ hn ⊙ r ⊙ (1 − r)   ('after');   du ⊙ h_prev ⊙ r ⊙ (1 − r)   ('before')
   *   dW_h{r,z} += [dr dz]ᵀ·h_prev;   dW_hn += dhnᵀ·u;   db_h{r,z} += Σ_b [dr dz];   db_hn += Σ_b dhn
   *   dh_prev = dh ⊙ z + [dr dz]·W_h{r,z} + dhn·W_hn   ('after');   … + du ⊙ r in place of dhn·W_hn   ('before')
   *   dGates = [dr dz dn]
   */
  backwardStep(
    t: number, previous: CellState, next: CellState, dNext: CellState, dGates: Float64Array, dPrevious: CellState,
  ): void {
    const H = this.hiddenSize;
    const G = 3 * H;
    const B = next.h.length / H;
    const after = this.reset === 'after';
    const W_hh = this.weightHh.value.data;
    const W_hn = W_hh.subarray(2 * H * H);
    const dW_hh = this.weightHh.grad.data;
    const db_hh = this.biasHh.grad.data;
    const gates = this.gateCache.at(t);
    const hn = this.hnCache.at(t);
    const hPrevious = previous.h;
    const dh = dNext.h;
    const dhPrevious = dPrevious.h;
    const { dRz, dHn, dU } = this;
    const u = after ? hPrevious : this.u;
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const k = b * H + j;
        const r = gates[b * G + j];
        const z = gates[b * G + H + j];
        const n = gates[b * G + 2 * H + j];
        const dn = dh[k] * (1 - z) * (1 - n * n);                        // dn = dh ⊙ (1 − z) ⊙ (1 − n²)
        const dz = dh[k] * (hPrevious[k] - n) * z * (1 - z);             // dz = dh ⊙ (h_prev − n) ⊙ z ⊙ (1 − z)
        dGates[b * G + 2 * H + j] = dn;
        dGates[b * G + H + j] = dRz[b * 2 * H + H + j] = dz;
        dHn[k] = after ? dn * r : dn;                                    // dhn
        dhPrevious[k] = dh[k] * z;                                       // dh_prev = dh ⊙ z …
        if (after) dGates[b * G + j] = dRz[b * 2 * H + j] = dn * hn[k] * r * (1 - r);   // dr = dn ⊙ hn ⊙ r ⊙ (1 − r)
      }
    }
    if (!after) {
      gemm(B, H, H, dHn, false, W_hn, false, dU, false);                 // du = dhn·W_hn
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < H; j++) {
          const k = b * H + j;
          const r = gates[b * G + j];
          dGates[b * G + j] = dRz[b * 2 * H + j] = dU[k] * hPrevious[k] * r * (1 - r);  // dr = du ⊙ h_prev ⊙ r ⊙ (1 − r)
          dhPrevious[k] += dU[k] * r;                                    // … + du ⊙ r
          u[k] = r * hPrevious[k];                                       // u = r ⊙ h_prev, as in the forward
        }
      }
    }
    gemm(2 * H, H, B, dRz, true, hPrevious, false, dW_hh, true);                      // dW_h{r,z} += [dr dz]ᵀ·h_prev
    gemm(H, H, B, dHn, true, u, false, dW_hh.subarray(2 * H * H), true);              // dW_hn += dhnᵀ·u
    accumulateColumnSums(db_hh, dRz, B, 2 * H);                                       // db_h{r,z} += Σ_b [dr dz]
    accumulateColumnSums(db_hh.subarray(2 * H), dHn, B, H);                           // db_hn += Σ_b dhn
    gemm(B, H, 2 * H, dRz, false, W_hh.subarray(0, 2 * H * H), false, dhPrevious, true);  // dh_prev += [dr dz]·W_h{r,z}
    if (after) gemm(B, H, H, dHn, false, W_hn, false, dhPrevious, true);               // dh_prev += dhn·W_hn
  }
}
