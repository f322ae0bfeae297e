// VS Code glue: what a lesson notebook's cells are — the lesson id from the notebook's metadata, each code cell's role
// (plain code, an exercise, a check) from its metadata under `rnnLab` — as the lesson serializer wrote them.
import * as vscode from 'vscode';
import type { CheckSource, CodeRole } from '../../lessons/lesson';
import { notebookMetadataOf, roleOfCell } from '../../lessons/lessonNotebook';

/** The notebook type of lesson files (package.json contributes.notebooks). */
export const LESSON_NOTEBOOK_TYPE = 'rnn-lab-lesson';

export function isLessonNotebook(notebook: vscode.NotebookDocument): boolean {
  return notebook.notebookType === LESSON_NOTEBOOK_TYPE;
}

/** The front matter's id; undefined for a notebook opened as raw text because the file is malformed. */
export function lessonIdOf(notebook: vscode.NotebookDocument): string | undefined {
  return notebookMetadataOf(notebook.metadata)?.lessonId;
}

/** A code cell's role; a code cell the student added (no metadata) is plain code. Markdown cells are plain too. */
export function roleOf(cell: vscode.NotebookCell): CodeRole {
  if (cell.kind !== vscode.NotebookCellKind.Code) return { kind: 'code' };
  const role = roleOfCell(cell.metadata);
  return role?.kind === 'exercise' || role?.kind === 'check' ? role : { kind: 'code' };
}

export function exerciseIdOf(cell: vscode.NotebookCell): string | undefined {
  const role = roleOf(cell);
  return cell.kind === vscode.NotebookCellKind.Code && role.kind === 'exercise' ? role.exercise : undefined;
}

/** The check cells of the notebook as the student sees them now. */
export function notebookChecks(notebook: vscode.NotebookDocument): CheckSource[] {
  return notebook.getCells().flatMap((cell) => {
    const role = roleOf(cell);
    if (cell.kind !== vscode.NotebookCellKind.Code || role.kind !== 'check') return [];
    return [{ exercise: role.exercise, name: role.name, points: role.points, hidden: role.hidden, code: cell.document.getText(), line: cell.index + 1 }];
  });
}

export function exerciseCell(notebook: vscode.NotebookDocument, exerciseId: string): vscode.NotebookCell | undefined {
  return notebook.getCells().find((cell) => exerciseIdOf(cell) === exerciseId);
}

/** "Cell 3": how stack traces and messages name a cell (1-based, as the student counts). */
export function cellLabel(cell: vscode.NotebookCell): string {
  return `Cell ${cell.index + 1}`;
}

/** A TypeScript code cell. The raw text of a lesson file that could not be read (a `markdown` code cell) never runs. */
export function isRunnable(cell: vscode.NotebookCell): boolean {
  return cell.kind === vscode.NotebookCellKind.Code && cell.document.languageId === 'typescript' && roleOfCell(cell.metadata)?.kind !== 'raw';
}
