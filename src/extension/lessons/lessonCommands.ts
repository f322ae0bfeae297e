// VS Code glue: the lesson commands of host/commandTable.ts — Show Lessons, Open Lesson (copy once, then reopen the
// copy), Continue Where I Left Off, Check Exercise, Check My Work, Reset Exercise to Starting Code (asks first) and
// Restart Kernel. They take their argument from a tree row, a cell, or the active notebook.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { parseLesson } from '../../lessons/lessonFile';
import { LESSON_COMMANDS, type LessonCommandName } from '../host/commandTable';
import { COPIES_FOLDER, copiesRootIn, type CatalogueLesson } from '../host/lessonCatalogue';
import { continuePlace, type ExerciseRow, type LessonRow } from '../host/lessonTree';
import type { Services } from '../services';
import { ensureTrusted } from '../trust';
import type { ExerciseCheck, LessonController } from './lessonController';
import type { LessonKernels } from './lessonKernels';
import { LESSONS_VIEW_ID } from './lessonsTreeView';
import type { LessonsState } from './lessonsState';
import { exerciseCell, exerciseIdOf, isLessonNotebook, lessonIdOf } from './notebookLesson';

interface Parts {
  readonly services: Services;
  readonly state: LessonsState;
  readonly controller: LessonController;
  readonly kernels: LessonKernels;
}

type Handler = (parts: Parts, ...args: unknown[]) => Promise<unknown>;

const HANDLERS: Record<LessonCommandName, Handler> = {
  showLessons: async () => vscode.commands.executeCommand(`${LESSONS_VIEW_ID}.focus`),
  openLesson,
  continueLesson,
  checkExercise,
  checkMyWork,
  resetExercise,
  restartKernel,
};

/** Registers the lesson commands; a handler's error becomes one error notification and a log line. */
export function registerLessonCommands(parts: Parts): vscode.Disposable {
  return vscode.Disposable.from(...(Object.keys(LESSON_COMMANDS) as LessonCommandName[]).map((name) =>
    vscode.commands.registerCommand(LESSON_COMMANDS[name].id, async (...args: unknown[]) => {
      try {
        return await HANDLERS[name](parts, ...args);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        parts.services.log(`${LESSON_COMMANDS[name].id} failed: ${message}`);
        void vscode.window.showErrorMessage(vscode.l10n.t('RNN Lab: {0}', message));
        return undefined;
      }
    })));
}

function isRow(value: unknown): value is LessonRow | ExerciseRow {
  return typeof value === 'object' && value !== null && 'kind' in value && ((value as { kind: unknown }).kind === 'lesson' || (value as { kind: unknown }).kind === 'exercise')
    && typeof (value as { lessonId?: unknown }).lessonId === 'string';
}

function isCell(value: unknown): value is vscode.NotebookCell {
  return typeof value === 'object' && value !== null && 'notebook' in value && 'document' in value && 'index' in value;
}

/** The cell a command was given: a cell, `{ cell }` (some notebook menus), or the active notebook's selected cell. */
function cellArgument(value: unknown): vscode.NotebookCell | undefined {
  if (isCell(value)) return value;
  if (typeof value === 'object' && value !== null && isCell((value as { cell?: unknown }).cell)) return (value as { cell: vscode.NotebookCell }).cell;
  const editor = vscode.window.activeNotebookEditor;
  if (!editor || !isLessonNotebook(editor.notebook)) return undefined;
  const index = editor.selection.start;
  return index < editor.notebook.cellCount ? editor.notebook.cellAt(index) : undefined;
}

async function pickLesson(state: LessonsState): Promise<CatalogueLesson | undefined> {
  const catalogue = await state.lessons();
  if (catalogue.lessons.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('This RNN Lab has no lessons bundled.'));
    return undefined;
  }
  const chosen = await vscode.window.showQuickPick(catalogue.lessons.map((lesson) => ({
    label: `${lesson.order}. ${lesson.title}`,
    description: vscode.l10n.t('{0} min', lesson.minutes),
    detail: lesson.goals.join(' · '),
    lesson,
  })), { title: vscode.l10n.t('Open Lesson'), placeHolder: vscode.l10n.t('Which lesson?'), matchOnDetail: true });
  return chosen?.lesson;
}

/**
 * Opens the student's copy of a bundled lesson (made on first use), at an exercise when one is given. Returns the
 * notebook editor (tests drive it).
 */
