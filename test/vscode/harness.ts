// End-to-end test harness: a real VS Code (code-server, installed by scripts/vscode/install.sh) on 127.0.0.1, driven
// through Debian's chromium with playwright-core. Test infrastructure only; it never imports the extension.
import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { Browser, chromium, Frame, Locator, Page } from 'playwright-core';

export const REPOSITORY = resolve(__dirname, '..', '..');
export const ARTIFACTS = join(REPOSITORY, 'test-artifacts', 'vscode');

/** What scripts/vscode/install.sh writes after a complete install. */
export interface InstallManifest {
  readonly codeServerVersion: string;
  readonly nodeVersion: string;
  readonly node: string;
  readonly codeServerEntry: string;
  readonly chromium: string;
}

/**
 * Finds the cached install. Installing takes about two minutes, so it is a separate step (`npm run vscode:install`,
 * which `npm run test:vscode` runs first) rather than a side effect of a test's `before` hook.
 */
export function findInstall(): InstallManifest {
  let manifestPath: string;
  try {
    manifestPath = execFileSync('bash', [join(REPOSITORY, 'scripts', 'vscode', 'install.sh'), '--print'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('code-server is not installed: run `bash scripts/vscode/install.sh` (npm run vscode:install) first');
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as InstallManifest;
  if (!existsSync(manifest.chromium)) throw new Error(`no browser at ${manifest.chromium}: run scripts/vscode/install.sh as root`);
  return manifest;
}

export interface LaunchOptions {
  /** .vsix files installed with `code-server --install-extension` before the server starts. */
  readonly vsix?: readonly string[];
  /** Folder to open; a fresh empty one when omitted. */
  readonly workspace?: string;
  /** Start in a window with no folder open (as VS Code starts for someone who has not opened one). Default: off. */
  readonly noFolder?: boolean;
  /** Keep Workspace Trust on (the folder then opens in Restricted Mode behind a trust prompt). Default: off. */
  readonly workspaceTrust?: boolean;
  /** User settings, merged over the harness's quiet defaults. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Extra environment for code-server and so for the extension host. */
  readonly env?: Readonly<Record<string, string>>;
  /** Names this session's artifacts folder (screenshots, logs). */
  readonly name?: string;
  readonly viewport?: { readonly width: number; readonly height: number };
}

/** Settings that keep the first window free of welcome pages, chat panels and network lookups. */
const QUIET_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'window.restoreWindows': 'none',
};

// Chromium flags for this machine: as root it needs --no-sandbox; the closed network makes background services fail
// loudly (docs/testing.md). Debian's build also starts chrome_crashpad_handler outside the
// browser's process group; it exits by itself within a second or two of the browser, even when the browser is killed.
// (--disable-crashpad-for-testing would stop it, but then page navigations abort here.)
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

const DEFAULT_TIMEOUT = 30_000;

const temporaryFolders: string[] = [];

/** A fresh folder for one test's files (a workspace, an extension to package), removed when the test process exits. */
export function temporaryFolder(prefix = 'rnn-lab-e2e-'): string {
  installExitHandlers();
  const folder = mkdtempSync(join(tmpdir(), prefix));
  temporaryFolders.push(folder);
  return folder;
}

/** Every live session, so a crash, a signal or a forgotten close() still leaves no process behind. */
const live = new Set<VsCode>();
let exitHandlersInstalled = false;
function installExitHandlers(): void {
  if (exitHandlersInstalled) return;
  exitHandlersInstalled = true;
  const cleanUp = (): void => {
    live.forEach((session) => session.killNow());
    temporaryFolders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true }));
  };
  process.on('exit', cleanUp);
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    // Playwright listens for these too, so re-raising the signal would not end the process: exit as the signal would.
    process.once(signal, () => {
      cleanUp();
      process.exit(128 + (signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

export interface Timings {
  installExtensionsMs: number;
  serverStartMs: number;
  browserStartMs: number;
  workbenchReadyMs: number;
}

export class VsCode {
  /** Set by launch(); valid until close(). */
  page!: Page;
  browser!: Browser;
  url = '';
  readonly timings: Timings = { installExtensionsMs: 0, serverStartMs: 0, browserStartMs: 0, workbenchReadyMs: 0 };
  /** Browser console messages from the workbench and every webview frame (CSP violations show up here). */
  readonly console: string[] = [];
  readonly serverLog: string[] = [];
  readonly artifacts: string;
  readonly root: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly workspace: string;
  private server: ChildProcess | undefined;
  private browserPid: number | undefined;
  private closed = false;

  private constructor(
    private readonly install: InstallManifest,
    private readonly options: LaunchOptions,
  ) {
    this.root = mkdtempSync(join(tmpdir(), 'rnn-lab-vscode-'));
    this.userDataDir = join(this.root, 'user-data');
    this.extensionsDir = join(this.root, 'extensions');
    this.workspace = options.workspace ?? join(this.root, 'workspace');
    this.artifacts = join(ARTIFACTS, sanitize(options.name ?? 'session'));
    mkdirSync(this.artifacts, { recursive: true });
    mkdirSync(join(this.userDataDir, 'User'), { recursive: true });
    mkdirSync(this.extensionsDir, { recursive: true });
    mkdirSync(this.workspace, { recursive: true });
  }

  /** Starts code-server and a browser on it, with the workbench loaded and the folder open. */
  static async launch(options: LaunchOptions = {}): Promise<VsCode> {
    installExitHandlers();
    const session = new VsCode(findInstall(), options);
    live.add(session);
    try {
      await session.start();
    } catch (error) {
      await session.captureFailure('launch-failed');
      await session.close();
      throw error;
    }
    return session;
  }

  private async start(): Promise<void> {
    const { options } = this;
    writeFileSync(join(this.userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...options.settings }, null, 2));
    // code-server reads and, when missing, writes ~/.config/code-server/config.yaml: give it its own.
    writeFileSync(join(this.root, 'config.yaml'), 'auth: none\n');

    let started = Date.now();
    for (const vsix of options.vsix ?? []) {
      await this.codeServerCli(['--install-extension', vsix, '--force']);
    }
    this.timings.installExtensionsMs = Date.now() - started;

    started = Date.now();
    const port = await this.startServer();
    this.timings.serverStartMs = Date.now() - started;

    started = Date.now();
    const childrenBefore = new Set(childProcesses());
    this.browser = await chromium.launch({ executablePath: this.install.chromium, headless: true, args: CHROMIUM_ARGS });
    // Playwright starts the browser as our child in a process group of its own; remember it for memory and teardown.
    this.browserPid = childProcesses().find((pid) => !childrenBefore.has(pid) && readCommandLine(pid).includes('chromium'));
    this.timings.browserStartMs = Date.now() - started;
    const context = await this.browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 } });
    this.page = await context.newPage();
    this.page.setDefaultTimeout(DEFAULT_TIMEOUT);
    this.page.on('console', (message) => this.console.push(`[${message.type()}] ${message.text()}`));
    this.page.on('pageerror', (error) => this.console.push(`[pageerror] ${error.message}`));

    started = Date.now();
    this.url = options.noFolder ? `http://127.0.0.1:${port}/` : `http://127.0.0.1:${port}/?folder=${encodeURIComponent(this.workspace)}`;
    await this.page.goto(this.url);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.part.statusbar').waitFor({ timeout: 60_000 });
    if (!options.workspaceTrust && !options.noFolder) {
      // The explorer shows the folder once the workbench has resolved it.
      await this.page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ state: 'attached', timeout: 60_000 });
    }
    this.timings.workbenchReadyMs = Date.now() - started;
  }

  private baseArguments(): string[] {
    return ['--config', join(this.root, 'config.yaml'), '--user-data-dir', this.userDataDir, '--extensions-dir', this.extensionsDir];
  }

  private environment(): NodeJS.ProcessEnv {
    // XDG folders inside the session keep code-server's own state (logs, heartbeat, sockets) out of $HOME.
    return {
      ...process.env,
      XDG_CONFIG_HOME: join(this.root, 'xdg-config'),
      XDG_DATA_HOME: join(this.root, 'xdg-data'),
      XDG_CACHE_HOME: join(this.root, 'xdg-cache'),
      ...this.options.env,
    };
  }

  /** Runs code-server as a one-shot command line tool (extension management), with this session's folders. */
  private codeServerCli(args: readonly string[]): Promise<string> {
    return new Promise((resolvePromise, reject) => {
      execFile(this.install.node, [this.install.codeServerEntry, ...this.baseArguments(), ...args], { env: this.environment(), timeout: 120_000 },
        (error, stdout, stderr) => {
          if (error) reject(new Error(`code-server ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`));
          else resolvePromise(stdout);
        });
    });
  }

  /** Starts the server in its own process group and resolves with the port it bound (it picks a free one). */
  private startServer(): Promise<number> {
    const args = [
      ...this.baseArguments(),
      '--bind-addr', '127.0.0.1:0',
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      ...(this.options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    ];
    // The shell becomes the group leader and execs code-server, after starting a watchdog in a session of its own:
    // when this test process dies without running any handler (SIGKILL), the watchdog kills the server's whole group
    // and removes the session folder; when the server ends first, the watchdog ends too (within a second).
    const watchdog = 'while kill -0 "$1" && kill -0 "$2"; do sleep 1; done; kill -s KILL -- "-$2"; kill -0 "$1" || rm -rf "$3"';
    const script = `parent=$1; root=$2; shift 2; setsid sh -c '${watchdog}' watchdog "$parent" $$ "$root" </dev/null >/dev/null 2>&1 & exec "$@"`;
    const server = spawn('/bin/sh', ['-c', script, 'sh', String(process.pid), this.root, this.install.node, this.install.codeServerEntry, ...args], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: this.environment(),
    });
    this.server = server;
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`code-server did not start in 60 s:\n${this.serverLog.join('')}`)), 60_000);
      const onData = (chunk: Buffer): void => {
        const text = chunk.toString();
        this.serverLog.push(text);
        const match = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(this.serverLog.join(''));
        if (match) {
          clearTimeout(timer);
          resolvePromise(Number(match[1]));
        }
      };
      server.stdout!.on('data', onData);
      server.stderr!.on('data', onData);
      server.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`code-server exited early (${code ?? signal}):\n${this.serverLog.join('')}`));
      });
    });
  }

  // --- driving the workbench ------------------------------------------------------------------------------------------

  /** The quick input widget (command palette, quick picks, input boxes). */
  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /**
   * Runs a command by its title as shown in the palette ("Category: Title"), the way a user does: F1, type, Enter.
   * The palette lists what was registered when it opened, and extensions register their commands a little after the
   * workbench shows, so it reopens the palette (after 1, 2, 4, then 5 s) until the command is listed.
   */
  async runCommand(title: string, timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const input = this.quickInput.locator('.quick-input-box input');
    const row = this.quickInput.locator('.monaco-list-row', { has: this.page.locator('.label-name', { hasText: exactly(title) }) }).first();
    for (let attempt = 1; ; attempt++) {
      const timeout = Math.max(1, Math.min(1_000 * 2 ** (attempt - 1), 5_000, deadline - Date.now()));
      try {
        await this.page.keyboard.press('F1');
        await input.fill(`>${title}`, { timeout });
        await row.waitFor({ state: 'visible', timeout });
        // Move the focus to the exact match (a longer title that contains this one may be listed first).
        for (let step = 0; step < 20 && !(await isFocused(row)); step++) await input.press('ArrowDown', { timeout });
        await input.press('Enter', { timeout });
        // Wait until the palette is gone or replaced (the command may open a quick pick of its own at once).
        await waitUntilAsync(async () => !(await this.quickInput.isVisible()) || (await input.inputValue().catch(() => '')) !== `>${title}`, 5_000);
        return;
      } catch (error) {
        if (Date.now() >= deadline) throw new Error(`command "${title}" not run after ${attempt} attempts: ${String(error).split('\n')[0]}`);
        await this.closeQuickInput();
      }
    }
  }

  /**
   * "Developer: Reload Window", as a user reloads: VS Code saves the window's state (its open editors) before it
   * reloads, which a bare page reload does not wait for. Resolves when the new workbench is there.
   */
  async reloadWindow(timeoutMs = 60_000): Promise<void> {
    const title = 'Developer: Reload Window';
    const input = this.quickInput.locator('.quick-input-box input');
    const row = this.quickInput.locator('.monaco-list-row', { has: this.page.locator('.label-name', { hasText: exactly(title) }) }).first();
    await this.closeQuickInput();
    await this.page.keyboard.press('F1');
    await input.fill(`>${title}`);
    await row.waitFor({ state: 'visible' });
    for (let step = 0; step < 20 && !(await isFocused(row)); step++) await input.press('ArrowDown');
    const navigated = this.page.waitForEvent('framenavigated', { predicate: (frame) => frame === this.page.mainFrame(), timeout: timeoutMs });
    await input.press('Enter');
    await navigated;
    await this.page.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
  }

  /** Closes the quick input if it is open and waits until it is gone. */
  async closeQuickInput(): Promise<void> {
    if (await this.quickInput.isVisible()) await this.page.keyboard.press('Escape');
    await this.quickInput.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  }

  /**
   * Answers the current quick pick or input box: picks the item labelled `pick` (typing it to filter), types `text`
   * into an input box, or, with neither, accepts the focused item. Waits for the step to change or the widget to close.
   */
  async acceptQuickPick(answer: { pick?: string; text?: string } = {}): Promise<void> {
    const input = this.quickInput.locator('.quick-input-box input');
    await input.waitFor({ state: 'visible' });
    const before = await this.quickInputSnapshot();
    if (answer.pick !== undefined) {
      await input.fill(answer.pick);
      const row = this.quickInput.locator('.monaco-list-row', { has: this.page.locator('.label-name', { hasText: exactly(answer.pick) }) });
      await row.first().waitFor({ state: 'visible' });
      for (let step = 0; step < 50 && !(await isFocused(row.first())); step++) {
        await input.press('ArrowDown');
      }
    } else if (answer.text !== undefined) {
      await input.fill(answer.text);
    }
    await input.press('Enter');
    const changed = await waitUntilAsync(async () => !(await this.quickInput.isVisible()) || (await this.quickInputSnapshot()) !== before, DEFAULT_TIMEOUT);
    if (!changed) throw new Error('the quick pick did not move on after Enter');
  }

  /** What the quick input shows: its text and the input's value (a new step changes one of them). */
  private async quickInputSnapshot(): Promise<string> {
    const input = this.quickInput.locator('.quick-input-box input');
    return `${await this.quickInput.innerText().catch(() => '')}\u0000${await input.inputValue().catch(() => '')}`;
  }

  /**
   * Whether the window is in Restricted Mode (Workspace Trust on and the folder not trusted), read from the status bar
   * item VS Code shows then. Only meaningful for sessions launched with `workspaceTrust: true`.
   */
  async isRestrictedMode(): Promise<boolean> {
    const item = this.page.locator('.part.statusbar .statusbar-item', { hasText: 'Restricted Mode' });
    return item.first().isVisible();
  }

  /** Waits for a notification toast containing `text` and returns its full text. */
  async waitForNotification(text: string | RegExp, timeoutMs = DEFAULT_TIMEOUT): Promise<string> {
    const toast = this.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
    await toast.waitFor({ state: 'visible', timeout: timeoutMs });
    return (await toast.innerText()).trim();
  }

  /** The frame holding a webview's own document; see {@link webviewFrame}. */
  webviewFrame(titleOrPredicate: string | RegExp | FramePredicate, timeoutMs = DEFAULT_TIMEOUT): Promise<Frame> {
    return webviewFrame(this.page, titleOrPredicate, timeoutMs);
  }

  /** Saves a PNG of the whole window into test-artifacts/vscode/<session>/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    const path = join(this.artifacts, `${sanitize(name)}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /** On failure: a screenshot, the server log, the browser console and VS Code's own logs, into the artifacts folder. */
  async captureFailure(name: string): Promise<void> {
    const folder = join(this.artifacts, `failure-${sanitize(name)}`);
    mkdirSync(folder, { recursive: true });
    if (this.page && !this.page.isClosed()) {
      await this.page.screenshot({ path: join(folder, 'screen.png'), timeout: 5_000 }).catch(() => undefined);
    }
    writeFileSync(join(folder, 'code-server.log'), this.serverLog.join(''));
    writeFileSync(join(folder, 'browser-console.log'), this.console.join('\n'));
    const logs = join(this.userDataDir, 'logs');
    if (existsSync(logs)) cpSync(logs, join(folder, 'vscode-logs'), { recursive: true });
  }

  /**
   * The newest log of an extension's log output channel (`createOutputChannel(name, { log: true })`): what the Output
   * view shows for it, read from the session's logs folder. Undefined while the channel has not been created.
   */
  extensionLog(extensionId: string, channel: string): string | undefined {
    const logs = join(this.userDataDir, 'logs');
    const found: string[] = [];
    const visit = (folder: string): void => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) visit(path);
        else if (entry.name === `${channel}.log` && basename(folder).toLowerCase() === extensionId.toLowerCase()) found.push(path);
      }
    };
    if (existsSync(logs)) visit(logs);
    const newest = found.sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs).pop();
    return newest === undefined ? undefined : readFileSync(newest, 'utf8');
  }

  /**
   * Memory of the server (with its extension host) and of the browser in MiB: proportional set size summed over each
   * process tree, so pages the processes share are counted once.
   */
  memoryMiB(): { server: number; browser: number } {
    return {
      server: this.server?.pid ? proportionalMiB(processTree(this.server.pid)) : 0,
      browser: this.browserPid ? proportionalMiB(processTree(this.browserPid)) : 0,
    };
  }

  /** Pids still alive in this session's process trees (both are process groups: their ids are the groups' ids). */
  processGroups(): number[] {
    return [this.server?.pid, this.browserPid].filter((pid): pid is number => pid !== undefined);
  }

  /** Closes the browser and kills the server's whole process group; waits until nothing of it is left. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const groups = this.processGroups();
    if (this.browser) await withTimeout(this.browser.close(), 10_000).catch(() => undefined);
    if (this.server?.pid) signalGroup(this.server.pid, 'SIGTERM');
    await waitUntil(() => groups.every((group) => processesInGroup(group).length === 0), 5_000);
    groups.forEach((group) => signalGroup(group, 'SIGKILL'));
    await waitUntil(() => groups.every((group) => processesInGroup(group).length === 0), 5_000);
    live.delete(this);
    if (!process.env.RNN_LAB_KEEP_VSCODE_TEMP) rmSync(this.root, { recursive: true, force: true });
  }

  /** Synchronous last resort for exit and signal handlers. */
  killNow(): void {
    this.processGroups().forEach((group) => signalGroup(group, 'SIGKILL'));
    if (!process.env.RNN_LAB_KEEP_VSCODE_TEMP) rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * Calls `probe` every `intervalMs` until `accept` holds for its value, and returns that value. On timeout it throws
 * with the last value seen (or the probe's last error), so a failure says what was there instead. For webviews this
 * replaces Playwright's waitForFunction, which evaluates with eval and is blocked by a webview's CSP.
 */
export async function waitForValue<T>(probe: () => Promise<T>, accept: (value: T) => boolean,
  options: { readonly timeoutMs?: number; readonly intervalMs?: number; readonly what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT);
  let last: { value: T } | { error: unknown } | undefined;
  for (;;) {
    try {
      const value = await probe();
      if (accept(value)) return value;
      last = { value };
    } catch (error) {
      last = { error };
    }
    if (Date.now() > deadline) {
      const seen = last === undefined ? 'nothing' : 'error' in last ? `error ${String(last.error).split('\n')[0]}` : JSON.stringify(last.value)?.slice(0, 2_000);
      throw new Error(`timed out after ${options.timeoutMs ?? DEFAULT_TIMEOUT} ms waiting for ${options.what ?? 'a value'}; last seen: ${seen}`);
    }
    await new Promise((resolvePromise) => setTimeout(resolvePromise, options.intervalMs ?? 100));
  }
}

export type FramePredicate = (frame: Frame) => boolean | Promise<boolean>;

/**
 * The frame holding a webview's own document: VS Code nests it as the innermost frame whose URL contains
 * `/webview/browser/pre/` (an outer index.html and an inner fake.html). A string or RegExp matches the panel's title
 * (as on its tab; VS Code puts it on the inner iframe) or the webview document's <title>; a predicate may inspect the
 * frame, e.g. {@link webviewOf}.
 */
export async function webviewFrame(page: Page, titleOrPredicate: string | RegExp | FramePredicate, timeoutMs = DEFAULT_TIMEOUT): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of innermostWebviewFrames(page)) {
      if (await frameMatches(frame, titleOrPredicate).catch(() => false)) return frame;
    }
    if (Date.now() > deadline) {
      const seen = await Promise.all(innermostWebviewFrames(page).map(async (frame) => `${await panelTitle(frame)} / ${await frame.title().catch(() => '?')}`));
      throw new Error(`no webview matching ${String(titleOrPredicate)} within ${timeoutMs} ms (panel / document titles seen: ${JSON.stringify(seen)})`);
    }
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 250));
  }
}

