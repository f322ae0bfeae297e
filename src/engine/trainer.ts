// Engine layer: a training run — task + model + optimizer + clipping — advanced one step at a time, each step
// returning everything the dashboard and the CLI show. No timers, no I/O: callers (CLI, worker) drive the loop.
import { DivergenceMonitor, type Divergence } from './divergence';
import { fastestKernels, typescriptKernels, type Kernels } from './kernels';
import { SequenceModel, type PassResult } from './model';
import { clipGradients, gradientsAreFinite } from './optim/clipping';
import { createOptimizer, Optimizer } from './optim/optimizers';
import { RandomState } from './random/randomState';
import { withFixedTrainingSet } from './tasks/fixedTrainingSet';
import { createTask } from './tasks/registry';
import type { Task } from './tasks/task';
import { resolveTrainingConfig, type TrainingConfig } from './trainingConfig';

export { ConfigError, DEFAULT_TRAINING_CONFIG, resolveTrainingConfig, type TrainingConfig } from './trainingConfig';
export { describeDivergence, type Divergence } from './divergence';

/** ‖∂L/∂h⟨t⟩‖ (and ‖∂L/∂c⟨t⟩‖) per time step for one layer and direction, as plain arrays. */
export interface GradientNormSeries {
  readonly layer: number;
  readonly direction: 'forward' | 'reverse';
  readonly hidden: number[];
  readonly cell?: number[];
}

export interface GateSeriesMetrics {
  readonly layer: number;
  readonly direction: 'forward' | 'reverse';
  readonly gates: { readonly gate: string; readonly mean: number[]; readonly saturated: number[] }[];
}

export interface StepMetrics {
  /** 1-based. */
  readonly step: number;
  /** Training loss of this step's batch (not finite when the network diverged). */
  readonly loss: number;
  readonly validationLoss?: number;
  /** Global gradient norm before and after clipping. */
  readonly gradientNorm: number;
  readonly clippedGradientNorm: number;
  readonly clipped: boolean;
  /**
   * Why the update was not applied: a NaN or infinite loss or gradient, or a gradient norm that overflowed (every
   * gradient finite, the sum of their squares not). Parameters are untouched then.
   */
  readonly skipped?: string;
  readonly gradientNorms: GradientNormSeries[];
  readonly gates: GateSeriesMetrics[];
  /** Wall time of this step in milliseconds. */
  readonly milliseconds: number;
}

/**
 * One training run. Construct, then call `step()` until `done`; `stop()`-style cancellation is the caller's loop.
 * The recurrent layers compute with the fastest kernels this JavaScript engine has (float32 WebAssembly SIMD in
 * Node and browsers) unless `kernels` says otherwise; parameters, losses and the optimizer are float64 either way.
 */
export class Trainer {
  readonly config: TrainingConfig;
  readonly task: Task;
  readonly model: SequenceModel;
  readonly optimizer: Optimizer;
  private readonly rng: RandomState;
  private stepsDone = 0;
  private readonly monitor: DivergenceMonitor;
  /** The parameters of the last good step (see `Divergence.restoredAfterStep`), kept in case the run diverges. */
  private readonly lastGood: { afterStep: number; loss: number; values: Float64Array[] };
  private diverged: Divergence | undefined;

  /** Set when float32 overflowed and the run went on in float64: says at which step. */
  precisionNote: string | undefined;

  constructor(config: Partial<TrainingConfig>, private kernelsInUse: Kernels = fastestKernels()) {
    this.config = resolveTrainingConfig(config);
    const c = this.config;
    const task = createTask(c.task, { sequenceLength: c.sequenceLength, seed: c.seed });
    this.rng = new RandomState(c.seed);
    this.model = new SequenceModel({
      stack: {
        cell: c.cell, nonlinearity: c.nonlinearity, gruReset: c.gruReset, inputSize: task.inputSize, hiddenSize: c.hidden,
        numLayers: c.layers, bidirectional: c.bidirectional, merge: c.merge, dropout: c.dropout,
        ...(c.cell === 'lstm' ? { forgetBias: c.forgetBias } : {}),
      },
      outputSize: task.outputSize,
      mode: task.mode,
      loss: task.loss,
    }, this.rng, kernelsInUse);
    // Drawn after the weights, so a run with a fixed training set starts from the same network as one without.
    this.task = c.trainingExamples > 0 ? withFixedTrainingSet(task, c.trainingExamples, this.rng) : task;
    this.optimizer = createOptimizer(c.optimizer, c.learningRate);
    this.monitor = new DivergenceMonitor(this.task.baselineLoss);
    this.lastGood = { afterStep: 0, loss: NaN, values: this.model.parameters().map((p) => Float64Array.from(p.value.data)) };
  }

  /** Set when the run was stopped because it diverged (then `done` is true and the model holds the last good parameters). */
  get divergence(): Divergence | undefined {
    return this.diverged;
  }

