// Engine layer: one direction of one recurrent layer computed by the float32 WebAssembly SIMD kernels — the same
// TimeLoop as layers/sequenceLayer.ts, whose float64 TypeScript is the readable reference. The cell's parameters
// stay float64 (the optimizer, the saved model and gradient checks use them); each forward pass copies them to
// float32, each backward pass adds its float32 gradients back into them.
import type { CellVariant, RecurrentCell } from '../cells/cell';
import type { GateSeries, TimeLoop } from '../layers/timeLoop';
import {
  CELL_GRU_RESET_AFTER, CELL_GRU_RESET_BEFORE, CELL_LSTM, CELL_RNN_RELU, CELL_RNN_TANH, MAX_PARTS, PACK_TERMS, WEIGHT_ROW_PAD, D_PACK,
  D_B_HH, D_B_IH, D_BATCH, D_CELL, D_CELLS, D_C_NORMS, D_D_OUTPUTS, D_DB_HH, D_DB_IH, D_DC, D_DC0, D_DC_FINAL, D_DH, D_DH0,
  D_DH_FINAL, D_DH_PROJECTION, D_DW_HH, D_DW_IH, D_DX, D_DX_PROJECTION, D_GATES, D_GATE_STATS, D_H_NORMS, D_HIDDEN, D_INPUT,
  D_REVERSE, D_ROW_SCALES, D_SCRATCH, D_STATES, D_STEPS, D_W_HH, D_W_HH_T, D_W_IH, D_W_IH_T, D_WORDS, D_X, D_X_PROJECTION,
} from './descriptor';
import type { Float32Block, WasmRuntime } from './wasmRuntime';

type Block = { offset: number; view: Float32Array | Float64Array | Int32Array };

/** The cell code the kernels use for each variant (every cell the engine has). */
const CELL_CODES: Readonly<Record<CellVariant, number>> = {
  'rnn-tanh': CELL_RNN_TANH,
  'rnn-relu': CELL_RNN_RELU,
  'gru-reset-after': CELL_GRU_RESET_AFTER,
  'gru-reset-before': CELL_GRU_RESET_BEFORE,
  'lstm': CELL_LSTM,
};

/** The row stride, in floats, of a float32 weight copy with n columns (as the kernels' weightStride). */
export function weightStride(columns: number): number {
  return columns + WEIGHT_ROW_PAD;
}

export class WasmSequenceLayer implements TimeLoop {
  hiddenGradNorms: Float64Array = new Float64Array(0);
  cellGradNorms: Float64Array = new Float64Array(0);
  private readonly code: number;
  private readonly gateCount: number;
  private readonly descriptor: { offset: number; view: Int32Array };
  // Parameters (float32 copies, refreshed every forward pass) and this pass's parameter gradients.
  private readonly weightIh: Float32Block;
  private readonly weightIhT: Float32Block;
  private readonly biasIh: Float32Block;
  private readonly weightHh: Float32Block;
  private readonly weightHhT: Float32Block;
  private readonly biasHh: Float32Block;
  private readonly dWeightIh: Float32Block;
  private readonly dBiasIh: Float32Block;
  private readonly dWeightHh: Float32Block;
  private readonly dBiasHh: Float32Block;
  private readonly pack: Float32Block;
  /** The arrays sized by T and B, reallocated only when a longer sequence or larger batch arrives. */
  private sized: Record<string, Block> = {};
  private capacity = { steps: 0, batch: 0 };
  private steps = 0;
  private batch = 0;
  private outputs = new Float64Array(0);

