// CLI layer: the headless lesson runner — one lesson top to bottom in a kernel, as a student's Run All would, check
// cells run as checks; then whether the lesson did what a bundled lesson must: with the reference solutions every
// check passes; with the starting code every exercise fails with feedback; and in both, nothing else errors.
import { formatCheckResults, scoreByExercise } from '../lessons/checks/feedback';
import { DEFAULT_CHECK_SEED } from '../lessons/checks/runChecks';
import type { CheckResult, CheckSource, CodeCell, Lesson } from '../lessons/lesson';
import { CapturedOutput, outcomeText } from '../grading/lessonChecks';
import type { KernelProcess, RunOutcome } from '../node/kernelProcess';

/** The part of a kernel the runner uses. */
export type LessonKernel = Pick<KernelProcess, 'run' | 'check'>;

/** 'solutions': each exercise's starting code replaced by its reference solution; 'starting': as a student gets it. */
export type RunMode = 'solutions' | 'starting';

export interface LessonRun {
  /** True when the lesson did what it must in this mode. */
  readonly asExpected: boolean;
  /** One line per exercise, then what went wrong (empty when nothing did). */
  readonly lines: readonly string[];
  readonly codeCells: number;
  readonly results: readonly CheckResult[];
}

/**
 * Runs every cell of `lesson` in order: ordinary cells and exercises (the starting code, or with 'solutions' the
 * reference solution) as code, each check cell as that check. Cells are labelled as a notebook labels them
 * ("Cell 7", counting markdown cells), so errors read as they would in the editor.
 */
export async function runLesson(lesson: Lesson, kernel: LessonKernel, mode: RunMode): Promise<LessonRun> {
  const problems: string[] = [];
  const results: CheckResult[] = [];
  const exercises = new Map(lesson.exercises.map((exercise) => [exercise.id, exercise]));
  let codeCells = 0;
  for (const [index, cell] of lesson.cells.entries()) {
    if (cell.kind !== 'code') continue;
    codeCells++;
    const label = `Cell ${index + 1}`;
    const where = `${label} (line ${cell.line})`;
    const output = new CapturedOutput();
    if (cell.role.kind === 'check') {
      const check = checkOf(cell, cell.role);
      const answer = await kernel.check([check], DEFAULT_CHECK_SEED, output);
      if (Array.isArray(answer)) results.push(...(answer as readonly CheckResult[]));
      else problems.push(`${where}, check "${check.name}" of ${check.exercise} did not run: ${outcomeText(answer as RunOutcome)}${output.tail()}`);
      continue;
    }
    let code = cell.source;
    if (cell.role.kind === 'exercise' && mode === 'solutions') {
      const solution = exercises.get(cell.role.exercise)?.solution;
      if (solution === undefined) {
        problems.push(`${where}: exercise ${cell.role.exercise} has no solution (a \`\`\`ts solution=${cell.role.exercise} block)`);
      } else {
        code = solution;
      }
    }
    const outcome = await kernel.run(code, label, output);
    if (outcome.status !== 'ok') {
      const what = cell.role.kind === 'exercise' ? `exercise ${cell.role.exercise}'s ${mode === 'solutions' ? 'solution' : 'starting code'}` : 'the cell';
      problems.push(`${where}: ${what} failed: ${outcomeText(outcome)}${output.tail()}`);
    }
  }
  const lines = [...exerciseLines(lesson, results, mode, problems), ...problems.map((problem) => `✘ ${problem}`)];
  return { asExpected: problems.length === 0, lines, codeCells, results };
}

/** One line per exercise; what contradicts the mode's expectation goes into `problems`. */
function exerciseLines(lesson: Lesson, results: readonly CheckResult[], mode: RunMode, problems: string[]): string[] {
  const scores = new Map(scoreByExercise(results).map((score) => [score.exercise, score]));
  const lines: string[] = [];
  for (const exercise of lesson.exercises) {
    const score = scores.get(exercise.id);
    const own = results.filter((result) => result.exercise === exercise.id);
    if (exercise.checks.length === 0) {
      problems.push(`exercise ${exercise.id} has no checks, so it can never be passed or failed`);
      continue;
    }
    if (!score) continue;   // its check cells did not run: each is listed with the reason
    const summary = `${exercise.id}: ${score.passed} of ${score.count} checks passed, ${score.earned} of ${score.possible} points`;
    const broken = own.filter((result) => result.status === 'error');
    if (broken.length > 0) {
      problems.push(`exercise ${exercise.id}: a check itself failed, so the learner reads no feedback from it:\n${indent(formatCheckResults(own))}`);
    }
    if (mode === 'solutions') {
      const failing = own.filter((result) => result.status === 'failed');
      if (failing.length > 0) problems.push(`exercise ${exercise.id}: the reference solution fails:\n${indent(formatCheckResults(own))}`);
      lines.push(`${failing.length + broken.length === 0 ? '✔' : '✘'} ${summary}`);
    } else {
      const failedWithFeedback = own.filter((result) => result.status === 'failed' && result.message !== '');
      if (failedWithFeedback.length === 0) problems.push(`exercise ${exercise.id}: the starting code already passes every check`);
      const first = failedWithFeedback[0];
      lines.push(`${failedWithFeedback.length > 0 && broken.length === 0 ? '✔' : '✘'} ${summary}${first ? ` (as it should; first feedback: ${firstLine(first.message)})` : ''}`);
    }
  }
  return lines;
}

/** The check a check cell holds (the cell as it is in the file, which is also what the parser lists under its exercise). */
function checkOf(cell: CodeCell, role: Extract<CodeCell['role'], { kind: 'check' }>): CheckSource {
  return { exercise: role.exercise, name: role.name, points: role.points, hidden: role.hidden, code: cell.source, line: cell.line };
}

function indent(text: string): string {
  return text.split('\n').map((line) => `    ${line}`).join('\n');
}

function firstLine(text: string): string {
  const line = text.split('\n')[0];
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
