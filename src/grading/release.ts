// Grading layer: the student release of an assignment, as files — each lesson with its reference solutions and hidden
// checks cut out, a manifest of the visible checks with their checksums, a student README, and the GitHub Classroom
// template (workflow + the grader's tarball). Pure apart from hashing: writing the files is the command's job.
import type { CodeCell, Lesson } from '../lessons/lesson';
import { parseLesson } from '../lessons/lessonFile';
import type { AssignmentLimits } from './assignmentConfig';
import { assignmentChecks, pointsPossible, visibleChecks, type AssignmentLesson, type AssignmentSource } from './assignmentSource';
import { classroomWorkflow, CLASSROOM_WORKFLOW_FILE, GRADER_FOLDER } from './classroomWorkflow';

/** The manifest's file name in a release (and so in every student's copy). */
export const RELEASE_MANIFEST_FILE = 'rnn-lab-assignment.json';
export const RELEASE_MANIFEST_VERSION = 1;

/** One visible check as the manifest lists it. */
export interface ManifestCheck {
  readonly id: string;
  readonly lessonFile: string;
  readonly exercise: string;
  readonly name: string;
  readonly points: number;
  /** SHA-256 (hex) of the check's code, as {@link checkDigest} computes it. */
  readonly sha256: string;
}

/** What a release says about itself: `rnn-lab check` reads it to know the assignment and its visible checks. */
export interface ReleaseManifest {
  readonly version: typeof RELEASE_MANIFEST_VERSION;
  readonly title: string;
  readonly due: string;
  readonly latePolicy: string;
  readonly seed: number;
  readonly limits: AssignmentLimits;
  /** The lesson files, in order. */
  readonly lessons: readonly string[];
  /** The visible checks only; hidden checks are not named, counted or hashed here. */
  readonly checks: readonly ManifestCheck[];
  /** The points of the visible checks. */
  readonly visiblePoints: number;
}

export interface ReleaseFile {
  /** Relative, with `/`. */
  readonly path: string;
  readonly content: string | Uint8Array;
}

