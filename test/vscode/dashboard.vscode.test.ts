// End to end, as a student meets it: the real RNN Lab .vsix installed into a fresh code-server, driven through the
// command palette in Debian's chromium. New Training Run with Enter at every step trains and draws the dashboard;
// Stop Training stops; Compare Cells shows the vanishing gradient of the RNN next to the LSTM; the dashboard comes
// back after a reload; in Restricted Mode training refuses with the reason. Screenshots for CI and the README.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { formatNumber } from '../../src/shared/format';
import { packageVsix, processesInGroup, REPOSITORY, temporaryFolder, VsCode, waitForValue } from './harness';

const EXTENSION_ID = 'rnn-lab.rnn-lab';
const DASHBOARD = 'RNN Lab Dashboard';
/** Large enough that the dashboard is readable in the README's screenshots. */
const VIEWPORT = { width: 1600, height: 1200 };
/** Any other server listening on this machine (another code-server, `npm start`) would pop up "port … is available". */
const SETTINGS = { 'remote.autoForwardPorts': false };
/** `RNN_LAB_UPDATE_DOCS_IMAGES=1 npm run test:vscode` copies the two README screenshots into docs/images/. */
const DOCS_IMAGES = join(REPOSITORY, 'docs', 'images');

/** The pre-filled answer of each New Training Run step: what Enter accepts (the brief of issue #3). */
const NEW_RUN_DEFAULTS = ['adding', '20', 'LSTM', '1', 'One direction', '32', '300', '0.01', 'Clip the gradient norm at 1', 'adam', '1'];
/** Compare Cells asks the same, except the cell (it trains all three). */
const COMPARE_DEFAULTS = NEW_RUN_DEFAULTS.filter((answer) => answer !== 'LSTM');
const STEPS_STEP = NEW_RUN_DEFAULTS.indexOf('300') + 1;

// --- reading the dashboard ------------------------------------------------------------------------------------------
// What runs inside the page is written as strings, as in test/webview: this program's types have no DOM, and tsx would
// wrap named inner functions of a serialized function in a `__name` helper the page does not have.

interface RunCard {
  readonly id: string;
  readonly label: string;
  readonly status: string;
  readonly stats: string;
}

interface HeatmapInfo {
  readonly runId: string;
  readonly rows: number;
  readonly columns: number;
  /** Fraction of the canvas's pixels that differ from its background (0 for a blank canvas). */
  readonly painted: number;
}

/** What the dashboard shows, read through the hooks the page sets for tests and assistive technology. */
interface DashboardView {
  /** `main#dashboard` data-frames / data-messages / data-ignored: drawings, host messages, refused messages. */
  readonly frames: number;
  readonly messages: number;
  readonly ignored: number;
  /** Finite points drawn on the loss chart and on the ‖∂L/∂a⟨t⟩‖ line chart (`data-points`). */
  readonly lossPoints: number;
  readonly gradientPoints: number;
  readonly lossSummary: string;
  /** "What the chart says now" under the ‖∂L/∂a⟨t⟩‖ heading: one sentence per run. */
  readonly readings: string[];
  readonly runs: RunCard[];
  readonly heatmaps: HeatmapInfo[];
}

