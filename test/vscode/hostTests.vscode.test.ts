// Runs the extension-host suites (test/vscode/host/) inside code-server: the repository's extension is built and
// packaged as a user would install it, the suites are installed beside it as a test extension, and their report is
// read back. The same suites run in VS Code desktop through `npm run test:electron` (see docs/testing.md).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageVsix, processesInGroup, REPOSITORY, temporaryFolder, VsCode } from './harness';
import { buildHostTests } from './hostTests';
import type { HostTestReport } from './host/runner';

describe('extension-host suites in code-server', function () {
  let vscode: VsCode | undefined;

  after(async function () {
    if (!vscode) return;
    const groups = vscode.processGroups();
    await vscode.close();
    assert.deepEqual(groups.flatMap((group) => processesInGroup(group)), []);
  });

  it('the RNN Lab .vsix installs and every host suite passes', async function () {
    this.timeout(600_000);
    const folder = temporaryFolder('rnn-lab-host-');
    execFileSync(process.execPath, [join(REPOSITORY, 'scripts', 'build.mjs')], { cwd: REPOSITORY, stdio: 'pipe' });
    const extensionVsix = packageVsix(REPOSITORY, join(folder, 'rnn-lab.vsix'));
    const suitesVsix = packageVsix(buildHostTests(join(folder, 'host-tests')), join(folder, 'rnn-lab-host-tests.vsix'));
    const resultsFile = join(folder, 'results.json');

    vscode = await VsCode.launch({ name: 'host-suites', vsix: [extensionVsix, suitesVsix], env: { RNN_LAB_HOST_TESTS_RESULTS: resultsFile } });
    // The suites run lessons' cells and checks in kernels: minutes on a loaded 2-core machine.
    const deadline = Date.now() + 420_000;
    while (!existsSync(resultsFile)) {
      if (Date.now() > deadline) {
        await vscode.captureFailure('no-host-report');
        assert.fail('the host suites wrote no report within 420 s (see test-artifacts/vscode/host-suites)');
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const report = JSON.parse(readFileSync(resultsFile, 'utf8')) as HostTestReport;
    console.log(`      VS Code ${report.vscodeVersion}, extension host on Node ${report.node}`);
    for (const result of report.results) console.log(`      ${result.state === 'passed' ? '✔' : result.state === 'pending' ? '-' : '✖'} ${result.title}`);

    assert.ok(report.results.length > 0, 'the host suites defined no test');
    const failed = report.results.filter((result) => result.state === 'failed');
    for (const result of failed) console.log(`\n      ✖ ${result.title}\n${result.error}`);
    if (failed.length > 0) await vscode.captureFailure('host-test-failed');   // code-server's and the extension host's logs
    assert.deepEqual(failed.map((result) => `${result.title}: ${(result.error ?? '').split('\n')[0]}`), [], 'failed in the extension host');
  });
});
