// `npm start`: builds RNN Lab, packages the extension and opens the lab in a real VS Code — VS Code desktop when `code`
// is on PATH, otherwise VS Code in the browser (code-server, installed by scripts/vscode/install.sh) on 127.0.0.1,
// which runs until Ctrl-C. Repository tooling, like build.mjs: it needs the checkout (build script, vsce, install.sh).
//
//   npm start                  # opens playground/, whose README tells the student what to do first
//   npm start -- FOLDER        # opens another folder
//
// Environment: RNN_LAB_PORT (first port to try, default 8420), RNN_LAB_LAB_DIR (code-server's user data, extensions
// and log; default ${XDG_CACHE_HOME:-~/.cache}/rnn-lab/lab), and install.sh's variables (RNN_LAB_VSCODE_CACHE, …).
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPOSITORY = join(dirname(fileURLToPath(import.meta.url)), '..');
// npm runs scripts in the package's folder and passes the folder it was started from as INIT_CWD.
const WORKSPACE = process.argv[2] === undefined ? join(REPOSITORY, 'playground') : resolve(process.env.INIT_CWD ?? process.cwd(), process.argv[2]);
const FIRST_STEP = `Open the command palette (F1 or Ctrl+Shift+P) and run 'RNN Lab: New Training Run' — press Enter at every step.`;
const LESSONS_STEP = `For the lessons: click the RNN Lab icon in the activity bar (the left edge), then a lesson in the Lessons view.`;
const DEFAULT_PORT = 8420;
/** How many ports after the first one to try when it is taken. */
const PORT_ATTEMPTS = 20;
const CACHE = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
const LAB = process.env.RNN_LAB_LAB_DIR || join(CACHE, 'rnn-lab', 'lab');

/**
 * Settings for the lab's own code-server profile, added when missing (a student's later changes stay): the README
 * opens first; no welcome page, chat panel or update checks (the lab works offline).
 */
const LAB_SETTINGS = {
  'workbench.startupEditor': 'readme',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.openRepositoryInParentFolders': 'never',   // the playground sits inside the repository: no prompt about it
  'remote.autoForwardPorts': false,                // no "your application on port N is available" for other servers
};

/** A failure the user can act on: printed as one message, without a stack trace. */
class LabError extends Error {}

const say = (line = '') => process.stdout.write(`${line}\n`);
const shown = (path) => (path.startsWith(homedir()) ? `~${path.slice(homedir().length)}` : path);
/** A folder as the user should see it: relative to the repository when inside it. */
const folderName = (path) => {
  const inside = relative(REPOSITORY, path);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? `${inside}/` : shown(path);
};

async function main() {
  if (process.argv.length > 3 || process.argv[2]?.startsWith('-')) throw new LabError('usage: npm start [-- FOLDER]');
  if (!existsSync(WORKSPACE) || !statSync(WORKSPACE).isDirectory()) throw new LabError(`${WORKSPACE} is not a folder (usage: npm start [-- FOLDER])`);
  const vsix = buildAndPackage();
  const desktop = findVsCodeDesktop();
  if (desktop) return openInVsCodeDesktop(desktop, vsix);
  if (process.platform !== 'linux') {
    throw new LabError('VS Code was not found (no `code` on PATH), and VS Code in the browser (code-server) is set up for Linux only.\n'
      + 'Install VS Code from https://code.visualstudio.com, run "Shell Command: Install \'code\' command in PATH" from its\n'
      + 'command palette, then run npm start again.');
  }
  return openInCodeServer(vsix);
}

// --- build and package --------------------------------------------------------------------------------------------------