const READ_DASHBOARD = `(() => {
  const main = document.querySelector('main#dashboard');
  const heatmaps = [...document.querySelectorAll('.time-gradient figure.heatmap-panel')].map((figure) => {
    const canvas = figure.querySelector('canvas');
    let painted = 0;
    const context = canvas && canvas.width > 0 && canvas.height > 0 ? canvas.getContext('2d') : null;
    if (context) {
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let differing = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        if (pixels[i] !== pixels[0] || pixels[i + 1] !== pixels[1] || pixels[i + 2] !== pixels[2]) differing++;
      }
      painted = differing / (pixels.length / 4);
    }
    return { runId: figure.dataset.runId || '', rows: Number(figure.dataset.rows || 0), columns: Number(figure.dataset.columns || 0), painted };
  });
  return {
    frames: Number(main?.dataset.frames || 0),
    messages: Number(main?.dataset.messages || 0),
    ignored: Number(main?.dataset.ignored || 0),
    lossPoints: Number(document.querySelector('.loss .chart')?.dataset.points || 0),
    gradientPoints: Number(document.querySelector('.time-gradient .chart')?.dataset.points || 0),
    lossSummary: document.querySelector('.loss .visually-hidden')?.textContent || '',
    readings: [...document.querySelectorAll('.time-gradient .reading li')].map((item) => item.textContent || ''),
    runs: [...document.querySelectorAll('li.run[data-run-id]')].map((card) => ({
      id: card.dataset.runId || '',
      label: card.querySelector('.run-label')?.textContent || '',
      status: card.querySelector('.status')?.textContent || '',
      stats: card.querySelector('.stats')?.textContent || '',
    })),
    heatmaps,
  };
})()`;

function readDashboard(frame: Frame): Promise<DashboardView> {
  return frame.evaluate<DashboardView>(READ_DASHBOARD);
}

/** Polls the dashboard until `accept` holds (waitForFunction would need eval, which the webview's CSP forbids). */
function waitForDashboard(frame: Frame, what: string, accept: (view: DashboardView) => boolean, timeoutMs = 30_000): Promise<DashboardView> {
  return waitForValue(() => readDashboard(frame), accept, { timeoutMs, intervalMs: 100, what: `the dashboard to show ${what}` });
}

/** A cell of a ‖∂L/∂a⟨t⟩‖ heatmap as its hover readout reports it. */
interface Readout {
  readonly step: number;
  readonly t: number;
  /** The number as the page writes it ("0.0123", "4.5e−9"). */
  readonly shown: string;
  readonly value: number;
  readonly text: string;
}

/**
 * Points at the first and the last cell of the lowest row of a run's ‖∂L/∂a⟨t⟩‖ heatmap (one of the newest training
 * steps: with many steps kept a row is thinner than a pixel), as a student reading values does, and returns what the
 * readout under it says. The pointer moves through the page's own mousemove handler; the cells are found by scanning
 * until the readout names them, so no layout constant of the heatmap is assumed here.
 */
async function readHeatmapRow(frame: Frame, runId: string): Promise<{ first: Readout; last: Readout }> {
  const texts = await frame.evaluate<{ first: string; last: string } | { error: string }>(`(() => {
    const id = ${JSON.stringify(runId)};
    const figure = document.querySelector('.time-gradient figure.heatmap-panel[data-run-id="' + id + '"]');
    const canvas = figure?.querySelector('canvas');
    const readout = figure?.querySelector('.readout');
    if (!canvas || !readout) return { error: 'no heatmap for run ' + id };
    const box = canvas.getBoundingClientRect();
    const point = (x, y) => {
      canvas.dispatchEvent(new MouseEvent('mousemove', { clientX: x, clientY: y, bubbles: true }));
      const text = readout.textContent || '';
      return text.startsWith('training step') ? text : '';
    };
    // The lowest row: scan up from the bottom along the middle of the canvas.
    let y = box.bottom - 0.5;
    while (y > box.top && !point(box.left + box.width / 2, y)) y -= 0.5;
    if (y <= box.top) return { error: 'the readout of ' + id + ' names no cell anywhere along the canvas (it says "' + readout.textContent + '")' };
    let first = '';
    for (let x = box.left + 1; x < box.right && !first; x += 1) first = point(x, y);
    let last = '';
    for (let x = box.right - 1; x > box.left && !last; x -= 1) last = point(x, y);
    point(box.left - 10, box.top - 10);
    return { first, last };
  })()`);
  if ('error' in texts) assert.fail(texts.error);
  return { first: parseReadout(texts.first), last: parseReadout(texts.last) };
}

