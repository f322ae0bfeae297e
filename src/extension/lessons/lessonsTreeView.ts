// VS Code glue: the Lessons view in the RNN Lab activity-bar container — the rows of host/lessonTree.ts as tree items,
// refreshed when the progress changes. Clicking a lesson opens it; clicking an exercise opens the lesson at that cell.
import * as vscode from 'vscode';
import { LESSON_COMMANDS } from '../host/commandTable';
import { lessonRows, type ExerciseRow, type LessonRow } from '../host/lessonTree';
import type { LessonsState } from './lessonsState';

export const LESSONS_VIEW_ID = 'rnnLab.lessons';

type Row = LessonRow | ExerciseRow;

function stateIcon(state: ExerciseRow['state']): vscode.ThemeIcon {
  switch (state) {
    case 'passed': return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
    case 'failing': return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    default: return new vscode.ThemeIcon('circle-large-outline');
  }
}

class LessonsTree implements vscode.TreeDataProvider<Row> {
  private readonly changed = new vscode.EventEmitter<Row | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly state: LessonsState) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(row?: Row): Promise<Row[]> {
    if (row) return row.kind === 'lesson' ? [...row.exercises] : [];
    return lessonRows(await this.state.lessons(), this.state.progress, vscode.l10n.t);
  }

  getTreeItem(row: Row): vscode.TreeItem {
    if (row.kind === 'lesson') {
      const item = new vscode.TreeItem(row.label, row.exercises.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
      item.id = `lesson:${row.lessonId}`;
      item.description = row.description;
      item.tooltip = row.tooltip;
      item.contextValue = 'rnnLab.lesson';
      item.iconPath = row.done ? stateIcon('passed') : new vscode.ThemeIcon('book');
      item.command = { title: vscode.l10n.t('Open Lesson'), command: LESSON_COMMANDS.openLesson.id, arguments: [row.lessonId] };
      return item;
    }
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.id = `exercise:${row.lessonId}:${row.exerciseId}`;
    item.description = row.description;
    item.contextValue = `rnnLab.exercise.${row.state}`;
    item.iconPath = stateIcon(row.state);
    item.command = { title: vscode.l10n.t('Open Lesson'), command: LESSON_COMMANDS.openLesson.id, arguments: [row.lessonId, row.exerciseId] };
    return item;
  }
}

export function registerLessonsTree(state: LessonsState): vscode.Disposable {
  const tree = new LessonsTree(state);
  const view = vscode.window.createTreeView(LESSONS_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  return vscode.Disposable.from(view, state.onDidChange(() => tree.refresh()));
}
