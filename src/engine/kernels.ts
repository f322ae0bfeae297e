// Engine layer: the compute backends — what the networks above the time loops compute with: a matrix product and a
// time-loop factory, as float64 TypeScript or float32 WebAssembly SIMD (issue #4). The cells never see a backend:
// they do their own step arithmetic in float64, and the WebAssembly time loop does its own in float32.
import type { RecurrentCell } from './cells/cell';
import { SequenceLayer } from './layers/sequenceLayer';
import type { TimeLoop } from './layers/timeLoop';
import { Gemm, typescriptGemm } from './math';
import { WasmSequenceLayer } from './wasm/wasmSequenceLayer';
import { wasmRuntime } from './wasm/wasmRuntime';

export type { Gemm } from './math';

export interface Kernels {
  readonly name: string;
  /** What the layers compute in (the losses, the parameters and the optimizers are float64 either way). */
  readonly precision: 'float64' | 'float32';
  /** The matrix product of the input projection, the output head and the weight gradients. */
  readonly gemm: Gemm;
  /** One direction of one layer: the time loop around `cell`. */
  timeLoop(cell: RecurrentCell, reverse: boolean): TimeLoop;
}

/** Plain TypeScript float64: the reference, used for gradient checks and wherever nothing faster exists. */
export const typescriptKernels: Kernels = {
  name: 'typescript-float64',
  precision: 'float64',
  gemm: typescriptGemm,
  timeLoop: (cell, reverse) => new SequenceLayer(cell, reverse, typescriptGemm),
};

let wasm: Kernels | null | undefined;

/**
 * WebAssembly SIMD float32 (assembly/kernels.ts) for the recurrent layers and the output head's products, or null
 * where this JavaScript engine cannot run them. Parameters, losses and optimizers stay float64 TypeScript.
 */
export function wasmKernels(): Kernels | null {
  if (wasm === undefined) {
    const runtime = wasmRuntime();
    wasm = runtime && {
      name: 'wasm-simd-float32',
      precision: 'float32',
      gemm: (m, n, k, a, transposeA, b, transposeB, c, accumulate) => runtime.gemmFloat64(m, n, k, a, transposeA, b, transposeB, c, accumulate),
      timeLoop: (cell, reverse) => new WasmSequenceLayer(cell, reverse, runtime),
    };
  }
  return wasm;
}

/** What a learner is told the numbers are computed in: "float32 WebAssembly SIMD on 2 threads", … */
export function describeKernels(kernels: Kernels, threads: number): string {
  return kernels.precision === 'float32'
    ? `float32 WebAssembly SIMD on ${threads} thread${threads === 1 ? '' : 's'}`
    : 'float64 TypeScript';
}

/** The fastest kernels this JavaScript engine runs: what training uses unless told otherwise. */
export function fastestKernels(): Kernels {
  return wasmKernels() ?? typescriptKernels;
}
