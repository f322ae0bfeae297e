// Extension host (pure, no vscode): the `rnnLab.*` settings, their defaults and allowed values in one place; checked
// against package.json's contributes.configuration by a test, and read through `readSettings` so a hand-edited
// settings.json with a wrong type falls back to the default instead of breaking a command.
import type { CellKind } from '../../engine/cells/cell';
import { CELL_KINDS } from '../../engine/configLimits';
import { TASK_NAMES } from '../../engine/tasks/taskCatalogue';

/** The engine's cells, as `rnnLab.defaultCell` offers them (package.json's enum is checked against CELL_KINDS). */
export type CellName = CellKind;

export interface Settings {
  /** Where runs are saved, relative to the (first) workspace folder. */
  readonly runsFolder: string;
  readonly defaultTask: string;
  readonly defaultCell: CellName;
  /** How many metric updates per second the dashboard receives while a run trains. */
  readonly metricsPerSecond: number;
  /** How long one lesson cell may run before the kernel is stopped and restarted (setting `lessons.cellTimeLimitSeconds`). */
  readonly cellTimeLimitSeconds: number;
}

/** Each setting's key under `rnnLab.` in package.json and settings.json. */
export const SETTING_KEYS: { readonly [K in keyof Settings]: string } = {
  runsFolder: 'runsFolder',
  defaultTask: 'defaultTask',
  defaultCell: 'defaultCell',
  metricsPerSecond: 'metricsPerSecond',
  cellTimeLimitSeconds: 'lessons.cellTimeLimitSeconds',
};

export const SETTINGS_SECTION = 'rnnLab';

export const DEFAULT_SETTINGS: Settings = {
  runsFolder: '.rnn-lab/runs',
  defaultTask: 'adding',
  defaultCell: 'lstm',
  metricsPerSecond: 20,
  cellTimeLimitSeconds: 300,
};

export const METRICS_PER_SECOND_RANGE = { minimum: 1, maximum: 60 } as const;
/** A cell may run from 1 second to a day; a wrong value falls back to the default of 5 minutes. */
export const CELL_TIME_LIMIT_RANGE = { minimum: 1, maximum: 86_400 } as const;

/** Narrows raw values (from `getConfiguration('rnnLab').get(SETTING_KEYS[key])`), each wrong one replaced by its default. */
export function readSettings(get: (key: string) => unknown): Settings {
  const runsFolder = get(SETTING_KEYS.runsFolder);
  const defaultTask = get(SETTING_KEYS.defaultTask);
  const defaultCell = get(SETTING_KEYS.defaultCell);
  const metricsPerSecond = get(SETTING_KEYS.metricsPerSecond);
  const cellTimeLimitSeconds = get(SETTING_KEYS.cellTimeLimitSeconds);
  return {
    runsFolder: typeof runsFolder === 'string' && runsFolder.trim() !== '' ? runsFolder.trim() : DEFAULT_SETTINGS.runsFolder,
    defaultTask: typeof defaultTask === 'string' && TASK_NAMES.includes(defaultTask) ? defaultTask : DEFAULT_SETTINGS.defaultTask,
    defaultCell: CELL_KINDS.find((cell) => cell === defaultCell) ?? DEFAULT_SETTINGS.defaultCell,
    metricsPerSecond: typeof metricsPerSecond === 'number' && Number.isFinite(metricsPerSecond)
      ? Math.min(METRICS_PER_SECOND_RANGE.maximum, Math.max(METRICS_PER_SECOND_RANGE.minimum, metricsPerSecond))
      : DEFAULT_SETTINGS.metricsPerSecond,
    cellTimeLimitSeconds: typeof cellTimeLimitSeconds === 'number' && cellTimeLimitSeconds >= CELL_TIME_LIMIT_RANGE.minimum && cellTimeLimitSeconds <= CELL_TIME_LIMIT_RANGE.maximum
      ? cellTimeLimitSeconds
      : DEFAULT_SETTINGS.cellTimeLimitSeconds,
  };
}
