// Webview layer (pure, no DOM): where a run's loss reads the network, in the words of the dashboard's captions —
// at every step (many-to-many, and one-to-many for a task whose input is one step long) or once after the last.
import type { RunState } from './dashboardState';

/** The task modes among `runs`: where their loss reads the network. */
export function taskModes(runs: readonly RunState[]): Set<RunState['info']['task']['mode']> {
  return new Set(runs.map((run) => run.info.task.mode));
}

/** Tasks whose input is shorter than their output: the loss reads every step, but only the first step has an input. */
const ONE_INPUT_TASKS: ReadonlySet<string> = new Set(['spell-digit']);

/**
 * Where the loss is read, in one sentence for a caption: at every time step (many-to-many: dinos, text, copy-memory,
 * word-sense; spell-digit too, whose one input makes it one-to-many) or once after the last one (many-to-one: adding,
 * temporal-order, sentiment); '' when there are no runs.
 */
export function lossReading(runs: readonly RunState[]): string {
  const names = (mode: string): string[] => [...new Set(runs.filter((run) => run.info.task.mode === mode).map((run) => run.info.task.name))];
  /** The tasks read at every step, in groups: [type, its task names]. */
  const everyStepGroups = (): [string, string[]][] => {
    const all = names('many-to-many');
    const groups: [string, string[]][] = [
      ['many-to-many', all.filter((name) => !ONE_INPUT_TASKS.has(name))],
      ['one-to-many, one input and then an output at every step', all.filter((name) => ONE_INPUT_TASKS.has(name))],
    ];
    return groups.filter(([, tasks]) => tasks.length > 0);
  };
  const everyStep = (): string => everyStepGroups().map(([type, tasks]) => `${type}: ${tasks.join(', ')}`).join('; ');
  const modes = taskModes(runs);
  if (modes.size === 0) return '';
  if (modes.size === 2) return `The loss is read at every time step for ${names('many-to-many').join(', ')} (${everyStepGroups().map(([type]) => type).join('; ')}), and once, after the last step, for ${names('many-to-one').join(', ')} (many-to-one).`;
  return modes.has('many-to-many')
    ? `Here the loss is read at every time step (${everyStep()}): each step's prediction counts, and the loss is their mean.`
    : `Here the loss is read once per sequence, after its last step (many-to-one: ${names('many-to-one').join(', ')}).`;
}
