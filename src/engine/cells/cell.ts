// Engine layer: what a recurrent cell is — one time step forward and backward. The time loop lives in
// `layers/sequenceLayer.ts`, so every cell is tested with the same loop and the loop is tested with a fake cell
// (test/engine/sequenceLayer.test.ts).
import { createParameter, Parameter } from '../parameter';
import { RandomState } from '../random/randomState';

export type CellKind = 'rnn' | 'gru' | 'lstm';

/**
 * Which arithmetic a cell's step does: its kind plus the one choice that changes the equations (the vanilla RNN's
 * nonlinearity, where the GRU's reset gate acts). A time loop that computes the steps itself (the WebAssembly one)
 * picks its code by this, without asking the concrete class.
 */
export type CellVariant = 'rnn-tanh' | 'rnn-relu' | 'gru-reset-after' | 'gru-reset-before' | 'lstm';

/** The state between steps, as views into the layer's storage: h is [B, H]; c is [B, H] for an LSTM, else null. */
export interface CellState {
  readonly h: Float64Array;
  readonly c: Float64Array | null;
}

/** One gate (or the candidate) as stored along the rows of weight_ih, in order. */
export interface GateInfo {
  /** The letter in the equations: 'r', 'z', 'n' for a GRU; 'i', 'f', 'g', 'o' for an LSTM; 'h' for a vanilla RNN. */
  readonly name: string;
  readonly activation: 'sigmoid' | 'tanh' | 'relu';
}

/**
 * One recurrent cell with PyTorch's parameters: weight_ih [G·H, I], weight_hh [G·H, H], bias_ih and bias_hh [G·H],
 * where G = gates.length. The layer precomputes x⟨t⟩·W_ihᵀ + b_ih for all t as one matrix product and hands each
 * step its row block (`xProjection`); the cell does the recurrent part and the gate arithmetic.
 */
export interface RecurrentCell {
  readonly kind: CellKind;
  readonly variant: CellVariant;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly hasCellState: boolean;
  readonly gates: readonly GateInfo[];
  readonly weightIh: Parameter;
  readonly weightHh: Parameter;
  readonly biasIh: Parameter;
  readonly biasHh: Parameter;
  /** Sizes the per-step caches for T steps of batch B; reuses them when they are large enough. */
  prepare(steps: number, batch: number): void;
  /** Step t forward: reads `previous` and xProjection [B, G·H]; writes `next`; caches what backward needs at t. */
  forwardStep(t: number, xProjection: Float64Array, previous: CellState, next: CellState): void;
  /** The gate activations cached at step t, [B, G·H] in gate order (for instrumentation). */
  gateValues(t: number): Float64Array;
  /**
   * Step t backward. `dNext.h` is the total ∂L/∂h⟨t⟩; `dNext.c` the part of ∂L/∂c⟨t⟩ that came from step t+1, which
   * an LSTM updates in place to the total ∂L/∂c⟨t⟩ (so the layer can chart it). Writes `dGates` [B, G·H], the
   * gradient of the step's input projection x·W_ihᵀ + b_ih (each gate's pre-activation as the input side sees it),
   * and dPrevious (∂L/∂h⟨t−1⟩, ∂L/∂c⟨t−1⟩); accumulates (+=) into the gradients of weight_hh and bias_hh.
   */
  backwardStep(
    t: number, previous: CellState, next: CellState, dNext: CellState, dGates: Float64Array, dPrevious: CellState,
  ): void;
}

/** Creates the four PyTorch-named parameters, initialised like PyTorch: U(−1/√H, 1/√H). */
export function createCellParameters(
  names: CellOptions, gateCount: number, inputSize: number, hiddenSize: number, rng: RandomState,
): { weightIh: Parameter; weightHh: Parameter; biasIh: Parameter; biasHh: Parameter } {
  const rows = gateCount * hiddenSize;
  const parameters = {
    weightIh: createParameter(`${names.prefix ?? ''}weight_ih${names.suffix}`, [rows, inputSize]),
    weightHh: createParameter(`${names.prefix ?? ''}weight_hh${names.suffix}`, [rows, hiddenSize]),
    biasIh: createParameter(`${names.prefix ?? ''}bias_ih${names.suffix}`, [rows]),
    biasHh: createParameter(`${names.prefix ?? ''}bias_hh${names.suffix}`, [rows]),
  };
  const bound = 1 / Math.sqrt(hiddenSize);
  for (const p of Object.values(parameters)) {
    const data = p.value.data;
    for (let i = 0; i < data.length; i++) data[i] = rng.uniform(-bound, bound);
  }
  return parameters;
}

/** A growable cache: T·B·width values, reallocated only when a longer sequence or larger batch arrives. */
export class StepCache {
  private data: Float64Array = new Float64Array(0);
  private stride = 0;

  constructor(private readonly widthPerRow: number) {}

  prepare(steps: number, batch: number): void {
    this.stride = batch * this.widthPerRow;
    if (this.data.length < steps * this.stride) this.data = new Float64Array(steps * this.stride);
  }

  /** The [B, width] block of step t. */
  at(t: number): Float64Array {
    return this.data.subarray(t * this.stride, (t + 1) * this.stride);
  }
}

export interface CellOptions {
  /** PyTorch's parameter-name suffix, e.g. '_l1_reverse'. */
  readonly suffix: string;
  /** The owning module's name with a dot, e.g. 'encoder.' (PyTorch's state_dict keys of a submodule). */
  readonly prefix?: string;
}
