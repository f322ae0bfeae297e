// Grading layer: `rnn-lab assign --verify` — an assignment is sound when its reference solutions pass every check,
// visible and hidden, and the release's starting code fails every check cleanly (with feedback, not by breaking the
// check); anything else is named, check by check, so a broken assignment never reaches students.
import type { CheckResult } from '../lessons/lesson';
import { parseLesson } from '../lessons/lessonFile';
import { assignmentChecks, type AssignmentSource } from './assignmentSource';
import { checkLesson, type CheckingKernel } from './lessonChecks';
import { releaseLessonText } from './release';

export interface VerifiedCheck {
  readonly lessonFile: string;
  readonly exercise: string;
  readonly name: string;
  readonly hidden: boolean;
  readonly points: number;
  readonly withSolution: CheckResult;
  readonly withStartingCode: CheckResult;
}

export interface Verification {
  readonly checks: readonly VerifiedCheck[];
  /** What makes the assignment unfit to release, each naming its lesson file and check or cell; empty when sound. */
  readonly problems: readonly string[];
}

/** A fresh kernel for one lesson run; disposed after it. */
export type KernelFactory = () => Promise<CheckingKernel & { dispose(): void }>;

/** Runs each lesson twice, each time in a fresh kernel: with the reference solutions, then as the release ships it. */
export async function verifyAssignment(source: AssignmentSource, startKernel: KernelFactory, onLesson: (file: string) => void = () => undefined): Promise<Verification> {
  const allChecks = assignmentChecks(source);
  const checks: VerifiedCheck[] = [];
  const problems: string[] = [];
  for (const assignmentLesson of source.lessons) {
    onLesson(assignmentLesson.file);
    const { file, lesson } = assignmentLesson;
    const lessonChecks = allChecks.filter((check) => check.lessonFile === file);
    const solutions = new Map(lesson.exercises.map((exercise) => [exercise.id, exercise.solution]));
    const withSolution = await inKernel(startKernel, (kernel) => checkLesson(lesson, lessonChecks, kernel, source.config.seed, (id) => solutions.get(id)));
    const released = parseLesson(releaseLessonText(assignmentLesson));
    if (!released.ok) throw new Error(`${file}: the release of this lesson does not parse`);   // releaseLessonText checks this
    const withStartingCode = await inKernel(startKernel, (kernel) => checkLesson(released.lesson, lessonChecks, kernel, source.config.seed));
    problems.push(...withSolution.cellProblems.map((problem) => `${file}: with the reference solutions, ${problem}`));
    problems.push(...withStartingCode.cellProblems.map((problem) => `${file}: with the starting code, ${problem}`));
    lessonChecks.forEach((check, index) => {
      const solved = withSolution.results[index];
      const started = withStartingCode.results[index];
      const what = `${file}: exercise ${check.exercise}, ${check.hidden ? 'hidden ' : ''}check "${check.name}" (${check.points} ${check.points === 1 ? 'point' : 'points'})`;
      if (solved.status !== 'passed') problems.push(`${what} fails with the reference solution: ${solved.message}`);
      if (started.status === 'passed') problems.push(`${what} passes with the starting code: a student would get its points for writing nothing`);
      else if (started.status === 'error') problems.push(`${what} breaks with the starting code instead of failing with feedback: ${started.message}`);
      checks.push({ lessonFile: file, exercise: check.exercise, name: check.name, hidden: check.hidden, points: check.points, withSolution: solved, withStartingCode: started });
    });
  }
  return { checks, problems };
}

async function inKernel<T>(startKernel: KernelFactory, work: (kernel: CheckingKernel) => Promise<T>): Promise<T> {
  const kernel = await startKernel();
  try {
    return await work(kernel);
  } finally {
    kernel.dispose();
  }
}
