// Extension host (pure, no vscode): every command RNN Lab contributes, in one table. package.json's
// contributes.commands is checked against it by test/extension/commandTable.test.ts, so the two cannot drift apart.

export interface CommandSpec {
  /** The command id, `rnnLab.*`. */
  readonly id: string;
  /** The key of its title in package.nls.json (package.json says `%key%`). */
  readonly titleKey: string;
  /** The English title as package.nls.json has it; the palette shows "RNN Lab: <title>". */
  readonly title: string;
  /**
   * Refused in an untrusted (Restricted Mode) workspace: it runs the engine in a worker thread and writes run files.
   * Reading saved runs, exporting a CSV to a file the user picks and opening a folder stay allowed.
   */
  readonly needsTrust: boolean;
}

/** The category every command is listed under in the Command Palette. */
export const COMMAND_CATEGORY = 'RNN Lab';

/** The training commands (src/extension/commands.ts). */
export const RUN_COMMANDS = {
  newTrainingRun: { id: 'rnnLab.newTrainingRun', titleKey: 'rnnLab.command.newTrainingRun', title: 'New Training Run', needsTrust: true },
  openDashboard: { id: 'rnnLab.openDashboard', titleKey: 'rnnLab.command.openDashboard', title: 'Open Dashboard', needsTrust: false },
  stopTraining: { id: 'rnnLab.stopTraining', titleKey: 'rnnLab.command.stopTraining', title: 'Stop Training', needsTrust: false },
  compareCells: { id: 'rnnLab.compareCells', titleKey: 'rnnLab.command.compareCells', title: 'Compare Cells (RNN, GRU, LSTM)', needsTrust: true },
  sampleFromModel: { id: 'rnnLab.sampleFromModel', titleKey: 'rnnLab.command.sampleFromModel', title: 'Sample From Model', needsTrust: true },
  exportRun: { id: 'rnnLab.exportRun', titleKey: 'rnnLab.command.exportRun', title: 'Export Run Metrics as CSV', needsTrust: false },
  openRunFolder: { id: 'rnnLab.openRunFolder', titleKey: 'rnnLab.command.openRunFolder', title: 'Open Run Folder', needsTrust: false },
} as const satisfies Record<string, CommandSpec>;

/**
 * The lesson commands (src/extension/lessons/lessonCommands.ts). Opening, reading and resetting a lesson work in
 * Restricted Mode; whatever runs a cell (checking, restarting the kernel) needs a trusted workspace.
 */
export const LESSON_COMMANDS = {
  showLessons: { id: 'rnnLab.showLessons', titleKey: 'rnnLab.command.showLessons', title: 'Show Lessons', needsTrust: false },
  openLesson: { id: 'rnnLab.openLesson', titleKey: 'rnnLab.command.openLesson', title: 'Open Lesson', needsTrust: false },
  continueLesson: { id: 'rnnLab.continueLesson', titleKey: 'rnnLab.command.continueLesson', title: 'Continue Where I Left Off', needsTrust: false },
  checkExercise: { id: 'rnnLab.checkExercise', titleKey: 'rnnLab.command.checkExercise', title: 'Check Exercise', needsTrust: true },
  checkMyWork: { id: 'rnnLab.checkMyWork', titleKey: 'rnnLab.command.checkMyWork', title: 'Check My Work', needsTrust: true },
  resetExercise: { id: 'rnnLab.resetExercise', titleKey: 'rnnLab.command.resetExercise', title: 'Reset Exercise to Starting Code', needsTrust: false },
  restartKernel: { id: 'rnnLab.restartKernel', titleKey: 'rnnLab.command.restartKernel', title: 'Restart Kernel', needsTrust: true },
} as const satisfies Record<string, CommandSpec>;

export const COMMANDS = { ...RUN_COMMANDS, ...LESSON_COMMANDS } as const;

export type RunCommandName = keyof typeof RUN_COMMANDS;
export type LessonCommandName = keyof typeof LESSON_COMMANDS;
export type CommandName = keyof typeof COMMANDS;

export const ALL_COMMANDS: readonly CommandSpec[] = Object.values(COMMANDS);