  /** The kernels the recurrent layers compute with now. */
  get kernels(): Kernels {
    return this.kernelsInUse;
  }

  get completedSteps(): number {
    return this.stepsDone;
  }

  get done(): boolean {
    return this.stepsDone >= this.config.steps || this.diverged !== undefined;
  }

  /**
   * One update: a fresh batch, forward, BPTT, non-finite guard, clipping, optimizer step; then the divergence check,
   * which may end the run (see `divergence`).
   */
  step(): StepMetrics {
    const started = performance.now();
    const c = this.config;
    const batch = this.task.trainBatch(this.rng, c.batchSize);
    const parameters = this.model.parameters();
    const pass = (): PassResult => {
      this.model.zeroGrad();
      this.model.training = true;
      const result = this.model.lossAndGradients(batch, c.truncate > 0 ? { truncate: c.truncate } : {});
      this.model.training = false;
      return result;
    };
    let result = pass();
    if (this.kernelsInUse.precision === 'float32' && !(Number.isFinite(result.loss) && gradientsAreFinite(parameters))) {
      // float32 overflows near 3.4e38, float64 near 1.8e308: what overflowed here may still be finite in float64,
      // so the run goes on in float64 (slower) rather than report a divergence float64 would not have.
      this.kernelsInUse = typescriptKernels;
      this.model.useKernels(typescriptKernels);
      this.precisionNote = `step ${this.stepsDone + 1} overflowed float32; the run continues in float64`;
      result = pass();
    }
    let skipped: string | undefined;
    let clip = { normBefore: NaN, normAfter: NaN, clipped: false };
    if (!Number.isFinite(result.loss)) {
      skipped = `the loss is ${result.loss}; the update was skipped and the parameters kept`;
    } else if (!gradientsAreFinite(parameters)) {
      skipped = 'a gradient is not finite (NaN or infinite); the update was skipped and the parameters kept';
    } else {
      if (this.monitor.isGood(result.loss)) this.keepAsLastGood(parameters, result.loss);
      clip = clipGradients(parameters, c.clipMode, c.clip);
      if (Number.isFinite(clip.normBefore)) {
        this.optimizer.step(parameters);
      } else {
        // Each gradient is finite but the sum of their squares overflowed: clipping would scale by max/∞ = 0 and
        // call that "clipped". It is an overflow like any other, so the step is skipped.
        skipped = `the gradient norm overflowed to ${clip.normBefore} (every gradient is finite, the sum of their squares is not); the update was skipped and the parameters kept`;
        clip = { normBefore: clip.normBefore, normAfter: NaN, clipped: false };
      }
    }
    this.stepsDone++;
    const reason = this.monitor.observe(result.loss, skipped !== undefined);
    if (reason !== undefined) this.stopAsDiverged(reason);
    const validate = !this.diverged && (this.stepsDone % c.validateEvery === 0 || this.stepsDone === c.steps);
    return {
      step: this.stepsDone,
      loss: result.loss,
      ...(validate ? { validationLoss: this.validationLoss() } : {}),
      gradientNorm: clip.normBefore,
      clippedGradientNorm: clip.normAfter,
      clipped: clip.clipped,
      ...(skipped ? { skipped } : {}),
      gradientNorms: result.gradientNorms.map((s) => ({
        layer: s.layer, direction: s.direction, hidden: Array.from(s.hidden), ...(s.cell ? { cell: Array.from(s.cell) } : {}),
      })),
      gates: result.gateStatistics.map((g) => ({
        layer: g.layer, direction: g.direction,
        gates: g.gates.map((series) => ({ gate: series.gate, mean: Array.from(series.mean), saturated: Array.from(series.saturated) })),
      })),
      milliseconds: performance.now() - started,
    };
  }

  private keepAsLastGood(parameters: readonly { value: { data: Float64Array } }[], loss: number): void {
    parameters.forEach((p, i) => this.lastGood.values[i].set(p.value.data));
    this.lastGood.afterStep = this.stepsDone;
    this.lastGood.loss = loss;
  }

  /** Ends the run: the model gets back the last good parameters, and `divergence` says why and which those are. */
  private stopAsDiverged(reason: string): void {
    this.model.parameters().forEach((p, i) => p.value.data.set(this.lastGood.values[i]));
    this.diverged = { step: this.stepsDone, reason, restoredAfterStep: this.lastGood.afterStep, restoredLoss: this.lastGood.loss };
  }

  /** Mean loss over the task's fixed validation set. */
  validationLoss(): number {
    const batches = this.task.validationBatches();
    let total = 0;
    let count = 0;
    for (const batch of batches) {
      const size = batch.x.shape[1];
      total += this.model.evaluate(batch) * size;
      count += size;
    }
    return total / count;
  }
}
