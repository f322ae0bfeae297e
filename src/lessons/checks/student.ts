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

/**
 * How one call of a learner's function, or one read of a learner's value, ended — plain data, so it can cross a
 * process boundary: the grader asks the learner's process over a channel (src/grading), the kernel answers in-process.
 * `createStudent` turns each outcome into the words a learner reads, in one place for both.
 */
export type StudentOutcome =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'missing' }
  /** The name holds something that is not a function; `description` says what (describeValue). */
  | { readonly kind: 'notFunction'; readonly description: string }
  /** The function threw: `error` as errorText writes it, `where` the learner's cell and line when known. */
  | { readonly kind: 'threw'; readonly error: string; readonly where?: string }
  /** What came back (or the answer) cannot be copied out: `description` says what it was. */
  | { readonly kind: 'uncopyable'; readonly description: string }
  /** A question's answer still '', undefined or null. */
  | { readonly kind: 'unanswered' };

/** Where the learner's work is reached: in the same process (`localStudentAccess`) or in another one (the grader). */
export interface StudentAccess {
  /** Calls the learner's function `name` with copies of `args`; resolves with how it ended (never rejects for the learner's doing). */
  call(name: string, args: readonly unknown[]): Promise<StudentOutcome>;
  /** Reads the value the learner's cells gave `name` (a question's answer). */
  read(name: string): Promise<StudentOutcome>;
}

/** A `student` proxy, and what its last call returned (so an error in the check's own code can say what it was using). */
export interface StudentCalls {
  readonly student: Student;
  lastCall(): { readonly name: string; readonly returned: unknown } | undefined;
}

/** A learner's error that is not a failed expectation but is still the learner's to fix. */
export class StudentError extends CheckFailure {}

/** The learner's work in this process: their namespace through `lookup`, values copied by `clone`. */
export function localStudentAccess(options: StudentOptions): StudentAccess {
  const clone = options.clone ?? (<T>(value: T): T => structuredClone(value));
  const locate = options.locate ?? locateInStack;
  return {
    async call(name, args) {
      const { found, value } = options.lookup(name);
      if (!found) return { kind: 'missing' };
      if (typeof value !== 'function') return { kind: 'notFunction', description: value === undefined ? 'undefined' : describeValue(value) };
      let result: unknown;
      try {
        // `args` are copies already (createStudent copied them; over a channel they were copied in transit).
        result = await (value as (...args: unknown[]) => unknown)(...args);
      } catch (error) {
        const where = locate(error);
        return { kind: 'threw', error: errorText(error), ...(where ? { where } : {}) };
      }
      try {
        return { kind: 'value', value: clone(result) };
      } catch {
        return { kind: 'uncopyable', description: describeValue(result) };
      }
    },
    async read(name) {
      const { found, value } = options.lookup(name);
      if (!found) return { kind: 'missing' };
      if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return { kind: 'unanswered' };
      try {
        return { kind: 'value', value: clone(value) };
      } catch {
        return { kind: 'uncopyable', description: describeValue(value) };
      }
    },
  };
}

/** A `student` for checks: over `access` when given (the grader), else over the namespace `lookup` reads. */
export function createStudent(options: StudentOptions | { readonly access: StudentAccess }): StudentCalls {
  const access = 'access' in options ? options.access : localStudentAccess(options);
  const clone = ('access' in options ? undefined : options.clone) ?? (<T>(value: T): T => structuredClone(value));
  let last: { name: string; returned: unknown } | undefined;
  const call = async (name: string, args: unknown[]): Promise<unknown> => {
    let copies: unknown[];
    try {
      copies = clone(args);
    } catch (error) {
      throw new Error(`the check passes ${name} an argument that cannot be copied: ${(error as Error).message}`);
    }
    const outcome = await access.call(name, copies);
    switch (outcome.kind) {
      case 'missing': throw new StudentError(`${name} is not defined: run the exercise cell that defines it, then check again.`);
      case 'notFunction': throw new StudentError(`${name} is ${outcome.description}, not a function: the check calls ${name}(…). Define it with \`function ${name}(…) { … }\`.`);
      case 'threw': throw new StudentError(`${name} threw ${outcome.error}${outcome.where ? ` (${outcome.where})` : ''}.`);
      case 'uncopyable': throw new StudentError(`${name} returned ${outcome.description}, which cannot be copied out of your code: return numbers, arrays, lists or plain objects of them.`);
      case 'value':
        last = { name, returned: outcome.value };
        return outcome.value;
      default: throw new Error(`${name}: no answer from the learner's code`);
    }
  };
  // A question's answer: unanswered (the starting `undefined`, `null` or '') is the learner's to fix, not a wrong answer.
  const read = async (name: unknown): Promise<unknown> => {
    if (typeof name !== 'string' || name === '') throw new TypeError(`student.value: give the name of the learner's variable, such as student.value('answerVanishing'), got ${describeValue(name)}`);
    const outcome = await access.read(name);
    switch (outcome.kind) {
      case 'missing': throw new StudentError(`${name} is not defined: run the question's cell above, then check again.`);
      case 'unanswered': throw new StudentError(`${name} is not answered yet: answer the question in the cell above (give ${name} your answer), run that cell, then check again.`);
      case 'uncopyable': throw new StudentError(`${name} is ${outcome.description}, which cannot be copied out of your code: answer with a letter in quotes ('b') or a number.`);
      case 'value':
        last = { name, returned: outcome.value };
        return outcome.value;
      default: throw new Error(`${name}: no answer from the learner's code`);
    }
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
