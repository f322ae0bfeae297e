// Grading layer: where the teacher's checks run while grading — in the grader's own process, each compiled as the kernel
// compiles a check and evaluated in a `vm` context with the real 'rnn-lab'. The student's code is never here: a check
// reaches it only through `student`, whose calls cross to the sandbox.
import vm from 'node:vm';
import type { CheckScope } from '../lessons/checks/runChecks';
import { compileCell, LAB_MODULE, type CellRuntime } from '../kernel/compileCell';
import { createLabModule } from '../kernel/labModule';
import type { DisplayHooks, LabModule } from '../kernel/runtime';

/** A check's charts and tables go nowhere while grading; a check never trains for long. */
const SILENT_HOOKS: DisplayHooks = { display: () => undefined, updateDisplay: () => undefined, interrupted: () => false };

let labModule: LabModule | undefined;

function lab(): LabModule {
  labModule ??= createLabModule(SILENT_HOOKS);
  return labModule;
}

const RUNTIME: CellRuntime = {
  importNames: () => {
    throw new Error('a check keeps its imports in its own scope');
  },
  importName: (specifier, name) => {
    const module = labOf(specifier);
    if (!Object.prototype.hasOwnProperty.call(module, name)) throw new ReferenceError(`'${LAB_MODULE}' has no value named '${name}'`);
    return module[name];
  },
  importModule: (specifier) => labOf(specifier),
};

function labOf(specifier: string): LabModule {
  if (specifier !== LAB_MODULE) throw new Error(`cannot import '${specifier}': a check can import only from '${LAB_MODULE}'`);
  return lab();
}

/**
 * One realm for one submission's checks. A check's `Math.random` starts from the assignment's seed (runChecks puts a
 * seeded `Math` in its scope), as in the editor's kernel.
 */
export class CheckRealm {
  private readonly context: vm.Context;

  constructor() {
    const sandbox: Record<string, unknown> = {
      console: { log: noop, info: noop, debug: noop, warn: noop, error: noop, trace: noop, table: noop, dir: noop },
      setTimeout, setInterval, clearTimeout, clearInterval, queueMicrotask, structuredClone, performance, TextEncoder, TextDecoder, URL, URLSearchParams,
      ArrayBuffer, Float64Array, Float32Array, Int32Array, Uint8Array, Int8Array, Uint16Array, Int16Array, Uint32Array, Uint8ClampedArray, BigInt64Array, BigUint64Array,
    };
    this.context = vm.createContext(sandbox, { name: 'RNN Lab grader checks' });
  }

  /** Compiles and runs one check with `student` and `expect` in scope; rejects with whatever the check threw. */
  async evaluateCheck(code: string, label: string, scope: CheckScope): Promise<unknown> {
    const names = Object.keys(scope) as (keyof CheckScope)[];
    const compiled = compileCell(code, { mode: 'module', scopeNames: names });
    const run = new vm.Script(compiled.source, { filename: label, lineOffset: -1 }).runInContext(this.context) as (...args: unknown[]) => Promise<unknown>;
    return run(RUNTIME, ...names.map((name) => scope[name]));
  }
}

function noop(): void {}
