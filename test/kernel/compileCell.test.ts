// compileCell in isolation: what a cell's TypeScript becomes — every line where it was, declarations persisting in the
// namespace (cell mode) or staying local (module mode, for checks), imports of 'rnn-lab' as runtime lookups, the last
// expression returned — and the compile errors a learner reads, each with the cell's own line.
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { CellCompileError, compileCell, type CellRuntime, type CompileOptions } from '../../src/kernel/compileCell';
import { learnerStack } from '../../src/kernel/runtime';

const lab = { course: { name: 'course' }, np: { name: 'np' } } as Record<string, unknown>;

/** Runs compiled code in a fresh context the way the kernel does (line offset −1), returning its value and global. */
async function evaluate(code: string, options: CompileOptions = { mode: 'cell' }, context = vm.createContext({}), scope: unknown[] = []): Promise<{ value: unknown; context: vm.Context }> {
  const runtime: CellRuntime = {
    importNames: (_specifier, names) => { for (const [exported, local] of names) (context as Record<string, unknown>)[local] = lab[exported]; },
    importName: (_specifier, name) => lab[name],
    importModule: () => lab,
  };
  const compiled = compileCell(code, options);
  const cell = new vm.Script(compiled.source, { filename: 'Cell 1', lineOffset: -1 }).runInContext(context) as (...args: unknown[]) => Promise<unknown>;
  return { value: await cell(runtime, ...scope), context };
}

function compileError(code: string, options: CompileOptions = { mode: 'cell' }): CellCompileError {
  try {
    compileCell(code, options);
  } catch (error) {
    assert.ok(error instanceof CellCompileError, String(error));
    return error;
  }
  assert.fail(`compiled without an error: ${code}`);
}

