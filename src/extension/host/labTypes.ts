// Extension host logic (no vscode): what TypeScript knows inside a lesson cell besides the cells themselves — the
// declarations file the build writes (dist/types/labTypes.json, by scripts/labTypes.mjs), the globals the kernel gives
// every cell, and the names a check cell has in scope.

/** dist/types/labTypes.json: virtual files by absolute path ('/node_modules/rnn-lab/…', '/lib/…'). */
export interface LabTypes {
  /** The source file the 'rnn-lab' declarations were generated from (src/kernel/labModuleTypes.ts). */
  readonly entry: string;
  /** The library file a cell compiles against, e.g. '/lib/lib.es2022.d.ts'. */
  readonly library: string;
  /** The declarations of the checks' `expect` module (its `Expect` interface), when the build found it. */
  readonly expectTypes?: string;
  /** The declarations of the checks' student proxy (its `Student` type), when the build found it. */
  readonly studentTypes?: string;
  readonly files: Readonly<Record<string, string>>;
}

/** Reads labTypes.json's text, refusing anything that is not shaped like it (a truncated or stale file says so). */
export function parseLabTypes(text: string): LabTypes {
  const value: unknown = JSON.parse(text);
  const record = value as Partial<LabTypes> | null;
  if (typeof record !== 'object' || record === null || typeof record.entry !== 'string' || typeof record.library !== 'string'
    || typeof record.files !== 'object' || record.files === null || typeof record.files[record.library] !== 'string'
    || typeof record.files['/node_modules/rnn-lab/package.json'] !== 'string') {
    throw new Error('labTypes.json is not the declarations file the build writes (rebuild with `npm run build`)');
  }
  for (const path of [record.expectTypes, record.studentTypes]) {
    if (path !== undefined && typeof record.files[path] !== 'string') throw new Error(`labTypes.json names ${path} but does not hold it`);
  }
  return record as LabTypes;
}

/**
 * The globals a cell can use besides the ES2022 library: what the kernel (src/node/kernelMain.ts, installGlobals) puts
 * in a cell's global scope, those of a Web Worker and not Node's. `console` is captured and streamed into the cell's
 * output; only these four methods are. (URL and URLSearchParams are there too but not declared: no lesson needs them.)
 */
export const CELL_GLOBALS = `
/** The cell's output: what it prints appears under the cell as it runs. */
interface LabConsole {
  /** Prints its arguments, separated by spaces, to the cell's output (objects and tensors formatted as Node does). */
  log(...data: unknown[]): void;
  /** The same as console.log. */
  info(...data: unknown[]): void;
  /** Prints to the cell's error stream. */
  warn(...data: unknown[]): void;
  /** Prints to the cell's error stream. */
  error(...data: unknown[]): void;
}
declare var console: LabConsole;
declare function setTimeout(callback: (...args: unknown[]) => void, milliseconds?: number, ...args: unknown[]): unknown;
declare function clearTimeout(handle: unknown): void;
declare function setInterval(callback: (...args: unknown[]) => void, milliseconds?: number, ...args: unknown[]): unknown;
declare function clearInterval(handle: unknown): void;
declare function queueMicrotask(callback: () => void): void;
declare function structuredClone<T>(value: T): T;
/** Base64 text → binary string. */
declare function atob(data: string): string;
/** Binary string → Base64 text. */
declare function btoa(data: string): string;
declare var performance: { /** Milliseconds since the kernel started, with sub-millisecond precision. */ now(): number };
declare class TextEncoder { encode(input?: string): Uint8Array }
declare class TextDecoder { constructor(label?: string); decode(input?: ArrayBuffer | ArrayBufferView): string }
`;

/**
 * The names a check cell has in scope (DESIGN.md "Checks"), declared at the top of its virtual file. `student.NAME`
 * calls the function the student's cells define, `student.value('NAME')` reads a question's answer; both copy by
 * structured clone — hence a promise.
 */
export function checkScopeDeclarations(types: Pick<LabTypes, 'expectTypes' | 'studentTypes'>): string {
  const imported = (path: string | undefined, name: string): string | undefined => path && `import('${path.replace(/\.d\.ts$/, '')}').${name}`;
  const expectType = imported(types.expectTypes, 'Expect') ?? 'any';
  const studentType = imported(types.studentTypes, 'Student') ?? 'Readonly<Record<string, (...args: unknown[]) => Promise<unknown>>> & { readonly value: (name: string) => Promise<unknown> }';
  return [
    '/** The functions your cells define, called by name: `await student.rnnCellForward(xt, aPrev, parameters)`; a question\'s answer: `await student.value(\'answerVanishing\')`. Arguments and results are copied (structured clone). */',
    `declare const student: ${studentType};`,
    '/** The check\'s assertions: a failed one fails the check with the words the learner reads. */',
    `declare const expect: ${expectType};`,
    '',
  ].join('\n');
}
