// VS Code glue: a lesson notebook in a student's copy of an assignment release (its folder's rnn-lab-assignment.json
// lists the file) — the seed its checks start from, and the words its Check feedback starts with, the same as
// `rnn-lab check` prints: these are the visible checks and more are graded later, and which of the release's check
// cells the student edited or deleted.
import * as vscode from 'vscode';
import { parseReleaseManifest, RELEASE_MANIFEST_FILE, type ReleaseManifest } from '../../grading/release';
import { checkEditNotes, visibleChecksNote } from '../../grading/studentCheck';
import type { CheckSource } from '../../lessons/lesson';

/** A notebook that is one of a release's lessons: the release's manifest and the lesson's file name in it. */
export interface ReleaseLesson {
  readonly manifest: ReleaseManifest;
  readonly file: string;
}

/** The release `notebook` belongs to, or undefined when it is an ordinary lesson. */
export async function releaseOf(notebook: vscode.NotebookDocument): Promise<ReleaseLesson | undefined> {
  if (notebook.uri.scheme !== 'file') return undefined;
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(notebook.uri, '..', RELEASE_MANIFEST_FILE)));
  } catch {
    return undefined;   // no manifest beside it: an ordinary lesson
  }
  let manifest;
  try {
    manifest = parseReleaseManifest(text);
  } catch {
    return undefined;   // a damaged manifest: `rnn-lab check` says so; the editor checks the lesson as it is
  }
  const file = notebook.uri.path.slice(notebook.uri.path.lastIndexOf('/') + 1);
  return manifest.lessons.includes(file) ? { manifest, file } : undefined;
}

/** The note for checking `exercises` of a release's lesson whose check cells are `notebookChecks`. */
export function assignmentNote({ manifest, file }: ReleaseLesson, exercises: readonly string[], notebookChecks: readonly CheckSource[]): string {
  const expected = manifest.checks.filter((check) => check.lessonFile === file && exercises.includes(check.exercise));
  return [visibleChecksNote(manifest, vscode.l10n.t), ...checkEditNotes(expected, notebookChecks, vscode.l10n.t)].join('\n');
}
