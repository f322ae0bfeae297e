// VS Code glue: the lesson notebooks' controller (the "kernel" VS Code shows). It runs TypeScript cells in the
// notebook's kernel process with an execution order, streams their output, interrupts, runs a check cell as its check,
// and checks exercises (run the exercise cell, then its checks; feedback under the cell; progress recorded).
// In Restricted Mode nothing runs: each cell says why.
import * as vscode from 'vscode';
import type { CheckResult, CheckSource } from '../../lessons/lesson';
import { formatCheckResults } from '../../lessons/checks/feedback';
import { DEFAULT_CHECK_SEED } from '../../lessons/checks/runChecks';
import { assignmentNote, releaseOf } from './assignmentRelease';
import type { KernelProcess, RunOutcome } from '../../node/kernelProcess';
import { checksToRun } from '../host/lessonChecks';
import { CellOutputSink } from './cellOutput';
import type { LessonKernels } from './lessonKernels';
import type { LessonsState } from './lessonsState';
import { WALKTHROUGH_EVENTS } from '../host/walkthroughEvents';
import { cellLabel, exerciseIdOf, isRunnable, LESSON_NOTEBOOK_TYPE, lessonIdOf, notebookChecks, roleOf } from './notebookLesson';

export const CONTROLLER_ID = 'rnn-lab-lesson-kernel';

/**
 * How a cell ended. As in Jupyter, a cell that throws stops a Run All, and so does an interrupt, a time limit or a
 * crash; a check that fails does not (it is feedback on the exercise, and the cells below do not depend on it).
 */
interface CellRun {
  readonly succeeded: boolean;
  readonly stopsTheRun: boolean;
}

/** What checking one exercise gave: its results, or why the checks could not run. */
export type ExerciseCheck = { readonly exercise: string; readonly results: readonly CheckResult[] } | { readonly exercise: string; readonly notRun: string };

export class LessonController implements vscode.Disposable {
  private readonly controller: vscode.NotebookController;
  /** Bumped by Interrupt: a Run All (or Check My Work) in progress stops before its next cell. */
  private readonly interrupts = new Map<string, number>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The notebooks (by URI) that have this controller selected: only their cells can be executed by it. */
  private readonly selectedIn = new Set<string>();

