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
  engine: ['shared'],
  shared: ['engine'],
  lessons: ['engine', 'shared'],
  grading: ['engine', 'lessons', 'shared'],
  node: ['engine', 'shared'],
  cli: ['engine', 'lessons', 'grading', 'shared', 'node'],
  worker: ['engine', 'shared'],
  extension: ['engine', 'lessons', 'grading', 'shared', 'worker', 'node'],
  webview: ['shared'],
};
/** Layers that must run in a browser or a bare worker: no Node built-ins. */
const PURE = new Set(['engine', 'shared', 'lessons', 'webview']);

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
