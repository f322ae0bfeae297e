// Grading layer: a lesson checked as the editor's Check My Work checks it — its code cells in order in one lesson
// kernel (check cells skipped), each exercise's checks right after its cell. `rnn-lab check` and
// `rnn-lab assign --verify` both run lessons through here.
import type { CheckResult, CheckSource, Lesson } from '../lessons/lesson';
import type { KernelProcess, OutputSink, RunOutcome } from '../node/kernelProcess';

/** The part of a kernel used here. */
export type CheckingKernel = Pick<KernelProcess, 'run' | 'check'>;

export interface LessonCheckRun {
  /** One per check given, in order. */
  readonly results: readonly CheckResult[];
  /** Cells that did not run to the end: "Cell 4 (line 20): Error: …", with the end of their output. */
  readonly cellProblems: readonly string[];
}

/** The output a cell printed, kept to show next to its error (the last characters). */
const OUTPUT_KEPT = 2000;

/**
 * Runs every code cell of `lesson` except check cells, in order, labelled as the notebook labels them ("Cell 7",
 * counting markdown cells); an exercise cell runs `exerciseCode(id)` when that gives code (a reference solution), else
 * its own, and right after it that exercise's checks run — the order of the editor's Check My Work. A cell that fails
 * does not stop the rest: the checks' feedback says what is missing. Checks that cannot run (the kernel crashed or
 * timed out, or no cell holds their exercise) each get an error result saying why. Each check's Math.random starts
 * from `seed`, the assignment's.
 */
export async function checkLesson(lesson: Lesson, checks: readonly CheckSource[], kernel: CheckingKernel, seed: number, exerciseCode: (exercise: string) => string | undefined = () => undefined): Promise<LessonCheckRun> {
  const cellProblems: string[] = [];
  const results = new Map<CheckSource, CheckResult>();
  const failAll = (of: readonly CheckSource[], message: string): void => of.forEach((check) => results.set(check, {
    exercise: check.exercise, name: check.name, points: check.points, earned: 0, status: 'error', message,
  }));
  for (const [index, cell] of lesson.cells.entries()) {
    if (cell.kind !== 'code' || cell.role.kind === 'check') continue;
    const label = `Cell ${index + 1}`;
    const exercise = cell.role.kind === 'exercise' ? cell.role.exercise : undefined;
    const code = (exercise === undefined ? undefined : exerciseCode(exercise)) ?? cell.source;
    const output = new CapturedOutput();
    const outcome = await kernel.run(code, label, output);
    if (outcome.status !== 'ok') cellProblems.push(`${label} (line ${cell.line}): ${outcomeText(outcome)}${output.tail()}`);
    const own = checks.filter((check) => check.exercise === exercise && !results.has(check));
    if (own.length === 0) continue;
    const answer = await kernel.check(own, seed, new CapturedOutput());
    if (Array.isArray(answer)) own.forEach((check, position) => results.set(check, (answer as readonly CheckResult[])[position]));
    else failAll(own, `the checks did not finish: ${outcomeText(answer as RunOutcome)}`);
  }
  failAll(checks.filter((check) => !results.has(check)), 'no cell of the lesson holds this exercise, so its checks could not run');
  return { results: checks.map((check) => results.get(check)!), cellProblems };
}

/** Why a cell or a check request did not end well, in words: the error's stack (cells are named "Cell N" in it), or what stopped it. */
export function outcomeText(outcome: RunOutcome): string {
  if (outcome.status === 'error') return outcome.error.stack || `${outcome.error.name}: ${outcome.error.message}`;
  if (outcome.status === 'ok') return 'ok';
  return `${outcome.message}${outcome.restarted ? ' (the kernel restarted)' : ''}`;
}

/** A cell's printed output, its last characters, to show under its error (`tail()`). */
export class CapturedOutput implements OutputSink {
  private text = '';

  stream(_stream: 'stdout' | 'stderr', text: string): void {
    this.text = (this.text + text).slice(-OUTPUT_KEPT);
  }

  display(): void {}

  updateDisplay(): void {}

  tail(): string {
    const text = this.text.trimEnd();
    return text === '' ? '' : `\n  its output ended with:\n${text.split('\n').map((line) => `    ${line}`).join('\n')}`;
  }
}
