// `npm start` (scripts/openLab.mjs) on a machine without VS Code desktop, as a student meets it: it starts code-server
// on 127.0.0.1 and prints one URL; the URL serves the workbench with RNN Lab installed and the folder open, README
// first; the hint it prints works (New Training Run, Enter at every step, a run trains); Ctrl-C leaves no process
// behind, and so does killing it outright. It opens a copy of the playground (`npm start -- FOLDER`), so the runs it
// trains stay out of the repository. The VS Code desktop path is tested in test/scripts/openLab.test.ts.
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { ARTIFACTS, findInstall, REPOSITORY } from './harness';

const LAUNCHER = join(REPOSITORY, 'scripts', 'openLab.mjs');
const READY = /RNN Lab is ready: open (http:\/\/127\.0\.0\.1:(\d+)\/\?folder=(\S+))/;

/** PATH without any folder holding a `code` command, so the launcher takes the code-server path on any machine. */
function pathWithoutCode(): string {
  return (process.env.PATH ?? '').split(delimiter).filter((folder) => {
    try {
      accessSync(join(folder, 'code'), constants.X_OK);
      return false;
    } catch {
      return true;
    }
  }).join(delimiter);
}

/**
 * The launcher as `npm start -- FOLDER` runs it, in a process group of its own as a terminal's foreground job, with
 * its code-server profile in a fresh folder (or `labDir`, to meet a running one).
 */
class Launcher {
  readonly labDir: string;
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(workspace: string, labDir?: string) {
    this.labDir = labDir ?? mkdtempSync(join(tmpdir(), 'rnn-lab-lab-'));
    this.child = spawn(process.execPath, [LAUNCHER, workspace], {
      cwd: REPOSITORY,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PATH: pathWithoutCode(), RNN_LAB_LAB_DIR: this.labDir },
    });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  async waitForOutput(pattern: RegExp, timeoutMs = 120_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.stdout);
      if (match) return match;
      if (this.child.exitCode !== null || Date.now() > deadline) {
        assert.fail(`the launcher did not print ${pattern} (exit ${this.child.exitCode}):\n${this.stdout}\n${this.stderr}`);
      }
      await sleep(100);
    }
  }

  /** Every live process started by this launcher, itself included: they all inherit RNN_LAB_LAB_DIR. */
  processes(): number[] {
    return processesWithEnvironment(`RNN_LAB_LAB_DIR=${this.labDir}`);
  }

  killEverything(): void {
    for (const pid of this.processes()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    rmSync(this.labDir, { recursive: true, force: true });
  }
}

/**
 * Part of the launcher's watchdog (the shell, or its `sleep 1`): a session of its own, led by a shell that kills
 * code-server's group if the launcher dies.
 */
function isWatchdog(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const session = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3];
    return readFileSync(`/proc/${session}/cmdline`, 'utf8').startsWith('sh\0-c\0while kill -0');
  } catch {
    return true; // gone
  }
}

function processesWithEnvironment(entry: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue; // a zombie is already gone
      if (readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(entry)) found.push(Number(name));
    } catch {
      // ended while we looked, or not ours to read
    }
  }
  return found;
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

