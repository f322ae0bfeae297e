// Engine layer: the one definition of a training run's configuration — its fields, defaults, allowed values and limits
// — and the one check of it, `resolveTrainingConfig`, whose errors (ConfigError) name the field. The CLI's flags, the
// wizard, the settings, config.json and the protocol all read the lists and limits exported here.
import { checkTrainingMemory } from './budget';
import type { CellKind } from './cells/cell';
import type { GruReset } from './cells/gruCell';
import {
  CELL_KINDS, CLIP_MODES, CONFIG_LIMITS, describeRange, GRU_RESET_PLACEMENTS, inRange, MERGE_MODES, NONLINEARITIES,
  type MergeMode, type Nonlinearity, type NumberRange,
} from './configLimits';
import type { ClipMode } from './optim/clipping';
import { OPTIMIZER_NAMES, type OptimizerName } from './optim/optimizers';
import { taskFacts, TASK_NAMES } from './tasks/taskCatalogue';

export * from './configLimits';
export { OPTIMIZER_NAMES, type OptimizerName };

/** Everything that defines a run; saved with it (config.json), so a run can be repeated exactly. */
export interface TrainingConfig {
  readonly task: string;
  /** Task sequence length (the task's default when absent). */
  readonly sequenceLength?: number;
  readonly cell: CellKind;
  readonly nonlinearity: Nonlinearity;
  readonly gruReset: GruReset;
  readonly layers: number;
  readonly bidirectional: boolean;
  readonly merge: MergeMode;
  readonly dropout: number;
  readonly hidden: number;
  /**
   * LSTM only: the value the forget gate's bias starts at (b_ih's forget rows; b_hh's forget rows start at 0), so the
   * cell state is kept by default early in training (Gers et al. 2000; Jozefowicz et al. 2015 recommend 1).
   * Reference note: PyTorch has no such setting — its forget bias starts uniform in ±1/√H like every other bias, about
   * 0 on average; set 0 for that average. Run folders saved before this field existed used 1 (see `LEGACY_FORGET_BIAS`).
   */
  readonly forgetBias: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly optimizer: OptimizerName;
  readonly clipMode: ClipMode;
  readonly clip: number;
  /** Truncated BPTT every k steps; 0 = full BPTT. */
  readonly truncate: number;
  readonly seed: number;
  /** Validation loss every this many steps (and at the last step). */
  readonly validateEvery: number;
  /**
   * 0 (the default): every step trains on a fresh batch drawn from the task. N > 0: N training examples are drawn
   * once, after the network's weights, and every batch is picked from them (tasks/fixedTrainingSet.ts) — a small
   * training set a network can overfit, against the task's usual held-out validation set.
   */
  readonly trainingExamples: number;
}

/** The forget-gate bias of every LSTM trained before `forgetBias` was saved in config.json: the trainer always set 1. */
export const LEGACY_FORGET_BIAS = 1;

export const DEFAULT_TRAINING_CONFIG: TrainingConfig = {
  task: 'dinos',
  cell: 'lstm',
  nonlinearity: 'tanh',
  gruReset: 'after',
  layers: 1,
  bidirectional: false,
  merge: 'concat',
  dropout: 0,
  hidden: 64,
  forgetBias: 1,
  steps: 500,
  batchSize: 32,
  learningRate: 0.01,
  optimizer: 'adam',
  clipMode: 'norm',
  clip: 5,
  truncate: 0,
  seed: 1,
  validateEvery: 50,
  trainingExamples: 0,
};

/** The allowed values of each field that takes one of a few words. */
export const CONFIG_CHOICES = {
  task: TASK_NAMES,
  cell: CELL_KINDS,
  nonlinearity: NONLINEARITIES,
  gruReset: GRU_RESET_PLACEMENTS,
  merge: MERGE_MODES,
  optimizer: OPTIMIZER_NAMES,
  clipMode: CLIP_MODES,
} as const satisfies Partial<Record<keyof TrainingConfig, readonly string[]>>;

