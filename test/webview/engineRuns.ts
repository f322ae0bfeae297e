// Test support: real training runs from the engine, as the host would send them to the dashboard (RunInfo + WireStep
// through the protocol's one encoder, `encodeStep`), and their hidden-state messages as the worker computes them.
import { hiddenStatesFor } from '../../src/shared/hiddenStates';
import { encodeHiddenStates, encodeStep, type Direction, type RunInfo, type ToPanel, type WireStep } from '../../src/shared/protocol';
import { Trainer, type TrainingConfig } from '../../src/engine/trainer';

export interface EngineRun {
  readonly info: RunInfo;
  readonly steps: WireStep[];
  readonly trainer: Trainer;
}

/** Trains `steps` steps (or until the config's own step count) and returns the run as the host would describe it. */
export function trainRun(id: string, label: string, config: Partial<TrainingConfig>, status: RunInfo['status'] = 'running'): EngineRun {
  const trainer = new Trainer(config);
  const steps: WireStep[] = [];
  while (!trainer.done) steps.push(encodeStep(trainer.step()));
  const task = trainer.task;
  const info: RunInfo = {
    id, label, config: trainer.config, status,
    task: {
      name: task.name, description: task.description, sequenceLength: task.sequenceLength, mode: task.mode,
      ...(task.baselineLoss !== undefined ? { baselineLoss: task.baselineLoss } : {}),
      hasVocabulary: task.vocabulary !== undefined,
    },
    startedAt: '2026-01-25T14:03:07.000Z',
  };
  return { info, steps, trainer };
}

/** Compare Cells: RNN, GRU and LSTM on the same adding problem, same seed. */
export function compareCells(steps: number, sequenceLength = 30): EngineRun[] {
  const common: Partial<TrainingConfig> = {
    task: 'adding', sequenceLength, hidden: 16, batchSize: 16, steps, learningRate: 0.01, optimizer: 'adam',
    clipMode: 'norm', clip: 1, seed: 1, validateEvery: Math.max(1, Math.floor(steps / 10)),
  };
  return (['rnn', 'gru', 'lstm'] as const).map((cell) =>
    trainRun(`compare-${cell}`, `${cell.toUpperCase()} · adding · T ${sequenceLength} · h16 · seed 1`, { ...common, cell }));
}

/**
 * A ReLU RNN with a huge learning rate and no clipping: from step 2 its loss is infinite, those steps are skipped, and
 * the trainer stops it as diverged at step 6 (at lr 10 the loss only grows, finite, until it is stopped at step 10).
 */
export function divergingRun(steps = 200): EngineRun {
  return trainRun('diverging-relu', 'RNN (ReLU) · adding · T 100 · lr 1000, no clipping', {
    task: 'adding', sequenceLength: 100, cell: 'rnn', nonlinearity: 'relu', optimizer: 'sgd', hidden: 8, batchSize: 8, steps,
    learningRate: 1000, clipMode: 'none', seed: 3, validateEvery: 1000,
  }, 'diverged');
}

/** The 'hiddenStates' message the host sends for this run: the worker's computation on the first validation input, encoded. */
export function hiddenStatesMessage(run: EngineRun, layer = 0, direction: Direction = 'forward'): Extract<ToPanel, { type: 'hiddenStates'; values: unknown }> {
  return encodeHiddenStates(run.info.id, hiddenStatesFor(run.trainer.model, run.trainer.task, layer, direction, run.trainer.completedSteps));
}

/** The init message for these runs, each listed as saved too when `saved` (as the host lists finished runs). */
export function initOf(runs: readonly EngineRun[], saved = false): Extract<ToPanel, { type: 'init' }> {
  return {
    type: 'init', runs: runs.map((r) => r.info), history: runs.map((r) => ({ runId: r.info.id, steps: r.steps })),
    saved: saved ? runs.map((r) => ({ id: r.info.id, label: r.info.label, startedAt: r.info.startedAt, status: r.info.status === 'running' ? 'done' : r.info.status })) : [],
  };
}