/** Builds with the repository's build script and packages the .vsix with its @vscode/vsce (about a second each). */
function buildAndPackage() {
  const { version } = JSON.parse(readFileSync(join(REPOSITORY, 'package.json'), 'utf8'));
  const vsix = join(REPOSITORY, `rnn-lab-${version}.vsix`);
  step('Building RNN Lab', () => run(process.execPath, [join(REPOSITORY, 'scripts', 'build.mjs')]));
  step(`Packaging the extension: ${relative(REPOSITORY, vsix)}`, () => run(process.execPath,
    [join(REPOSITORY, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--out', vsix]));
  return vsix;
}

/** Prints what is happening, does it, and says how long it took. */
function step(what, work) {
  process.stdout.write(`${what} … `);
  const started = Date.now();
  try {
    const result = work();
    say(`done (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return result;
  } catch (error) {
    say('failed');
    throw error;
  }
}

/** Runs a command to completion; its output is shown only when it fails. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: REPOSITORY, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options });
  if (result.error) throw new LabError(`could not run ${command}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new LabError(`${[command, ...args].join(' ')} failed (exit ${result.status ?? result.signal}):\n${`${result.stdout}\n${result.stderr}`.trim()}`);
  }
  return result.stdout;
}

// --- VS Code desktop ----------------------------------------------------------------------------------------------------

/** The `code` command on PATH (or in the usual macOS install), or undefined. */
function findVsCodeDesktop() {
  const names = process.platform === 'win32' ? ['code.cmd', 'code.exe'] : ['code'];
  for (const folder of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const path = join(folder, name);
      if (isExecutableFile(path)) return path;
    }
  }
  const macOs = '/Applications/Visual Studio Code.app/Contents/Resources/app/bin/code';
  return process.platform === 'darwin' && isExecutableFile(macOs) ? macOs : undefined;
}

function isExecutableFile(path) {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function openInVsCodeDesktop(code, vsix) {
  say(`VS Code found: ${code}`);
  // code.cmd is a batch file: Windows runs it only through the shell.
  const options = process.platform === 'win32' ? { shell: true } : {};
  const quote = (text) => (process.platform === 'win32' ? `"${text}"` : text);
  step('Installing RNN Lab into VS Code', () => run(quote(code), ['--install-extension', quote(vsix), '--force'], options));
  const readme = join(WORKSPACE, 'README.md');
  const files = existsSync(readme) ? [WORKSPACE, readme] : [WORKSPACE];
  step(`Opening ${folderName(WORKSPACE)} in VS Code`, () => run(quote(code), files.map(quote), options));
  say();
  say(FIRST_STEP);
  say(LESSONS_STEP);
  say(`(If VS Code asks whether you trust the authors of ${folderName(WORKSPACE)}, answer Yes to let RNN Lab train there.)`);
  return 0;
}

// --- code-server --------------------------------------------------------------------------------------------------------

async function openInCodeServer(vsix) {
  say('VS Code desktop was not found (no `code` on PATH): opening the lab in VS Code in the browser (code-server).');
  const running = await runningLab();
  if (running) {
    throw new LabError(`The lab is already running (process ${running.pid}): open ${running.url}\nor stop it with Ctrl-C in its terminal first.`);
  }
  const install = installCodeServer();
  prepareLabFolder();
  step('Installing RNN Lab into code-server', () => run(install.node, [install.codeServerEntry, ...profileArguments(), '--install-extension', vsix, '--force'],
    { env: labEnvironment() }));

  const port = await firstFreePort(Number(process.env.RNN_LAB_PORT) || DEFAULT_PORT);
  process.stdout.write(`Starting code-server ${install.codeServerVersion} on 127.0.0.1:${port} … `);
  const started = Date.now();
  const server = startCodeServer(install, port);
  await server.listening;
  say(`done (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(WORKSPACE).replace(/%2F/g, '/')}`;
  writeFileSync(join(LAB, 'lab.json'), `${JSON.stringify({ pid: process.pid, url }, null, 2)}\n`);
  say();
  say(`  RNN Lab is ready: open ${url}`);
  say();
  say(FIRST_STEP);
  say(LESSONS_STEP);
  say('code-server runs without a password because it listens on 127.0.0.1 only: other machines cannot reach it.');
  say(`Its log: ${shown(join(LAB, 'code-server.log'))}. Press Ctrl-C to stop it.`);

  return new Promise((resolve) => {
    let stopping = false;
    const stop = async (signal) => {
      if (stopping) return;
      stopping = true;
      say();
      process.stdout.write(`Stopping code-server (${signal}) … `);
      await server.stop();
      rmSync(join(LAB, 'lab.json'), { force: true });
      say('stopped.');
      resolve(0);
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stop(signal));
    server.exited.then((status) => {
      if (stopping) return;
      rmSync(join(LAB, 'lab.json'), { force: true });
      process.stderr.write(`\ncode-server stopped by itself (${status}). The end of its log (${shown(join(LAB, 'code-server.log'))}):\n${logTail()}\n`);
      resolve(1);
    });
  });
}

/** The install's manifest; installs code-server and Node 24 first when they are not cached yet (about 2 minutes). */
function installCodeServer() {
  const script = join(REPOSITORY, 'scripts', 'vscode', 'install.sh');
  let manifestPath = spawnSync('bash', [script, '--print'], { encoding: 'utf8' }).stdout?.trim();
  if (!manifestPath) {
    say('Installing code-server (VS Code 1.139) and Node 24 from the npm registry, outside the repository; this happens once');
    say('and takes about 2 minutes. Progress:');
    const result = spawnSync('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    if (result.status !== 0) throw new LabError(`installing code-server failed (scripts/vscode/install.sh, exit ${result.status ?? result.signal}); see above.`);
    manifestPath = result.stdout.trim().split('\n').pop();
  }
  return JSON.parse(readFileSync(manifestPath, 'utf8'));
}

/** The lab's own code-server profile (user data, extensions, config, state), so the user's own setup is untouched. */
function prepareLabFolder() {
  mkdirSync(join(LAB, 'user-data', 'User'), { recursive: true });
  mkdirSync(join(LAB, 'extensions'), { recursive: true });
  // code-server reads, and when missing writes, ~/.config/code-server/config.yaml: give it its own.
  writeFileSync(join(LAB, 'config.yaml'), 'auth: none\n');
  const settingsFile = join(LAB, 'user-data', 'User', 'settings.json');
  let settings = {};
  if (existsSync(settingsFile)) {
    try {
      settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
    } catch {
      return; // edited by hand (comments, trailing commas): leave it as it is
    }
  }
  writeFileSync(settingsFile, `${JSON.stringify({ ...LAB_SETTINGS, ...settings }, null, 2)}\n`);
}

function profileArguments() {
  return ['--config', join(LAB, 'config.yaml'), '--user-data-dir', join(LAB, 'user-data'), '--extensions-dir', join(LAB, 'extensions')];
}

/** XDG folders inside the lab folder keep code-server's own state (logs, heartbeat, sockets) out of the user's. */
function labEnvironment() {
  return {
    ...process.env,
    XDG_CONFIG_HOME: join(LAB, 'xdg-config'),
    XDG_DATA_HOME: join(LAB, 'xdg-data'),
    XDG_CACHE_HOME: join(LAB, 'xdg-cache'),
  };
}

/** The lab started by another `npm start` that still runs and answers, if any (a stale lab.json is ignored). */
async function runningLab() {
  try {
    const lab = JSON.parse(readFileSync(join(LAB, 'lab.json'), 'utf8'));
    process.kill(lab.pid, 0);
    const response = await fetch(lab.url, { signal: AbortSignal.timeout(2_000) });
    return response.ok ? lab : undefined;
  } catch {
    return undefined;
  }
}

/** The first port from `first` on that 127.0.0.1 lets us bind. */
async function firstFreePort(first) {
  for (let port = first; port < first + PORT_ATTEMPTS; port++) {
    const free = await new Promise((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new LabError(`ports ${first}–${first + PORT_ATTEMPTS - 1} on 127.0.0.1 are all taken; set RNN_LAB_PORT to another one`);
}

/**
 * Starts code-server in a process group of its own (Ctrl-C in the terminal reaches only this script, which then
 * stops the whole group: the server, its extension host and terminals). A watchdog in a session of its own kills the
 * group if this script dies without cleaning up (SIGKILL), and ends by itself when the server does.
 */
function startCodeServer(install, port) {
  const args = [
    ...profileArguments(),
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',                      // acceptable only because the server is bound to the loopback interface
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',           // the student's own lab: the folder they asked to open
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  const log = openSync(join(LAB, 'code-server.log'), 'w');
  const watchdog = 'while kill -0 "$1" && kill -0 "$2"; do sleep 1; done; kill -s KILL -- "-$2"';
  const script = `parent=$1; shift; setsid sh -c '${watchdog}' watchdog "$parent" $$ </dev/null >/dev/null 2>&1 & exec "$@"`;
  const server = spawn('/bin/sh', ['-c', script, 'sh', String(process.pid), install.node, install.codeServerEntry, ...args], {
    detached: true,
    stdio: ['ignore', log, log],
    env: labEnvironment(),
  });
  closeSync(log);
  const exited = new Promise((resolve) => server.once('exit', (code, signal) => resolve(signal ?? `exit ${code}`)));
  const listening = new Promise((resolve, reject) => {
    const deadline = Date.now() + 60_000;
    const poll = setInterval(() => {
      if (/HTTP server listening on http:\/\/127\.0\.0\.1:\d+/.test(logTail())) {
        clearInterval(poll);
        resolve();
      } else if (Date.now() > deadline) {
        clearInterval(poll);
        signalGroup(server.pid, 'SIGKILL');
        reject(new LabError(`code-server did not start within 60 s. The end of its log:\n${logTail()}`));
      }
    }, 100);
    exited.then((status) => {
      clearInterval(poll);
      reject(new LabError(`code-server stopped while starting (${status}). The end of its log:\n${logTail()}`));
    });
  });
  return {
    listening,
    exited,
    /** SIGTERM to the group, SIGKILL to what is left after 5 s; resolves when no process of the group is left. */
    async stop() {
      signalGroup(server.pid, 'SIGTERM');
      if (!(await groupGone(server.pid, 5_000))) {
        signalGroup(server.pid, 'SIGKILL');
        await groupGone(server.pid, 5_000);
      }
    },
  };
}

function logTail(lines = 30) {
  try {
    return readFileSync(join(LAB, 'code-server.log'), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is gone already
  }
}

async function groupGone(pgid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return true;
    }
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`\nnpm start: ${error instanceof LabError ? error.message : error?.stack ?? error}\n`);
    process.exit(1);
  },
);