async function openLesson({ state }: Parts, target?: unknown, exerciseArgument?: unknown): Promise<vscode.NotebookEditor | undefined> {
  const catalogue = await state.lessons();
  let lessonId: string | undefined;
  let exerciseId: string | undefined;
  if (isRow(target)) {
    lessonId = target.lessonId;
    exerciseId = target.kind === 'exercise' ? target.exerciseId : undefined;
  } else if (typeof target === 'string') {
    lessonId = target;
    exerciseId = typeof exerciseArgument === 'string' ? exerciseArgument : undefined;
  }
  const lesson = lessonId === undefined ? await pickLesson(state) : catalogue.byId(lessonId);
  if (!lesson) {
    if (lessonId !== undefined) throw new Error(vscode.l10n.t('There is no lesson with the id {0}.', lessonId));
    return undefined;
  }
  const root = state.copiesRoot();
  if (root === undefined) {
    await openInLessonsFolder(state, lesson, exerciseId);
    return undefined;
  }
  const copy = await state.copyOf(lesson, root);
  const notebook = await vscode.workspace.openNotebookDocument(copy);
  const editor = await vscode.window.showNotebookDocument(notebook, { preview: false });
  await state.opened(lesson.id);
  const cell = exerciseId === undefined ? undefined : exerciseCell(notebook, exerciseId);
  if (cell) {
    const range = new vscode.NotebookRange(cell.index, cell.index + 1);
    editor.selection = range;
    editor.revealRange(range, vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
  }
  return editor;
}

/**
 * Open Lesson with no folder open: the copy must land where the student sees it and finds it again, so they choose a
 * folder — ~/rnn-lab-lessons (made for them) or one of their own. The lesson is copied there, the folder opens (the
 * window reloads) and the lesson opens in it (lessonsFeature.ts takes the remembered place).
 */
async function openInLessonsFolder(state: LessonsState, lesson: CatalogueLesson, exerciseId: string | undefined): Promise<void> {
  const home = join(homedir(), COPIES_FOLDER);
  const shown = join('~', COPIES_FOLDER);
  const useHome = existsSync(home) ? vscode.l10n.t('Open {0}', shown) : vscode.l10n.t('Create and Open {0}', shown);
  const choose = vscode.l10n.t('Choose a Folder…');
  const answer = await vscode.window.showInformationMessage(
    vscode.l10n.t('Where should your lessons be kept?'),
    { modal: true, detail: vscode.l10n.t('No folder is open. Open Lesson copies the lesson into a folder of yours, where you edit it and find it again: the Explorer shows it, and the Lessons view reopens it. That folder opens in this window.') },
    useHome, choose,
  );
  let folder: string;
  if (answer === useHome) {
    folder = home;
  } else if (answer === choose) {
    const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: vscode.l10n.t('Keep My Lessons Here') });
    if (!picked?.[0]) return;
    folder = picked[0].fsPath;
  } else {
    return;
  }
  await state.copyOf(lesson, copiesRootIn(folder));
  await state.openAfterReload({ folder, lessonId: lesson.id, ...(exerciseId === undefined ? {} : { exerciseId }) });
  await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(folder), { forceReuseWindow: true });
}

async function continueLesson(parts: Parts): Promise<vscode.NotebookEditor | undefined> {
  const place = continuePlace(await parts.state.lessons(), parts.state.progress);
  if (!place) {
    void vscode.window.showInformationMessage(vscode.l10n.t('This RNN Lab has no lessons bundled.'));
    return undefined;
  }
  return openLesson(parts, place.lessonId, place.exerciseId);
}

/** The exercise cell a Check or Reset is about: a cell, an exercise row of the tree (opening its lesson), or the selection. */
async function exerciseCellArgument(parts: Parts, value: unknown): Promise<vscode.NotebookCell | undefined> {
  if (isRow(value) && value.kind === 'exercise') {
    const editor = await openLesson(parts, value);
    return editor && exerciseCell(editor.notebook, value.exerciseId);
  }
  const cell = cellArgument(value);
  if (!cell || exerciseIdOf(cell) === undefined) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Select an exercise cell first (a cell with Check in its status bar).'));
    return undefined;
  }
  return cell;
}

