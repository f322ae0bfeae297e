// The layering of STYLE.md, enforced: engine ← lessons ← grading ← cli / extension; shared everywhere;
// `vscode` only in src/extension (and not in its worker or host-logic folders); no Node built-ins in the pure layers (they also run in a browser).
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const SRC = join(__dirname, '..', 'src');
const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** The top-level folders of src/ each layer may import from (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  engine: [],
  shared: ['engine'],
  lessons: ['engine', 'shared'],
  kernel: ['engine', 'lessons', 'shared'],
  node: ['engine', 'lessons', 'kernel', 'shared'],
  grading: ['engine', 'lessons', 'kernel', 'node', 'shared'],
  cli: ['engine', 'lessons', 'kernel', 'grading', 'shared', 'node'],
  worker: ['engine', 'shared'],
  extension: ['engine', 'lessons', 'kernel', 'grading', 'shared', 'worker', 'node'],
  webview: ['shared'],
};
/** Layers that must run in a browser or a bare worker: no Node built-ins. */
const PURE = new Set(['engine', 'shared', 'lessons', 'kernel', 'webview']);

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  for (const match of text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    specifiers.push(match[1] ?? match[2] ?? match[3]);
  }
  return specifiers;
}

describe('architecture: imports point one way', () => {
  const files = sourceFiles(SRC);

  it('finds the source tree', () => {
    assert.ok(files.length > 20, `only ${files.length} source files found under ${SRC}`);
  });

  it('each layer imports only the layers below it, vscode only in src/extension, no Node built-ins in pure layers', () => {
    const violations: string[] = [];
    for (const file of files) {
      const layer = relative(SRC, file).split(sep)[0];
      const allowed = ALLOWED[layer];
      if (!allowed) {
        violations.push(`${relative(SRC, file)}: src/${layer} is not a known layer (add it to ALLOWED in test/architecture.test.ts)`);
        continue;
      }
      for (const specifier of importsOf(file)) {
        if (specifier === 'vscode') {
          // The worker thread and the host logic under extension/host are kept vscode-free, so they run (and are tested) without an editor.
          const vscodeFree = /^extension[\\/](worker|host)[\\/]/.test(relative(SRC, file));
          if (layer !== 'extension' || vscodeFree) violations.push(`${relative(SRC, file)} imports 'vscode'`);
        } else if (NODE_BUILTINS.has(specifier)) {
          if (PURE.has(layer)) violations.push(`${relative(SRC, file)} (a pure layer) imports the Node built-in '${specifier}'`);
        } else if (specifier.startsWith('.')) {
          const target = relative(SRC, join(file, '..', specifier)).split(sep)[0];
          if (target !== layer && !target.startsWith('..') && !allowed.includes(target)) {
            violations.push(`${relative(SRC, file)} imports src/${target} ('${specifier}'), which src/${layer} may not use`);
          }
        }
      }
    }
    assert.deepEqual(violations, []);
    assert.ok(files.some((file) => importsOf(file).includes('vscode')), 'the check sees the extension\'s vscode imports');
  });
});

const ENGINE = join(SRC, 'engine');

/** The file a relative import names: `x` is x.ts, or x/index.ts for a folder. */
function resolveImport(from: string, specifier: string): string | undefined {
  const base = join(from, '..', specifier);
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this candidate
    }
  }
  return undefined;
}

/** The import graph of `files`: each file's relative imports that resolve to a file of the set (type imports too). */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const inSet = new Set(files);
  return new Map(files.map((file) => [file, importsOf(file)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => resolveImport(file, specifier))
    .filter((target): target is string => target !== undefined && inSet.has(target))]));
}

/**
 * Every import cycle of `graph`, each once, as the list of its files starting from the one met first: a depth-first
 * search that reports an edge back into the files on its current path (a node is finished when all it reaches is).
 */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'onPath' | 'finished'>();
  const path: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'onPath');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'onPath') cycles.push(path.slice(path.indexOf(next)));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(node, 'finished');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

describe('architecture: the engine is layered inside too', () => {
  const engineFiles = sourceFiles(ENGINE);
  const name = (file: string): string => relative(ENGINE, file).split(sep).join('/');

  it('the cycle finder finds cycles: a synthetic graph with a 3-cycle, a self-import and a cycle-free branch', () => {
    const graph = new Map<string, string[]>([
      ['kernels', ['cell', 'math']], ['cell', ['loop']], ['loop', ['kernels', 'math']], ['math', []],
      ['self', ['self']], ['leaf', ['math']],
    ]);
    assert.deepEqual(findCycles(graph), [['kernels', 'cell', 'loop'], ['self']]);
    assert.deepEqual(findCycles(new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]])), [], 'a diamond is not a cycle');
  });

  it('the import graph is read whole: type imports, index folders, and the edges of the engine\'s real layering', () => {
    const graph = importGraph(engineFiles);
    const edges = new Set([...graph].flatMap(([from, targets]) => targets.map((to) => `${name(from)} → ${name(to)}`)));
    for (const edge of ['layers/sequenceLayer.ts → layers/timeLoop.ts', 'kernels.ts → wasm/wasmSequenceLayer.ts', 'index.ts → tasks/index.ts']) {
      assert.ok(edges.has(edge), `the graph lacks ${edge}`);
    }
  });

  it('has no import cycles inside src/engine (type-only imports count: they tie the files together as much for a reader)', () => {
    const cycles = findCycles(importGraph(engineFiles));
    assert.deepEqual(cycles.map((cycle) => [...cycle, cycle[0]].map(name).join(' → ')), []);
  });

  it('the cells import only the math, the parameters, random numbers and ./cell: they never see a backend or a loop', () => {
    const allowed = (target: string): boolean => ['math.ts', 'parameter.ts', 'cells/cell.ts'].includes(name(target)) || name(target).startsWith('random/');
    const violations: string[] = [];
    const cells = engineFiles.filter((file) => name(file).startsWith('cells/'));
    assert.ok(cells.length >= 4, `only ${cells.length} cell files found`);
    for (const file of cells) {
      for (const specifier of importsOf(file)) {
        const target = specifier.startsWith('.') ? resolveImport(file, specifier) : undefined;
        if (!target || !allowed(target)) violations.push(`${name(file)} imports '${specifier}'`);
      }
    }
    assert.deepEqual(violations, []);
  });

  it('the backend (kernels.ts) is used only above the time loops: no cell, time loop, head, loss or WebAssembly file imports it', () => {
    const below = /^(cells|wasm)\/|^layers\/(timeLoop|sequenceLayer|linear|losses)\.ts$|^(math|tensor|parameter)\.ts$/;
    const checked = engineFiles.filter((file) => below.test(name(file)));
    assert.ok(checked.some((file) => name(file) === 'wasm/wasmSequenceLayer.ts') && checked.some((file) => name(file) === 'layers/linear.ts'));
    const violations = checked.filter((file) => importsOf(file).some((specifier) => specifier.startsWith('.') && resolveImport(file, specifier) === join(ENGINE, 'kernels.ts')));
    assert.deepEqual(violations.map(name), []);
  });
});