  constructor(readonly recurrentCell: RecurrentCell, readonly reverse: boolean, private readonly runtime: WasmRuntime) {
    const cell = recurrentCell;
    if (!Object.hasOwn(CELL_CODES, cell.variant)) {
      throw new RangeError(`the WebAssembly kernels compute the variants ${Object.keys(CELL_CODES).join(', ')}; got '${String(cell.variant)}'`);
    }
    this.code = CELL_CODES[cell.variant];
    this.gateCount = cell.gates.length;
    const G = this.gateCount * cell.hiddenSize;
    const I = cell.inputSize;
    const H = cell.hiddenSize;
    this.descriptor = runtime.allocateWords(D_WORDS);
    this.weightIh = runtime.allocateFloat32(G * weightStride(I));
    this.weightIhT = runtime.allocateFloat32(I * weightStride(G));
    this.biasIh = runtime.allocateFloat32(G);
    this.weightHh = runtime.allocateFloat32(G * weightStride(H));
    this.weightHhT = runtime.allocateFloat32(H * weightStride(G));
    this.biasHh = runtime.allocateFloat32(G);
    this.dWeightIh = runtime.allocateFloat32(G * I);
    this.dBiasIh = runtime.allocateFloat32(G);
    this.dWeightHh = runtime.allocateFloat32(G * H);
    this.dBiasHh = runtime.allocateFloat32(G);
    this.pack = runtime.allocateFloat32(MAX_PARTS * G * PACK_TERMS);
    const d = this.descriptor.view;
    d[D_CELL] = this.code;
    d[D_INPUT] = I;
    d[D_HIDDEN] = H;
    d[D_REVERSE] = reverse ? 1 : 0;
    d[D_W_IH] = this.weightIh.offset;
    d[D_W_IH_T] = this.weightIhT.offset;
    d[D_B_IH] = this.biasIh.offset;
    d[D_W_HH] = this.weightHh.offset;
    d[D_W_HH_T] = this.weightHhT.offset;
    d[D_B_HH] = this.biasHh.offset;
    d[D_DW_IH] = this.dWeightIh.offset;
    d[D_DB_IH] = this.dBiasIh.offset;
    d[D_DW_HH] = this.dWeightHh.offset;
    d[D_DB_HH] = this.dBiasHh.offset;
    d[D_PACK] = this.pack.offset;
  }

  get hiddenSize(): number {
    return this.recurrentCell.hiddenSize;
  }

  forward(x: Float64Array, steps: number, batch: number, h0: Float64Array, c0: Float64Array | null, keepOutputs = true):
  { outputs: Float64Array; h: Float64Array; c: Float64Array | null } {
    const cell = this.recurrentCell;
    const H = cell.hiddenSize;
    const I = cell.inputSize;
    const G = this.gateCount * H;
    this.allocate(steps, batch);
    this.uploadParameters();
    const stride = batch * H;
    this.f32('x').set(x.subarray(0, steps * batch * I));
    // The initial state sits at block 0 (forward) or block T (reverse) of the states: see descriptor.ts.
    const initialBlock = this.reverse ? steps : 0;
    this.f32('states').set(h0, initialBlock * stride);
    if (c0) this.f32('cells').set(c0, initialBlock * stride);
    if (this.code === CELL_RNN_TANH || this.code === CELL_RNN_RELU) {
      // h⟨t⟩'s own block of the states: [t + 1] reading forward, [t] reading in reverse.
      this.descriptor.view[D_X_PROJECTION] = this.sized.states.offset + (this.reverse ? 0 : stride * 4);
    }
    const d = this.descriptor.offset;
    this.runtime.run('forwardProjection', d, steps * batch * G * I);
    this.runtime.run('forwardSteps', d, steps * batch * G * H);
    const outputsFrom = this.reverse ? 0 : stride;
    const outputs = keepOutputs ? new Float64Array(this.f32('states').subarray(outputsFrom, outputsFrom + steps * stride)) : new Float64Array(0);
    this.outputs = outputs;
    const finalBlock = this.reverse ? 0 : steps;
    return {
      outputs,
      h: Float64Array.from(this.f32('states').subarray(finalBlock * stride, (finalBlock + 1) * stride)),
      c: c0 ? Float64Array.from(this.f32('cells').subarray(finalBlock * stride, (finalBlock + 1) * stride)) : null,
    };
  }

