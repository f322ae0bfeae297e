// Engine layer: the public API of the RNN Lab engine — what the extension's worker, the CLI, lessons and tests
// import (`require('rnn-lab/dist/engine.js')` after `npm run build`). Pure TypeScript: no vscode, no DOM, no Node I/O.
export { RandomState } from './random/randomState';
export type { Tensor } from './tensor';
export { fromNested, tensor, toNested, zeros } from './tensor';
export type { Parameter } from './parameter';
export type { Gemm, Kernels } from './kernels';
export { describeKernels, fastestKernels, typescriptKernels, wasmKernels } from './kernels';

export type { CellKind, CellState, CellVariant, GateInfo, RecurrentCell } from './cells/cell';
export { RnnCell } from './cells/rnnCell';
export { GruCell, type GruReset } from './cells/gruCell';
export { LstmCell } from './cells/lstmCell';
export { SequenceLayer } from './layers/sequenceLayer';
export type { GateSeries, TimeLoop } from './layers/timeLoop';
export { RecurrentStack, type GateStatistics, type GradientSeries, type MergeMode, type StackConfig, type StackState } from './layers/recurrentStack';
export { Linear } from './layers/linear';
export { meanSquaredError, sigmoidBinaryCrossEntropy, softmaxCrossEntropy, type LossResult } from './layers/losses';
export { SequenceModel, type ModelConfig, type PassResult } from './model';
export { EncoderDecoderModel, type EncoderDecoderConfig } from './encoderDecoder';
export {
  REVERSAL_STOP, reversalAnswer, reversalBatch, reversalText, trainEncoderDecoder,
  type DigitReversalOptions, type EncoderDecoderRun, type EncoderDecoderStepMetrics, type EncoderDecoderTrainingConfig, type TranslationBatch,
} from './digitReversal';

export { Adagrad, Adam, createOptimizer, Momentum, OPTIMIZER_NAMES, RmsProp, Sgd, type Optimizer, type OptimizerName } from './optim/optimizers';
export { clipByGlobalNorm, clipByValue, clipGradients, globalGradientNorm, gradientsAreFinite, type ClipMode, type ClipStatistics } from './optim/clipping';
export { Trainer, type StepMetrics } from './trainer';
export {
  CELL_KINDS, CLIP_MODES, CONFIG_CHOICES, CONFIG_LIMITS, ConfigError, DEFAULT_TRAINING_CONFIG, GRU_RESET_PLACEMENTS, MERGE_MODES, NONLINEARITIES,
  resolveTrainingConfig, type NumberRange, type TrainingConfig,
} from './trainingConfig';
export { probabilities, sampleText, type Sample, type SampleOptions } from './sampling';
export { gradientCheck, type GradcheckResult } from './gradcheck';
export { loadTorchStateDict, parseModel, serializeModel, toTorchStateDict, type ModelMeta, type SavedModel } from './io/modelJson';
export { MEMORY_BUDGET_BYTES } from './budget';
export * from './tasks';
export * as course from './course';
export { np } from './course';
export { classAccuracy, type Accuracy } from './accuracy';
export { DEFAULT_SOLVED_FRACTION, firstStepBelow, parameterCount, summarizeRun, type RunSummary, type SummarizableRun } from './runSummary';
