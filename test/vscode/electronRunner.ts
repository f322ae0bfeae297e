// Runs the extension-host suites (test/vscode/host/*.vscode.test.ts) in VS Code desktop with @vscode/test-electron,
// on machines that can download VS Code (`npm run test:electron`; on a Linux without a display, under `xvfb-run -a`).
// The Playwright-driven UI tests do not run here: they need code-server (see docs/testing.md).
// On this project's machines the VS Code download is refused, so this runner cannot run here; code-server runs the
// same suites instead (test/vscode/hostTests.vscode.test.ts).
import { runTests } from '@vscode/test-electron';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHostTests, REPOSITORY } from './hostTests';

async function main(): Promise<void> {
  // The extension under test is the repository itself (extensionDevelopmentPath), built as it ships.
  execFileSync(process.execPath, [join(REPOSITORY, 'scripts', 'build.mjs')], { cwd: REPOSITORY, stdio: 'inherit' });
  const suites = buildHostTests(join(REPOSITORY, 'out', 'vscode-host-tests'));
  const workspace = mkdtempSync(join(tmpdir(), 'rnn-lab-electron-'));
  try {
    const exitCode = await runTests({
      // Pin with RNN_LAB_VSCODE_VERSION (e.g. 1.90.0, the oldest engines.vscode allows); defaults to stable.
      version: process.env.RNN_LAB_VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: REPOSITORY,
      extensionTestsPath: join(suites, 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
    process.exitCode = exitCode;
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`electron runner failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
