// Lessons layer (checks): the words a learner reads after Check — per exercise, each check by name, passed or what
// was expected and what was got, the author's hint, the points — as plain text for a notebook output or a terminal.
import type { CheckResult } from '../lesson';

export interface ExerciseScore {
  readonly exercise: string;
  readonly earned: number;
  readonly possible: number;
  readonly passed: number;
  readonly count: number;
}

/** Points and passed checks per exercise, in the order the exercises first appear (ids are keys of a Map: `__proto__` is an id). */
export function scoreByExercise(results: readonly CheckResult[]): ExerciseScore[] {
  const scores = new Map<string, { earned: number; possible: number; passed: number; count: number }>();
  for (const result of results) {
    const score = scores.get(result.exercise) ?? { earned: 0, possible: 0, passed: 0, count: 0 };
    score.earned += result.earned;
    score.possible += result.points;
    score.passed += result.status === 'passed' ? 1 : 0;
    score.count += 1;
    scores.set(result.exercise, score);
  }
  return [...scores].map(([exercise, score]) => ({ exercise, ...score }));
}

export interface FeedbackOptions {
  /** A first line saying which checks these are, e.g. "These are the visible checks; your teacher's grader may run more." */
  readonly note?: string;
}

/**
 * The results as text:
 *   rnn-cell-forward: 1 of 2 checks passed, 1 of 3 points
 *     ✔ shapes of aNext and ytPred (1 point)
 *     ✘ aNext on the course's seed-1 inputs (0 of 2 points)
 *         at [4, 0] (the first of 50 values that differ, of 50): expected 0.5958454361, got 0 (tolerance: …).
 *         Hint: aNext = tanh(Waa · aPrev + Wax · xt + ba)
 * and, for more than one exercise, a total.
 */
export function formatCheckResults(results: readonly CheckResult[], options: FeedbackOptions = {}): string {
  const lines: string[] = options.note ? [options.note] : [];
  if (results.length === 0) return [...lines, 'No checks ran.'].join('\n');
  const scores = scoreByExercise(results);
  for (const score of scores) {
    lines.push(`${score.exercise}: ${score.passed} of ${score.count} ${plural(score.count, 'check')} passed, ${score.earned} of ${pointsText(score.possible)}`);
    for (const result of results.filter((item) => item.exercise === score.exercise)) {
      if (result.status === 'passed') {
        lines.push(`  ✔ ${result.name} (${pointsText(result.points)})`);
        continue;
      }
      const mark = result.status === 'failed' ? '✘' : '⚠';
      lines.push(`  ${mark} ${result.name} (0 of ${pointsText(result.points)})`);
      lines.push(...indented(result.message));
      if (result.hint) lines.push(...indented(`Hint: ${result.hint}`));
    }
  }
  if (scores.length > 1) {
    const earned = scores.reduce((total, score) => total + score.earned, 0);
    const possible = scores.reduce((total, score) => total + score.possible, 0);
    lines.push(`Total: ${earned} of ${pointsText(possible)}`);
  }
  return lines.join('\n');
}

function indented(text: string): string[] {
  return text.split('\n').map((line) => `      ${line}`);
}

function pointsText(points: number): string {
  return `${points} ${plural(points, 'point')}`;
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
