// Engine layer: one row of facts about a finished training run — parameters, time per step, steps to solve, final
// validation loss — so that runs of different cells on the same tasks can be compared in one table (lesson 10).
import type { SequenceModel } from './model';
import type { Task } from './tasks/task';
import type { StepMetrics } from './trainer';
import type { TrainingConfig } from './trainingConfig';

/** What a summary reads from a run: the kernel's `train()` result and a `Trainer` both have these. */
export interface SummarizableRun {
  readonly config: TrainingConfig;
  readonly task: Task;
  readonly model: SequenceModel;
  readonly metrics: readonly StepMetrics[];
}

export interface RunSummary {
  readonly task: string;
  readonly cell: string;
  /** Every number the network learns: the recurrent layers' and the output layer's. */
  readonly parameters: number;
  /** The median wall time of one training step, in milliseconds (the median, so a slow first step does not count). */
  readonly millisecondsPerStep: number;
  /**
   * The first step whose validation loss is below `solvedFraction` × the task's baseline loss, or undefined when no
   * validation loss got there (validation is measured every `validateEvery` steps, so this is a multiple of it).
   */
  readonly stepsToSolve: number | undefined;
  /** The validation loss of the last step that measured one (NaN when none did). */
  readonly finalValidationLoss: number;
}

/** A task counts as solved once its validation loss is below this share of the trivial predictor's loss. */
export const DEFAULT_SOLVED_FRACTION = 0.1;

/** How many numbers `model` learns. */
export function parameterCount(model: SequenceModel): number {
  return model.parameters().reduce((sum, parameter) => sum + parameter.value.data.length, 0);
}

/** The first step with a validation loss below `threshold`, or undefined. */
export function firstStepBelow(metrics: readonly StepMetrics[], threshold: number): number | undefined {
  return metrics.find((step) => step.validationLoss !== undefined && step.validationLoss < threshold)?.step;
}

/** One row of facts about `run`; see RunSummary. A task without a baseline loss cannot say when it is solved. */
export function summarizeRun(run: SummarizableRun, solvedFraction = DEFAULT_SOLVED_FRACTION): RunSummary {
  if (!(solvedFraction > 0 && solvedFraction <= 1)) {
    throw new RangeError(`solvedFraction must be a number above 0 and at most 1, got ${solvedFraction}`);
  }
  const baseline = run.task.baselineLoss;
  if (baseline === undefined) {
    throw new RangeError(`the task ${JSON.stringify(run.task.name)} has no baseline loss, so "solved" has no meaning for it`);
  }
  const validationLosses = run.metrics.filter((step) => step.validationLoss !== undefined);
  return {
    task: run.task.name,
    cell: run.config.cell,
    parameters: parameterCount(run.model),
    millisecondsPerStep: median(run.metrics.map((step) => step.milliseconds)),
    stepsToSolve: firstStepBelow(run.metrics, solvedFraction * baseline),
    finalValidationLoss: validationLosses.length > 0 ? validationLosses[validationLosses.length - 1].validationLoss! : NaN,
  };
}

function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
