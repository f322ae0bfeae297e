// Grading layer: `rnn-lab check` — a student's copy of a release checked with its visible checks, lesson by lesson as
// the editor's Check My Work does, and the feedback in the editor's words, saying plainly that these are the visible
// checks and that more are graded later. Check cells the student edited, deleted or renamed are named.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatCheckResults } from '../lessons/checks/feedback';
import type { CheckResult, CheckSource } from '../lessons/lesson';
import { formatProblem, parseLesson } from '../lessons/lessonFile';
import { checkDigest } from './assignmentSource';
import { checkLesson, type CheckingKernel } from './lessonChecks';
import { parseReleaseManifest, RELEASE_MANIFEST_FILE, type ManifestCheck, type ReleaseManifest } from './release';

export interface CheckedLesson {
  readonly file: string;
  /** The lesson's title, when the file could be read. */
  readonly title?: string;
  /** One per visible check of this lesson in the manifest, in its order. */
  readonly results: readonly CheckResult[];
  readonly cellProblems: readonly string[];
  /** Edited, deleted or renamed checks, an unreadable file: said before the feedback. */
  readonly notes: readonly string[];
}

export interface StudentCheckReport {
  readonly manifest: ReleaseManifest;
  readonly lessons: readonly CheckedLesson[];
}

/** Reads the manifest of the copy in `folder`; a clear error when the folder is not a copy of a release. */
export function readManifest(folder: string): ReleaseManifest {
  let text: string;
  try {
    text = readFileSync(join(folder, RELEASE_MANIFEST_FILE), 'utf8');
  } catch {
    throw new Error(`${folder} has no ${RELEASE_MANIFEST_FILE}: rnn-lab check runs in your copy of an assignment (the folder your teacher's release made, with its README.md and lessons)`);
  }
  return parseReleaseManifest(text);
}

/** Checks every lesson of the copy in `folder`, each in a fresh kernel from `startKernel`. */
export async function checkStudentCopy(folder: string, startKernel: () => Promise<CheckingKernel & { dispose(): void }>): Promise<StudentCheckReport> {
  const manifest = readManifest(folder);
  const lessons: CheckedLesson[] = [];
  for (const file of manifest.lessons) {
    const expected = manifest.checks.filter((check) => check.lessonFile === file);
    let text: string;
    try {
      text = readFileSync(join(folder, file), 'utf8');
    } catch {
      lessons.push(unchecked(file, expected, `${file} is missing from this folder: take it again from your teacher's release`));
      continue;
    }
    const parsed = parseLesson(text);
    if (!parsed.ok) {
      const problems = parsed.problems.slice(0, 5).map(formatProblem).join('; ');
      lessons.push(unchecked(file, expected, `${file} cannot be read as a lesson (${problems}): fix it in VS Code or take it again from the release`));
      continue;
    }
    const { lesson } = parsed;
    const own = lesson.exercises.flatMap((exercise) => exercise.checks);
    const notes = checkEditNotes(expected, own);
    const toRun: CheckSource[] = expected.flatMap((check) => {
      const found = own.find((candidate) => candidate.exercise === check.exercise && candidate.name === check.name);
      return found ? [{ ...found, points: check.points }] : [];
    });
    const kernel = await startKernel();
    let run;
    try {
      run = await checkLesson(lesson, toRun, kernel, manifest.seed);
    } finally {
      kernel.dispose();
    }
    const results = expected.map((check): CheckResult => run.results.find((result) => result.exercise === check.exercise && result.name === check.name)
      ?? { exercise: check.exercise, name: check.name, points: check.points, earned: 0, status: 'failed', message: 'this check is not in your copy of the lesson: put its cell back from the release' });
    lessons.push({ file, title: lesson.frontMatter.title, results, cellProblems: run.cellProblems, notes });
  }
  return { manifest, lessons };
}

function unchecked(file: string, expected: readonly ManifestCheck[], note: string): CheckedLesson {
  const results = expected.map((check): CheckResult => ({ exercise: check.exercise, name: check.name, points: check.points, earned: 0, status: 'error', message: note }));
  return { file, results, cellProblems: [], notes: [note] };
}

/** Every visible check's result, lesson by lesson. */
export function reportResults(report: StudentCheckReport): CheckResult[] {
  return report.lessons.flatMap((lesson) => lesson.results);
}

/** A message and its `{0}`, `{1}` … arguments into words: `vscode.l10n.t` in the editor, {@link plainText} on a terminal. */
export type Translate = (message: string, ...args: (string | number)[]) => string;

export const plainText: Translate = (message, ...args) => message.replace(/\{(\d+)\}/g, (_, index: string) => String(args[Number(index)]));

/** The first words of every check of a release, in the editor as in the terminal: these are the visible checks, and more are graded later. */
export function visibleChecksNote(manifest: ReleaseManifest, t: Translate = plainText): string {
  return t('These are the visible checks of "{0}". Your teacher grades your work later with more checks, hidden ones included: passing these does not mean full marks.', manifest.title);
}

/**
 * What a student did to the release's check cells of one lesson: each check edited (its code or points differ from the
 * manifest's checksum) or missing (deleted or renamed), in words, for the editor and the terminal alike.
 */
export function checkEditNotes(expected: readonly ManifestCheck[], own: readonly CheckSource[], t: Translate = plainText): string[] {
  return expected.flatMap((check) => {
    const found = own.find((candidate) => candidate.exercise === check.exercise && candidate.name === check.name);
    if (!found) return [t('The check "{0}" of {1} is not in your copy (deleted or renamed): put its cell back from the release. Your teacher\'s grader runs it anyway.', check.name, check.exercise)];
    if (checkDigest(found.code) !== check.sha256 || found.points !== check.points) {
      return [t('You edited the check "{0}" of {1}: its result comes from your edited copy; your teacher\'s grader uses the original.', check.name, check.exercise)];
    }
    return [];
  });
}

/** The feedback as text: the note, then per lesson its cells that failed, its notes and the checks' feedback, then the visible total. */
export function studentFeedback(report: StudentCheckReport): string {
  const lines = [visibleChecksNote(report.manifest), ''];
  for (const lesson of report.lessons) {
    lines.push(lesson.title === undefined ? lesson.file : `${lesson.file} — "${lesson.title}"`);
    for (const problem of lesson.cellProblems) lines.push(...indent(`⚠ ${problem}`));
    for (const note of lesson.notes) lines.push(...indent(`⚠ ${note}`));
    lines.push(...indent(formatCheckResults(lesson.results)));
    lines.push('');
  }
  const results = reportResults(report);
  const earned = results.reduce((total, result) => total + result.earned, 0);
  const passed = results.filter((result) => result.status === 'passed').length;
  lines.push(`Visible checks: ${earned} of ${pointsText(report.manifest.visiblePoints)}, ${passed} of ${results.length} ${results.length === 1 ? 'check' : 'checks'} passed. More checks are graded later.`);
  return lines.join('\n');
}

function indent(text: string): string[] {
  return text.split('\n').map((line) => `  ${line}`);
}

function pointsText(points: number): string {
  return `${points} ${points === 1 ? 'point' : 'points'}`;
}
