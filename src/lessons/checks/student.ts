// Lessons layer (checks): `student`, how a check calls the learner's code. `await student.rnnCellForward(…)` calls
// the function the learner's cells defined, passing arguments and result by structured clone both ways (in the editor
// as in the grader, so both give the same score), and turns every way it can go wrong into words a learner reads.
import { CheckFailure, describeValue } from './expect';

/** The learner's functions, by name, as a check calls them: `await student.NAME(...args)`. */
export type Student = Readonly<Record<string, (...args: unknown[]) => Promise<unknown>>>;

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
  const student = new Proxy(Object.create(null) as Student, {
    get(_target, property) {
      // `then` is asked for by `await student` and by promise resolution: a student is not a promise.
      if (typeof property !== 'string' || property === 'then') return undefined;
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
