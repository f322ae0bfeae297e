// The 'rnn-lab' module that completion and hover describe (src/kernel/labModuleTypes.ts, whose declarations the build
// emits) names exactly the values a cell gets from the kernel (the object createLabModule builds): nothing offered that
// a cell cannot import, nothing importable left undescribed.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import ts from 'typescript';
import { createLabModule } from '../../src/kernel/labModule';

const REPOSITORY = join(__dirname, '..', '..');

/** The names of the values (not the types) a module exports, read by the TypeScript checker. */
function exportedValues(file: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(REPOSITORY, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  const program = ts.createProgram([file], { ...config!.options, noEmit: true });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  return checker.getExportsOfModule(moduleSymbol)
    .filter((symbol) => ((symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol).flags & ts.SymbolFlags.Value) !== 0)
    .map((symbol) => symbol.name)
    .sort();
}

describe("the 'rnn-lab' module's declarations (completion and hover in lesson cells)", () => {
  it('name exactly the values createLabModule gives a cell', () => {
    const lab = createLabModule({ display: () => undefined, updateDisplay: () => undefined, interrupted: () => false });
    const runtime = Object.keys(lab).sort();
    const declared = exportedValues(join(REPOSITORY, 'src', 'kernel', 'labModuleTypes.ts'));
    assert.ok(runtime.includes('course') && runtime.includes('np') && runtime.includes('Trainer'), `the kernel's module: ${runtime.join(', ')}`);
    const missing = runtime.filter((name) => !declared.includes(name));
    const extra = declared.filter((name) => !runtime.includes(name));
    assert.deepEqual({ missing, extra }, { missing: [], extra: [] },
      'src/kernel/labModuleTypes.ts must declare what src/kernel/labModule.ts puts in the module (missing: in the module but not declared; extra: declared but not in the module)');
  });
});
