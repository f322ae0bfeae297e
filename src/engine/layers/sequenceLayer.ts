// Engine layer: the time loop in plain TypeScript — one cell unrolled over a sequence, forward and full
// backpropagation through time.
import type { RecurrentCell } from '../cells/cell';
import { accumulateColumnSums, addRowBias, typescriptGemm, type Gemm } from '../math';
import { norm } from '../tensor';
import type { GateSeries, TimeLoop } from './timeLoop';

/**
 * One direction of one layer over T steps, in plain TypeScript. Forward keeps every state (full BPTT needs them); backward walks the
 * steps in reverse, carrying ∂L/∂h (and ∂L/∂c), and records ‖∂L/∂h⟨t⟩‖ for every t — the quantity that vanishes
 * or explodes, charted by the dashboard.
 *
 * A `reverse` layer reads the sequence from t = T−1 down to 0 (the backward half of a bidirectional RNN); its
 * outputs are still stored by time position t.
 */
export class SequenceLayer implements TimeLoop {
  private steps = 0;
  private batch = 0;
  private input: Float64Array = new Float64Array(0);          // [T, B, I] (a reference to the caller's input)
  private xProjection: Float64Array = new Float64Array(0);    // [T, B, G·H]
  private hidden: Float64Array = new Float64Array(0);         // [T+1, B, H] in processing order; block 0 is the initial state
  private cell: Float64Array = new Float64Array(0);           // [T+1, B, H] (LSTM only)
  private outputs: Float64Array = new Float64Array(0);        // [T, B, H] by time position
  private dGates: Float64Array = new Float64Array(0);         // [T, B, G·H] ∂L/∂xProjection: each step's dGates
  /** ‖∂L/∂h⟨t⟩‖ (Frobenius over batch and units) by time position, from the last backward pass. */
  hiddenGradNorms: Float64Array = new Float64Array(0);
  /** ‖∂L/∂c⟨t⟩‖ for an LSTM, else empty. */
  cellGradNorms: Float64Array = new Float64Array(0);

  /** `gemm` computes the input projection of all steps at once, and its gradients: the backend's matrix product. */
  constructor(readonly recurrentCell: RecurrentCell, readonly reverse: boolean, private readonly gemm: Gemm = typescriptGemm) {}

  get hiddenSize(): number {
    return this.recurrentCell.hiddenSize;
  }

  /** Time position of processing step s. */
  private timeOf(s: number): number {
    return this.reverse ? this.steps - 1 - s : s;
  }

  /**
   * x [T, B, I] → outputs [T, B, H] (a view valid until the next forward). h0 / c0 [B, H] (c0 for an LSTM only);
   * returns views of the final state.
   */
  forward(x: Float64Array, steps: number, batch: number, h0: Float64Array, c0: Float64Array | null, keepOutputs = true):
  { outputs: Float64Array; h: Float64Array; c: Float64Array | null } {
    const cell = this.recurrentCell;
    const H = cell.hiddenSize;
    const G = cell.gates.length * H;
    const I = cell.inputSize;
    this.allocate(steps, batch);
    this.input = x;
    // The input projection of all steps at once: [T·B, I]·W_ihᵀ + b_ih.
    const xProjection = this.xProjection.subarray(0, steps * batch * G);
    this.gemm(steps * batch, G, I, x, false, cell.weightIh.value.data, true, xProjection, false);
    addRowBias(xProjection, cell.biasIh.value.data, steps * batch, G);
    const stride = batch * H;
    this.hidden.set(h0, 0);
    if (cell.hasCellState) this.cell.set(c0!, 0);
    cell.prepare(steps, batch);
    for (let s = 0; s < steps; s++) {
      const t = this.timeOf(s);
      cell.forwardStep(s, xProjection.subarray(t * batch * G, (t + 1) * batch * G), this.stateAt(s), this.stateAt(s + 1));
      this.outputs.set(this.hidden.subarray((s + 1) * stride, (s + 2) * stride), t * stride);
    }
    const final = this.stateAt(steps);
    return { outputs: keepOutputs ? this.outputs.slice(0, steps * stride) : new Float64Array(0), h: final.h, c: final.c };
  }