/** "training step 300, time step t = 1: 4.5e−9" (the page writes a true minus sign). */
function parseReadout(text: string): Readout {
  const match = /^training step (\d+), time step t = (\d+): (\S+)$/.exec(text.trim());
  assert.ok(match, `unexpected heatmap readout "${text}"`);
  const value = Number(match[3].replace(/\u2212/g, '-'));
  assert.ok(Number.isFinite(value), `the readout "${text}" holds no number`);
  return { step: Number(match[1]), t: Number(match[2]), shown: match[3], value, text };
}

/** Starts recording CSP violations in the webview's document (the page's own CSP; see src/shared/dashboardHtml.ts). */
async function recordCspViolations(frame: Frame): Promise<void> {
  await frame.evaluate(`(() => {
    if (window.rnnLabCspViolations) return;
    const violations = [];
    window.rnnLabCspViolations = violations;
    document.addEventListener('securitypolicyviolation', (event) => {
      violations.push(event.effectiveDirective + ' blocked ' + (event.blockedURI || 'inline') + ' (' + event.sourceFile + ':' + event.lineNumber + ')');
    });
  })()`);
}

function cspViolations(frame: Frame): Promise<string[]> {
  return frame.evaluate<string[]>('[...(window.rnnLabCspViolations || [])]');
}

/** Scrolls the dashboard so that the element `selector` is at the top of the webview. */
async function scrollTo(frame: Frame, selector: string): Promise<void> {
  await frame.evaluate(`document.querySelector(${JSON.stringify(selector)}).scrollIntoView({ block: 'start' })`);
}

// --- driving the workbench ------------------------------------------------------------------------------------------

/**
 * Answers a multi-step quick input "<heading> (i/N)": checks each step's title and pre-filled answer (the focused item
 * of a pick, the value of an input box), then accepts it with Enter or gives the answer in `answers[i]`.
 * Returns the time of the last Enter.
 */
async function answerWizard(vscode: VsCode, heading: string, defaults: readonly string[], answers: Record<number, { text: string }> = {}): Promise<number> {
  const title = vscode.quickInput.locator('.quick-input-title');
  const input = vscode.quickInput.locator('.quick-input-box input');
  let lastEnter = 0;
  for (let step = 1; step <= defaults.length; step++) {
    const expectedTitle = `${heading} (${step}/${defaults.length})`;
    await title.filter({ hasText: expectedTitle }).waitFor({ timeout: 15_000 }).catch(async () => {
      assert.fail(`expected the step "${expectedTitle}", the quick input shows "${await title.innerText().catch(() => '(nothing)')}"`);
    });
    const focused = vscode.quickInput.locator('.monaco-list-row.focused .label-name');
    const offered = (await focused.count()) > 0 && (await focused.first().isVisible()) ? (await focused.first().innerText()).trim() : await input.inputValue();
    assert.equal(offered, defaults[step - 1], `the default offered at "${expectedTitle}"`);
    if (step === defaults.length) lastEnter = Date.now();
    await vscode.acceptQuickPick(answers[step] ?? {});
  }
  return lastEnter;
}

/** Run folders under `root` (none when it does not exist). */
function runFolders(root: string): string[] {
  return existsSync(root) ? readdirSync(root).filter((name) => statSync(join(root, name)).isDirectory()).sort() : [];
}

const RUN_FILES = ['config.json', 'metrics.jsonl', 'model.json', 'weights.bin', 'summary.json'];

function assertRunFolder(directory: string): void {
  const files = readdirSync(directory);
  assert.deepEqual(RUN_FILES.filter((file) => !files.includes(file)), [], `${directory} holds ${files.join(', ')}`);
}

interface SavedStep {
  readonly step: number;
  readonly loss: number;
  /** ‖∂L/∂a⟨t⟩‖ per layer and direction, t = 1 … T. */
  readonly gradientNorms: { readonly hidden: number[] }[];
}

