// Engine layer: the numeric kernels every cell and layer calls — the matrix product and each cell's fused step
// arithmetic — behind one small interface, so a faster implementation (WebAssembly SIMD, issue #4) can replace
// them without touching the cells, the time loop or the models.
import type { GruStepKernel } from './cells/gruCell';
import type { LstmStepKernel } from './cells/lstmCell';
import type { RnnStepKernel } from './cells/rnnCell';
import { typescriptGruStep } from './cells/gruCell';
import { typescriptLstmStep } from './cells/lstmCell';
import { typescriptRnnStep } from './cells/rnnCell';
import { Gemm, typescriptGemm } from './math';

export type { Gemm } from './math';

export interface Kernels {
  readonly name: string;
  /** The matrix product of the input projection, the output head and the weight gradients. */
  readonly gemm: Gemm;
  /** One time step of each cell, forward and backward (recurrent product + gate arithmetic). */
  readonly rnn: RnnStepKernel;
  readonly gru: GruStepKernel;
  readonly lstm: LstmStepKernel;
}

/** Plain TypeScript float64: the reference, used for gradient checks and wherever nothing faster exists. */
export const typescriptKernels: Kernels = {
  name: 'typescript-float64',
  gemm: typescriptGemm,
  rnn: typescriptRnnStep,
  gru: typescriptGruStep,
  lstm: typescriptLstmStep,
};
