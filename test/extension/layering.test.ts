// What test/architecture.test.ts (direct imports, layer by layer) cannot see: the host logic (src/extension/host) and
// the training worker (src/extension/worker) do not reach the VS Code glue even indirectly, and the worker bundle
// that ships does not load 'vscode'.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ensureWorkerBuilt, REPOSITORY } from './extensionHarness';

const SOURCE = join(REPOSITORY, 'src');

function typescriptFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    return entry.isDirectory() ? typescriptFiles(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Module specifiers of static imports and re-exports (`import … from 'x'`, `export … from 'x'`, `import 'x'`). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm)].map((m) => m[1] ?? m[2]);
}

/** Every source file reachable from `file` through relative imports. */
function closure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const specifier of importsOf(file)) {
    if (!specifier.startsWith('.')) continue;
    const base = resolve(dirname(file), specifier);
    const target = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
    if (target) closure(target, seen);
  }
  return seen;
}

describe('layering', () => {
  const files = typescriptFiles(SOURCE);
  const glue = (file: string): boolean => {
    const path = relative(SOURCE, file);
    return path.startsWith('extension/') && !path.startsWith('extension/host/') && !path.startsWith('extension/worker/');
  };

  it('keeps the training worker and the host logic free of the glue, even indirectly', () => {
    const entries = files.filter((file) => /src\/extension\/(host|worker)\//.test(file));
    for (const entry of entries) {
      const reached = [...closure(entry)].filter(glue).map((file) => relative(REPOSITORY, file));
      assert.deepEqual(reached, [], `${relative(REPOSITORY, entry)} reaches the VS Code glue`);
    }
  });

  it('ships a worker bundle that does not load vscode, and an extension bundle that leaves vscode to VS Code', () => {
    const worker = readFileSync(ensureWorkerBuilt(), 'utf8');
    const extension = readFileSync(join(REPOSITORY, 'dist', 'extension.js'), 'utf8');
    assert.doesNotMatch(worker, /require\(["']vscode["']\)/);
    assert.match(extension, /require\(["']vscode["']\)/);
  });
});