/** A predicate for {@link webviewFrame}: webviews owned by the extension `publisher.name`. */
export function webviewOf(extensionId: string): FramePredicate {
  return (frame) => {
    const outer = frame.parentFrame()?.url() ?? '';
    return new URL(outer).searchParams.get('extensionId')?.toLowerCase() === extensionId.toLowerCase();
  };
}

const WEBVIEW_MARKER = '/webview/browser/pre/';

function innermostWebviewFrames(page: Page): Frame[] {
  return page.frames().filter((frame) => frame.url().includes(WEBVIEW_MARKER)
    && !frame.childFrames().some((child) => child.url().includes(WEBVIEW_MARKER)));
}

async function frameMatches(frame: Frame, titleOrPredicate: string | RegExp | FramePredicate): Promise<boolean> {
  if (typeof titleOrPredicate === 'function') return titleOrPredicate(frame);
  const matches = (text: string | null): boolean => text !== null
    && (typeof titleOrPredicate === 'string' ? text === titleOrPredicate : titleOrPredicate.test(text));
  return matches(await panelTitle(frame)) || matches(await frame.title());
}

/** The panel title VS Code sets on the inner iframe element. */
async function panelTitle(frame: Frame): Promise<string | null> {
  const element = await frame.frameElement().catch(() => undefined);
  return element ? element.getAttribute('title') : null;
}

