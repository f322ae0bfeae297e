// Build: bundles the `rnn-lab` CLI (dist/cli.js, chart.js embedded so reports need neither node_modules nor the
// network) and the engine library (dist/engine.js, once src/engine/index.ts exists) with esbuild. Type checking is
// separate: `npm run typecheck`.
import { build } from 'esbuild';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateLabTypes } from './labTypes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

// chart.js's package exports do not list the UMD file, so find it next to the package's main file.
const chartJs = readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
};

/** Each output, built only when its entry file exists (the engine index and others land over time). */
const targets = [
  {
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
    define: { RNN_LAB_CHART_JS: JSON.stringify(chartJs) },
    external: ['chart.js'],   // only read from node_modules when running from source
    executable: true,
  },
  {
    entryPoints: ['src/engine/index.ts'],
    outfile: 'dist/engine.js',
  },
  {
    // The VS Code extension (runs in the extension host); 'vscode' is provided by VS Code at run time.
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
  },
  {
    // The training worker thread the extension starts per run. 'vscode' is deliberately not external: were the
    // worker to import it, this build would fail.
    entryPoints: ['src/extension/worker/trainingWorker.ts'],
    outfile: 'dist/worker.js',
  },
  {
    // The lesson kernel: a child process per open lesson notebook (src/node/kernelProcess.ts forks it). The engine is
    // not inside: reading and compiling it took a sixth of the start (docs/kernel.md, "Start-up").
    entryPoints: ['src/node/kernelMain.ts'],
    outfile: 'dist/kernel.js',
    external: ['./kernelLab.js'],
  },
  {
    // What `import … from 'rnn-lab'` gives a lesson cell (the engine and the display API): read by the kernel when a
    // cell first imports it.
    entryPoints: ['src/kernel/labModule.ts'],
    outfile: 'dist/kernelLab.js',
  },
  {
    // The language worker thread (completion and hover in lesson cells): the TypeScript compiler, bundled and minified
    // (it is most of the .vsix), only ever loaded in this thread.
    entryPoints: ['src/extension/worker/languageWorker.ts'],
    outfile: 'dist/languageWorker.js',
    minify: true,
  },
  {
    // The training dashboard's browser code, chart.js included: one IIFE file the webview loads under its CSP.
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  {
    // The notebook renderer `rnn-lab.charts` (package.json contributes.notebookRenderer): an ES module VS Code loads
    // into a notebook's output frame. chart.js and the dashboard's stylesheet (as text, for shadow roots) inside.
    entryPoints: ['src/webview/notebook/renderer.ts'],
    outfile: 'dist/renderer.js',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    loader: { '.css': 'text' },
  },
];

const started = Date.now();
const built = [];
for (const { executable, ...options } of targets) {
  if (!existsSync(join(root, options.entryPoints[0]))) continue;
  await build({ ...common, ...options });
  if (executable) chmodSync(join(root, options.outfile), 0o755);
  built.push(options.outfile);
}
console.log(`built ${built.join(', ')} in ${Date.now() - started} ms`);
// The declarations completion and hover in lesson cells read (dist/types/labTypes.json, shipped in the .vsix).
console.log(generateLabTypes(root, 'dist/types/labTypes.json'));
