// Completion, hover and signature help in lesson cells, without VS Code: the virtual file built from the cells, the
// TypeScript service over the built declarations (dist/types/labTypes.json), and the worker thread behind the client.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CellLanguageClient } from '../../src/extension/host/cellLanguageClient';
import type { CellPosition } from '../../src/extension/host/cellLanguageProtocol';
import { LabLanguageService } from '../../src/extension/host/labLanguageService';
import { parseLabTypes, type LabTypes } from '../../src/extension/host/labTypes';
import { notebookSource, spanInCell, type CellText } from '../../src/extension/host/notebookSource';
import { ensureBuilt, REPOSITORY } from '../cli/cliHarness';

const TYPES_FILE = join(REPOSITORY, 'dist', 'types', 'labTypes.json');
const IMPORT = "import { course } from 'rnn-lab';\nconst [xt, aPrev] = course.randnInOrder(1, [3, 10], [5, 10]);\n";

const code = (source: string): CellText => ({ source, kind: 'code' });
const check = (source: string): CellText => ({ source, kind: 'check' });

/** The position of the first `marker` (`|`) in the last cell, with the marker taken out. */
function at(cells: readonly CellText[], marker = '|'): CellPosition {
  const last = cells[cells.length - 1];
  const offset = last.source.indexOf(marker);
  assert.ok(offset >= 0, `no ${marker} in the last cell`);
  const cleaned = [...cells.slice(0, -1), { ...last, source: last.source.slice(0, offset) + last.source.slice(offset + marker.length) }];
  return { cells: cleaned, index: cells.length - 1, offset };
}

describe('lesson cells: the virtual file TypeScript reads', () => {
  const always = (): boolean => true;

  it('a code cell follows the code cells above it, in order; cells below and check cells are left out', () => {
    const cells = [code('const a = 1;'), check('const inCheck = 2;'), code('const b = a;'), code('const later = 3;')];
    const source = notebookSource(cells, 2, 'PRELUDE\n', always);
    assert.equal(source.text.slice(0, source.cellStart), 'const a = 1;\n');
    assert.equal(source.text.slice(source.cellStart, source.cellStart + source.cellLength), 'const b = a;');
    assert.ok(!source.text.includes('inCheck') && !source.text.includes('later') && !source.text.includes('PRELUDE'));
  });

  it('a check cell is a file of its own, opened by the check scope\'s declarations', () => {
    const cells = [code('const a = 1;'), check('expect.that(true, "yes");')];
    const source = notebookSource(cells, 1, 'PRELUDE\n', always);
    assert.equal(source.text.slice(0, source.cellStart), 'PRELUDE\n');
    assert.equal(source.text.slice(source.cellStart, source.cellStart + source.cellLength), 'expect.that(true, "yes");');
  });

  it('an earlier cell that does not parse is left out (the kernel could not run it)', () => {
    const cells = [code('/* never closed'), code('const ok = 1;'), code('ok')];
    const source = notebookSource(cells, 2, '', (text) => !text.startsWith('/*'));
    assert.equal(source.text.slice(0, source.cellStart), 'const ok = 1;\n');
  });

  it('maps spans back into the cell, and refuses spans outside it', () => {
    const source = notebookSource([code('abc'), code('defgh')], 1, '', always);
    assert.deepEqual(spanInCell(source, source.cellStart + 1, 3), { start: 1, length: 3 });
    assert.equal(spanInCell(source, 0, 2), undefined, 'a span in the earlier cell');
    assert.equal(spanInCell(source, source.cellStart + 3, 3), undefined, 'a span running past the cell');
  });

  it('refuses a cell that does not exist', () => {
    assert.throws(() => notebookSource([code('a')], 3, '', always), /cell 3 does not exist \(the notebook has 1 cells\)/);
  });
});