  constructor(private readonly state: LessonsState, private readonly kernels: LessonKernels, private readonly extensionId: string) {
    this.controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, LESSON_NOTEBOOK_TYPE, vscode.l10n.t('RNN Lab'), (cells, notebook) => this.execute(cells, notebook));
    this.controller.supportedLanguages = ['typescript'];
    this.controller.supportsExecutionOrder = true;
    this.controller.description = vscode.l10n.t('TypeScript, in a separate process');
    this.controller.detail = vscode.l10n.t('Cells share their variables; import from \'rnn-lab\' for the engine, the course, np, show and train.');
    this.controller.interruptHandler = (notebook) => this.interrupt(notebook);
    // The only controller for lessons: preferred, so Run All never stops to ask which kernel to use.
    const prefer = (notebook: vscode.NotebookDocument): void => {
      if (notebook.notebookType === LESSON_NOTEBOOK_TYPE) this.controller.updateNotebookAffinity(notebook, vscode.NotebookControllerAffinity.Preferred);
    };
    vscode.workspace.notebookDocuments.forEach(prefer);
    this.subscriptions.push(vscode.workspace.onDidOpenNotebookDocument(prefer));
    this.subscriptions.push(this.controller.onDidChangeSelectedNotebooks(({ notebook, selected }) => {
      if (selected) this.selectedIn.add(notebook.uri.toString());
      else this.selectedIn.delete(notebook.uri.toString());
    }));
  }

  /**
   * Check and Check My Work run cells without Run All, so the notebook may not have its controller yet (VS Code picks
   * the preferred one only when a cell first runs, or some time after the editor opens): a cell execution would then
   * fail with "controller is NOT associated". Selects it first, as the kernel picker would.
   */
  private async selectFor(notebook: vscode.NotebookDocument): Promise<void> {
    if (this.selectedIn.has(notebook.uri.toString())) return;
    const notebookEditor = vscode.window.visibleNotebookEditors.find((editor) => editor.notebook === notebook);
    await vscode.commands.executeCommand('notebook.selectKernel', { notebookEditor, id: this.controller.id, extension: this.extensionId });
  }

  /** Runs cells as the ▷ buttons and Run All do. Resolves when all ran (or the run stopped). */
  async execute(cells: readonly vscode.NotebookCell[], notebook: vscode.NotebookDocument): Promise<void> {
    const executions = cells.map((cell) => this.controller.createNotebookCellExecution(cell));
    if (!vscode.workspace.isTrusted) {
      for (const execution of executions) this.refuseUntrusted(execution);
      return;
    }
    const generation = this.interrupts.get(notebook.uri.toString()) ?? 0;
    let stopped = false;
    for (const execution of executions) {
      if (stopped || (this.interrupts.get(notebook.uri.toString()) ?? 0) !== generation) {
        execution.end(undefined);
        continue;
      }
      const role = roleOf(execution.cell);
      const ran: CellRun = !isRunnable(execution.cell) ? { succeeded: this.refuseNotTypeScript(execution), stopsTheRun: false }
        : role.kind === 'check'
          ? await this.runCheckCell(execution, role.exercise, role.name)
          : role.kind === 'exercise'
            ? await this.runExercise(execution, false)
            : await this.runCell(execution);
      if (ran.stopsTheRun) stopped = true;
    }
  }

  /**
   * Check for one exercise cell (the cell's status bar item): runs the cells above it first when the kernel has run
   * nothing yet (a fresh kernel has no imports), then the exercise cell, then its checks.
   */
  async checkExercise(cell: vscode.NotebookCell): Promise<ExerciseCheck | undefined> {
    const exercise = exerciseIdOf(cell);
    if (exercise === undefined) return undefined;
    const notebook = cell.notebook;
    await this.selectFor(notebook);
    if (!vscode.workspace.isTrusted) {
      this.refuseUntrusted(this.controller.createNotebookCellExecution(cell));
      return { exercise, notRun: vscode.l10n.t('Restricted Mode') };
    }
    const { state } = await this.kernels.kernelFor(notebook);
    if (state.runs === 0) {
      const above = notebook.getCells(new vscode.NotebookRange(0, cell.index)).filter((other) => isRunnable(other) && roleOf(other).kind !== 'check');
      if (above.length > 0) await this.execute(above, notebook);
    }
    const result = await this.runExercise(this.controller.createNotebookCellExecution(cell), true);
    return result.check;
  }

  /** Check My Work: every code cell in order (so the exercises have what they use), each exercise with its checks. */
  async checkMyWork(notebook: vscode.NotebookDocument): Promise<ExerciseCheck[]> {
    const cells = notebook.getCells().filter((cell) => isRunnable(cell) && roleOf(cell).kind !== 'check');
    await this.selectFor(notebook);
    const executions = cells.map((cell) => this.controller.createNotebookCellExecution(cell));
    if (!vscode.workspace.isTrusted) {
      for (const execution of executions) this.refuseUntrusted(execution);
      return [];
    }
    const generation = this.interrupts.get(notebook.uri.toString()) ?? 0;
    const checks: ExerciseCheck[] = [];
    let interrupted = false;
    for (const execution of executions) {
      if (interrupted || (this.interrupts.get(notebook.uri.toString()) ?? 0) !== generation) {
        interrupted = true;
        execution.end(undefined);
        continue;
      }
      if (exerciseIdOf(execution.cell) !== undefined) {
        const { check } = await this.runExercise(execution, true);
        if (check) checks.push(check);
      } else {
        // A setup cell that fails is shown, and the checks below still run: their feedback says what is missing.
        await this.runCell(execution);
      }
    }
    return checks;
  }

  private async interrupt(notebook: vscode.NotebookDocument): Promise<void> {
    const key = notebook.uri.toString();
    this.interrupts.set(key, (this.interrupts.get(key) ?? 0) + 1);
    await (await this.kernels.existing(notebook))?.interrupt();
  }

  /** Starts the execution in the notebook's kernel; undefined (with the reason in the cell) when no kernel starts. */
  private async begin(execution: vscode.NotebookCellExecution): Promise<{ kernel: KernelProcess; sink: CellOutputSink } | undefined> {
    const sink = new CellOutputSink(execution);
    execution.start(Date.now());
    await execution.clearOutput();
    try {
      const { kernel, state } = await this.kernels.kernelFor(execution.cell.notebook);
      state.runs += 1;
      state.executionOrder += 1;
      execution.executionOrder = state.executionOrder;
      return { kernel, sink };
    } catch (error) {
      sink.note(vscode.l10n.t('The lesson\'s kernel did not start: {0}', error instanceof Error ? error.message : String(error)));
      execution.end(false, Date.now());
      return undefined;
    }
  }

  private async runCell(execution: vscode.NotebookCellExecution): Promise<CellRun> {
    const started = await this.begin(execution);
    if (!started) return { succeeded: false, stopsTheRun: true };
    const outcome = await started.kernel.run(execution.cell.document.getText(), cellLabel(execution.cell), started.sink);
    const succeeded = started.sink.finish(outcome);
    this.state.reach(WALKTHROUGH_EVENTS.cellRan);
    await started.sink.end(succeeded);
    return { succeeded, stopsTheRun: !succeeded };
  }

  /** Runs an exercise cell; with `check`, then its checks, the feedback under the cell, and records the progress. */
  private async runExercise(execution: vscode.NotebookCellExecution, check: boolean): Promise<CellRun & { check?: ExerciseCheck }> {
    const exercise = exerciseIdOf(execution.cell)!;
    const started = await this.begin(execution);
    if (!started) return { succeeded: false, stopsTheRun: true, check: { exercise, notRun: vscode.l10n.t('the kernel did not start') } };
    const { kernel, sink } = started;
    const outcome = await kernel.run(execution.cell.document.getText(), cellLabel(execution.cell), sink);
    let succeeded = sink.finish(outcome);
    this.state.reach(WALKTHROUGH_EVENTS.cellRan);
    if (!check) {
      await sink.end(succeeded);
      return { succeeded, stopsTheRun: !succeeded };
    }
    if (!ranToTheEnd(outcome)) {
      await sink.end(false);
      return { succeeded: false, stopsTheRun: true, check: { exercise, notRun: vscode.l10n.t('the exercise cell did not finish') } };
    }
    const results = await this.runChecks(execution.cell.notebook, [exercise], sink);
    if (results) succeeded = succeeded && results.every((result) => result.status === 'passed');
    await sink.end(succeeded);
    return { succeeded, stopsTheRun: results === undefined, check: results ? { exercise, results } : { exercise, notRun: vscode.l10n.t('the checks did not finish') } };
  }

  /** A check cell runs its own check (the bundled original's when this is a copy of a bundled lesson). */
  private async runCheckCell(execution: vscode.NotebookCellExecution, exercise: string, name: string): Promise<CellRun> {
    const started = await this.begin(execution);
    if (!started) return { succeeded: false, stopsTheRun: true };
    const results = await this.runChecks(execution.cell.notebook, [exercise], started.sink, (check) => check.name === name, false);
    this.state.reach(WALKTHROUGH_EVENTS.cellRan);
    const succeeded = results !== undefined && results.every((result) => result.status === 'passed');
    await started.sink.end(succeeded);
    return { succeeded, stopsTheRun: results === undefined };
  }

  /**
   * Runs the exercises' checks and writes the feedback into `sink`; undefined when they did not finish. With `record`
   * (every check of the exercises ran), the progress is recorded: one check cell alone says nothing about the exercise.
   */
  private async runChecks(notebook: vscode.NotebookDocument, exercises: readonly string[], sink: CellOutputSink, only: (check: CheckSource) => boolean = () => true, record = true): Promise<readonly CheckResult[] | undefined> {
    const lessonId = lessonIdOf(notebook);
    const bundled = lessonId === undefined ? undefined : (await this.state.lessons()).byId(lessonId)?.lesson;
    const own = notebookChecks(notebook);
    const { checks, note: bundledNote } = checksToRun(exercises, own, bundled, vscode.l10n.t);
    const release = await releaseOf(notebook);
    const releaseNote = release && assignmentNote(release, exercises, own);
    const note = [releaseNote, bundledNote].filter((text) => text !== undefined).join('\n') || undefined;
    const selected = checks.filter(only);
    if (selected.length === 0) {
      sink.note(vscode.l10n.t('This exercise has no checks.'), 'stdout');
      return [];
    }
    const { kernel } = await this.kernels.kernelFor(notebook);
    const answer = await kernel.check(selected, release?.manifest.seed ?? DEFAULT_CHECK_SEED, sink);
    if (!Array.isArray(answer)) {
      sink.finish(answer as RunOutcome);
      return undefined;
    }
    const results = answer as CheckResult[];
    const feedback = (shown: readonly CheckResult[]): string => formatCheckResults(shown, note === undefined ? {} : { note });
    sink.display([{ mime: 'text/plain', data: feedback(results) }]);
    if (record) {
      this.showInCheckCells(notebook, sink.cell, results, feedback);
      if (lessonId !== undefined) await this.state.recordChecks(lessonId, results);
    }
    return results;
  }

  /**
   * After the checks of whole exercises ran (Check, Check My Work), each of their check cells shows its check's
   * current result: an older result there (a failure from before the fix) would contradict the feedback just given.
   */
  private showInCheckCells(notebook: vscode.NotebookDocument, running: vscode.NotebookCell, results: readonly CheckResult[], feedback: (shown: readonly CheckResult[]) => string): void {
    for (const cell of notebook.getCells()) {
      const role = roleOf(cell);
      if (cell === running || role.kind !== 'check') continue;
      const result = results.find((candidate) => candidate.exercise === role.exercise && candidate.name === role.name);
      if (!result) continue;
      let execution: vscode.NotebookCellExecution;
      try {
        execution = this.controller.createNotebookCellExecution(cell);
      } catch {
        continue; // the cell is queued to run (a Run All): it shows its result then
      }
      execution.start(Date.now());
      void execution.replaceOutput(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.text(feedback([result]))]));
      execution.end(result.status === 'passed', Date.now());
    }
  }

  private refuseNotTypeScript(execution: vscode.NotebookCellExecution): boolean {
    execution.start(Date.now());
    void execution.replaceOutput(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.stderr(
      vscode.l10n.t('Only TypeScript cells run. This cell is {0}; the raw text of a lesson file that could not be read never runs: fix the problem named at the top, save, and reopen the lesson.', execution.cell.document.languageId) + '\n',
    )]));
    execution.end(false, Date.now());
    return false;
  }

  private refuseUntrusted(execution: vscode.NotebookCellExecution): void {
    execution.start(Date.now());
    void execution.replaceOutput(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.stderr(
      vscode.l10n.t('RNN Lab runs no cell in Restricted Mode: a cell is code, and this workspace is not trusted. You can still read and edit the lesson. To run it, trust the workspace (Manage Workspace Trust).') + '\n',
    )]));
    execution.end(false, Date.now());
  }

  dispose(): void {
    this.subscriptions.forEach((subscription) => subscription.dispose());
    this.controller.dispose();
  }
}

/** The cell's code ran to its end, with or without an error (the checks can still say what is wrong). */
function ranToTheEnd(outcome: RunOutcome): boolean {
  return outcome.status === 'ok' || outcome.status === 'error';
}
