// Extension host (pure, no vscode): how a run is described to the dashboard and in pickers — its label, its task's
// facts (description, sequence length, where the loss is read, baseline loss, whether it writes text) and its status from summary.json.
import type { RunSummary } from '../../shared/runStoreFormat';
import { createTask } from '../../engine/tasks/registry';
import type { TrainingConfig } from '../../engine/trainer';
import type { RunInfo, RunStatus } from '../../shared/protocol';

/** "LSTM · adding · h32 · seed 1", with layers and direction when they are not the plain 1-layer, one-way default. */
export function runLabel(config: TrainingConfig): string {
  const parts = [config.cell.toUpperCase(), config.task, `h${config.hidden}`];
  if (config.layers > 1) parts.push(`${config.layers} layers`);
  if (config.bidirectional) parts.push('bidirectional');
  parts.push(`seed ${config.seed}`);
  return parts.join(' · ');
}

const taskFacts = new Map<string, RunInfo['task']>();

/**
 * The task facts the dashboard shows. Building a task is cheap (a few ms for the text tasks) and deterministic in
 * (name, sequence length, seed), so the result is cached.
 */
export function taskInfo(config: TrainingConfig): RunInfo['task'] {
  const key = `${config.task}\u0000${config.sequenceLength ?? ''}\u0000${config.seed}`;
  let facts = taskFacts.get(key);
  if (!facts) {
    const task = createTask(config.task, { sequenceLength: config.sequenceLength, seed: config.seed });
    facts = {
      name: task.name,
      description: task.description,
      sequenceLength: task.sequenceLength,
      mode: task.mode,
      ...(task.baselineLoss !== undefined && Number.isFinite(task.baselineLoss) ? { baselineLoss: task.baselineLoss } : {}),
      hasVocabulary: task.vocabulary !== undefined,
    };
    taskFacts.set(key, facts);
  }
  return facts;
}

/** The status a finished run's summary.json records. */
export function statusOfSummary(summary: RunSummary): { status: Exclude<RunStatus, 'running'>; message?: string } {
  if (summary.stopReason === 'error') return { status: 'error', ...(summary.error ? { message: summary.error } : {}) };
  if (!Number.isFinite(summary.finalLoss)) return { status: 'diverged', message: `the loss is ${summary.finalLoss} after ${summary.stepsCompleted} steps` };
  if (summary.stopReason === 'interrupted') return { status: 'stopped', message: `stopped after ${summary.stepsCompleted} of ${summary.stepsRequested} steps` };
  return { status: 'done' };
}

export function makeRunInfo(id: string, config: TrainingConfig, startedAt: string, status: RunStatus, message?: string): RunInfo {
  return { id, label: runLabel(config), config, task: taskInfo(config), startedAt, status, ...(message !== undefined ? { message } : {}) };
}