  backward(dOutputs: Float64Array | null, dhFinal: Float64Array | null, dcFinal: Float64Array | null, dx: Float64Array | null):
  { dh0: Float64Array; dc0: Float64Array | null } {
    const cell = this.recurrentCell;
    const T = this.steps;
    const B = this.batch;
    const H = cell.hiddenSize;
    const I = cell.inputSize;
    const G = this.gateCount * H;
    if (T === 0) throw new Error('backward called before forward');
    const d = this.descriptor.view;
    if (dOutputs) this.onDemand('dOutputs', this.capacity.steps * this.capacity.batch * H);
    if (dx) this.onDemand('dx', this.capacity.steps * this.capacity.batch * I);
    d[D_D_OUTPUTS] = dOutputs ? this.upload('dOutputs', dOutputs) : 0;
    d[D_DH_FINAL] = dhFinal ? this.upload('dhFinal', dhFinal) : 0;
    d[D_DC_FINAL] = dcFinal && cell.hasCellState ? this.upload('dcFinal', dcFinal) : 0;
    d[D_DX] = dx ? this.sized.dx.offset : 0;
    this.runtime.run('backwardSteps', this.descriptor.offset, T * B * G * H);
    this.runtime.run('backwardWeights', this.descriptor.offset, T * B * G * (H + I + (dx ? I : 0)));
    addInto(cell.weightIh.grad.data, this.dWeightIh.view);
    addInto(cell.biasIh.grad.data, this.dBiasIh.view);
    addInto(cell.weightHh.grad.data, this.dWeightHh.view);
    addInto(cell.biasHh.grad.data, this.dBiasHh.view);
    if (dx) dx.set(this.f32('dx').subarray(0, T * B * I));
    this.hiddenGradNorms = rowNorms(this.f64('hNorms'), T, B);
    this.cellGradNorms = cell.hasCellState ? rowNorms(this.f64('cNorms'), T, B) : new Float64Array(0);
    return {
      dh0: Float64Array.from(this.f32('dh0').subarray(0, B * H)),
      dc0: cell.hasCellState ? Float64Array.from(this.f32('dc0').subarray(0, B * H)) : null,
    };
  }

  /** Mean and saturation of every gate at every time step, summed by the kernels as they computed the gates. */
  gateStatistics(): GateSeries[] {
    const T = this.steps;
    const B = this.batch;
    const count = B * this.hiddenSize;
    const stats = this.f64('gateStats');
    return this.recurrentCell.gates.map((gate, g) => {
      const mean = new Float64Array(T);
      const saturated = new Float64Array(T);
      for (let t = 0; t < T; t++) {
        let sum = 0;
        let flat = 0;
        for (let b = 0; b < B; b++) {
          const at = ((t * this.gateCount + g) * B + b) * 2;
          sum += stats[at];
          flat += stats[at + 1];
        }
        mean[t] = sum / count;
        saturated[t] = flat / count;
      }
      return { gate: gate.name, mean, saturated };
    });
  }

  dispose(): void {
    this.releaseSized();
    this.capacity = { steps: 0, batch: 0 };
    for (const block of [this.descriptor, this.weightIh, this.weightIhT, this.biasIh, this.weightHh, this.weightHhT, this.biasHh,
      this.dWeightIh, this.dBiasIh, this.dWeightHh, this.dBiasHh, this.pack]) this.runtime.release(block);
  }

  hiddenStates(): Float64Array {
    return this.outputs;
  }

  /** Float32 copies of the float64 parameters, plus the transposes the products read row by row (rows padded: descriptor.ts). */
  private uploadParameters(): void {
    const cell = this.recurrentCell;
    const G = this.gateCount * cell.hiddenSize;
    for (const [weight, copy, transposed, columns] of [
      [cell.weightIh.value.data, this.weightIh, this.weightIhT, cell.inputSize],
      [cell.weightHh.value.data, this.weightHh, this.weightHhT, cell.hiddenSize],
    ] as const) {
      const stride = weightStride(columns);
      for (let r = 0; r < G; r++) copy.view.set(weight.subarray(r * columns, (r + 1) * columns), r * stride);
      this.runtime.transpose(G, columns, copy, stride, transposed, weightStride(G));
    }
    this.biasIh.view.set(cell.biasIh.value.data);
    this.biasHh.view.set(cell.biasHh.value.data);
  }

  private upload(name: string, values: Float64Array): number {
    const block = this.sized[name];
    (block.view as Float32Array).set(values);
    return block.offset;
  }

  private f32(name: string): Float32Array {
    return this.sized[name].view as Float32Array;
  }

  private f64(name: string): Float64Array {
    return this.sized[name].view as Float64Array;
  }

  /** Sizes the per-pass arrays for T steps of batch B, keeping them when they are large enough. */
  private allocate(steps: number, batch: number): void {
    this.steps = steps;
    this.batch = batch;
    const d = this.descriptor.view;
    d[D_STEPS] = steps;
    d[D_BATCH] = batch;
    if (steps > this.capacity.steps || batch > this.capacity.batch) this.reallocate(Math.max(steps, this.capacity.steps), Math.max(batch, this.capacity.batch));
  }

