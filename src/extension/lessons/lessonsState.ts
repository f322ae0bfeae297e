// VS Code glue: what the Lessons view, the commands and the controller share — the bundled lessons (read once from
// the extension's lessons/ folder), the student's progress (kept in globalState so it survives a reload), where the
// student's copies live (a folder they can see), and the walkthrough's completion events.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { parseLesson } from '../../lessons/lessonFile';
import { copiesRootIn, ensureLessonCopy, readCatalogue, type Catalogue, type CatalogueLesson } from '../host/lessonCatalogue';
import { LessonProgress } from '../host/lessonProgress';
import { WALKTHROUGH_EVENTS } from '../host/walkthroughEvents';
import type { CheckResult } from '../../lessons/lesson';
import type { Services } from '../services';

const PROGRESS_KEY = 'rnnLab.lessonProgress';
/** A lesson to open once the window has reloaded into the lessons folder Open Lesson just opened. */
const OPEN_AFTER_RELOAD_KEY = 'rnnLab.openLessonAfterReload';

/** Which lesson (and exercise) to open, in which folder. */
export interface PendingOpen {
  readonly folder: string;
  readonly lessonId: string;
  readonly exerciseId?: string;
}

export class LessonsState implements vscode.Disposable {
  private catalogue: Promise<Catalogue> | undefined;
  readonly progress: LessonProgress;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the progress changes (a check, a reset, a lesson opened). */
  readonly onDidChange = this.changed.event;
  private readonly reached = new Set<string>();

  constructor(private readonly services: Services) {
    this.progress = LessonProgress.fromStored(services.context.globalState.get(PROGRESS_KEY));
  }

  /** The bundled lessons; a bundled file that does not parse is logged (the tests keep that from shipping). */
  lessons(): Promise<Catalogue> {
    this.catalogue ??= readCatalogue(vscode.Uri.joinPath(this.services.extensionUri, 'lessons').fsPath, parseLesson).then((catalogue) => {
      for (const { fileName, problems } of catalogue.problems) {
        this.services.log(`The bundled lesson ${fileName} cannot be read: ${problems.map((problem) => `line ${problem.line}: ${problem.message}`).join('; ')}`);
      }
      return catalogue;
    });
    return this.catalogue;
  }

  /** Where the student's copies go in the open workspace; undefined when no folder (on disk) is open. */
  copiesRoot(): string | undefined {
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder && folder.uri.scheme === 'file' ? copiesRootIn(folder.uri.fsPath) : undefined;
  }

  /**
   * Copies the bundled lesson into `root` the first time; returns the student's copy. A copy an earlier RNN Lab kept
   * in its global storage (out of the student's sight) is what gets copied then: their work moves with them.
   */
  async copyOf(lesson: CatalogueLesson, root: string): Promise<vscode.Uri> {
    const hidden = join(this.services.context.globalStorageUri.fsPath, 'lessons', lesson.fileName);
    const copy = await ensureLessonCopy(lesson.path, root, existsSync(hidden) ? hidden : lesson.path);
    if (copy.created) this.services.log(`Copied the lesson ${lesson.fileName} to ${copy.path}${existsSync(hidden) ? ` (the earlier copy ${hidden})` : ''}`);
    return vscode.Uri.file(copy.path);
  }

  /** Remembers a lesson to open when the window comes back with `folder` open (see takeOpenAfterReload). */
  async openAfterReload(pending: PendingOpen): Promise<void> {
    await this.services.context.globalState.update(OPEN_AFTER_RELOAD_KEY, pending);
  }

  /** The lesson remembered for the folder now open, forgotten as it is taken; undefined for any other folder. */
  async takeOpenAfterReload(): Promise<PendingOpen | undefined> {
    const pending = this.services.context.globalState.get<PendingOpen>(OPEN_AFTER_RELOAD_KEY);
    if (!pending) return undefined;
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder || folder.uri.scheme !== 'file' || folder.uri.fsPath !== pending.folder) return undefined;
    await this.services.context.globalState.update(OPEN_AFTER_RELOAD_KEY, undefined);
    return typeof pending.lessonId === 'string' ? pending : undefined;
  }

  async recordChecks(lessonId: string, results: readonly CheckResult[]): Promise<readonly string[]> {
    const { newlyPassed } = this.progress.record(lessonId, results);
    if (this.progress.passedCount(lessonId, results.map((result) => result.exercise)) > 0) this.reach(WALKTHROUGH_EVENTS.checkPassed);
    await this.save();
    return newlyPassed;
  }

  async reset(lessonId: string, exerciseId: string): Promise<void> {
    this.progress.reset(lessonId, exerciseId);
    await this.save();
  }

  async opened(lessonId: string): Promise<void> {
    this.progress.opened(lessonId);
    this.reach(WALKTHROUGH_EVENTS.lessonOpened);
    await this.save();
  }

  /** Completes a walkthrough step (once per window; VS Code remembers completed steps itself). */
  reach(event: string): void {
    if (this.reached.has(event)) return;
    this.reached.add(event);
    void vscode.commands.executeCommand('setContext', event, true);
  }

  private async save(): Promise<void> {
    await this.services.context.globalState.update(PROGRESS_KEY, this.progress.toStored());
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
