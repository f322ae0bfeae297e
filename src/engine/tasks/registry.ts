// Engine layer: the bundled tasks by name — what `--task NAME` and the dashboard choose from.
import { addingTaskSpec } from './addingTask';
import { copyMemoryTaskSpec } from './copyMemoryTask';
import { dinosTaskSpec } from './dinosTask';
import { sentimentTaskSpec } from './sentimentTask';
import { spellDigitTaskSpec } from './spellDigitTask';
import type { Task } from './task';
import { TASK_NAMES } from './taskCatalogue';
import { resolveTaskSettings, type TaskOptions, type TaskSpec } from './taskSpec';
import { temporalOrderTaskSpec } from './temporalOrderTask';
import { textTaskSpec } from './textTask';
import { wordSenseTaskSpec } from './wordSenseTask';

/** Every bundled task, in the order `--help` lists them. */
export const TASK_SPECS: readonly TaskSpec[] = [
  dinosTaskSpec,
  textTaskSpec,
  addingTaskSpec,
  copyMemoryTaskSpec,
  temporalOrderTaskSpec,
  sentimentTaskSpec,
  wordSenseTaskSpec,
  spellDigitTaskSpec,
];

export { describeTasks, TASK_NAMES } from './taskCatalogue';

/** The spec of a task by name; an unknown name is an Error that lists the known ones. */
export function getTaskSpec(name: string): TaskSpec {
  const spec = TASK_SPECS.find((candidate) => candidate.name === name);
  if (!spec) throw new RangeError(`unknown task ${JSON.stringify(name)}; choose one of: ${TASK_NAMES.join(', ')}`);
  return spec;
}

/**
 * Builds a task: `createTask('adding', { sequenceLength: 100, seed: 1 })`. Options left out take the task's
 * defaults (seed 0); a value outside the allowed range is an Error that names the option and the range.
 */
export function createTask(name: string, options: TaskOptions = {}): Task {
  const spec = getTaskSpec(name);
  return spec.create(resolveTaskSettings(spec, options));
}
