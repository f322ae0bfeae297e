// Extension-host test runner: runs the *.vscode.test.ts suites of this folder with mocha inside a real VS Code
// extension host. Bundled by test/vscode/hostTests.ts with the suites; two entry points use it:
//   run()      — @vscode/test-electron's extensionTestsPath contract (VS Code desktop);
//   activate() — the bundle installed as an extension in code-server, writing its report to the file named by
//                RNN_LAB_HOST_TESTS_RESULTS (the end-to-end driver reads it).
import Mocha from 'mocha';
import { renameSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';

export interface HostTestResult {
  readonly title: string;
  readonly state: 'passed' | 'failed' | 'pending';
  readonly durationMs?: number;
  readonly error?: string;
}

/** What the code-server driver reads back. */
export interface HostTestReport {
  readonly vscodeVersion: string;
  readonly node: string;
  readonly results: readonly HostTestResult[];
  readonly failures: number;
}

export const RESULTS_VARIABLE = 'RNN_LAB_HOST_TESTS_RESULTS';

/** Runs the suites that `loadSuites` defines (it is called once mocha's `describe`/`it` are global). */
export function runSuites(loadSuites: () => void): Promise<HostTestReport> {
  process.setSourceMapsEnabled(true); // stack traces name the .ts lines (the bundle carries an inline source map)
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'rnn-lab-host-tests', mocha);
  loadSuites();
  const results: HostTestResult[] = [];
  return new Promise((resolve) => {
    const runner = mocha.run((failures) => resolve({ vscodeVersion: vscode.version, node: process.versions.node, results, failures }));
    runner.on('pass', (test) => results.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration }));
    runner.on('pending', (test) => results.push({ title: test.fullTitle(), state: 'pending' }));
    runner.on('fail', (test, error: Error) => results.push({ title: test.fullTitle(), state: 'failed', error: error.stack ?? String(error) }));
  });
}

/** @vscode/test-electron: resolve when every test passed, reject otherwise (VS Code then exits non-zero). */
export async function run(loadSuites: () => void): Promise<void> {
  const report = await runSuites(loadSuites);
  if (report.failures > 0) throw new Error(`${report.failures} extension-host test(s) failed`);
}

/** code-server: run once at startup when the driver asked for it, and write the report atomically. */
export async function activate(loadSuites: () => void): Promise<void> {
  const target = process.env[RESULTS_VARIABLE];
  if (!target) return;
  let report: HostTestReport;
  try {
    report = await runSuites(loadSuites);
  } catch (error) {
    report = { vscodeVersion: vscode.version, node: process.versions.node, results: [{ title: 'run the suites', state: 'failed', error: String(error) }], failures: 1 };
  }
  writeFileSync(`${target}.partial`, JSON.stringify(report, null, 2));
  renameSync(`${target}.partial`, target);
}