/** metrics.jsonl of a run folder, one entry per training step. */
function savedSteps(directory: string): SavedStep[] {
  return readFileSync(join(directory, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as SavedStep);
}

/**
 * Checks a heatmap readout against the run's metrics.jsonl (the same number, as the page formats it) and that it comes
 * from one of the last steps; returns the page's ‖∂L/∂a⟨1⟩‖ / ‖∂L/∂a⟨T⟩‖ for that step.
 */
function checkHeatmapRow(name: string, row: { first: Readout; last: Readout }, saved: readonly SavedStep[], T: number): number {
  const { first, last } = row;
  assert.deepEqual([first.t, last.t, last.step], [1, T, first.step], `${name}: readouts "${first.text}" and "${last.text}"`);
  assert.ok(first.step > saved.length - 30, `${name}: the lowest heatmap row is step ${first.step}, not one of the last of ${saved.length}`);
  const norms = saved.find((entry) => entry.step === first.step)?.gradientNorms[0]?.hidden;
  assert.ok(norms, `${name}: metrics.jsonl has no ‖∂L/∂a⟨t⟩‖ for step ${first.step}`);
  assert.deepEqual([first.shown, last.shown], [formatNumber(norms[0]), formatNumber(norms[T - 1])], `${name}: the heatmap's readout against metrics.jsonl, step ${first.step}`);
  return first.value / last.value;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// --- the suite -----------------------------------------------------------------------------------------------------

const figures: Record<string, string> = {};

function figure(name: string, value: string): void {
  figures[name] = value;
  console.log(`      ${name}: ${value}`);
}

describe('RNN Lab end to end (the real .vsix in code-server)', function () {
  let vsix = '';

  before(function () {
    const folder = temporaryFolder('rnn-lab-dashboard-');
    const started = Date.now();
    execFileSync(process.execPath, [join(REPOSITORY, 'scripts', 'build.mjs')], { cwd: REPOSITORY, stdio: 'pipe' });
    vsix = packageVsix(REPOSITORY, join(folder, 'rnn-lab.vsix'));
    figure('.vsix', `${(statSync(vsix).size / 1024).toFixed(0)} KiB, built and packaged in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  after(function () {
    console.log(`\n      Measured:\n${Object.entries(figures).map(([name, value]) => `        ${name}: ${value}`).join('\n')}`);
  });

  describe('the dashboard, in one session', function () {
    let vscode: VsCode | undefined;
    let workspace = '';
    let runsRoot = '';
    let screenshots: Record<string, string> = {};

    before(async function () {
      workspace = temporaryFolder('rnn-lab-workspace-');
      runsRoot = join(workspace, '.rnn-lab', 'runs');
      const started = Date.now();
      vscode = await VsCode.launch({ name: 'dashboard', vsix: [vsix], workspace, viewport: VIEWPORT, settings: SETTINGS });
      figure('code-server session', `ready in ${((Date.now() - started) / 1000).toFixed(1)} s ${JSON.stringify(vscode.timings)}`);
    });

    afterEach(async function () {
      if (this.currentTest?.state === 'failed' && vscode) await vscode.captureFailure(this.currentTest.title);
    });

    after(async function () {
      if (!vscode) return;
      writeFileSync(join(vscode.artifacts, 'browser-console.log'), vscode.console.join('\n'));
      if (process.env.RNN_LAB_UPDATE_DOCS_IMAGES && screenshots.training && screenshots.compare) {
        mkdirSync(DOCS_IMAGES, { recursive: true });
        copyFileSync(screenshots.training, join(DOCS_IMAGES, 'vscode-dashboard-training.png'));
        copyFileSync(screenshots.compare, join(DOCS_IMAGES, 'vscode-compare-cells.png'));
        console.log(`      README screenshots updated in ${DOCS_IMAGES}`);
      }
      const groups = vscode.processGroups();
      await vscode.close();
      assert.deepEqual(groups.flatMap((group) => processesInGroup(group)), [], 'processes left after close()');
      screenshots = {};
    });

    it('New Training Run with Enter at every step trains, draws real data live, and saves the run folder', async function () {
      this.timeout(120_000);
      const session = vscode!;
      const finished = session.waitForNotification(/Run \S+ finished: 300 steps/, 90_000);
      finished.catch(() => undefined);   // awaited below; a failure before then must not become an unhandled rejection

      await session.runCommand('RNN Lab: New Training Run');
      const enter = await answerWizard(session, 'New Training Run', NEW_RUN_DEFAULTS);

      const progress = session.waitForNotification(/Training LSTM · adding · h32 · seed 1: step \d+\/300/, 15_000);
      progress.catch(() => undefined);
      await session.page.locator('.tabs-container .tab', { hasText: DASHBOARD }).waitFor();
      const tabAt = Date.now();
      const frame = await session.webviewFrame(DASHBOARD);
      const dashboardAt = Date.now();
      await recordCspViolations(frame);

      // Live: watch what the page has received and drawn while the run trains.
      let looks = 0;
      let firstData = 0;
      let trainingShot = '';
      for (const deadline = Date.now() + 60_000; Date.now() < deadline; looks++) {
        const view = await readDashboard(frame);
        if (!firstData && view.lossPoints > 0) firstData = Date.now();
        const card = view.runs[0];
        const step = Number(/step (\d+) of 300/.exec(card?.stats ?? '')?.[1] ?? 0);
        // The README's "while training" picture: part of the curve drawn, the run still going.
        if (!trainingShot && card?.status === 'training' && step >= 60 && view.heatmaps[0]?.painted > 0) {
          trainingShot = await session.screenshot('dashboard-training');
        }
        if (card && card.status !== 'training') break;
        await sleep(50);
      }
      assert.ok(firstData > 0, 'the loss chart never drew a point');
      figure('Enter → first loss data drawn', `${firstData - enter} ms (dashboard tab shown after ${tabAt - enter} ms, its document loaded after ${dashboardAt - enter} ms)`);
      if (trainingShot) screenshots.training = trainingShot;
      else console.log(`      (the run went from step 60 to its end between two of ${looks} looks: the Stop test takes the "while training" screenshot)`);
      await progress;   // the progress notification showed step i/300 while it trained
      assert.equal(await session.page.locator('.tabs-container .tab', { hasText: DASHBOARD }).count(), 1, 'one "RNN Lab Dashboard" tab');

      const toast = await finished;
      const match = /Run (\S+) finished: 300 steps, loss (\S+)\. Saved in (\S+)/.exec(toast);
      assert.ok(match, `finish notification: ${toast}`);
      const [, runId, , directory] = match;
      assert.equal(directory, join(runsRoot, runId), 'the run is saved in the workspace\'s .rnn-lab/runs/<id>/');
      assertRunFolder(directory);
      const saved = savedSteps(directory);
      const last = saved[saved.length - 1];
      assert.equal(last.step, 300);

      // The page ends on the very numbers the run saved: the loss of step 300, and ‖∂L/∂a⟨t⟩‖ at t = 1 and t = T.
      const done = await waitForDashboard(frame, 'the finished run', (view) => view.runs[0]?.status === 'finished' && view.heatmaps[0]?.rows > 0);
      assert.deepEqual(done.runs.map((run) => run.id), [runId]);
      assert.equal(/loss (\S+)/.exec(done.runs[0].stats)?.[1], formatNumber(last.loss), `the run card (${done.runs[0].stats}) against metrics.jsonl's step 300`);
      assert.ok(done.lossPoints >= 100, `loss chart: ${done.lossPoints} points`);
      assert.match(done.lossSummary, /step 300, training loss/);
      assert.ok(done.gradientPoints >= 20, `‖∂L/∂a⟨t⟩‖ chart: ${done.gradientPoints} points (T = 20)`);
      assert.equal(done.heatmaps.length, 1);
      assert.equal(done.heatmaps[0].columns, 20, 'one heatmap column per time step');
      assert.ok(done.heatmaps[0].painted > 0.2, `the heatmap canvas is ${(100 * done.heatmaps[0].painted).toFixed(1)} % painted`);
      assert.equal(done.ignored, 0, 'the page refused a message from the host');
      checkHeatmapRow('LSTM', await readHeatmapRow(frame, runId), saved, 20);

      // No CSP violation: neither recorded in the page nor reported on the console (the console also covers the
      // moments before the recorder was installed). Then a negative control: an inline script without the nonce must
      // be blocked and recorded, or this check could never fail.
      assert.deepEqual(await cspViolations(frame), []);
      assert.deepEqual(session.console.filter((line) => /Content Security Policy/i.test(line)), []);
      const ran = await frame.evaluate<string>(`(() => {
        const script = document.createElement('script');
        script.textContent = 'document.body.dataset.cspControlRan = "yes";';
        document.body.appendChild(script);
        script.remove();
        return document.body.dataset.cspControlRan || 'no';
      })()`);
      assert.equal(ran, 'no', 'an inline script without the nonce ran in the dashboard');
      const control = await waitForValue(() => cspViolations(frame), (violations) => violations.length > 0, { timeoutMs: 5_000, what: 'the control violation' });
      assert.equal(control.length, 1);
      assert.match(control[0], /^script-src/);

      const log = session.extensionLog(EXTENSION_ID, 'RNN Lab');
      const activation = /activated in ([\d.]+) ms/.exec(log ?? '');
      figure('extension activation (RNN Lab output channel)', activation ? `${activation[1]} ms` : 'not logged');
    });

    it('Stop Training stops a long run long before its end and keeps what it trained', async function () {
      this.timeout(90_000);
      const session = vscode!;
      const before = new Set(runFolders(runsRoot));
      await session.runCommand('RNN Lab: New Training Run');
      await answerWizard(session, 'New Training Run', NEW_RUN_DEFAULTS, { [STEPS_STEP]: { text: '100000' } });
      const runId = (await waitForValue(async () => runFolders(runsRoot).filter((name) => !before.has(name)), (ids) => ids.length === 1,
        { timeoutMs: 10_000, what: 'a new run folder' }))[0];

      const frame = await session.webviewFrame(DASHBOARD);
      const stepOf = (view: DashboardView): number => Number(/step (\d+) of 100000/.exec(view.runs.find((run) => run.id === runId)?.stats ?? '')?.[1] ?? 0);
      const a = await waitForDashboard(frame, `${runId} training`, (view) => view.runs.find((run) => run.id === runId)?.status === 'training' && stepOf(view) >= 10);
      // How often the page hears from the host and redraws while a run trains (rnnLab.metricsPerSecond: 20, the default).
      const from = Date.now();
      screenshots.training ??= await session.screenshot('dashboard-training');
      await sleep(Math.max(0, 3_000 - (Date.now() - from)));
      const b = await readDashboard(frame);
      const seconds = (Date.now() - from) / 1000;
      figure('dashboard while training', `${((b.messages - a.messages) / seconds).toFixed(1)} messages/s, ${((b.frames - a.frames) / seconds).toFixed(1)} drawings/s, ${((stepOf(b) - stepOf(a)) / seconds).toFixed(0)} training steps/s (over ${seconds.toFixed(1)} s)`);
      assert.ok(b.messages > a.messages && b.frames > a.frames && stepOf(b) > stepOf(a), 'the dashboard did not move while the run trained');

      const asked = Date.now();
      await session.runCommand('RNN Lab: Stop Training');
      const toast = await session.waitForNotification(new RegExp(`Run ${runId} stopped after \\d+ steps`), 10_000);
      const stopSeconds = (Date.now() - asked) / 1000;
      figure('Stop Training → "stopped" notification', `${stopSeconds.toFixed(2)} s (printed, not asserted: the machine is shared; the step count below shows the run did stop)`);
      const steps = Number(/stopped after (\d+) steps/.exec(toast)![1]);
      assert.ok(steps >= 10 && steps < 100_000, `stopped after ${steps} steps`);

      const directory = join(runsRoot, runId);
      assertRunFolder(directory);
      const summary = JSON.parse(readFileSync(join(directory, 'summary.json'), 'utf8'));
      assert.equal(summary.stopReason, 'interrupted');
      assert.equal(summary.stepsCompleted, steps);
      assert.equal(savedSteps(directory).pop()?.step, steps);
      await waitForDashboard(frame, `${runId} stopped`, (view) => view.runs.find((run) => run.id === runId)?.status === 'stopped', 10_000);
    });

    it('Compare Cells trains RNN, GRU and LSTM side by side: the RNN\'s gradient vanishes, the LSTM\'s does not', async function () {
      this.timeout(180_000);
      const session = vscode!;
      // The dashboard shows every saved run: start this picture from a workspace without the earlier ones.
      await session.runCommand('View: Close All Editors');
      await session.page.locator('.tabs-container .tab', { hasText: DASHBOARD }).waitFor({ state: 'detached' });
      renameSync(runsRoot, join(workspace, '.rnn-lab', 'runs-before-compare'));

      const consoleFrom = session.console.length;
      const finished = session.waitForNotification(/Compare Cells finished: RNN \S+, GRU \S+, LSTM \S+/, 150_000);
      const progress = session.waitForNotification(/Comparing RNN, GRU and LSTM on adding/, 60_000);
      [finished, progress].forEach((promise) => promise.catch(() => undefined));
      await session.runCommand('RNN Lab: Compare Cells (RNN, GRU, LSTM)');
      const enter = await answerWizard(session, 'Compare Cells', COMPARE_DEFAULTS);
      const frame = await session.webviewFrame(DASHBOARD);
      await recordCspViolations(frame);
      await progress;
      const toast = await finished;
      figure('Compare Cells, Enter → finished', `${((Date.now() - enter) / 1000).toFixed(1)} s (${toast.split('\n').find((line) => line.startsWith('Compare Cells finished')) ?? toast})`);

      const ids = runFolders(runsRoot);
      assert.deepEqual(ids.map((id) => id.replace(/^.*-adding-/, '')).sort(), ['gru', 'lstm', 'rnn'], `run folders: ${ids.join(', ')}`);
      ids.forEach((id) => assertRunFolder(join(runsRoot, id)));
      const idOf = (cell: string): string => ids.find((id) => id.endsWith(`-adding-${cell}`))!;

      const view = await waitForDashboard(frame, 'three finished runs with their heatmaps', (shown) => shown.runs.length === 3
        && shown.runs.every((run) => run.status === 'finished' && /step 300 of 300/.test(run.stats))
        && shown.heatmaps.length === 3 && shown.heatmaps.every((heatmap) => heatmap.rows > 0 && heatmap.painted > 0.2), 30_000);
      assert.deepEqual(view.runs.map((run) => run.id).sort(), [...ids].sort());
      assert.deepEqual(view.heatmaps.map((heatmap) => heatmap.runId).sort(), [...ids].sort(), 'one heatmap per run');
      for (const cell of ['RNN', 'GRU', 'LSTM']) assert.match(view.lossSummary, new RegExp(`${cell} · adding · h32 · seed 1: step 300, training loss`), 'a loss curve per run');
      assert.ok(view.lossPoints >= 3 * 100, `loss chart: ${view.lossPoints} points for three runs`);
      assert.ok(view.gradientPoints >= 3 * 20, `‖∂L/∂a⟨t⟩‖ chart: ${view.gradientPoints} points for three runs`);

      // The vanishing-gradient picture, read off the heatmaps: how much of ‖∂L/∂a⟨T⟩‖ is left at t = 1.
      const ratios: Record<string, number> = {};
      for (const cell of ['rnn', 'gru', 'lstm']) {
        ratios[cell] = checkHeatmapRow(cell.toUpperCase(), await readHeatmapRow(frame, idOf(cell)), savedSteps(join(runsRoot, idOf(cell))), 20);
      }
      figure('‖∂L/∂a⟨1⟩‖ / ‖∂L/∂a⟨T⟩‖ near step 300 (heatmap readouts)', Object.entries(ratios).map(([cell, ratio]) => `${cell.toUpperCase()} ${ratio.toExponential(2)}`).join(', '));
      console.log(view.readings.map((reading) => `        ${reading}`).join('\n'));
      assert.ok(ratios.rnn * 10 < ratios.lstm, `the RNN keeps ${ratios.rnn.toExponential(2)} of its gradient at t = 1, the LSTM ${ratios.lstm.toExponential(2)}: expected at least 10× less for the RNN`);
      assert.deepEqual(await cspViolations(frame), []);
      assert.deepEqual(session.console.slice(consoleFrom).filter((line) => /Content Security Policy/i.test(line)), []);

      // The README's picture: the three loss curves and the three heatmaps, without notifications in front.
      await session.runCommand('Notifications: Clear All Notifications');
      await scrollTo(frame, '.time-gradient');
      await sleep(300);
      screenshots.compare = await session.screenshot('compare-cells');
      await scrollTo(frame, 'main#dashboard');
      await session.screenshot('compare-cells-top');
    });

    it('the dashboard comes back after a window reload, with the saved runs', async function () {
      this.timeout(90_000);
      const session = vscode!;
      const ids = runFolders(runsRoot);
      assert.equal(ids.length, 3, 'the Compare Cells runs are saved');
      const consoleFrom = session.console.length;
      const started = Date.now();
      await session.reloadWindow();
      const frame = await session.webviewFrame(DASHBOARD, 60_000);
      await recordCspViolations(frame);
      const view = await waitForDashboard(frame, 'the saved runs again', (shown) => shown.runs.length === 3
        && shown.heatmaps.length === 3 && shown.heatmaps.every((heatmap) => heatmap.rows > 0 && heatmap.painted > 0.2) && shown.lossPoints > 0, 30_000);
      figure('reload → dashboard restored with its runs', `${((Date.now() - started) / 1000).toFixed(1)} s`);
      assert.deepEqual(view.runs.map((run) => run.id).sort(), ids);
      assert.ok(view.runs.every((run) => run.status === 'finished' && /step 300 of 300/.test(run.stats)), JSON.stringify(view.runs));
      assert.equal(await session.page.locator('.tabs-container .tab', { hasText: DASHBOARD }).count(), 1, 'one dashboard tab after the reload');
      assert.deepEqual(await cspViolations(frame), []);
      assert.deepEqual(session.console.slice(consoleFrom).filter((line) => /Content Security Policy/i.test(line)), []);
      await session.screenshot('after-reload');
    });
  });

  describe('RNN Lab in Restricted Mode (Workspace Trust on)', function () {
    let vscode: VsCode | undefined;

    afterEach(async function () {
      if (this.currentTest?.state === 'failed' && vscode) await vscode.captureFailure(this.currentTest.title);
    });

    after(async function () {
      await vscode?.close();
    });

    it('New Training Run refuses with the reason, offers "Manage Workspace Trust", and creates no run folder', async function () {
      this.timeout(90_000);
      const workspace = temporaryFolder('rnn-lab-untrusted-');
      vscode = await VsCode.launch({ name: 'restricted', vsix: [vsix], workspace, workspaceTrust: true, viewport: VIEWPORT, settings: SETTINGS });
      await vscode.page.locator('.part.statusbar .statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();
      await vscode.runCommand('RNN Lab: New Training Run');
      const warning = vscode.page.locator('.notifications-toasts .notification-toast', { hasText: 'New Training Run is not available in Restricted Mode' });
      await warning.waitFor();
      assert.match(await warning.innerText(), /runs the RNN Lab engine in a worker thread and writes run files/);
      assert.equal(await vscode.quickInput.isVisible(), false, 'no New Training Run step was offered');
      await vscode.screenshot('restricted-refused');
      await warning.getByRole('button', { name: 'Manage Workspace Trust' }).click();
      await vscode.page.getByText('You are in Restricted Mode').first().waitFor();   // the Workspace Trust editor
      assert.equal(existsSync(join(workspace, '.rnn-lab')), false, `no run folder in the untrusted workspace (it holds: ${readdirSync(workspace).join(', ') || 'nothing'})`);
    });
  });
});
