// VS Code glue: `*.lesson.md` files open as `rnn-lab-lesson` notebooks. The conversion is the pure
// src/lessons/lessonNotebook.ts; here are the vscode types, the refusals (over 5 MB, not UTF-8) and the Problems.
import * as vscode from 'vscode';
import type { LessonProblem } from '../../lessons/lesson';
import { formatProblem, MAX_LESSON_BYTES, parseLesson } from '../../lessons/lessonFile';
import { notebookFromText, textFromNotebook, type NotebookShape } from '../../lessons/lessonNotebook';
import { isLessonNotebook, LESSON_NOTEBOOK_TYPE } from './notebookLesson';

/** Registers the serializer and the Problems for lesson files (front matter, fences, exercise ids), notebook or text. */
export function registerLessonSerializer(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.registerNotebookSerializer(LESSON_NOTEBOOK_TYPE, new LessonSerializer(), { transientOutputs: true }),
    new LessonProblems(),
  );
}

export class LessonSerializer implements vscode.NotebookSerializer {
  /**
   * A file over 5 MB or not in UTF-8 is refused with an error (VS Code then offers to open it as text): reading it into
   * a notebook could not write it back as it was. A malformed lesson opens as a notice plus its whole raw text.
   */
  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    if (content.byteLength > MAX_LESSON_BYTES) {
      throw new Error(vscode.l10n.t('This lesson file is {0} MB; RNN Lab opens lesson files of up to 5 MB. Open it with the Text Editor instead (Reopen Editor With…).', (content.byteLength / 1024 / 1024).toFixed(1)));
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(content);
    } catch {
      throw new Error(vscode.l10n.t('This lesson file is not UTF-8 text, so RNN Lab cannot open it as a notebook without changing it. Open it with the Text Editor instead (Reopen Editor With…).'));
    }
    return toNotebookData(notebookFromText(text, noticeText));
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    return new TextEncoder().encode(textFromNotebook(fromNotebookData(data)));
  }
}

function toNotebookData(shape: NotebookShape): vscode.NotebookData {
  const data = new vscode.NotebookData(shape.cells.map((cell) => {
    const kind = cell.kind === 'markdown' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code;
    const cellData = new vscode.NotebookCellData(kind, cell.value, cell.languageId);
    cellData.metadata = { ...cell.metadata };
    return cellData;
  }));
  data.metadata = { ...shape.metadata };
  return data;
}

function fromNotebookData(data: vscode.NotebookData): NotebookShape {
  return {
    metadata: data.metadata,
    cells: data.cells.map((cell) => ({
      kind: cell.kind === vscode.NotebookCellKind.Markup ? 'markdown' : 'code',
      value: cell.value,
      languageId: cell.languageId,
      metadata: cell.metadata,
    })),
  };
}

/** The first cell of a lesson that could not be read: what is wrong, where, and how to get back to the notebook. */
function noticeText(problems: readonly LessonProblem[]): string {
  return [
    `**${vscode.l10n.t('RNN Lab could not read this file as a lesson.')}** ${vscode.l10n.t('The cell below holds the whole file, exactly as it is; saving writes it back unchanged.')}`,
    '',
    ...problems.map((problem) => `- ${escapeMarkdown(formatProblem(problem))}`),
    '',
    vscode.l10n.t('Fix the text in the cell below (or with Reopen Editor With… → Text Editor), save, then close and reopen the lesson.'),
  ].join('\n');
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>#|~]/g, (character) => `\\${character}`);
}

/** Problems of lesson files, on the file: kept current while the file is open as a notebook (on open and save) or as text (as it is typed). */
class LessonProblems implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('rnnLab.lessons');
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    const isLessonFile = (uri: vscode.Uri): boolean => uri.scheme !== 'vscode-notebook-cell' && uri.path.endsWith('.lesson.md');
    const showText = (document: vscode.TextDocument): void => {
      if (isLessonFile(document.uri)) this.show(document.uri, document.getText());
    };
    const showNotebook = (notebook: vscode.NotebookDocument): void => {
      if (isLessonNotebook(notebook)) void this.showFile(notebook.uri);
    };
    const forget = (uri: vscode.Uri): void => {
      const open = vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString())
        || vscode.workspace.notebookDocuments.some((notebook) => notebook.uri.toString() === uri.toString());
      if (!open) this.collection.delete(uri);
    };
    this.subscriptions = [
      this.collection,
      vscode.workspace.onDidOpenTextDocument(showText),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (!isLessonFile(event.document.uri)) return;
        const key = event.document.uri.toString();
        clearTimeout(this.pending.get(key));
        this.pending.set(key, setTimeout(() => {
          this.pending.delete(key);
          showText(event.document);
        }, 250));
      }),
      vscode.workspace.onDidCloseTextDocument((document) => isLessonFile(document.uri) && forget(document.uri)),
      vscode.workspace.onDidOpenNotebookDocument(showNotebook),
      vscode.workspace.onDidSaveNotebookDocument(showNotebook),
      vscode.workspace.onDidCloseNotebookDocument((notebook) => isLessonNotebook(notebook) && forget(notebook.uri)),
    ];
    vscode.workspace.textDocuments.forEach(showText);
    vscode.workspace.notebookDocuments.forEach(showNotebook);
  }

  private async showFile(uri: vscode.Uri): Promise<void> {
    try {
      const content = await vscode.workspace.fs.readFile(uri);
      this.show(uri, new TextDecoder('utf-8').decode(content));
    } catch {
      // An unsaved or deleted file: nothing on disk to check.
    }
  }

  private show(uri: vscode.Uri, text: string): void {
    const parsed = parseLesson(text);
    const lines = text.split(/\r\n|\r|\n/);
    this.collection.set(uri, parsed.ok ? [] : parsed.problems.map((problem) => {
      const line = Math.max(0, problem.line - 1);
      const diagnostic = new vscode.Diagnostic(new vscode.Range(line, 0, line, lines[line]?.length ?? 0), problem.message, vscode.DiagnosticSeverity.Error);
      diagnostic.source = 'RNN Lab';
      return diagnostic;
    }));
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.subscriptions.forEach((subscription) => subscription.dispose());
  }
}