describe('npm start without VS Code desktop: code-server on 127.0.0.1', function () {
  const launchers: Launcher[] = [];
  let workspace: string;
  let launcher: Launcher;
  let url = '';
  let port = 0;
  let browser: Browser | undefined;

  before(async function () {
    findInstall(); // fails with "run npm run vscode:install" rather than letting the launcher install for 2 minutes
    workspace = mkdtempSync(join(tmpdir(), 'rnn-lab-playground-'));
    copyFileSync(join(REPOSITORY, 'playground', 'README.md'), join(workspace, 'README.md'));
    launcher = new Launcher(workspace);
    launchers.push(launcher);
    const ready = await launcher.waitForOutput(READY);
    [, url] = ready;
    port = Number(ready[2]);
  });

  after(async function () {
    await browser?.close().catch(() => undefined);
    launchers.forEach((each) => each.killEverything());
    rmSync(workspace, { recursive: true, force: true });
  });

  it('prints one 127.0.0.1 URL opening the folder, the first step to take, and why there is no password', () => {
    assert.equal(launcher.stdout.match(/http:\/\/\S+/g)?.length, 1, launcher.stdout);
    assert.equal(new URL(url).searchParams.get('folder'), workspace);
    assert.ok(port >= 8420 && port < 8440, `port ${port} is the default 8420 or one of the next free ones`);
    assert.match(launcher.stdout, /Open the command palette \(F1 or Ctrl\+Shift\+P\) and run 'RNN Lab: New Training Run' — press Enter at every step\./);
    assert.match(launcher.stdout, /without a password because it listens on 127\.0\.0\.1 only/);
  });

  it('the URL serves the VS Code workbench, on the loopback interface only', async () => {
    const response = await fetch(url);
    assert.equal(response.status, 200);
    const page = await response.text();
    assert.match(page, /id="vscode-workbench-web-configuration"/);
    assert.match(page, /workbench\.js/);
    const external = Object.values(networkInterfaces()).flat().find((address) => address && address.family === 'IPv4' && !address.internal);
    if (external) assert.equal(await accepts(external.address, port), false, `code-server must not answer on ${external.address}`);
  });

  it('a second npm start while the lab runs points to the running one instead of starting another', async () => {
    const second = new Launcher(workspace, launcher.labDir);
    assert.equal(await second.exited, 1);
    assert.match(second.stderr, /already running/);
    assert.ok(second.stderr.includes(url), second.stderr);
  });

  it('in the browser: the README opens, and the printed hint trains a run (New Training Run, Enter at every step)', async function () {
    const install = findInstall();
    browser = await chromium.launch({
      executablePath: install.chromium,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-dev-shm-usage'],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(30_000);
    try {
      await page.goto(url);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await page.locator('.tab', { hasText: 'README.md' }).first().waitFor();

      const widget = page.locator('.quick-input-widget');
      const input = widget.locator('.quick-input-box input');
      const row = widget.locator('.monaco-list-row', { hasText: 'RNN Lab: New Training Run' }).first();
      // Extensions register their commands a moment after the workbench shows: reopen the palette until it is listed.
      for (let attempt = 0; ; attempt++) {
        await page.keyboard.press('F1');
        const listed = await input.fill('>RNN Lab: New Training Run', { timeout: 3_000 }).then(() => row.waitFor({ timeout: 3_000 })).then(() => true, () => false);
        if (listed) break;
        assert.ok(attempt < 10, 'RNN Lab: New Training Run is not in the command palette');
        await page.keyboard.press('Escape');
      }
      await input.press('Enter');
      // Enter at every step: the title counts them, "New Training Run (i/N)".
      const title = widget.locator('.quick-input-title');
      await title.filter({ hasText: /New Training Run \(1\/\d+\)/ }).waitFor();
      const total = Number(/\(1\/(\d+)\)/.exec(await title.innerText())![1]);
      for (let step = 1; step <= total; step++) {
        await title.filter({ hasText: `(${step}/${total})` }).waitFor();
        await input.press('Enter');
      }
      await widget.waitFor({ state: 'hidden' });
      const finished = page.locator('.notifications-toasts .notification-toast', { hasText: /finished/ }).first();
      await finished.waitFor({ timeout: 180_000 });
      assert.match(await finished.innerText(), /300 steps/);
      const runs = join(workspace, '.rnn-lab', 'runs');
      const saved = existsSync(runs) ? readdirSync(runs) : [];
      assert.equal(saved.length, 1, 'one run saved in the folder\'s .rnn-lab/runs');
      assert.ok(existsSync(join(runs, saved[0], 'model.json')), 'the run saved its model');
    } catch (error) {
      await page.screenshot({ path: join(ARTIFACTS, 'launcher-failure.png') }).catch(() => undefined);
      throw error;
    }
  });

  it('Ctrl-C stops code-server and everything it started, and frees the port', async () => {
    assert.ok(launcher.processes().length > 2, 'the launcher, code-server and its helpers are running');
    process.kill(-launcher.child.pid!, 'SIGINT'); // what Ctrl-C in the terminal does: SIGINT to the foreground group
    assert.equal(await Promise.race([launcher.exited, sleep(20_000).then(() => 'still running')]), 0);
    assert.match(launcher.stdout, /Stopping code-server \(SIGINT\) … stopped\./);
    // Stopped by the launcher itself, before it exits: only the watchdog may still be there (it would otherwise clean
    // up after a launcher that did not), and it notices within a second that the server is gone, and ends too.
    assert.deepEqual(launcher.processes().filter((pid) => !isWatchdog(pid)), [], 'code-server stopped before the launcher exited');
    assert.ok(await waitUntil(() => launcher.processes().length === 0, 5_000), `left behind: ${launcher.processes().join(', ')}`);
    assert.equal(await accepts('127.0.0.1', port), false, 'nothing listens on the port any more');
    assert.equal(existsSync(join(launcher.labDir, 'lab.json')), false);
  });

  it('when the launcher is killed outright (SIGKILL), its watchdog stops code-server within seconds', async () => {
    const killed = new Launcher(workspace);
    launchers.push(killed);
    await killed.waitForOutput(READY);
    assert.ok(killed.processes().length > 2);
    process.kill(killed.child.pid!, 'SIGKILL');
    assert.ok(await waitUntil(() => killed.processes().length === 0, 10_000), `left behind: ${killed.processes().join(', ')}`);
  });
});
