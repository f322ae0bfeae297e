// Engine layer: the numeric kernels every cell and layer calls — the matrix product and each cell's fused step
// arithmetic — behind one small interface, so a faster implementation (WebAssembly SIMD, issue #4) can replace
// them without touching the cells, the time loop or the models.
import type { RecurrentCell } from './cells/cell';
import type { GruStepKernel } from './cells/gruCell';
import type { LstmStepKernel } from './cells/lstmCell';
import type { RnnStepKernel } from './cells/rnnCell';
import { typescriptGruStep } from './cells/gruCell';
import { typescriptLstmStep } from './cells/lstmCell';
import { typescriptRnnStep } from './cells/rnnCell';
import { SequenceLayer, type TimeLoop } from './layers/sequenceLayer';
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
  /** One time step of each cell, forward and backward (recurrent product + gate arithmetic). */
  readonly rnn: RnnStepKernel;
  readonly gru: GruStepKernel;
  readonly lstm: LstmStepKernel;
  /** One direction of one layer: the time loop around `cell`. */
  timeLoop(cell: RecurrentCell, reverse: boolean): TimeLoop;
}

/** Plain TypeScript float64: the reference, used for gradient checks and wherever nothing faster exists. */
export const typescriptKernels: Kernels = {
  name: 'typescript-float64',
  precision: 'float64',
  gemm: typescriptGemm,
  rnn: typescriptRnnStep,
  gru: typescriptGruStep,
  lstm: typescriptLstmStep,
  timeLoop: (cell, reverse) => new SequenceLayer(cell, reverse, typescriptKernels),
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
      ...typescriptKernels,
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
