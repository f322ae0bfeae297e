// Grading layer: an assignment source — a folder with assignment.json and the teacher's *.lesson.md files — read
// whole, and the one list of its checks (visible and hidden, with points) that `rnn-lab assign`, `rnn-lab check` and
// `rnn-lab grade` all use.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CheckSource, Lesson } from '../lessons/lesson';
import { formatProblem, parseLesson } from '../lessons/lessonFile';
import { ASSIGNMENT_CONFIG_FILE, parseAssignmentConfig, type AssignmentConfig } from './assignmentConfig';

export const LESSON_FILE_SUFFIX = '.lesson.md';

export interface AssignmentLesson {
  /** The file's name in the source folder: `01-rnn-cell.lesson.md`. */
  readonly file: string;
  /** The file's text as read. */
  readonly text: string;
  readonly lesson: Lesson;
}

export interface AssignmentSource {
  /** The source folder, absolute. */
  readonly folder: string;
  readonly config: AssignmentConfig;
  /** In the config's order, or in name order. */
  readonly lessons: readonly AssignmentLesson[];
}

/** One check of the assignment, where it is, and a checksum of its code. */
export interface AssignmentCheck extends CheckSource {
  /** The lesson file it is in. */
  readonly lessonFile: string;
  /** Stable and unique in the assignment: `lesson-id/exercise-id/check name`. The reports and the manifest key checks by it. */
  readonly id: string;
  /** {@link checkDigest} of the code. */
  readonly digest: string;
}

/** Why a source cannot be used: every problem found, each naming its file (and line or field). */
export class AssignmentSourceError extends Error {
  constructor(readonly folder: string, readonly problems: readonly string[]) {
    super(`the assignment source ${folder} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
    this.name = 'AssignmentSourceError';
  }
}

/**
 * Reads an assignment source folder. Beyond each file being valid, an assignment needs at least one exercise, and
 * every exercise a reference solution (the release is verified against it) and at least one check; lesson ids are
 * unique. Throws an AssignmentSourceError listing every problem.
 */
export function loadAssignmentSource(folderPath: string): AssignmentSource {
  const folder = resolve(folderPath);
  const problems: string[] = [];
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    // reported below
  }
  if (!isFolder) throw new AssignmentSourceError(folder, [`${folder} is not a folder: an assignment source is a folder with ${ASSIGNMENT_CONFIG_FILE} and *${LESSON_FILE_SUFFIX} files`]);
  let configText: string | undefined;
  try {
    configText = readFileSync(join(folder, ASSIGNMENT_CONFIG_FILE), 'utf8');
  } catch {
    problems.push(`${ASSIGNMENT_CONFIG_FILE} is missing: write one with at least a title, e.g. { "title": "RNN cell" } (docs/teaching.md)`);
  }
  const parsed = configText === undefined ? undefined : parseAssignmentConfig(configText);
  if (parsed && !parsed.ok) problems.push(...parsed.problems);
  const config = parsed?.ok ? parsed.config : undefined;

  const inFolder = readdirSync(folder).filter((name) => name.endsWith(LESSON_FILE_SUFFIX)).sort();
  const files = config?.lessons ?? inFolder;
  if (config?.lessons === undefined && files.length === 0) problems.push(`the folder has no *${LESSON_FILE_SUFFIX} file: an assignment is one or more lessons`);
  const listed = new Set<string>();
  const lessons: AssignmentLesson[] = [];
  for (const file of files) {
    if (listed.has(file)) {
      problems.push(`${ASSIGNMENT_CONFIG_FILE}: lessons lists ${file} twice`);
      continue;
    }
    listed.add(file);
    let text: string;
    try {
      text = readFileSync(join(folder, file), 'utf8');
    } catch {
      problems.push(`${ASSIGNMENT_CONFIG_FILE}: lessons lists ${file}, which is not in the folder`);
      continue;
    }
    const result = parseLesson(text);
    if (!result.ok) {
      problems.push(...result.problems.map((problem) => `${file}: ${formatProblem(problem)}`));
      continue;
    }
    lessons.push({ file, text, lesson: result.lesson });
  }

  const ids = new Map<string, string>();
  for (const { file, lesson } of lessons) {
    const earlier = ids.get(lesson.frontMatter.id);
    if (earlier !== undefined) problems.push(`${file}: the lesson id "${lesson.frontMatter.id}" is also ${earlier}'s: give each lesson its own id`);
    else ids.set(lesson.frontMatter.id, file);
    for (const exercise of lesson.exercises) {
      if (exercise.solution === undefined) {
        problems.push(`${file}: line ${exercise.line - 1}: exercise ${exercise.id} has no reference solution: add a \`\`\`ts solution=${exercise.id} block (the release is verified against it)`);
      }
      if (exercise.checks.length === 0) problems.push(`${file}: line ${exercise.line - 1}: exercise ${exercise.id} has no checks, so it can never be graded`);
    }
  }
  if (lessons.length > 0 && lessons.every(({ lesson }) => lesson.exercises.length === 0)) {
    problems.push('no lesson has an exercise (a ```ts exercise=ID block): there is nothing to grade');
  }
  if (problems.length > 0 || !config) throw new AssignmentSourceError(folder, problems);
  return { folder, config, lessons };
}

/** Every check of the assignment, hidden ones included, in lesson, exercise and check order. */
export function assignmentChecks(source: AssignmentSource): AssignmentCheck[] {
  return source.lessons.flatMap(({ file, lesson }) => lesson.exercises.flatMap((exercise) => exercise.checks.map((check) => ({
    ...check,
    lessonFile: file,
    id: checkId(lesson.frontMatter.id, check.exercise, check.name),
    digest: checkDigest(check.code),
  }))));
}

/** The checks a student's copy holds and runs. */
export function visibleChecks(checks: readonly AssignmentCheck[]): AssignmentCheck[] {
  return checks.filter((check) => !check.hidden);
}

/** Points over the given checks. */
export function pointsPossible(checks: readonly CheckSource[]): number {
  return checks.reduce((total, check) => total + check.points, 0);
}

export function checkId(lessonId: string, exercise: string, name: string): string {
  return `${lessonId}/${exercise}/${name}`;
}

/**
 * The SHA-256 (hex) of a check's code as the lesson parser gives it (lines joined by `\n`, the fence's indentation
 * removed), so a copy saved with other line endings has the same digest and any edit to the code another.
 */
export function checkDigest(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('hex');
}
