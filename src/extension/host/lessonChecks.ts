// Extension host (pure, no vscode): which checks Check runs for an exercise. In a copy of a bundled lesson they are the
// bundled original's (the student's edits to check cells cannot change their grade), and the student is told when the
// notebook's check cells differ from them; in any other lesson they are the notebook's own check cells.
import type { CheckSource, Lesson } from '../../lessons/lesson';
import type { Translate } from './lessonTree';

export interface ChecksToRun {
  readonly checks: readonly CheckSource[];
  /** Set when the notebook's check cells differ from the bundled lesson's: say that the original checks were run. */
  readonly note?: string;
}

/**
 * @param notebookChecks the check cells of the open notebook, in order (their `code` as the student sees it now).
 * @param bundled the bundled lesson whose front-matter id the notebook has, when there is one.
 */
export function checksToRun(exerciseIds: readonly string[], notebookChecks: readonly CheckSource[], bundled: Lesson | undefined, t: Translate): ChecksToRun {
  const wanted = new Set(exerciseIds);
  const own = notebookChecks.filter((check) => wanted.has(check.exercise));
  if (!bundled) return { checks: own };
  const original = bundled.exercises.filter((exercise) => wanted.has(exercise.id)).flatMap((exercise) => exercise.checks);
  const same = own.length === original.length
    && own.every((check, i) => check.exercise === original[i].exercise && check.name === original[i].name
      && check.points === original[i].points && sameCode(check.code, original[i].code));
  const note = same ? undefined
    : t('The check cells in this notebook differ from the lesson\'s: RNN Lab ran the lesson\'s original checks. (Edits to check cells never change a result.)');
  return note === undefined ? { checks: original } : { checks: original, note };
}

/** Line endings and trailing white space do not make a check different. */
function sameCode(a: string, b: string): boolean {
  const normal = (code: string): string => code.replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '').trimEnd();
  return normal(a) === normal(b);
}
