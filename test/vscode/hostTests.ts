// Builds the extension-host suites (test/vscode/host/*.vscode.test.ts) into one folder that is both an extension
// (installed into code-server by the end-to-end driver) and a module with run() for @vscode/test-electron.
// No Playwright here, so the electron runner can use it alone.
import { buildSync } from 'esbuild';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPOSITORY = resolve(__dirname, '..', '..');
const HOST_SUITES = join(REPOSITORY, 'test', 'vscode', 'host');

/** The manifest of a test-only extension (never published) that activates at startup and runs ./index.js. */
export function testExtensionManifest(name: string, displayName: string, description: string): Record<string, unknown> {
  return {
    name, displayName, description,
    version: '0.0.1',
    publisher: 'rnn-lab-test',
    license: 'MIT',
    engines: { vscode: '^1.90.0' },
    main: './index.js',
    activationEvents: ['onStartupFinished'],
  };
}

/** The host suites' extension: activated at startup, it does nothing unless RNN_LAB_HOST_TESTS_RESULTS is set. */
const MANIFEST = testExtensionManifest('rnn-lab-host-tests', 'RNN Lab extension-host tests',
  'Runs the RNN Lab extension-host test suites inside VS Code (test infrastructure, never published).');

/** The suite files, sorted so runs are in a stable order. */
export function hostSuiteFiles(): string[] {
  return readdirSync(HOST_SUITES).filter((name) => name.endsWith('.vscode.test.ts')).sort().map((name) => join(HOST_SUITES, name));
}

/**
 * Bundles runner + suites (mocha included; 'vscode' is provided by the extension host) into `outFolder`/index.js,
 * with a package.json beside it. Returns `outFolder`.
 */
export function buildHostTests(outFolder: string): string {
  rmSync(outFolder, { recursive: true, force: true });
  mkdirSync(outFolder, { recursive: true });
  const load = hostSuiteFiles().map((file) => `require(${JSON.stringify(file)});`).join('\n    ');
  const entry = `
    const runner = require(${JSON.stringify(join(HOST_SUITES, 'runner.ts'))});
    const loadSuites = () => {
    ${load}
    };
    exports.run = () => runner.run(loadSuites);
    exports.activate = () => { void runner.activate(loadSuites); };
    exports.deactivate = () => undefined;
  `;
  buildSync({
    stdin: { contents: entry, resolveDir: HOST_SUITES, sourcefile: 'hostTestsEntry.js', loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    outfile: join(outFolder, 'index.js'),
    sourcemap: 'inline',
    logLevel: 'error',
    // mocha's parallel mode (never used here) resolves worker files by path; leaving them unresolved is harmless.
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
  writeFileSync(join(outFolder, 'package.json'), JSON.stringify(MANIFEST, null, 2));
  writeFileSync(join(outFolder, 'README.md'), '# RNN Lab extension-host tests\n\nTest infrastructure; see docs/testing.md.\n');
  writeFileSync(join(outFolder, 'LICENSE'), 'MIT\n');
  return outFolder;
}
