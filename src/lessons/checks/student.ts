// Lessons layer (checks): `student`, how a check reaches the learner's work. `await student.rnnCellForward(…)` calls
// the function the learner's cells defined, `await student.value('answerVanishing')` reads a question's answer; both
// copy by structured clone (in the editor as in the grader, so both give the same score) and turn every way they can
// go wrong into words a learner reads.
import { CheckFailure, describeValue } from './expect';

/**
 * The learner's work as a check sees it: `await student.NAME(...args)` calls their function NAME;
 * `await student.value('NAME')` reads the value their cells gave NAME (a question's answer). `value` is reserved:
 * an exercise cannot ask for a function called `value`.
 */
// `any` for a function's result: a check destructures it as the exercise defines it (`const [aNext, ytPred] = await
// student.rnnCellForward(…)`) and the editor type-checks check cells; expect.* verify the value when the check runs,
// and a result of the wrong shape fails the check with words (runChecks names what the learner's function returned).
export type Student = Readonly<Record<string, (...args: unknown[]) => Promise<any>>> & {
  readonly value: (name: string) => Promise<unknown>;
};

export interface StudentOptions {
  /** What the learner's namespace holds under `name` (own properties only: `__proto__` and `toString` are plain names). */
  readonly lookup: (name: string) => { readonly found: boolean; readonly value?: unknown };
  /** Where an error the learner's code threw was raised, in words ("Cell 3, line 4"); the default reads the stack. */
  readonly locate?: (error: unknown) => string | undefined;
  /** Copies a value across the boundary; structured clone by default. */
  readonly clone?: <T>(value: T) => T;
}

/** A `student` proxy, and what its last call returned (so an error in the check's own code can say what it was using). */
export interface StudentCalls {
  readonly student: Student;
  lastCall(): { readonly name: string; readonly returned: unknown } | undefined;
}

/** A learner's error that is not a failed expectation but is still the learner's to fix. */
export class StudentError extends CheckFailure {}

export function createStudent(options: StudentOptions): StudentCalls {
  const clone = options.clone ?? (<T>(value: T): T => structuredClone(value));
  const locate = options.locate ?? locateInStack;
  let last: { name: string; returned: unknown } | undefined;
  const call = async (name: string, args: unknown[]): Promise<unknown> => {
    const { found, value } = options.lookup(name);
    if (!found) throw new StudentError(`${name} is not defined: run the exercise cell that defines it, then check again.`);
    if (typeof value !== 'function') {
      throw new StudentError(`${name} is ${value === undefined ? 'undefined' : describeValue(value)}, not a function: the check calls ${name}(…). Define it with \`function ${name}(…) { … }\`.`);
    }
    let copies: unknown[];
    try {
      copies = clone(args);
    } catch (error) {
      throw new Error(`the check passes ${name} an argument that cannot be copied: ${(error as Error).message}`);
    }
    let result: unknown;
    try {
      result = await (value as (...args: unknown[]) => unknown)(...copies);
    } catch (error) {
      const where = locate(error);
      throw new StudentError(`${name} threw ${errorText(error)}${where ? ` (${where})` : ''}.`);
    }
    try {
      result = clone(result);
    } catch {
      throw new StudentError(`${name} returned ${describeValue(result)}, which cannot be copied out of your code: return numbers, arrays, lists or plain objects of them.`);
    }
    last = { name, returned: result };
    return result;
  };
  // A question's answer: unanswered (the starting `undefined`, `null` or '') is the learner's to fix, not a wrong answer.
  const read = async (name: unknown): Promise<unknown> => {
    if (typeof name !== 'string' || name === '') throw new TypeError(`student.value: give the name of the learner's variable, such as student.value('answerVanishing'), got ${describeValue(name)}`);
    const { found, value } = options.lookup(name);
    if (!found) throw new StudentError(`${name} is not defined: run the question's cell above, then check again.`);
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      throw new StudentError(`${name} is not answered yet: answer the question in the cell above (give ${name} your answer), run that cell, then check again.`);
    }
    let copy: unknown;
    try {
      copy = clone(value);
    } catch {
      throw new StudentError(`${name} is ${describeValue(value)}, which cannot be copied out of your code: answer with a letter in quotes ('b') or a number.`);
    }
    last = { name, returned: copy };
    return copy;
  };
  const student = new Proxy(Object.create(null) as Student, {
    get(_target, property) {
      // `then` is asked for by `await student` and by promise resolution: a student is not a promise.
      if (typeof property !== 'string' || property === 'then') return undefined;
      if (property === 'value') return read;
      return (...args: unknown[]) => call(property, args);
    },
    has: () => false,
    set: () => false,
  });
  return { student, lastCall: () => last };
}

/** "TypeError: x is not iterable"; for a thrown non-error, the value itself. */
export function errorText(error: unknown): string {
  if (typeof error === 'object' && error !== null && typeof (error as Error).message === 'string') {
    const name = typeof (error as Error).name === 'string' && (error as Error).name ? (error as Error).name : 'Error';
    return `${name}: ${(error as Error).message}`;
  }
  return describeValue(error);
}

/**
 * The first frame of an error's stack that is a learner's cell (the kernel names cells "Cell 3" and keeps each
 * cell's own line numbers): `at rnnCellForward (Cell 3:4:11)` → "Cell 3, line 4". Frames of files (paths, `node:`)
 * and of the check itself ("Check: …") are skipped.
 */
export function locateInStack(error: unknown): string | undefined {
  const stack = typeof error === 'object' && error !== null ? (error as Error).stack : undefined;
  if (typeof stack !== 'string') return undefined;
  for (const line of stack.split('\n').slice(1)) {
    const match = /^\s*at (?:.*\()?([^()]+):(\d+):\d+\)?\s*$/.exec(line);
    if (!match) continue;
    const [, file, lineNumber] = match;
    if (/[\\/]|^node:|^<anonymous>$|^evalmachine|^Check\b/.test(file)) continue;
    return `${file}, line ${lineNumber}`;
  }
  return undefined;
}