describe('compileCell', () => {
  it('keeps every line where it was, types stripped', () => {
    const code = "import { course } from 'rnn-lab';\nconst a: number = 1,\n  b = 2;\ninterface Shape { rows: number }\nfunction f(shape: Shape): number {\n  return shape.rows;\n}\nf({ rows: a + b })";
    const compiled = compileCell(code, { mode: 'cell' });
    const lines = compiled.source.split('\n');
    assert.equal(lines.length, code.split('\n').length + 2, compiled.source);
    assert.match(lines[3], /b = 2/);
    assert.match(lines[6], /return shape\.rows;/);
    assert.equal(compiled.importsLab, true);
    assert.equal(compileCell('1 + 1', { mode: 'cell' }).importsLab, false);
  });

  it('cell mode: top-level declarations (including destructuring and classes) land in the namespace; nested ones stay local', async () => {
    const { value, context } = await evaluate("const [a, { b, c: [d] }, ...rest] = [1, { b: 2, c: [3] }, 4];\nlet unset;\nclass Model {}\nfunction f() { const inner = 1; return inner; }\nfor (let i = 0; i < 2; i++) { var looped = i; }\nimport { course as c } from 'rnn-lab';\nf()");
    assert.equal(value, 1);
    assert.deepEqual(Object.keys(context).sort(), ['Model', 'a', 'b', 'c', 'd', 'f', 'rest', 'unset'].sort());
    assert.equal((context as Record<string, unknown>).c, lab.course);
    assert.deepEqual(Array.from(vm.runInContext('[a, b, d, rest.length, unset, typeof Model, typeof inner]', context)), [1, 2, 3, 1, undefined, 'function', 'undefined']);
  });

  it('module mode: declarations stay in the check\'s scope, scope names are parameters, imports are local', async () => {
    const { value, context } = await evaluate("import { np } from 'rnn-lab';\nconst got = student + 1;\n[got, np.name]", { mode: 'module', scopeNames: ['student'] }, vm.createContext({}), [41]);
    assert.deepEqual(Array.from(value as unknown[]), [42, 'np']); // (an array of the context's realm)
    assert.deepEqual(Object.keys(context), []);
  });

  it('awaits at the top level and returns the last expression (a lone string too)', async () => {
    assert.equal((await evaluate('const x = await Promise.resolve(20);\nx * 2 + 2')).value, 42);
    assert.equal((await evaluate("'just text'")).value, 'just text');
    assert.equal((await evaluate('const quiet = 1;')).value, undefined);
  });

  it('refuses other modules, default imports, import() and exports, naming the line', () => {
    const other = compileError("const a = 1;\n\nimport { readFileSync } from 'node:fs';");
    assert.equal(other.line, 3);
    assert.equal(other.message, "line 3: cannot import 'node:fs': a cell can import only from 'rnn-lab', e.g. import { course, np } from 'rnn-lab'");
    assert.match(compileError("import lab from 'rnn-lab';").message, /^line 1: 'rnn-lab' has no default export/);
    assert.match(compileError("const f = () => import('rnn-lab');").message, /^line 1: import\(\) is not available in a cell/);
    assert.match(compileError('const a = 1;\nexport default a;').message, /^line 2: a cell cannot export/);
  });

  it('reports syntax errors at the cell\'s line', () => {
    const error = compileError('const ok = 1;\nconst broken = ;');
    assert.equal(error.line, 2);
    assert.match(error.message, /^line 2: /);
    assert.equal(compileError('let x: = 1;').line, 1);
  });

  describe('stack columns', () => {
    /** The learner's stack for a cell that calls `fail` (which throws), as the kernel builds it (runtime.ts). */
    async function stackOf(code: string): Promise<string> {
      const compiled = compileCell(code, { mode: 'cell' });
      const context = vm.createContext({ fail: () => { throw new Error('failed here'); }, lab: { fail: () => { throw new Error('failed here'); } } });
      const cell = new vm.Script(compiled.source, { filename: 'Cell 1', lineOffset: -1 }).runInContext(context) as (...args: unknown[]) => Promise<unknown>;
      try {
        await cell({});
      } catch (error) {
        return learnerStack(error as Error, new Map([['Cell 1', compiled.cellColumn]]));
      }
      assert.fail(`no error from ${code}`);
    }

    /** The frames of the cell in a learner's stack. */
    function cellFrames(stack: string): string[] {
      return stack.split('\n').filter((line) => line.includes('Cell 1:'));
    }

    /**
     * `Cell 1:line:column` (1-based, as stack frames count) of the `fail` called in the code, found in the code: V8
     * places a call's frame at the callee's name (`lab.fail()` at `fail`).
     */
    function positionOfFail(code: string): string {
      const lines = code.split('\n');
      const line = lines.findIndex((text) => text.includes('fail('));
      assert.ok(line >= 0, code);
      return `Cell 1:${line + 1}:${lines[line].indexOf('fail(') + 1}`;
    }

    const cases: readonly (readonly [what: string, code: string])[] = [
      ['the last line (the returned expression)', 'const a = 1;\na + fail()'],
      ['a cell of one expression', '   fail()'],
      ['the returned expression after a statement on the same line', 'const a = 1; a + lab.fail()'],
      ['a declaration persisted in the namespace', 'const ready = 1, value = ready + fail();\n1'],
      ['after stripped types', 'const shape: [number, number] = [2, 3];\nconst size = (shape as number[]).length * lab.fail();'],
      ['a multi-line returned expression', '[\n  1,\n  fail(),\n]'],
    ];
    for (const [what, code] of cases) {
      it(`are the columns the learner wrote: ${what}`, async () => {
        const stack = await stackOf(code);
        assert.match(stack, /^Error: failed here\n/);
        assert.deepEqual(cellFrames(stack), [`    at ${positionOfFail(code)}`], stack);
      });
    }

    it('are the learner\'s inside a typed function called from the last line', async () => {
      const code = 'function area(width: number, height: number): number {\n  return width * height * fail();\n}\narea(2, 3)';
      assert.deepEqual(cellFrames(await stackOf(code)), [`    at area (${positionOfFail(code)})`, '    at Cell 1:4:1']);
    });

    it('syntax errors name the learner\'s column (counted from 0), also after stripped types', () => {
      const incomplete = 'const weight: number = 1 +;'; // found by the type stripping (sucrase)
      assert.equal(compileError(incomplete).column, incomplete.indexOf(';'));
      const twice = 'let total: number = 1, total = 2;'; // found by the parse after it (acorn)
      const error = compileError(twice);
      assert.match(error.message, /already been declared/);
      assert.equal(error.column, twice.lastIndexOf('total'));
      const exported = 'const rate: number = 0.1; export default rate;'; // found by the rewrite
      assert.equal(compileError(exported).column, exported.indexOf('export'));
    });
  });
});
