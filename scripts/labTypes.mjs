// Build step: the type declarations a lesson cell sees — the 'rnn-lab' module (declarations emitted by the TypeScript
// compiler from the module the kernel gives a cell, and from the checks' `expect`), and the ES2022 library, written as one
// file, dist/types/labTypes.json, that the language worker (dist/languageWorker.js) loads for completion and hover in cells.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * What `import … from 'rnn-lab'` gives inside a cell: the kernel's module (the engine, the student helpers and the
 * display API) declared as a module.
 */
export const LAB_MODULE_CANDIDATES = ['src/kernel/labModuleTypes.ts'];

/** The library a cell is compiled against: the kernel's JavaScript (Node 20 and browsers) is ES2022, without the DOM. */
const LIBRARY = 'lib.es2022.d.ts';

/** Where the virtual files live inside the language service (see src/extension/host/labLanguageService.ts). */
const PACKAGE_ROOT = '/node_modules/rnn-lab';
const LIBRARY_ROOT = '/lib';

/** The folders whose sources can change the declarations (a rebuild is skipped while none is newer than the output). */
const WATCHED = ['src/engine', 'src/kernel', 'src/lessons', 'src/shared'];

/** The check scope's `expect` and `student` (see src/lessons/checks), declared too when they exist: check cells use them. */
export const EXPECT_MODULE = 'src/lessons/checks/expect.ts';
export const STUDENT_MODULE = 'src/lessons/checks/student.ts';

function newestModification(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestModification(join(path, name))));
}

/** The library file and every library it references (`/// <reference lib="…" />`), by file name. */
function libraryFiles(ts, first) {
  const folder = dirname(require.resolve('typescript/lib/lib.d.ts'));
  const files = new Map();
  const pending = [first];
  while (pending.length > 0) {
    const name = pending.pop();
    if (files.has(name)) continue;
    const text = readFileSync(join(folder, name), 'utf8');
    files.set(name, text);
    for (const reference of ts.preProcessFile(text, true, true).libReferenceDirectives) {
      pending.push(`lib.${reference.fileName.toLowerCase()}.d.ts`);
    }
  }
  return files;
}

/**
 * Writes `outFile` (JSON: LabTypes of src/extension/host/labTypes.ts) unless it is newer than every watched source.
 * Returns a line saying what it did.
 */
export function generateLabTypes(root, outFile) {
  const entry = LAB_MODULE_CANDIDATES.find((candidate) => existsSync(join(root, candidate)));
  if (!entry) throw new Error(`none of ${LAB_MODULE_CANDIDATES.join(', ')} exists`);
  const output = join(root, outFile);
  const sourcesChanged = Math.max(...WATCHED.map((path) => newestModification(join(root, path))), statSync(new URL(import.meta.url)).mtimeMs);
  if (existsSync(output) && statSync(output).mtimeMs > sourcesChanged) return `${outFile} is up to date`;

  const started = Date.now();
  const ts = require('typescript');
  // The project's own compiler options (tsconfig.json: Node's types, JSON modules), emitting declarations only.
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (diagnostic) => { throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')); } });
  const options = {
    ...config.options, declaration: true, emitDeclarationOnly: true, stripInternal: true, removeComments: false,
    noEmit: false, rootDir: root, outDir: join(root, 'out-lab-types'), declarationMap: false, sourceMap: false,
  };
  const roots = [entry, ...[EXPECT_MODULE, STUDENT_MODULE].filter((path) => existsSync(join(root, path)))];
  const declarationOf = (path) => (roots.includes(path) ? `${PACKAGE_ROOT}/${path.replace(/\.ts$/, '.d.ts')}` : undefined);
  const program = ts.createProgram(roots.map((path) => join(root, path)), options);
  const files = {};
  const emitted = program.emit(undefined, (name, text) => {
    const path = relative(options.outDir, name).split(sep).join('/');
    files[`${PACKAGE_ROOT}/${path}`] = text;
  }, undefined, true);
  // Type errors are `npm run typecheck`'s business; here only a declaration that cannot be written stops the build.
  const problems = emitted.diagnostics.filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error);
  if (problems.length > 0) {
    const host = { getCanonicalFileName: (name) => name, getCurrentDirectory: () => root, getNewLine: () => '\n' };
    throw new Error(`the declarations of ${entry} could not be generated:\n${ts.formatDiagnostics(problems.slice(0, 10), host)}`);
  }
  const typesPath = `${PACKAGE_ROOT}/${entry.replace(/\.ts$/, '.d.ts')}`;
  if (!(typesPath in files)) throw new Error(`the compiler emitted no ${typesPath}`);
  files[`${PACKAGE_ROOT}/package.json`] = JSON.stringify({ name: 'rnn-lab', types: typesPath.slice(PACKAGE_ROOT.length + 1) });
  const libraries = [...libraryFiles(ts, LIBRARY)];
  for (const [name, text] of libraries) files[`${LIBRARY_ROOT}/${name}`] = text;

  mkdirSync(dirname(output), { recursive: true });
  const expectTypes = declarationOf(EXPECT_MODULE);
  const studentTypes = declarationOf(STUDENT_MODULE);
  const json = JSON.stringify({ entry, library: `${LIBRARY_ROOT}/${LIBRARY}`, ...(expectTypes ? { expectTypes } : {}), ...(studentTypes ? { studentTypes } : {}), files });
  writeFileSync(output, json);
  return `${outFile}: the declarations of ${entry} (${Object.keys(files).length - libraries.length - 1} files) and ${libraries.length} library files, ${json.length} bytes, in ${Date.now() - started} ms`;
}