async function checkExercise(parts: Parts, value?: unknown): Promise<ExerciseCheck | undefined> {
  if (!(await ensureTrusted(vscode.l10n.t('Check')))) return undefined;
  const cell = await exerciseCellArgument(parts, value);
  return cell && parts.controller.checkExercise(cell);
}

function activeLessonNotebook(): vscode.NotebookDocument | undefined {
  const notebook = vscode.window.activeNotebookEditor?.notebook;
  if (notebook && isLessonNotebook(notebook)) return notebook;
  void vscode.window.showInformationMessage(vscode.l10n.t('Open a lesson first (RNN Lab: Open Lesson).'));
  return undefined;
}

/** Checks every exercise of the open lesson; a notification sums it up. Returns each exercise's outcome. */
async function checkMyWork(parts: Parts): Promise<ExerciseCheck[] | undefined> {
  if (!(await ensureTrusted(vscode.l10n.t('Check My Work')))) return undefined;
  const notebook = activeLessonNotebook();
  if (!notebook) return undefined;
  const checks = await parts.controller.checkMyWork(notebook);
  if (checks.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('This lesson has no exercises to check.'));
    return checks;
  }
  const passed = checks.filter((check) => 'results' in check && check.results.length > 0 && check.results.every((result) => result.status === 'passed')).length;
  const results = checks.flatMap((check) => ('results' in check ? check.results : []));
  const earned = results.reduce((sum, result) => sum + result.earned, 0);
  const points = results.reduce((sum, result) => sum + result.points, 0);
  const notRun = checks.filter((check) => 'notRun' in check).length;
  const summary = vscode.l10n.t('Check My Work: {0} of {1} exercises passed ({2}/{3} points). The feedback is under each exercise cell.', passed, checks.length, earned, points);
  const text = notRun > 0 ? `${summary} ${vscode.l10n.t('{0} exercises could not be checked: see their cells.', notRun)}` : summary;
  void (passed === checks.length ? vscode.window.showInformationMessage(text) : vscode.window.showWarningMessage(text));
  return checks;
}

/** The exercise's starting code: the bundled lesson's for a copy of one, else the lesson file's as saved on disk. */
async function startingCode(parts: Parts, notebook: vscode.NotebookDocument, exerciseId: string): Promise<string | undefined> {
  const lessonId = lessonIdOf(notebook);
  const bundled = lessonId === undefined ? undefined : (await parts.state.lessons()).byId(lessonId);
  if (bundled) return bundled.lesson.exercises.find((exercise) => exercise.id === exerciseId)?.startingCode;
  if (notebook.uri.scheme !== 'file') return undefined;
  const parsed = parseLesson(new TextDecoder().decode(await vscode.workspace.fs.readFile(notebook.uri)));
  return parsed.ok ? parsed.lesson.exercises.find((exercise) => exercise.id === exerciseId)?.startingCode : undefined;
}

/** Replaces the exercise cell's code with its starting code, after asking. Returns whether it did. */
async function resetExercise(parts: Parts, value?: unknown): Promise<boolean> {
  const cell = await exerciseCellArgument(parts, value);
  if (!cell) return false;
  const exerciseId = exerciseIdOf(cell)!;
  const code = await startingCode(parts, cell.notebook, exerciseId);
  if (code === undefined) throw new Error(vscode.l10n.t('The starting code of the exercise {0} was not found.', exerciseId));
  const reset = vscode.l10n.t('Reset');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Reset the exercise {0} to its starting code? Your code in this cell will be replaced (Undo brings it back).', exerciseId),
    { modal: true }, reset);
  if (answer !== reset) return false;
  const document = cell.document;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), code);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(vscode.l10n.t('The exercise cell could not be changed.'));
  const lessonId = lessonIdOf(cell.notebook);
  if (lessonId !== undefined) await parts.state.reset(lessonId, exerciseId);
  return true;
}

async function restartKernel(parts: Parts): Promise<boolean> {
  if (!(await ensureTrusted(vscode.l10n.t('Restart Kernel')))) return false;
  const notebook = activeLessonNotebook();
  if (!notebook) return false;
  const restarted = await parts.kernels.restart(notebook);
  void vscode.window.showInformationMessage(restarted
    ? vscode.l10n.t('The lesson\'s kernel restarted: its variables are gone. Run the cells again from the top.')
    : vscode.l10n.t('The lesson\'s kernel is not running yet: it starts when you run a cell.'));
  return restarted;
}