/** The grader's package, made by `npm pack`, that the template's workflow installs. */
export interface GraderTarball {
  /** Its file name, e.g. `rnn-lab-0.1.0.tgz`. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** Thrown when stripping went wrong: a release that would leak a solution or a hidden check is never written. */
export class ReleaseLeak extends Error {
  override readonly name = 'ReleaseLeak';
}

/** Every file of the release. Throws a ReleaseLeak if any file would hold a solution's or a hidden check's code. */
export function releaseFiles(source: AssignmentSource, grader: GraderTarball): ReleaseFile[] {
  const lessons = source.lessons.map((lesson) => ({ path: lesson.file, content: releaseLessonText(lesson) }));
  const manifest = releaseManifest(source);
  const files: ReleaseFile[] = [
    ...lessons,
    { path: RELEASE_MANIFEST_FILE, content: `${JSON.stringify(manifest, null, 2)}\n` },
    { path: 'README.md', content: studentReadme(source, manifest, grader.name) },
    { path: '.gitignore', content: 'node_modules/\n' },
    { path: CLASSROOM_WORKFLOW_FILE, content: classroomWorkflow(grader.name) },
    { path: `${GRADER_FOLDER}/${grader.name}`, content: grader.bytes },
  ];
  const secrets = source.lessons.flatMap(({ file, lesson }) => lesson.exercises.flatMap((exercise) => [
    ...(exercise.solution !== undefined && exercise.solution.trim() !== '' ? [{ what: `the solution of ${exercise.id} (${file})`, text: exercise.solution.trim() }] : []),
    ...exercise.checks.filter((check) => check.hidden && check.code.trim() !== '').map((check) => ({ what: `the hidden check "${check.name}" (${file})`, text: check.code.trim() })),
  ]));
  for (const file of files) {
    if (typeof file.content !== 'string') continue;
    const leaked = secrets.find((secret) => normalize(file.content as string).includes(normalize(secret.text)));
    if (leaked) throw new ReleaseLeak(`${file.path} would hold ${leaked.what}: the release is not written`);
  }
  return files;
}

export function releaseManifest(source: AssignmentSource): ReleaseManifest {
  const visible = visibleChecks(assignmentChecks(source));
  return {
    version: RELEASE_MANIFEST_VERSION,
    title: source.config.title,
    due: source.config.due,
    latePolicy: source.config.latePolicy,
    seed: source.config.seed,
    limits: source.config.limits,
    lessons: source.lessons.map((lesson) => lesson.file),
    checks: visible.map((check) => ({ id: check.id, lessonFile: check.lessonFile, exercise: check.exercise, name: check.name, points: check.points, sha256: check.digest })),
    visiblePoints: pointsPossible(visible),
  };
}

/**
 * A lesson as a student gets it: each reference solution's fence cut out (with the `<details>` around it when that
 * holds nothing else) and each hidden check cell cut out; every other line as the teacher wrote it. The result is
 * read back and compared with the source: the same exercises with the same starting code, exactly the visible checks,
 * no solution — else a ReleaseLeak, so a parser surprise can never ship a solution or a hidden check.
 */
export function releaseLessonText({ file, text, lesson }: AssignmentLesson): string {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const lines = (bom ? text.slice(1) : text).match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
  const body = (line: number): string => (lines[line - 1] ?? '').replace(/[\r\n]+$/, '');
  const isBlank = (line: number): boolean => line >= 1 && line <= lines.length && body(line).trim() === '';
  const cut: { first: number; last: number }[] = [];
  for (const exercise of lesson.exercises) {
    if (!exercise.solutionFence) continue;
    let first = exercise.solutionFence.open;
    let last = exercise.solutionFence.close;
    // <details><summary>Solution</summary> … ``` … ``` … </details>: the wrapper goes too when it holds only the solution.
    let before = first - 1;
    while (isBlank(before)) before--;
    let opening = before;
    if (/^\s*<summary>.*<\/summary>\s*$/i.test(body(opening))) {
      opening--;
      while (isBlank(opening)) opening--;
    }
    let after = last + 1;
    while (isBlank(after)) after++;
    if (opening >= 1 && /^\s*<details>\s*(?:<summary>.*<\/summary>\s*)?$/i.test(body(opening)) && /^\s*<\/details>\s*$/i.test(body(after))) {
      first = opening;
      last = after;
    }
    cut.push({ first, last });
  }
  for (const cell of lesson.cells) {
    if (cell.kind !== 'code' || cell.role.kind !== 'check' || !cell.role.hidden) continue;
    cut.push({ first: cell.line - 1, last: cell.line - 1 + closingFenceOffset(cell) });
  }
  const removed = new Set<number>();
  for (const { first, last } of cut) {
    for (let line = first; line <= last; line++) removed.add(line);
    // One blank line where the cut was, not two.
    if (isBlank(first - 1) && isBlank(last + 1)) removed.add(last + 1);
  }
  const kept = lines.filter((_, index) => !removed.has(index + 1));
  // A cut at the end of the file leaves no blank lines at its end.
  let lastWritten = lines.length;
  while (isBlank(lastWritten)) lastWritten--;
  if (removed.has(lastWritten)) while (kept.length > 0 && kept[kept.length - 1].trim() === '') kept.pop();
  const released = bom + kept.join('');
  assertReleased(file, lesson, released);
  return released;
}

/** The line of a code cell's closing fence, counted from its opening fence (its raw text ends with blank lines, if any). */
function closingFenceOffset(cell: CodeCell): number {
  const rawLines = cell.raw.split(/\r\n|\r|\n/);
  let last = rawLines.length - 1;
  while (last > 0 && rawLines[last].trim() === '') last--;
  return last;
}

function assertReleased(file: string, source: Lesson, text: string): void {
  const parsed = parseLesson(text);
  if (!parsed.ok) throw new ReleaseLeak(`${file}: the lesson without its solutions and hidden checks does not read as a lesson (line ${parsed.problems[0].line}: ${parsed.problems[0].message})`);
  const released = parsed.lesson;
  const expected = source.exercises.map((exercise) => ({
    id: exercise.id,
    startingCode: exercise.startingCode,
    checks: exercise.checks.filter((check) => !check.hidden).map((check) => [check.name, check.points, check.code]),
  }));
  const got = released.exercises.map((exercise) => ({
    id: exercise.id,
    startingCode: exercise.startingCode,
    checks: exercise.checks.map((check) => [check.name, check.points, check.code]),
  }));
  const hidden = released.exercises.flatMap((exercise) => exercise.checks).filter((check) => check.hidden);
  const solutions = released.exercises.filter((exercise) => exercise.solution !== undefined);
  if (JSON.stringify(got) !== JSON.stringify(expected) || hidden.length > 0 || solutions.length > 0) {
    throw new ReleaseLeak(`${file}: the lesson without its solutions and hidden checks is not the lesson with its visible checks: the release is not written`);
  }
}

/** Lines without their indentation, blank lines dropped: a block pasted indented or with other line endings still matches. */
function normalize(text: string): string {
  return `\n${text.split(/\r\n|\r|\n/).map((line) => line.trim()).filter((line) => line !== '').join('\n')}\n`;
}

/** The README at the top of the release: what the assignment is, when it is due, how to check, what is graded. */
export function studentReadme(source: AssignmentSource, manifest: ReleaseManifest, graderTarball: string): string {
  const { config } = source;
  const lessonLines = source.lessons.map(({ file, lesson }) => {
    const exercises = lesson.exercises.map((exercise) => exercise.id).join(', ');
    return `- [${file}](${encodeURI(file)}): "${lesson.frontMatter.title}" — exercises: ${exercises}`;
  });
  const due = config.due.trim() !== '' ? `**Due:** ${config.due.trim()}` : '**Due:** your teacher has not given a due date here.';
  const late = config.latePolicy.trim() !== '' ? `\n\n**Late work:** ${config.latePolicy.trim()}` : '';
  const checkCount = manifest.checks.length;
  return `# ${config.title}

${due}${late}

## What to do

Write your code in the exercise cells of ${source.lessons.length === 1 ? 'this lesson' : 'these lessons'}:

${lessonLines.join('\n')}

Open this folder in VS Code with the RNN Lab extension: each \`.lesson.md\` file opens as a notebook. Replace the
starting code of each exercise cell with your own. Leave the check cells as they are: your teacher grades with their
own copy of every check, so editing a check changes nothing but your own feedback (and the grader reports the edit).

## Check your work

The checks in this folder are the **visible checks**: ${checkCount} ${checkCount === 1 ? 'check' : 'checks'}, worth ${manifest.visiblePoints} ${manifest.visiblePoints === 1 ? 'point' : 'points'}.
**Your teacher grades your work later with more checks, hidden ones included.** Passing every visible check
does not mean full marks: test your functions on inputs of your own too.

- **In VS Code:** run **RNN Lab: Check My Work** (Command Palette, or the notebook's toolbar). Each exercise's
  feedback appears under its cell.
- **In a terminal:** install the checker once (it is in this folder; nothing is downloaded), then check:

  \`\`\`sh
  npm install --no-save ./${GRADER_FOLDER}/${graderTarball}
  npx rnn-lab check
  \`\`\`

  It runs each lesson's cells in order, then the visible checks, with the same feedback as the editor.

## Hand in

Commit and push. On every push GitHub runs the visible checks (the **Actions** tab shows the points of each). Your
grade comes from your teacher's grader, which runs every check, visible and hidden, on your last push before the due
date.
`;
}

/** A release's manifest read back (a student's copy of it: `rnn-lab check`); a clear error when it is not one. */
export function parseReleaseManifest(text: string): ReleaseManifest {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new Error(`${RELEASE_MANIFEST_FILE} is not valid JSON (${(error as Error).message}): take it again from your teacher's release`);
  }
  const manifest = value as Partial<ReleaseManifest> | null;
  if (manifest === null || typeof manifest !== 'object' || manifest.version !== RELEASE_MANIFEST_VERSION) {
    throw new Error(`${RELEASE_MANIFEST_FILE} is not a version ${RELEASE_MANIFEST_VERSION} assignment manifest: take it again from your teacher's release, or update rnn-lab`);
  }
  const isText = (field: unknown): boolean => typeof field === 'string';
  const wellFormed = isText(manifest.title) && isText(manifest.due) && isText(manifest.latePolicy) && Number.isInteger(manifest.seed)
    && Array.isArray(manifest.lessons) && manifest.lessons.every((file) => isText(file) && /^[^/\\]+\.lesson\.md$/.test(file))
    && Array.isArray(manifest.checks) && manifest.checks.every((check) => check !== null && typeof check === 'object'
      && [check.id, check.lessonFile, check.exercise, check.name, check.sha256].every(isText) && typeof check.points === 'number')
    && typeof manifest.visiblePoints === 'number' && manifest.limits !== null && typeof manifest.limits === 'object';
  if (!wellFormed) throw new Error(`${RELEASE_MANIFEST_FILE} is damaged (a field is missing or of the wrong kind): take it again from your teacher's release`);
  return manifest as ReleaseManifest;
}