// --- packaging ----------------------------------------------------------------------------------------------------------

/**
 * Packages an extension folder into a .vsix with the repository's @vscode/vsce (the same tool a release uses) and
 * returns its path. Dependencies are not bundled: the extension is expected to be bundled already (esbuild).
 */
export function packageVsix(extensionFolder: string, outFile: string): string {
  const vsce = join(REPOSITORY, 'node_modules', '@vscode', 'vsce', 'vsce');
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--out', outFile], {
    cwd: extensionFolder,
    stdio: 'pipe',
    env: { ...process.env, CI: 'true' },
  });
  return outFile;
}

// --- processes ----------------------------------------------------------------------------------------------------------

interface ProcessEntry { pid: number; ppid: number; pgid: number }

function processTable(): ProcessEntry[] {
  const entries: ProcessEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the parenthesised command name: state ppid pgrp ...
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue; // zombies hold no memory and are reaped by their parent
      entries.push({ pid: Number(name), ppid: Number(fields[1]), pgid: Number(fields[2]) });
    } catch {
      // the process ended while we looked
    }
  }
  return entries;
}

function childProcesses(): number[] {
  return processTable().filter((entry) => entry.ppid === process.pid).map((entry) => entry.pid);
}

/** A process's command line, its arguments joined by spaces; '' once it has ended. */
export function readCommandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Live processes in a process group. */
export function processesInGroup(pgid: number): number[] {
  return processTable().filter((entry) => entry.pgid === pgid).map((entry) => entry.pid);
}

/** A process and all its descendants. */
export function processTree(root: number): number[] {
  const table = processTable();
  const tree = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const entry of table) {
      if (tree.has(entry.ppid) && !tree.has(entry.pid)) {
        tree.add(entry.pid);
        grew = true;
      }
    }
  }
  return [...tree];
}

function proportionalMiB(pids: readonly number[]): number {
  let kib = 0;
  for (const pid of pids) {
    try {
      const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (match) kib += Number(match[1]);
    } catch {
      // gone
    }
  }
  return Math.round(kib / 1024);
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is already gone
  }
}

async function waitUntilAsync(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) return false;
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 100));
  }
  return true;
}

async function isFocused(row: Locator): Promise<boolean> {
  return /(^|\s)focused(\s|$)/.test((await row.getAttribute('class')) ?? '');
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 100));
  }
  return true;
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timed out')), timeoutMs).unref())]);
}

function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

function sanitize(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 100) || 'unnamed';
}
