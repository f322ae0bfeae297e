// Grading layer: a student's submission read against the assignment — each of the assignment's lessons found in the
// submission folder (by file name, else by lesson id), the code cells the student's copy runs, and every way the
// student's copy differs from the release in its checks (edited, deleted, renamed, added): flagged, never used.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CodeCell, Lesson } from '../lessons/lesson';
import { formatProblem, parseLesson } from '../lessons/lessonFile';
import { checkDigest, LESSON_FILE_SUFFIX, type AssignmentCheck, type AssignmentSource } from './assignmentSource';

/** A lesson file larger than this is not read (a flood): its checks fail with the reason. */
const MAX_LESSON_BYTES = 5 * 1024 * 1024;

/** One code cell of the student's copy, as the grader runs it: labelled as the editor labels it ("Cell 7"). */
export interface StudentCell {
  readonly label: string;
  /** 1-based line of the file where the cell's code starts. */
  readonly line: number;
  readonly code: string;
}

/** One of the assignment's lessons as the submission has it. */
export interface SubmittedLesson {
  /** The assignment's lesson file. */
  readonly lessonFile: string;
  /** The student's file, relative to the submission folder, when found. */
  readonly studentFile?: string;
  /** The code cells to run (every cell that is not a check), in order; empty when the lesson could not be read. */
  readonly cells: readonly StudentCell[];
  /** Why none of its checks can pass (the file is missing or cannot be read). */
  readonly problem?: string;
}

/** A difference between the student's checks and the release's: the teacher's check is used anyway. */
export interface Tampering {
  readonly lessonFile: string;
  /** The assignment check concerned (edited, deleted or renamed), when there is one. */
  readonly checkId?: string;
  readonly kind: 'edited' | 'deleted' | 'added';
  readonly message: string;
}

export interface Submission {
  readonly lessons: readonly SubmittedLesson[];
  readonly tampering: readonly Tampering[];
}

/** Reads a submission folder against the assignment and its checks. */
export function readSubmission(folder: string, source: AssignmentSource, checks: readonly AssignmentCheck[]): Submission {
  const files = lessonFilesIn(folder);
  const lessons: SubmittedLesson[] = [];
  const tampering: Tampering[] = [];
  for (const { file, lesson: teacherLesson } of source.lessons) {
    const found = findLessonFile(folder, files, file, teacherLesson.frontMatter.id);
    if (!found) {
      lessons.push({ lessonFile: file, cells: [], problem: `the lesson file ${file} is not in the submission` });
      continue;
    }
    const read = readLesson(join(folder, found));
    if (!read.ok) {
      lessons.push({ lessonFile: file, studentFile: found, cells: [], problem: `the lesson file ${found} could not be read: ${read.problem}` });
      continue;
    }
    lessons.push({ lessonFile: file, studentFile: found, cells: codeCellsOf(read.lesson) });
    tampering.push(...compareChecks(file, read.lesson, checks.filter((check) => check.lessonFile === file && !check.hidden)));
  }
  return { lessons, tampering };
}

/** Every *.lesson.md in the folder and its subfolders (not .git or node_modules), relative paths, in name order. */
function lessonFilesIn(folder: string): string[] {
  const found: string[] = [];
  const visit = (directory: string, depth: number): void => {
    let entries: string[];
    try {
      entries = readdirSync(directory).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      const path = join(directory, name);
      let stat;
      try {
        stat = statSync(path);
      } catch {
        continue;
      }
      if (stat.isDirectory() && depth < 3 && !name.startsWith('.') && name !== 'node_modules') visit(path, depth + 1);
      else if (stat.isFile() && name.endsWith(LESSON_FILE_SUFFIX)) found.push(relative(folder, path));
    }
  };
  visit(folder, 0);
  return found;
}

function findLessonFile(folder: string, files: readonly string[], file: string, lessonId: string): string | undefined {
  if (files.includes(file)) return file;
  return files.find((candidate) => {
    const read = readLesson(join(folder, candidate));
    return read.ok && read.lesson.frontMatter.id === lessonId;
  });
}

function readLesson(path: string): { ok: true; lesson: Lesson } | { ok: false; problem: string } {
  let text: string;
  try {
    if (statSync(path).size > MAX_LESSON_BYTES) return { ok: false, problem: `it is larger than ${MAX_LESSON_BYTES / 1024 / 1024} MB` };
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { ok: false, problem: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
  const parsed = parseLesson(text);
  if (!parsed.ok) return { ok: false, problem: parsed.problems.map(formatProblem).join('; ') };
  return { ok: true, lesson: parsed.lesson };
}

/** The cells a Run All runs, checks left out (the teacher's run instead), each labelled as the notebook labels it. */
function codeCellsOf(lesson: Lesson): StudentCell[] {
  const cells: StudentCell[] = [];
  lesson.cells.forEach((cell, index) => {
    if (cell.kind === 'code' && cell.role.kind !== 'check') cells.push({ label: `Cell ${index + 1}`, line: cell.line, code: cell.source });
  });
  return cells;
}

/** The student's check cells against the release's visible checks of the lesson, by exercise and name, then by code. */
function compareChecks(lessonFile: string, lesson: Lesson, visible: readonly AssignmentCheck[]): Tampering[] {
  const theirs = lesson.cells.filter((cell): cell is CodeCell & { role: { kind: 'check' } } => cell.kind === 'code' && cell.role.kind === 'check');
  const key = (exercise: string, name: string): string => JSON.stringify([exercise, name]);
  const byKey = new Map(theirs.map((cell) => {
    const role = cell.role as Extract<CodeCell['role'], { kind: 'check' }>;
    return [key(role.exercise, role.name), { cell, role }] as const;
  }));
  const found: Tampering[] = [];
  const matched = new Set<string>();
  for (const check of visible) {
    const mine = byKey.get(key(check.exercise, check.name));
    if (!mine) {
      found.push({ lessonFile, checkId: check.id, kind: 'deleted', message: `the check "${check.name}" of ${check.exercise} is missing from the submission (deleted or renamed); the teacher's check was used` });
      continue;
    }
    matched.add(key(check.exercise, check.name));
    if (checkDigest(mine.cell.source) !== check.digest || mine.role.points !== check.points || mine.role.hidden !== check.hidden) {
      found.push({ lessonFile, checkId: check.id, kind: 'edited', message: `the check "${check.name}" of ${check.exercise} was changed in the submission (line ${mine.cell.line}); the teacher's check was used` });
    }
  }
  for (const [cellKey, { cell, role }] of byKey) {
    if (matched.has(cellKey)) continue;
    found.push({ lessonFile, kind: 'added', message: `the submission has a check "${role.name}" of ${role.exercise} (line ${cell.line}) that the release does not have (added or renamed); it was not run` });
  }
  return found;
}
