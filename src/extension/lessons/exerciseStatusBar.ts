// VS Code glue: the Check item in each exercise cell's status bar, with the exercise's state from its last check
// ("Check · passed 3/3"), refreshed whenever the progress changes.
import * as vscode from 'vscode';
import { LESSON_COMMANDS } from '../host/commandTable';
import type { LessonsState } from './lessonsState';
import { exerciseIdOf, LESSON_NOTEBOOK_TYPE, lessonIdOf } from './notebookLesson';

export function registerExerciseStatusBar(state: LessonsState): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.NotebookCellStatusBarItemProvider = {
    onDidChangeCellStatusBarItems: changed.event,
    provideCellStatusBarItems(cell) {
      const exercise = exerciseIdOf(cell);
      if (exercise === undefined) return [];
      const lessonId = lessonIdOf(cell.notebook);
      const progress = lessonId === undefined ? undefined : state.progress.of(lessonId, exercise);
      const suffix = progress === undefined || progress.state === 'notStarted' ? ''
        : progress.state === 'passed' ? ` · ${vscode.l10n.t('passed {0}/{1}', progress.earned, progress.points)}`
          : ` · ${vscode.l10n.t('failing {0}/{1}', progress.earned, progress.points)}`;
      const icon = progress?.state === 'passed' ? '$(pass-filled)' : progress?.state === 'failing' ? '$(error)' : '$(beaker)';
      const item = new vscode.NotebookCellStatusBarItem(`${icon} ${vscode.l10n.t('Check')}${suffix}`, vscode.NotebookCellStatusBarAlignment.Left);
      item.command = { title: vscode.l10n.t('Check'), command: LESSON_COMMANDS.checkExercise.id, arguments: [cell] };
      item.tooltip = vscode.l10n.t('Run this exercise cell, then its checks ({0})', exercise);
      return [item];
    },
  };
  return vscode.Disposable.from(
    changed,
    vscode.notebooks.registerNotebookCellStatusBarItemProvider(LESSON_NOTEBOOK_TYPE, provider),
    state.onDidChange(() => changed.fire()),
  );
}
