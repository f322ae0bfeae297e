// `npm start` (scripts/openLab.mjs) on a machine with VS Code desktop: a fake `code` first on PATH records how it is
// called. The launcher must build, package a fresh .vsix, install it with `code --install-extension` and open the
// playground. The code-server path is tested in test/vscode/launcher.vscode.test.ts.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

const REPOSITORY = resolve(__dirname, '..', '..');
const LAUNCHER = join(REPOSITORY, 'scripts', 'openLab.mjs');
const PLAYGROUND = join(REPOSITORY, 'playground');

/** Each call on its own: one argument a line, then a `--end--` line. `FAKE_CODE_FAIL` makes the install fail. */
const FAKE_CODE = `#!/bin/sh
{ for argument in "$@"; do printf '%s\\n' "$argument"; done; echo --end--; } >> "$FAKE_CODE_CALLS"
if [ -n "$FAKE_CODE_FAIL" ] && [ "$1" = --install-extension ]; then echo "$FAKE_CODE_FAIL" >&2; exit 1; fi
exit 0
`;

interface LaunchResult { code: number | null; stdout: string; stderr: string; calls: string[][] }

describe('npm start with VS Code desktop (a fake `code` on PATH)', function () {
  this.timeout(120_000);
  let folder: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'rnn-lab-open-lab-'));
    mkdirSync(join(folder, 'bin'));
    writeFileSync(join(folder, 'bin', 'code'), FAKE_CODE);
    chmodSync(join(folder, 'bin', 'code'), 0o755);
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  function launch(env: Record<string, string> = {}, args: string[] = []): Promise<LaunchResult> {
    const calls = join(folder, 'calls.txt');
    const child = spawn(process.execPath, [LAUNCHER, ...args], {
      cwd: REPOSITORY,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PATH: `${join(folder, 'bin')}${delimiter}${process.env.PATH ?? ''}`, FAKE_CODE_CALLS: calls, RNN_LAB_LAB_DIR: join(folder, 'lab'), ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((done, fail) => {
      child.on('error', fail);
      child.on('close', (code) => {
        const lines = existsSync(calls) ? readFileSync(calls, 'utf8').split('\n') : [];
        const parsed: string[][] = [];
        let current: string[] = [];
        for (const line of lines) {
          if (line === '--end--') {
            parsed.push(current);
            current = [];
          } else if (line !== '') current.push(line);
        }
        done({ code, stdout, stderr, calls: parsed });
      });
    });
  }

  it('packages a fresh .vsix, installs it with `code --install-extension … --force`, opens the playground and its README, and exits', async () => {
    const started = Date.now();
    const result = await launch();
    assert.equal(result.code, 0, result.stdout + result.stderr);

    const { version } = JSON.parse(readFileSync(join(REPOSITORY, 'package.json'), 'utf8')) as { version: string };
    const vsix = join(REPOSITORY, `rnn-lab-${version}.vsix`);
    assert.deepEqual(result.calls, [
      ['--install-extension', vsix, '--force'],
      [PLAYGROUND, join(PLAYGROUND, 'README.md')],
    ]);
    // Packaged by this run, with the bundled extension inside (a zip stores its file names uncompressed).
    assert.ok(statSync(vsix).mtimeMs >= started - 1_000, 'the .vsix was packaged again');
    const zip = readFileSync(vsix);
    assert.equal(zip.subarray(0, 2).toString(), 'PK');
    for (const file of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/worker.js', 'extension/dist/webview.js']) {
      assert.ok(zip.includes(file), `the .vsix holds ${file}`);
    }

    assert.match(result.stdout, /Open the command palette \(F1 or Ctrl\+Shift\+P\) and run 'RNN Lab: New Training Run' — press Enter at every step\./);
    assert.match(result.stdout, /For the lessons: click the RNN Lab icon in the activity bar \(the left edge\), then a lesson in the Lessons view\./);
    assert.doesNotMatch(result.stdout, /code-server|127\.0\.0\.1/, 'no code-server when VS Code desktop is there');
    assert.ok(!existsSync(join(folder, 'lab')), 'the code-server profile folder is not created');
  });

  it('the playground README tells the student what to do first', () => {
    const readme = readFileSync(join(PLAYGROUND, 'README.md'), 'utf8');
    assert.match(readme, /RNN Lab: New Training Run/);
    assert.match(readme, /Enter at every step/);
    assert.match(readme, /## Your first lesson/);
    assert.match(readme, /Lessons view/);
  });

  it('npm start -- FOLDER opens that folder instead (without a README, only the folder)', async () => {
    const workspace = join(folder, 'my lab');
    mkdirSync(workspace);
    const result = await launch({}, [workspace]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.deepEqual(result.calls[1], [workspace]);
  });

  it('npm start -- FOLDER with a folder that does not exist: one line saying so, exit 1, nothing built or opened', async () => {
    const result = await launch({}, [join(folder, 'nowhere')]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /nowhere is not a folder \(usage: npm start \[-- FOLDER\]\)/);
    assert.equal(result.stdout, '');
    assert.deepEqual(result.calls, []);
  });

  it('when `code --install-extension` fails, says why, exits 1 and opens nothing', async () => {
    const result = await launch({ FAKE_CODE_FAIL: 'Extension is not compatible with Code 1.80.0' });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Extension is not compatible with Code 1\.80\.0/);
    assert.equal(result.calls.length, 1, 'only the install was tried');
    assert.equal(result.calls[0][0], '--install-extension');
  });
});