  /**
   * Backward through all T steps. `dOutputs` [T, B, H] is ∂L/∂output by time position (null: no loss on the
   * outputs); `dhFinal` / `dcFinal` [B, H] the gradient reaching the final state (null: none). Accumulates into the
   * cell's parameter gradients; returns ∂L/∂x [T, B, I] (written into `dx`, unless null) and ∂L/∂(h0, c0).
   */
  backward(dOutputs: Float64Array | null, dhFinal: Float64Array | null, dcFinal: Float64Array | null, dx: Float64Array | null):
  { dh0: Float64Array; dc0: Float64Array | null } {
    const cell = this.recurrentCell;
    const T = this.steps;
    const B = this.batch;
    const H = cell.hiddenSize;
    const G = cell.gates.length * H;
    const I = cell.inputSize;
    const stride = B * H;
    let dh = new Float64Array(stride);
    let dhPrevious = new Float64Array(stride);
    let dc = cell.hasCellState ? new Float64Array(stride) : null;
    let dcPrevious = cell.hasCellState ? new Float64Array(stride) : null;
    if (dhFinal) dh.set(dhFinal);
    if (dcFinal && dc) dc.set(dcFinal);
    const dGates = this.dGates.subarray(0, T * B * G);
    for (let s = T - 1; s >= 0; s--) {
      const t = this.timeOf(s);
      if (dOutputs) {
        for (let k = 0; k < stride; k++) dh[k] += dOutputs[t * stride + k];  // dh⟨t⟩ = from the loss + from step t+1
      }
      this.hiddenGradNorms[t] = norm(dh);
      cell.backwardStep(s, this.stateAt(s), this.stateAt(s + 1), { h: dh, c: dc },
        dGates.subarray(t * B * G, (t + 1) * B * G), { h: dhPrevious, c: dcPrevious });
      if (dc) this.cellGradNorms[t] = norm(dc);  // the LSTM left the total ∂L/∂c⟨t⟩ in dc
      [dh, dhPrevious] = [dhPrevious, dh];
      if (dc) [dc, dcPrevious] = [dcPrevious!, dc];
    }
    // Through the input projection, all steps at once.
    this.gemm(G, I, T * B, dGates, true, this.input, false, cell.weightIh.grad.data, true);        // dW_ih += dGatesᵀ·x
    accumulateColumnSums(cell.biasIh.grad.data, dGates, T * B, G);                                 // db_ih += Σ dGates
    if (dx) this.gemm(T * B, I, G, dGates, false, cell.weightIh.value.data, false, dx, false);     // dx = dGates·W_ih
    return { dh0: dh, dc0: dc };
  }

  /** Mean and saturation of every gate at every time step of the last forward pass. */
  gateStatistics(): GateSeries[] {
    const cell = this.recurrentCell;
    const H = cell.hiddenSize;
    const G = cell.gates.length * H;
    const B = this.batch;
    return cell.gates.map((gate, g) => {
      const mean = new Float64Array(this.steps);
      const saturated = new Float64Array(this.steps);
      for (let s = 0; s < this.steps; s++) {
        const values = cell.gateValues(s);
        const width = values.length / B;   // G·H for gated cells; H for the RNN's h
        let sum = 0;
        let flat = 0;
        for (let b = 0; b < B; b++) {
          for (let j = 0; j < H; j++) {
            const v = values[b * width + (width === G ? g * H : 0) + j];
            sum += v;
            if (gate.activation === 'sigmoid' ? v < 0.05 || v > 0.95 : gate.activation === 'tanh' ? Math.abs(v) > 0.95 : v === 0) flat++;
          }
        }
        const t = this.timeOf(s);
        mean[t] = sum / (B * H);
        saturated[t] = flat / (B * H);
      }
      return { gate: gate.name, mean, saturated };
    });
  }

  /** Hidden states of the last forward pass by time position, [T, B, H] (a view). */
  hiddenStates(): Float64Array {
    return this.outputs.subarray(0, this.steps * this.batch * this.hiddenSize);
  }

  private stateAt(s: number): { h: Float64Array; c: Float64Array | null } {
    const stride = this.batch * this.recurrentCell.hiddenSize;
    return {
      h: this.hidden.subarray(s * stride, (s + 1) * stride),
      c: this.recurrentCell.hasCellState ? this.cell.subarray(s * stride, (s + 1) * stride) : null,
    };
  }

  private allocate(steps: number, batch: number): void {
    const cell = this.recurrentCell;
    const H = cell.hiddenSize;
    const G = cell.gates.length * H;
    this.steps = steps;
    this.batch = batch;
    const grow = (buffer: Float64Array, size: number): Float64Array => (buffer.length >= size ? buffer : new Float64Array(size));
    this.xProjection = grow(this.xProjection, steps * batch * G);
    this.dGates = grow(this.dGates, steps * batch * G);
    this.hidden = grow(this.hidden, (steps + 1) * batch * H);
    if (cell.hasCellState) this.cell = grow(this.cell, (steps + 1) * batch * H);
    this.outputs = grow(this.outputs, steps * batch * H);
    this.hiddenGradNorms = new Float64Array(steps);
    this.cellGradNorms = new Float64Array(cell.hasCellState ? steps : 0);
  }
}
