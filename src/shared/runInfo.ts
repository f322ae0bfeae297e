// Shared layer (pure): how a run is described to the dashboard, in pickers and in a lesson's charts — its label, its task's
// facts (description, sequence length, where the loss is read, baseline loss, whether it writes text) and its status from summary.json.
import type { RunSummary } from './runStoreFormat';
import { describeDivergence } from '../engine/divergence';
import { taskFacts } from '../engine/tasks/taskCatalogue';
import { DEFAULT_TRAINING_CONFIG, type TrainingConfig } from '../engine/trainingConfig';
import type { RunInfo, RunStatus } from './protocol';

/**
 * "LSTM · adding · h32 · seed 1", with layers, direction, the GRU's reset placement, the LSTM's forget-gate bias,
 * dropout and a fixed training set ("64 examples") when they are not the default.
 */
export function runLabel(config: TrainingConfig): string {
  const parts = [config.cell.toUpperCase(), config.task, `h${config.hidden}`];
  if (config.layers > 1) parts.push(`${config.layers} layers`);
  if (config.bidirectional) parts.push('bidirectional');
  // Settings that change what the network computes, named when they differ from the default, so that two runs
  // compared on one chart read apart (a GRU with the course's reset placement beside PyTorch's).
  if (config.cell === 'gru' && config.gruReset !== DEFAULT_TRAINING_CONFIG.gruReset) parts.push(`reset ${config.gruReset}`);
  if (config.cell === 'lstm' && config.forgetBias !== DEFAULT_TRAINING_CONFIG.forgetBias) parts.push(`forget bias ${config.forgetBias}`);
  if (config.dropout > 0) parts.push(`dropout ${config.dropout}`);
  if (config.trainingExamples > 0) parts.push(`${config.trainingExamples} example${config.trainingExamples === 1 ? '' : 's'}`);
  parts.push(`seed ${config.seed}`);
  return parts.join(' · ');
}

/**
 * The task facts the dashboard shows, from the engine's static task catalogue: the host never builds a task (that would
 * bring the corpora and the engine into the extension host). The trivial baseline depends on the task's data (the
 * unigram loss of a text's training part), so it comes from the run: its summary.json, or the worker's 'taskBuilt'.
 */
export function taskInfo(config: TrainingConfig, baselineLoss?: number): RunInfo['task'] {
  const facts = taskFacts(config.task);
  return {
    name: facts.name,
    description: facts.description,
    sequenceLength: config.sequenceLength ?? facts.defaultSequenceLength,
    mode: facts.mode,
    ...(baselineLoss !== undefined && Number.isFinite(baselineLoss) ? { baselineLoss } : {}),
    hasVocabulary: facts.writesText,
  };
}

/** The status a finished run's summary.json records. */
export function statusOfSummary(summary: RunSummary): { status: Exclude<RunStatus, 'running'>; message?: string } {
  if (summary.stopReason === 'error') return { status: 'error', ...(summary.error ? { message: summary.error } : {}) };
  if (summary.stopReason === 'diverged' && summary.divergence) return { status: 'diverged', message: describeDivergence(summary.divergence) };
  if (!Number.isFinite(summary.finalLoss)) return { status: 'diverged', message: `the loss is ${summary.finalLoss} after ${summary.stepsCompleted} steps` };
  if (summary.stopReason === 'interrupted') return { status: 'stopped', message: `stopped after ${summary.stepsCompleted} of ${summary.stepsRequested} steps` };
  return { status: 'done' };
}

export function makeRunInfo(id: string, config: TrainingConfig, startedAt: string, status: RunStatus, message?: string, baselineLoss?: number): RunInfo {
  return { id, label: runLabel(config), config, task: taskInfo(config, baselineLoss), startedAt, status, ...(message !== undefined ? { message } : {}) };
}
