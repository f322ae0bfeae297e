// VS Code glue: the lessons' editor side in one registration — the controller and its kernels, the Lessons view, the
// Check items in exercise cells, the lesson commands and the walkthrough's "lesson opened" event. Nothing starts here:
// bundled lessons are read when the view or a command first asks, a kernel when a cell first runs.
import * as vscode from 'vscode';
import { registerExerciseStatusBar } from './exerciseStatusBar';
import { registerLessonCommands } from './lessonCommands';
import { LessonController } from './lessonController';
import { LessonKernels } from './lessonKernels';
import { registerLessonsTree } from './lessonsTreeView';
import { LessonsState } from './lessonsState';
import { isLessonNotebook, lessonIdOf } from './notebookLesson';
import type { Services } from '../services';
import { LESSON_COMMANDS } from '../host/commandTable';

export function registerLessons(services: Services): vscode.Disposable {
  const state = new LessonsState(services);
  const kernels = new LessonKernels(services);
  const controller = new LessonController(state, kernels, services.context.extension.id);
  const noticeOpened = (notebook: vscode.NotebookDocument): void => {
    if (!isLessonNotebook(notebook)) return;
    const lessonId = lessonIdOf(notebook);
    if (lessonId !== undefined) void state.opened(lessonId);
  };
  vscode.workspace.notebookDocuments.forEach(noticeOpened);
  // Open Lesson chose a lessons folder and reloaded the window into it: open the lesson it was opening.
  void state.takeOpenAfterReload().then((pending) => {
    if (pending) void vscode.commands.executeCommand(LESSON_COMMANDS.openLesson.id, pending.lessonId, pending.exerciseId);
  });
  return vscode.Disposable.from(
    state,
    kernels,
    controller,
    registerLessonsTree(state),
    registerExerciseStatusBar(state),
    registerLessonCommands({ services, state, controller, kernels }),
    vscode.workspace.onDidOpenNotebookDocument(noticeOpened),
  );
}
