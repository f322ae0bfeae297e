// VS Code glue: what the Lessons view, the commands and the controller share — the bundled lessons (read once from
// the extension's lessons/ folder), the student's progress (kept in globalState so it survives a reload), where the
// student's copies live, and the walkthrough's completion events.
import * as vscode from 'vscode';
import { parseLesson } from '../../lessons/lessonFile';
import { COPIES_FOLDER, ensureLessonCopy, readCatalogue, type Catalogue, type CatalogueLesson } from '../host/lessonCatalogue';
import { LessonProgress } from '../host/lessonProgress';
import { WALKTHROUGH_EVENTS } from '../host/walkthroughEvents';
import type { CheckResult } from '../../lessons/lesson';
import type { Services } from '../services';

const PROGRESS_KEY = 'rnnLab.lessonProgress';

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

  /** Copies the bundled lesson into the workspace (or global storage) the first time; returns the student's copy. */
  async copyOf(lesson: CatalogueLesson): Promise<vscode.Uri> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const root = folder && folder.uri.scheme === 'file'
      ? vscode.Uri.joinPath(folder.uri, COPIES_FOLDER).fsPath
      : vscode.Uri.joinPath(this.services.context.globalStorageUri, 'lessons').fsPath;
    const copy = await ensureLessonCopy(lesson.path, root);
    if (copy.created) this.services.log(`Copied the lesson ${lesson.fileName} to ${copy.path}`);
    return vscode.Uri.file(copy.path);
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