/**
 * A configuration refused, naming the field (`field`, as in TrainingConfig) and what is wrong with it (`problem`, which
 * continues the field's name: "must be a number above 0 and at most 1000, got 2000"). Each boundary puts its own name
 * for the field in front — the CLI its flag (`--lr`), the wizard its label ("Learning rate"). `field` is absent when no
 * single field is at fault (the memory budget): `problem` is a whole sentence then.
 */
export class ConfigError extends RangeError {
  override readonly name = 'ConfigError';

  /** `instead`: another field whose value would make this one acceptable ("or set clipMode to 'none'"). */
  constructor(
    readonly field: keyof TrainingConfig | undefined,
    readonly problem: string,
    readonly instead?: { readonly field: keyof TrainingConfig; readonly value: string },
  ) {
    super(`${field === undefined ? '' : `${field} `}${problem}${instead ? ` (or set ${instead.field} to '${instead.value}')` : ''}`);
  }
}

/** The sequence lengths task `name` accepts (its own range within the engine's limit), with the reason for it. */
export function taskSequenceRange(name: string): { range: NumberRange; reason?: string } {
  const spec = taskFacts(name);
  return {
    range: { whole: true, min: Math.max(spec.minSequenceLength, CONFIG_LIMITS.sequenceLength.min), max: Math.min(spec.maxSequenceLength, CONFIG_LIMITS.sequenceLength.max) },
    ...(spec.sequenceLengthReason ? { reason: spec.sequenceLengthReason } : {}),
  };
}

/**
 * Fills in the defaults and checks every field against the lists and limits above, the task's sequence lengths and the
 * memory budget, so that a configuration this accepts can be built and trained. Throws a ConfigError naming the field.
 */
export function resolveTrainingConfig(partial: Partial<TrainingConfig>): TrainingConfig {
  const config: TrainingConfig = { ...DEFAULT_TRAINING_CONFIG, ...withoutUndefined(partial) };
  const shown = (value: unknown): string => (typeof value === 'string' ? `'${value}'` : String(value));
  for (const [field, allowed] of Object.entries(CONFIG_CHOICES) as [keyof typeof CONFIG_CHOICES, readonly string[]][]) {
    if (!allowed.includes(config[field] as string)) throw new ConfigError(field, `must be one of ${allowed.join(', ')}; got ${shown(config[field])}`);
  }
  if (typeof config.bidirectional !== 'boolean') throw new ConfigError('bidirectional', `must be true or false, got ${shown(config.bidirectional)}`);
  for (const [field, range] of Object.entries(CONFIG_LIMITS) as [keyof typeof CONFIG_LIMITS, NumberRange][]) {
    if (field === 'sequenceLength') continue;
    if (field === 'clip' && config.clipMode === 'none') continue;
    if (!inRange(config[field], range)) {
      throw new ConfigError(field, `must be ${describeRange(range)}, got ${shown(config[field])}`, field === 'clip' ? { field: 'clipMode', value: 'none' } : undefined);
    }
  }
  if (config.sequenceLength !== undefined) {
    const { range, reason } = taskSequenceRange(config.task);
    if (!inRange(config.sequenceLength, range)) {
      throw new ConfigError('sequenceLength', `for task "${config.task}" must be ${describeRange(range)}${reason ? ` (${reason})` : ''}, got ${shown(config.sequenceLength)}`);
    }
  }
  if (config.truncate > 0 && config.bidirectional) {
    throw new ConfigError('truncate', '(truncated BPTT) cannot be used with a bidirectional network, which reads the whole sequence');
  }
  const spec = taskFacts(config.task);
  const problem = checkTrainingMemory({
    cell: config.cell, inputSize: spec.inputSize, outputSize: spec.outputSize, hiddenSize: config.hidden, numLayers: config.layers,
    directions: config.bidirectional ? 2 : 1, steps: config.sequenceLength ?? spec.defaultSequenceLength, batch: config.batchSize,
    ...(config.truncate > 0 ? { bpttSteps: config.truncate } : {}),
  });
  if (problem) throw new ConfigError(undefined, problem);
  return config;
}

/** Drops fields set to undefined, so `{ sequenceLength: undefined }` means "the default" as it reads. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