describe('lesson cells: completion, hover and signature help for the rnn-lab API', () => {
  let types: LabTypes;
  let service: LabLanguageService;

  before(() => {
    ensureBuilt();
    types = parseLabTypes(readFileSync(TYPES_FILE, 'utf8'));
    service = new LabLanguageService(types);
    console.log(`      dist/types/labTypes.json: ${statSync(TYPES_FILE).size} bytes, declarations of ${types.entry}`);
  });

  it('`course.` offers the course\'s functions, rnnCellForward with its signature and doc comment', () => {
    const position = at([code(IMPORT), code('course.|')]);
    const list = service.completions(position);
    assert.ok(list?.isMemberCompletion);
    const names = list.entries.map((entry) => entry.name);
    for (const name of ['rnnCellForward', 'rnnForward', 'lstmCellForward', 'randnInOrder']) assert.ok(names.includes(name), `${name} is offered: ${names.join(', ')}`);
    assert.ok(!names.includes('toString'), 'a namespace has no toString');
    const details = service.completionDetails(position, 'rnnCellForward');
    assert.match(details!.signature, /^function rnnCellForward\(xtArgument: .*\): \[aNext: .*Tensor, ytPred: .*Tensor, cache: .*RnnCellCache\]$/);
    assert.match(details!.documentation, /one step of the basic RNN/);
    assert.match(details!.documentation, /a⟨t⟩ = tanh\(W_aa a⟨t−1⟩ \+ W_ax x⟨t⟩ \+ b_a\)/);
  });

  it('hovering a function shows its signature and doc comment, over the name\'s span in the cell', () => {
    const cell = 'const [aNext] = course.rnnCellForward(xt, aPrev, parameters);';
    const hover = service.hover({ cells: [code(IMPORT), code(cell)], index: 1, offset: cell.indexOf('rnnCell') + 3 });
    assert.match(hover!.signature, /^function (course\.)?rnnCellForward\(xtArgument: /);
    assert.match(hover!.documentation, /one step of the basic RNN/);
    assert.deepEqual(hover!.span, { start: cell.indexOf('rnnCellForward'), length: 'rnnCellForward'.length });
  });

  it('types flow through the declarations: a result destructured from the course API is a Tensor with its fields', () => {
    const cell = 'const [aNext] = course.rnnCellForward(xt, aPrev, { Waa: xt, Wax: xt, Wya: xt, ba: xt, by: xt });\naNext.';
    const hover = service.hover({ cells: [code(IMPORT), code(cell)], index: 1, offset: cell.indexOf('aNext') });
    assert.match(hover!.signature, /^const aNext: (course\.)?Tensor$/);
    const members = service.completions({ cells: [code(IMPORT), code(cell)], index: 1, offset: cell.length })!.entries.map((entry) => entry.name);
    assert.ok(members.includes('shape') && members.includes('data'), `Tensor's fields: ${members.join(', ')}`);
  });

  it('names defined in earlier cells complete in later ones; names of later cells do not', () => {
    const cells = [code(IMPORT), code('function myStep(x: number) { return x + 1; }'), code('my|'), code('const myLater = 2;')];
    const position = at(cells.slice(0, 3));
    const names = service.completions({ ...position, cells: [...position.cells, cells[3]] })!.entries.map((entry) => entry.name);
    assert.ok(names.includes('myStep') && names.includes('xt') && names.includes('course'), 'earlier names');
    assert.ok(!names.includes('myLater'), 'a name defined below is not offered');
  });

  it('an unclosed comment in an earlier cell does not silence the cell being typed', () => {
    const names = service.completions(at([code(IMPORT), code('/* a thought never closed'), code('course.|')]))?.entries.map((entry) => entry.name) ?? [];
    assert.ok(names.includes('rnnCellForward'), `offered: ${names.slice(0, 10).join(', ')}`);
  });

  it('the import itself completes: module name and the module\'s exports', () => {
    const moduleNames = service.completions(at([code("import { course } from '|';")]))!.entries.map((entry) => entry.name);
    assert.ok(moduleNames.includes('rnn-lab'), `module names: ${moduleNames.join(', ')}`);
    const exports = service.completions(at([code("import { | } from 'rnn-lab';")]))!.entries.map((entry) => entry.name);
    for (const name of ['course', 'np', 'show', 'train', 'Trainer', 'resolveTrainingConfig', 'RnnCell']) assert.ok(exports.includes(name), `${name} among ${exports.join(', ')}`);
  });

  it('signature help names the parameter being typed', () => {
    const help = service.signatureHelp(at([code(IMPORT), code('course.rnnCellForward(xt, |')]));
    const [signature] = help!.signatures;
    assert.equal(help!.activeParameter, 1);
    const [start, end] = signature.parameters[1].label;
    assert.match(signature.label.slice(start, end), /^aPrevArgument: /);
    assert.match(signature.documentation, /one step of the basic RNN/);
  });

  it('the kernel\'s console is there (log, info, warn, error), the DOM is not', () => {
    const consoleMembers = service.completions(at([code('console.|')]))!.entries.map((entry) => entry.name).sort();
    assert.deepEqual(consoleMembers, ['error', 'info', 'log', 'warn']);
    const globals = service.completions(at([code('|')]))!.entries.map((entry) => entry.name);
    assert.ok(globals.includes('Math') && globals.includes('Promise'), 'ES2022 globals');
    assert.ok(!globals.includes('document') && !globals.includes('window') && !globals.includes('process'), 'no DOM, no Node');
  });

  it('a check cell has student and expect; its own names stay out of the code cells', () => {
    const names = service.completions(at([code(IMPORT), check('const onlyInCheck = 1;\nstu|')]))!.entries.map((entry) => entry.name);
    assert.ok(names.includes('student') && names.includes('expect') && names.includes('onlyInCheck'));
    const hover = service.hover(at([code(IMPORT), check('await |student.rnnCellForward(xt);')]));
    assert.match(hover!.signature, /^const student: (Student|Readonly<Record<string, \(\.\.\.args: unknown\[\]\) => Promise<unknown>>>)$/);
    const expectMembers = service.completions(at([code(IMPORT), check('expect.|')]))!.entries.map((entry) => entry.name).sort();
    assert.deepEqual(expectMembers, ['answer', 'close', 'equal', 'shape', 'that']);
    const studentMembers = service.completions(at([code(IMPORT), check('student.|')]))!.entries.map((entry) => entry.name);
    assert.ok(studentMembers.includes('value'), `student.value (a question's answer) completes: ${studentMembers.join(', ')}`);
    const details = service.completionDetails(at([code(IMPORT), check('expect.|')]), 'close');
    assert.match(details!.signature, /close\(got: unknown, expected: unknown, options\?: CloseOptions\): void/);
    assert.match(details!.documentation, /same shape whose values agree within the tolerances/);
    const later = service.completions(at([code(IMPORT), check('const onlyInCheck = 1;'), code('only|')]))!.entries.map((entry) => entry.name);
    assert.ok(!later.includes('onlyInCheck') && !later.includes('student'), 'check names do not reach code cells');
  });

  it('a cancelled request answers nothing; an offset outside the cell is refused', () => {
    assert.equal(service.completions(at([code(IMPORT), code('course.|')]), () => true), undefined);
    assert.throws(() => service.hover({ cells: [code('abc')], index: 0, offset: 4 }), /offset 4 is outside cell 0 \(3 characters\)/);
  });
});

describe('lesson cells: the language worker thread', () => {
  const script = join(REPOSITORY, 'dist', 'languageWorker.js');
  let client: CellLanguageClient;

  before(() => ensureBuilt());
  afterEach(() => client?.dispose());

  it('answers completion and hover from dist/languageWorker.js, started on the first request', async () => {
    client = new CellLanguageClient({ script, typesFile: TYPES_FILE });
    assert.equal(client.started, false);
    const started = Date.now();
    const list = await client.request({ type: 'completions', position: at([code(IMPORT), code('course.rnn|')]) });
    console.log(`      first completion (thread start, compiler and declarations loaded): ${Date.now() - started} ms`);
    assert.ok(client.started);
    assert.ok(list!.entries.some((entry) => entry.name === 'rnnCellForward'));
    const second = Date.now();
    const hover = await client.request({ type: 'hover', position: { ...at([code(IMPORT), code('course.rnnCellForward|')]), offset: 9 } });
    console.log(`      a hover after that: ${Date.now() - second} ms`);
    assert.match(hover!.signature, /rnnCellForward/);
  });

  it('a request cancelled before it is answered resolves to nothing', async () => {
    client = new CellLanguageClient({ script, typesFile: TYPES_FILE });
    let cancel = (): void => undefined;
    const token = {
      isCancellationRequested: false,
      onCancellationRequested(listener: () => void) {
        cancel = () => { token.isCancellationRequested = true; listener(); };
        return { dispose: () => undefined };
      },
    };
    const pending = client.request({ type: 'completions', position: at([code(IMPORT), code('course.|')]) }, token);
    cancel();
    assert.equal(await pending, undefined);
    const after = await client.request({ type: 'completions', position: at([code(IMPORT), code('course.|')]) });
    assert.ok(after!.entries.length > 10, 'the next request is answered');
  });

  it('a worker that cannot load its declarations says so, and the next request is tried afresh', async () => {
    const logged: string[] = [];
    client = new CellLanguageClient({ script, typesFile: join(REPOSITORY, 'no-such-labTypes.json'), log: (line) => logged.push(line) });
    await assert.rejects(client.request({ type: 'hover', position: at([code('|x')]) }), /ENOENT.*no-such-labTypes\.json/);
    await assert.rejects(client.request({ type: 'hover', position: at([code('|x')]) }), /ENOENT/);
  });
});

describe('lesson cells: the TypeScript compiler stays out of the extension host', () => {
  // Texts only the compiler holds: two of its diagnostic messages and its language service's entry point.
  const markers = ['or its corresponding type declarations', 'Cannot redeclare block-scoped variable', 'createLanguageService'];

  it('is bundled into dist/languageWorker.js and not into dist/extension.js', () => {
    ensureBuilt();
    const worker = readFileSync(join(REPOSITORY, 'dist', 'languageWorker.js'), 'utf8');
    const extension = readFileSync(join(REPOSITORY, 'dist', 'extension.js'), 'utf8');
    console.log(`      dist/languageWorker.js: ${worker.length} bytes; dist/extension.js: ${extension.length} bytes`);
    for (const marker of markers) assert.ok(worker.includes(marker), `dist/languageWorker.js holds '${marker}'`);
    assert.deepEqual(markers.filter((marker) => extension.includes(marker)), []);
  });
});
