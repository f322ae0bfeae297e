// Engine layer: what a recurrent stack needs from each direction of each layer — the time loop's interface, which
// the float64 TypeScript loop (sequenceLayer.ts) and the float32 WebAssembly one (wasm/wasmSequenceLayer.ts) implement.
import type { RecurrentCell } from '../cells/cell';

/** Per time step statistics of one gate: mean activation and the fraction of units saturated. */
export interface GateSeries {
  readonly gate: string;
  readonly mean: Float64Array;       // [T]
  readonly saturated: Float64Array;  // [T] fraction in the flat ends: σ < 0.05 or > 0.95, |tanh| > 0.95, relu = 0
}

/**
 * One direction of one layer over T steps, forward and backward: what a recurrent stack needs from each of its
 * layers. `SequenceLayer` (sequenceLayer.ts) is the float64 TypeScript one, written to be read next to the equations;
 * `WasmSequenceLayer` (wasm/wasmSequenceLayer.ts) computes the same in float32 WebAssembly SIMD.
 */
export interface TimeLoop {
  readonly recurrentCell: RecurrentCell;
  readonly reverse: boolean;
  readonly hiddenSize: number;
  /** ‖∂L/∂h⟨t⟩‖ by time position, from the last backward pass. */
  readonly hiddenGradNorms: Float64Array;
  /** ‖∂L/∂c⟨t⟩‖ for an LSTM, else empty. */
  readonly cellGradNorms: Float64Array;
  /**
   * `outputs` [T, B, H] by time position is a new array the caller keeps (empty when `keepOutputs` is false: then
   * `hiddenStates()` is empty too); h and c are the final state.
   */
  forward(x: Float64Array, steps: number, batch: number, h0: Float64Array, c0: Float64Array | null, keepOutputs?: boolean):
  { outputs: Float64Array; h: Float64Array; c: Float64Array | null };
  /** `dx` null: ∂L/∂x is not needed (the first layer's input is data), and is not computed. */
  backward(dOutputs: Float64Array | null, dhFinal: Float64Array | null, dcFinal: Float64Array | null, dx: Float64Array | null):
  { dh0: Float64Array; dc0: Float64Array | null };
  gateStatistics(): GateSeries[];
  hiddenStates(): Float64Array;
  /** Gives back memory the loop holds outside the JavaScript heap (the WebAssembly kernels' arrays). */
  dispose?(): void;
}
