// Grading layer: a lesson checked as the editor's Check My Work checks it — its code cells in order in one lesson
// kernel (check cells skipped), then the given checks against what the cells defined. `rnn-lab check` and
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
const OUTPUT_KEPT = 1000;

/**
 * Runs every code cell of `lesson` except check cells, in order, labelled as the notebook labels them ("Cell 7",
 * counting markdown cells); an exercise cell runs `exerciseCode(id)` when that gives code (a reference solution), else
 * its own. Then the checks, in one request. A cell that fails does not stop the rest: the checks' feedback says what
 * is missing. When the checks cannot run (the kernel crashed or timed out), each gets an error result saying so.
 */
export async function checkLesson(lesson: Lesson, checks: readonly CheckSource[], kernel: CheckingKernel, exerciseCode: (exercise: string) => string | undefined = () => undefined): Promise<LessonCheckRun> {
  const cellProblems: string[] = [];
  for (const [index, cell] of lesson.cells.entries()) {
    if (cell.kind !== 'code' || cell.role.kind === 'check') continue;
    const label = `Cell ${index + 1}`;
    const code = (cell.role.kind === 'exercise' ? exerciseCode(cell.role.exercise) : undefined) ?? cell.source;
    const output = new CapturedOutput();
    const outcome = await kernel.run(code, label, output);
    if (outcome.status !== 'ok') cellProblems.push(`${label} (line ${cell.line}): ${outcomeText(outcome)}${output.tail()}`);
  }
  if (checks.length === 0) return { results: [], cellProblems };
  const output = new CapturedOutput();
  const answer = await kernel.check(checks, output);
  if (Array.isArray(answer)) return { results: answer as readonly CheckResult[], cellProblems };
  const why = outcomeText(answer as RunOutcome);
  const results = checks.map((check): CheckResult => ({
    exercise: check.exercise, name: check.name, points: check.points, earned: 0, status: 'error', message: `the checks did not finish: ${why}`,
  }));
  return { results, cellProblems };
}

function outcomeText(outcome: RunOutcome): string {
  if (outcome.status === 'error') return `${outcome.error.name}: ${outcome.error.message}`;
  if (outcome.status === 'ok') return 'ok';
  return `${outcome.message}${outcome.restarted ? ' (the kernel restarted)' : ''}`;
}

/** A cell's printed output, its last characters, to show under its error. */
class CapturedOutput implements OutputSink {
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
