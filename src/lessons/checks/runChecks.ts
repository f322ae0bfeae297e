// Lessons layer (checks): the check runner — every check of a lesson's exercises, each in its own scope with
// `student` and `expect`, to CheckResults in words. Pure: the environment (the kernel in the editor and the headless
// runner; the grader, whose `student` reaches the learner's process over a channel) compiles and evaluates the check code.
import { RandomState } from '../../engine/random/randomState';
import type { CheckResult, CheckSource } from '../lesson';
import { describeValue, expect, isCheckFailure, type Expect } from './expect';
import { createStudent, errorText, type Student, type StudentAccess, type StudentOptions } from './student';

/**
 * What a check's code sees besides its own imports. Its `Math` is the realm's, except that `Math.random` starts from
 * the run's seed at every check: a check that draws random inputs draws the same ones in the editor, in
 * `rnn-lab check`, in `rnn-lab assign --verify` and in the grader, whichever checks ran before it.
 */
export type CheckScope = {
  readonly student: Student;
  readonly expect: Expect;
  readonly Math: Math;
};

/**
 * The seed of a check's `Math.random` outside an assignment (an assignment's checks use its config's `seed`, whose
 * schema default is this same value).
 */
export const DEFAULT_CHECK_SEED = 1;

/**
 * Where checks run. The learner's work is reached through `lookup` (their namespace in this process: the kernel) or
 * through `access` (another process: the grader calls the learner's functions over a channel).
 */
export type CheckEnvironment = CheckRunner & (Omit<StudentOptions, 'clone'> | { readonly access: StudentAccess });

export interface CheckRunner {
  /**
   * Compiles `code` in module mode (its declarations stay in its own scope; `student` and `expect` in scope) and
   * runs it to completion; rejects with whatever the code threw. `label` names the check in stack frames.
   */
  evaluateCheck(code: string, label: string, scope: CheckScope): Promise<unknown>;
  /** The seed every check's `Math.random` starts from: the assignment's, or DEFAULT_CHECK_SEED. */
  readonly seed: number;
  /** A check that has not finished after this long fails as timed out (its promise is abandoned). Default 10 s. */
  readonly checkTimeLimitMs?: number;
  /** True once the run was interrupted: the runner then stops, rejecting with CheckRunInterrupted. */
  readonly interrupted?: () => boolean;
}

export const DEFAULT_CHECK_TIME_LIMIT_MS = 10_000;

/** Thrown (or rejected with) by an environment whose own time limit stopped a check, e.g. a `while (true)` loop. */
export class CheckTimeout extends Error {
  readonly isCheckTimeout = true;

  constructor(readonly limitMs: number) {
    super(`did not finish within ${limitMs / 1000} s`);
    this.name = 'CheckTimeout';
  }
}

/** Why runChecks rejected: the environment said the run was interrupted. */
export class CheckRunInterrupted extends Error {
  constructor() {
    super('the checks were interrupted');
    this.name = 'CheckRunInterrupted';
  }
}

/**
 * Runs the checks one after another, in order; one check's failure or error never stops the next, an interrupt
 * (`environment.interrupted()`) stops them all.
 */
export async function runChecks(checks: readonly CheckSource[], environment: CheckEnvironment): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    const result = await runCheck(check, environment);
    if (environment.interrupted?.()) throw new CheckRunInterrupted();
    results.push(result);
  }
  return results;
}

async function runCheck(check: CheckSource, environment: CheckEnvironment): Promise<CheckResult> {
  const limitMs = environment.checkTimeLimitMs ?? DEFAULT_CHECK_TIME_LIMIT_MS;
  const calls = createStudent('access' in environment ? { access: environment.access } : { lookup: environment.lookup, locate: environment.locate });
  const base = { exercise: check.exercise, name: check.name, points: check.points };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout(limitMs)), limitMs);
  });
  try {
    const scope: CheckScope = { student: calls.student, expect, Math: seededMath(environment.seed) };
    await Promise.race([environment.evaluateCheck(check.code, `Check: ${check.name}`, scope), timeout]);
    return { ...base, earned: check.points, status: 'passed', message: '' };
  } catch (error) {
    if (isCheckFailure(error)) return { ...base, earned: 0, status: 'failed', message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
    if (isTimeout(error)) {
      const limit = error instanceof CheckTimeout ? error.limitMs : limitMs;
      const last = calls.lastCall();
      const waiting = last ? `after ${last.name} returned` : 'waiting for your code';
      return { ...base, earned: 0, status: 'failed', message: `the check did not finish within ${limit / 1000} s (${waiting}): is there a loop that never ends, or a promise that never settles?` };
    }
    // The check's own code failed: the author's mistake, or it could not use what the learner's function returned.
    const last = calls.lastCall();
    const used = last ? ` It was using what ${last.name} returned: ${describeValue(last.returned)}.` : '';
    return { ...base, earned: 0, status: 'error', message: `the check itself failed: ${errorText(error)}.${used}` };
  } finally {
    clearTimeout(timer);
  }
}

/** `Math` with its own `random`, seeded: what a check sees as `Math`. */
function seededMath(seed: number): Math {
  const random = new RandomState(seed);
  const math = Object.create(Math) as Math;
  Object.defineProperty(math, 'random', { value: () => random.random(), writable: true, configurable: true });
  return math;
}

function isTimeout(error: unknown): error is Error {
  if (typeof error !== 'object' || error === null) return false;
  return (error as CheckTimeout).isCheckTimeout === true || (error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}
