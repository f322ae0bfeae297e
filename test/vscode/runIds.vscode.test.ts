// Run folders named `__proto__` and `toString` (both valid run ids) in a real code-server: the dashboard opens, lists
// and draws them, again after a window reload, and in Restricted Mode (where saved runs can still be viewed).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { packageVsix, REPOSITORY, temporaryFolder, VsCode, waitForValue } from './harness';

const DASHBOARD = 'RNN Lab Dashboard';
const VIEWPORT = { width: 1400, height: 1000 };
const SETTINGS = { 'remote.autoForwardPorts': false };
/** Each trains a different number of steps, so a card showing another run's history is caught. */
const RUNS = [{ id: '__proto__', steps: 30, cell: 'lstm' }, { id: 'toString', steps: 20, cell: 'gru' }] as const;

interface Shown {
  readonly ignored: number;
  readonly lossPoints: number;
  readonly cards: { id: string; status: string; stats: string }[];
  readonly saved: string[];
}

const READ = `(() => ({
  ignored: Number(document.querySelector('main#dashboard')?.dataset.ignored || 0),
  lossPoints: Number(document.querySelector('.loss .chart')?.dataset.points || 0),
  cards: [...document.querySelectorAll('li.run[data-run-id]')].map((card) => ({
    id: card.dataset.runId || '', status: card.querySelector('.status')?.textContent || '', stats: card.querySelector('.stats')?.textContent || '',
  })),
  saved: [...document.querySelectorAll('li.saved-run[data-run-id]')].map((item) => item.dataset.runId || ''),
}))()`;

/** Waits until the dashboard shows both runs as finished, each with its own step count, and returns what it shows. */
async function bothRunsShown(frame: Frame): Promise<Shown> {
  const shown = await waitForValue(() => frame.evaluate<Shown>(READ), (view) => view.cards.length === RUNS.length && view.lossPoints > 0
    && RUNS.every((run) => view.cards.some((card) => card.id === run.id && card.stats.includes(`step ${run.steps} of ${run.steps}`))),
  { timeoutMs: 60_000, intervalMs: 200, what: 'the dashboard to show the runs __proto__ and toString' });
  assert.deepEqual(shown.cards.map((card) => card.id).sort(), RUNS.map((run) => run.id).sort());
  assert.ok(shown.cards.every((card) => card.status === 'finished'), JSON.stringify(shown.cards));
  assert.deepEqual(shown.saved.sort(), RUNS.map((run) => run.id).sort(), 'both are listed among the saved runs');
  assert.equal(shown.ignored, 0, 'the dashboard refused no host message');
  return shown;
}

describe('run folders named __proto__ and toString (the real .vsix in code-server)', function () {
  let vsix = '';
  let workspace = '';
  let vscode: VsCode | undefined;

  before(function () {
    this.timeout(180_000);
    execFileSync(process.execPath, [join(REPOSITORY, 'scripts', 'build.mjs')], { cwd: REPOSITORY, stdio: 'pipe' });
    vsix = packageVsix(REPOSITORY, join(temporaryFolder('rnn-lab-run-ids-'), 'rnn-lab.vsix'));
    workspace = temporaryFolder('rnn-lab-run-ids-workspace-');
    const runsRoot = join(workspace, '.rnn-lab', 'runs');
    mkdirSync(runsRoot, { recursive: true });
    for (const run of RUNS) {
      execFileSync(process.execPath, [join(REPOSITORY, 'dist', 'cli.js'), 'train', '--task', 'adding', '--seq-len', '8', '--cell', run.cell,
        '--hidden', '8', '--steps', String(run.steps), '--validate-every', '10', '--out', join(runsRoot, run.id)], { stdio: 'pipe' });
    }
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && vscode) await vscode.captureFailure(this.currentTest.title);
  });

  after(async function () {
    await vscode?.close();
  });

  it('the dashboard lists and draws them, and again after a window reload', async function () {
    this.timeout(240_000);
    vscode = await VsCode.launch({ name: 'run-ids', vsix: [vsix], workspace, viewport: VIEWPORT, settings: SETTINGS });
    await vscode.runCommand('RNN Lab: Open Dashboard');
    await bothRunsShown(await vscode.webviewFrame(DASHBOARD, 60_000));
    await vscode.screenshot('run-ids-dashboard');
    await vscode.reloadWindow();
    await bothRunsShown(await vscode.webviewFrame(DASHBOARD, 60_000));
    await vscode.screenshot('run-ids-after-reload');
    await vscode.close();
    vscode = undefined;
  });

  it('and in Restricted Mode', async function () {
    this.timeout(240_000);
    vscode = await VsCode.launch({ name: 'run-ids-restricted', vsix: [vsix], workspace, workspaceTrust: true, viewport: VIEWPORT, settings: SETTINGS });
    await vscode.page.locator('.part.statusbar .statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();
    await vscode.runCommand('RNN Lab: Open Dashboard');
    await bothRunsShown(await vscode.webviewFrame(DASHBOARD, 60_000));
    await vscode.screenshot('run-ids-restricted');
  });
});