  private reallocate(steps: number, batch: number): void {
    const runtime = this.runtime;
    this.releaseSized();
    const cell = this.recurrentCell;
    const H = cell.hiddenSize;
    const G = this.gateCount * H;
    const lstm = this.code === CELL_LSTM;
    const gru = this.code === CELL_GRU_RESET_AFTER || this.code === CELL_GRU_RESET_BEFORE;
    const rows = steps * batch;
    const f32 = (length: number): Block => runtime.allocateFloat32(length);
    const f64 = (length: number): Block => runtime.allocateFloat64(length);
    // What BPTT must keep for every step, and little more: an LSTM projects its input straight into the gates and
    // writes each step's gate gradients over that step's gates; an RNN projects into the states it then completes.
    this.sized = {
      x: f32(rows * cell.inputSize),
      states: f32((steps + 1) * batch * H),
      gateStats: f64(rows * this.gateCount * 2),
      dhFinal: f32(batch * H),
      dh: f32(2 * batch * H),
      dh0: f32(batch * H),
      hNorms: f64(rows),
      rowScales: f32(batch),   // read as int32 by the kernels
      ...(lstm ? {
        gates: f32(rows * G), cells: f32((steps + 1) * batch * H),
        dcFinal: f32(batch * H), dc: f32(2 * batch * H), dc0: f32(batch * H), cNorms: f64(rows),
      } : {}),
      ...(gru ? { xProjection: f32(rows * G), gates: f32(rows * 4 * H), scratch: f32(batch * 4 * H), dXProjection: f32(rows * G) } : {}),
      // Only the reset-after GRU's recurrent side has its own gradient (the n part scaled by r).
      ...(this.code === CELL_GRU_RESET_AFTER ? { dHProjection: f32(rows * G) } : {}),
      ...(!lstm && !gru ? { dXProjection: f32(rows * G) } : {}),
    };
    this.capacity = { steps, batch };
    const d = this.descriptor.view;
    const at = (name: string): number => this.sized[name]?.offset ?? 0;
    d[D_X] = at('x');
    d[D_STATES] = at('states');
    d[D_GATES] = at('gates');
    d[D_CELLS] = at('cells');
    d[D_SCRATCH] = at('scratch');
    d[D_GATE_STATS] = at('gateStats');
    d[D_DH] = at('dh');
    d[D_DC] = at('dc');
    d[D_DH0] = at('dh0');
    d[D_DC0] = at('dc0');
    d[D_H_NORMS] = at('hNorms');
    d[D_C_NORMS] = at('cNorms');
    d[D_ROW_SCALES] = at('rowScales');
    d[D_X_PROJECTION] = lstm ? at('gates') : gru ? at('xProjection') : 0;   // the RNN's moves with T: see forward
    d[D_DX_PROJECTION] = lstm ? at('gates') : at('dXProjection');
    d[D_DH_PROJECTION] = this.code === CELL_GRU_RESET_AFTER ? at('dHProjection') : d[D_DX_PROJECTION];
  }

  /** An array only some passes need (the gradient of the outputs, of the input), allocated when first needed. */
  private onDemand(name: 'dOutputs' | 'dx', length: number): Block {
    let block = this.sized[name];
    if (!block) this.sized[name] = block = this.runtime.allocateFloat32(length);
    return block;
  }

  private releaseSized(): void {
    for (const block of Object.values(this.sized)) this.runtime.release(block);
    this.sized = {};
  }
}

function addInto(target: Float64Array, values: Float32Array): void {
  for (let i = 0; i < target.length; i++) target[i] += values[i];
}

/**
 * The norm over the batch at each time position, from the kernels' norms of each row [T, B]: scaled by the largest,
 * so norms far below 1e-154 (whose squares float64 cannot hold) are not read as 0.
 */
function rowNorms(rowNorm: Float64Array, T: number, B: number): Float64Array {
  const norms = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    let largest = 0;
    for (let b = 0; b < B; b++) largest = Math.max(largest, rowNorm[t * B + b]);
    const scale = largest > 0 && largest < Infinity ? largest : 1;   // NaN and Infinity pass through the sum
    let sum = 0;
    for (let b = 0; b < B; b++) sum += (rowNorm[t * B + b] / scale) ** 2;
    norms[t] = scale * Math.sqrt(sum);
  }
  return norms;
}
