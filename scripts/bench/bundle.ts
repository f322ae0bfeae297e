// Benchmark (issue #4): esbuild bundles of the Node runners, so the timed processes run plain JavaScript (no tsx
// compiling on the fly) and the engine's peak RSS is the engine's. npm packages (tfjs, brain.js) stay external and
// load from node_modules, which is why the bundles live under node_modules/.cache.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

export const ROOT = join(__dirname, '..', '..');
export const BUNDLE_DIR = join(ROOT, 'node_modules', '.cache', 'rnn-lab-bench');

export type RunnerBundles = Readonly<Record<'engine' | 'tfjs' | 'brain', string>>;

export async function bundleRunners(): Promise<RunnerBundles> {
  mkdirSync(BUNDLE_DIR, { recursive: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints: { engineRunner: 'scripts/bench/engineRunner.ts', tfjsRunner: 'scripts/bench/tfjsRunner.ts', brainRunner: 'scripts/bench/brainRunner.ts' },
    outdir: BUNDLE_DIR,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
  return { engine: join(BUNDLE_DIR, 'engineRunner.js'), tfjs: join(BUNDLE_DIR, 'tfjsRunner.js'), brain: join(BUNDLE_DIR, 'brainRunner.js') };
}
