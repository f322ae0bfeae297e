// Test support: real training runs from the engine, as the host would send them to the dashboard (RunInfo + WireStep
// with every possibly non-finite number encoded).
import { encodeNumber, type RunInfo, type WireStep } from '../../src/shared/protocol';
import { Trainer, type StepMetrics, type TrainingConfig } from '../../src/engine/trainer';

/** StepMetrics → WireStep. The host needs the same conversion; see the report's protocol note (`encodeStep`). */
export function wireStep(m: StepMetrics): WireStep {
  return {
    step: m.step,
    loss: encodeNumber(m.loss),
    ...(m.validationLoss !== undefined ? { validationLoss: encodeNumber(m.validationLoss) } : {}),
    gradientNorm: encodeNumber(m.gradientNorm),
    clippedGradientNorm: encodeNumber(m.clippedGradientNorm),
    clipped: m.clipped,
    ...(m.skipped !== undefined ? { skipped: m.skipped } : {}),
    gradientNorms: m.gradientNorms.map((s) => ({
      layer: s.layer, direction: s.direction, hidden: s.hidden.map(encodeNumber), ...(s.cell ? { cell: s.cell.map(encodeNumber) } : {}),
    })),
    gates: m.gates.map((g) => ({
      layer: g.layer, direction: g.direction,
      gates: g.gates.map((gate) => ({ gate: gate.gate, mean: gate.mean.map(encodeNumber), saturated: gate.saturated.map(encodeNumber) })),
    })),
    milliseconds: m.milliseconds,
  };
}

export interface EngineRun {
  readonly info: RunInfo;
  readonly steps: WireStep[];
  readonly trainer: Trainer;
}

/** Trains `steps` steps (or until the config's own step count) and returns the run as the host would describe it. */
export function trainRun(id: string, label: string, config: Partial<TrainingConfig>, status: RunInfo['status'] = 'running'): EngineRun {
  const trainer = new Trainer(config);
  const steps: WireStep[] = [];
  while (!trainer.done) steps.push(wireStep(trainer.step()));
  const task = trainer.task;
  const info: RunInfo = {
    id, label, config: trainer.config, status,
    task: {
      name: task.name, description: task.description, sequenceLength: task.sequenceLength,
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

/** A ReLU RNN with a huge learning rate and no clipping: its loss overflows and steps are skipped. */
export function divergingRun(steps = 200): EngineRun {
  return trainRun('diverging-relu', 'RNN (ReLU) · adding · lr 10, no clipping', {
    task: 'adding', sequenceLength: 50, cell: 'rnn', nonlinearity: 'relu', optimizer: 'sgd', hidden: 8, batchSize: 8, steps,
    learningRate: 10, clipMode: 'none', seed: 3, validateEvery: 1000,
  }, 'diverged');
}

/** The hidden states a⟨t⟩ of layer 0 while the trained model reads the first validation sequence: [T][H]. */
export function hiddenStatesOf(run: EngineRun): number[][] {
  const batch = run.trainer.task.validationBatches()[0];
  const [T, B, I] = batch.x.shape;
  const x = new Float64Array(T * I);
  for (let t = 0; t < T; t++) x.set(batch.x.data.subarray((t * B) * I, (t * B + 1) * I), t * I);
  run.trainer.model.predict({ shape: [T, 1, I], data: x });
  const states = run.trainer.model.stack.hiddenStates(0);
  const H = states.shape[2];
  return Array.from({ length: T }, (_, t) => Array.from(states.data.subarray(t * H, (t + 1) * H)));
}
