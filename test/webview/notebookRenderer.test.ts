// The notebook renderer `rnn-lab.charts` (dist/renderer.js) in a real headless Chromium, under the dashboard's strict
// Content Security Policy: outputs written by the kernel's display API from real engine runs draw the dashboard's
// charts (loss, ‖∂L/∂a⟨t⟩‖ lines and heatmaps, gates, hidden states) in light, dark and high-contrast themes; a live
// chart's updates redraw in place; a malformed payload shows a message, never a blank. Screenshots go to
// test-artifacts/notebook-renderer/ (look at them).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { createDisplayApi, type LabRun } from '../../src/kernel/display';
import type { OutputItem } from '../../src/kernel/protocol';
import { contentSecurityPolicy } from '../../src/shared/html';
import { CHART_MIME, HEATMAP_MIME } from '../../src/shared/notebookOutput';
import { BrowserPage, CHROMIUM, launchChromium, PageServer } from './dashboardPage';
import { DARK_MODERN, HIGH_CONTRAST, LIGHT_MODERN, type VsCodeTheme } from './vscodeThemes';

const root = join(__dirname, '..', '..');
const ARTIFACTS = join(root, 'test-artifacts', 'notebook-renderer');
const haveChromium = existsSync(CHROMIUM);

/** The outputs of one cell: what the display API wrote, in order (displays, then updates of a live one). */
function outputsOf(run: (api: ReturnType<typeof createDisplayApi>) => Promise<unknown> | unknown): Promise<{ items: readonly OutputItem[]; displayId?: string }[]> {
  const written: { items: readonly OutputItem[]; displayId?: string }[] = [];
  const api = createDisplayApi({
    display: (items, displayId) => written.push({ items, ...(displayId !== undefined ? { displayId } : {}) }),
    updateDisplay: (displayId, items) => written.push({ items, displayId }),
    interrupted: () => false,
  });
  return Promise.resolve(run(api)).then(() => written);
}

const rich = (items: readonly OutputItem[]): OutputItem => {
  const item = items.find((i) => i.mime === CHART_MIME || i.mime === HEATMAP_MIME);
  assert.ok(item);
  return item;
};

/** A page like a notebook's output frame, with the renderer loaded (see RendererServer.addPage). */
class RendererPage extends BrowserPage {
  /** Renders one output item into the output element `id` (created on first use), as VS Code would, and waits for its frame. */
  async render(id: string, mime: string, data: string): Promise<void> {
    const before = await this.evaluate<number>(`Number(${this.inside(id, '.notebook-chart')}?.dataset.frames ?? 0)`);
    await this.page.evaluate(`window.__render(${JSON.stringify(id)}, ${JSON.stringify(mime)}, ${JSON.stringify(data)})`);
    await this.waitFor(`(() => { const c = ${this.inside(id, '.notebook-chart')}; return !!c && (c.dataset.problem !== undefined || Number(c.dataset.frames ?? 0) > ${before}); })()`);
  }

  /** An element inside output `id`'s shadow root. */
  inside(id: string, selector: string): string {
    return `document.getElementById(${JSON.stringify(id)})?.shadowRoot?.querySelector(${JSON.stringify(selector)})`;
  }

  dataset(id: string, selector: string, key: string): Promise<string | null> {
    return this.evaluate<string | null>(`${this.inside(id, selector)}?.dataset[${JSON.stringify(key)}] ?? null`);
  }

  text(id: string, selector: string): Promise<string> {
    return this.evaluate<string>(`${this.inside(id, selector)}?.textContent ?? ''`);
  }

  /** Distinct colours among a sample of a canvas's pixels: a blank canvas has one. */
  paintedColours(id: string, selector: string): Promise<number> {
    return this.evaluate<number>(`(() => {
      const canvas = ${this.inside(id, selector)};
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      const colours = new Set();
      for (let i = 0; i < data.length; i += 4 * 7) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      return colours.size;
    })()`);
  }

  /** The colour of a canvas's top-left pixel (the filled chart background), as rgb(…). */
  cornerColour(id: string, selector: string): Promise<string> {
    return this.evaluate<string>(`(() => { const c = ${this.inside(id, selector)}; const [r, g, b] = c.getContext('2d').getImageData(1, 1, 1, 1).data; return 'rgb(' + r + ', ' + g + ', ' + b + ')'; })()`);
  }

  violations(): Promise<string[]> {
    return this.evaluate<string[]>('window.__test.violations');
  }

  async setTheme(theme: VsCodeTheme): Promise<void> {
    await this.page.evaluate(`window.__test.setTheme(${JSON.stringify(theme)})`);
    await this.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
  }
}

class RendererServer {
  private constructor(private readonly server: PageServer, private readonly directory: string) {}

  get origin(): string {
    return this.server.origin;
  }

  static async start(): Promise<RendererServer> {
    const directory = mkdtempSync(join(tmpdir(), 'rnn-lab-renderer-'));
    // As scripts/build.mjs builds dist/renderer.js.
    await build({
      absWorkingDir: root, entryPoints: ['src/webview/notebook/renderer.ts'], outfile: join(directory, 'renderer.js'), bundle: true,
      platform: 'browser', format: 'esm', target: 'es2022', loader: { '.css': 'text' }, sourcemap: false, logLevel: 'warning',
    });
    const server = await PageServer.start({ '/renderer.js': { path: join(directory, 'renderer.js'), type: 'text/javascript' } });
    return new RendererServer(server, directory);
  }

  /** A page like a notebook's output frame: the theme's variables and body class, the renderer module, output elements. */
  addPage(theme: VsCodeTheme): string {
    const nonce = randomBytes(18).toString('base64');
    const csp = contentSecurityPolicy(nonce, this.origin);
    const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"><title>outputs</title></head>
<body><main id="outputs"></main>
<script nonce="${nonce}">(function () {
  var record = { violations: [] };
  document.addEventListener('securitypolicyviolation', function (e) { record.violations.push(e.violatedDirective + ' ' + e.blockedURI); });
  record.setTheme = function (theme) {
    var style = document.documentElement.style;
    Object.keys(theme.variables).forEach(function (name) { style.setProperty(name, theme.variables[name]); });
    document.body.classList.remove('vscode-dark', 'vscode-light', 'vscode-high-contrast');
    document.body.classList.add(theme.bodyClass);
    document.body.style.background = theme.variables['--vscode-editor-background'];
    document.body.style.margin = '0';
    document.body.style.padding = '12px 20px';
    document.getElementById('outputs').style.maxWidth = '940px';
  };
  window.__test = record;
  record.setTheme(${JSON.stringify(theme)});
})();</script>
<script type="module" nonce="${nonce}">
import { activate } from '${this.origin}/renderer.js';
const api = activate();
window.__render = (id, mime, text) => {
  let element = document.getElementById(id);
  if (!element) {
    element = document.createElement('div');
    element.id = id;
    element.style.marginBottom = '16px';
    document.getElementById('outputs').append(element);
  }
  api.renderOutputItem({ id, mime, json: () => JSON.parse(text) }, element);
};
window.__dispose = (id) => api.disposeOutputItem(id);
</script>
</body></html>`;
    return this.server.addPage(html);
  }

  async close(): Promise<void> {
    await this.server.close();
    rmSync(this.directory, { recursive: true, force: true });
  }
}

describe('webview: the notebook renderer in headless Chromium', function () {
  this.timeout(120_000);
  if (!haveChromium) {
    it('SKIPPED: /usr/bin/chromium is not installed (apt-get install chromium); CI installs it', function () {
      this.skip();
    });
    return;
  }

  let server: RendererServer;
  let browser: Browser;
  let rnn: LabRun;
  let lstm: LabRun;
  let diverged: LabRun;
  let live: { items: readonly OutputItem[]; displayId?: string }[];
  let shows: Record<'loss' | 'timeGradients' | 'heatmap' | 'gates' | 'hiddenStates', OutputItem>;

  const newPage = async (theme: VsCodeTheme): Promise<RendererPage> => {
    const page = new RendererPage(await browser.newPage({ viewport: { width: 1000, height: 900 }, deviceScaleFactor: 1 }));
    await page.page.goto(server.addPage(theme));
    await page.waitFor('typeof window.__render === "function"');
    return page;
  };

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const common = { task: 'adding', sequenceLength: 30, hidden: 16, batchSize: 16, steps: 150, learningRate: 0.01, clip: 1, seed: 1, validateEvery: 25 } as const;
    live = await outputsOf(async (api) => {
      rnn = await api.train({ ...common, cell: 'rnn' });
    });
    const others = await outputsOf(async (api) => {
      lstm = await api.train({ ...common, cell: 'lstm' });
      diverged = await api.train({ task: 'adding', sequenceLength: 100, cell: 'rnn', nonlinearity: 'relu', optimizer: 'sgd', hidden: 8, batchSize: 8, steps: 200, learningRate: 1000, clipMode: 'none', seed: 3, validateEvery: 1000 });
    });
    assert.ok(others.length > 0);
    const one = async (call: (api: ReturnType<typeof createDisplayApi>) => void): Promise<OutputItem> => rich((await outputsOf(call))[0].items);
    shows = {
      loss: await one((api) => api.show.loss([rnn, lstm, diverged])),
      timeGradients: await one((api) => api.show.timeGradients([rnn, lstm])),
      heatmap: await one((api) => api.show.heatmap([rnn, lstm])),
      gates: await one((api) => api.show.gates(lstm)),
      hiddenStates: await one((api) => api.show.hiddenStates(lstm)),
    };
    [server, browser] = await Promise.all([
      RendererServer.start(),
      launchChromium(),
    ]);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const [name, theme] of [['dark', DARK_MODERN], ['light', LIGHT_MODERN], ['high-contrast', HIGH_CONTRAST]] as const) {
    it(`draws every kind of output from real runs (${name} theme), each with a text alternative`, async () => {
      const page = await newPage(theme);
      for (const [id, item] of Object.entries(shows)) await page.render(id, item.mime, item.data);

      // Loss: every step of the three runs (≤ 1000 each, so not thinned), less the diverged run's non-finite ones, + the baseline.
      const finite = [rnn, lstm, diverged].reduce((sum, run) => sum + run.metrics.filter((m) => Number.isFinite(m.loss)).length + run.metrics.filter((m) => m.validationLoss !== undefined && Number.isFinite(m.validationLoss)).length, 0);
      assert.equal(Number(await page.dataset('loss', '.loss .chart', 'points')), finite + 2);
      assert.ok(await page.paintedColours('loss', '.loss canvas') > 10);
      assert.equal(await page.evaluate<number>(`${page.inside('loss', '.run-list')}.children.length`), 3, 'one card per run');
      assert.match(await page.text('loss', `.run[data-run-id="${diverged.id}"] .status`), /^diverged/);
      assert.match(await page.text('loss', `.run[data-run-id="${diverged.id}"] .run-message`), /^diverged at step \d+: .*\)\. The loss or the gradient became NaN or infinite at step \d+/, 'the message ends as a sentence before the explanation');
      assert.equal(await page.evaluate<boolean>(`${page.inside('loss', '.run-actions')}.hidden`), true, 'no Stop or Export CSV: no host answers them here');
      assert.match(await page.text('loss', '.loss .visually-hidden'), /Loss chart\. .*training loss/);

      // ‖∂L/∂a⟨t⟩‖ lines: first and latest step of each run, 30 time steps, on a log axis (a value below float range is a gap, not 0).
      const drawn = Number(await page.dataset('timeGradients', '.time-gradient .chart', 'points'));
      const positive = [rnn, lstm].reduce((sum, run) => sum + [1, run.steps].reduce((s, step) => s + run.timeGradients({ step }).filter((v) => v > 0 && Number.isFinite(v)).length, 0), 0);
      assert.equal(drawn, positive);
      assert.equal(await page.evaluate<boolean>(`${page.inside('timeGradients', '.heatmaps')}.hidden`), true, 'show.timeGradients draws the lines only');
      assert.match(await page.text('timeGradients', '.reading'), /RNN · adding · h16 · seed 1, step 150: ‖∂L\/∂a⟨t⟩‖ is largest at t = \d+/);
      assert.doesNotMatch(await page.text('timeGradients', '.caption'), /heatmap/, 'the caption describes what is shown');

      // Heatmaps: one per run, a row per recorded step, a column per time step; no line chart.
      assert.equal(await page.evaluate<number>(`${page.inside('heatmap', '.heatmaps')}.querySelectorAll('.heatmap-panel').length`), 2);
      assert.equal(await page.dataset('heatmap', `.heatmap-panel[data-run-id="${lstm.id}"]`, 'columns'), '30');
      assert.ok(Number(await page.dataset('heatmap', `.heatmap-panel[data-run-id="${lstm.id}"]`, 'rows')) >= 10);
      assert.equal(await page.evaluate<boolean>(`${page.inside('heatmap', '.time-gradient .chart')}.hidden`), true);
      assert.ok(await page.paintedColours('heatmap', '.heatmap-panel canvas') > 10);

      // Gates of the LSTM (i, f, g, o over 30 steps) and its hidden states (16 units × 30 steps).
      assert.equal(Number(await page.dataset('gates', '.gates .chart', 'points')), 4 * 30);
      assert.equal(await page.dataset('hiddenStates', '.hidden-states .heatmap', 'rows'), '16');
      assert.equal(await page.dataset('hiddenStates', '.hidden-states .heatmap', 'columns'), '30');
      assert.ok(await page.paintedColours('hiddenStates', '.hidden-states canvas') > 10);

      // The theme: chart backgrounds are the editor's.
      const background = theme.variables['--vscode-editor-background'];
      const rgb = await page.evaluate<string>(`(() => { const d = document.createElement('div'); d.style.color = ${JSON.stringify(background)}; document.body.append(d); const c = getComputedStyle(d).color; d.remove(); return c; })()`);
      assert.equal(await page.cornerColour('loss', '.loss canvas'), rgb);
      if (name === 'high-contrast') {
        const border = await page.evaluate<string>(`getComputedStyle(${page.inside('loss', '.panel')}).borderTopColor`);
        assert.equal(border, 'rgb(111, 195, 223)', 'panels get the contrast border');
      }

      await page.page.screenshot({ path: join(ARTIFACTS, `outputs-${name}.png`), fullPage: true });
      assert.deepEqual(await page.violations(), [], 'a Content Security Policy violation');
      assert.deepEqual(page.errors, []);
      await page.page.close();
    });
  }

  it('a live train() chart: the first display and its updates redraw the same output in place; the last says finished', async () => {
    const page = await newPage(DARK_MODERN);
    // The first display and the final one at least; on a fast machine 150 steps end within one 50 ms throttle window, so
    // in-flight updates are counted by test/kernel/display.test.ts (3000 steps), not here.
    assert.ok(live.length >= 2, `${live.length} outputs`);
    const id = live[0].displayId!;
    assert.ok(live.every((output) => output.displayId === id));
    await page.render(id, rich(live[0].items).mime, rich(live[0].items).data);
    assert.match(await page.text(id, '.status'), /training/);
    const chart = await page.evaluate<unknown>(`${page.inside(id, '.loss canvas')} !== null`);
    assert.equal(chart, true);
    await page.evaluate(`window.__firstCanvas = ${page.inside(id, '.loss canvas')}`);
    for (const output of live.slice(1)) await page.render(id, rich(output.items).mime, rich(output.items).data);
    assert.equal(await page.evaluate<boolean>(`window.__firstCanvas === ${page.inside(id, '.loss canvas')}`), true, 'the same chart, redrawn (not a new one per update)');
    assert.match(await page.text(id, '.status'), /finished/);
    assert.match(await page.text(id, '.stats'), /step 150 of 150/);
    assert.equal(Number(await page.dataset(id, '.loss .chart', 'points')), 150 + rnn.metrics.filter((m) => m.validationLoss !== undefined).length + 2, 'every step, the validation steps and the baseline\'s two ends');
    await page.page.locator(`#${id}`).screenshot({ path: join(ARTIFACTS, 'live-train-finished.png') });
    assert.deepEqual(page.errors, []);
    await page.page.close();
  });

  it('a malformed payload shows a message that names the problem, never a blank output', async () => {
    const page = await newPage(LIGHT_MODERN);
    const loss = JSON.parse(shows.loss.data) as { runs: { steps: { loss: unknown }[] }[] };
    const nullLoss = structuredClone(loss);
    nullLoss.runs[0].steps[3].loss = null;   // what JSON makes of a NaN nobody encoded
    const cases: [string, string, string, RegExp][] = [
      ['not-json', CHART_MIME, '{"version": 1, "view": "loss", "runs": [', /its data is not JSON/],
      ['newer', CHART_MIME, JSON.stringify({ ...loss, version: 99 }), /written by a newer RNN Lab \(output version 99/],
      ['bad-view', CHART_MIME, JSON.stringify({ ...loss, view: 'histogram' }), /view must be one of loss, timeGradients, gates, not "histogram"/],
      ['heatmap-view-in-chart', CHART_MIME, JSON.stringify({ ...loss, view: 'hiddenStates' }), /view must be one of loss, timeGradients, gates/],
      ['null-loss', CHART_MIME, JSON.stringify(nullLoss), /runs\[0\]: steps\[3\]\.loss must be a number or 'NaN'/],
      ['no-runs', HEATMAP_MIME, JSON.stringify({ version: 1, view: 'timeGradients', runs: [] }), /runs must be a non-empty list/],
      ['array', CHART_MIME, '[1, 2]', /the output is a list, not an object/],
    ];
    for (const [id, mime, data, message] of cases) {
      await page.render(id, mime, data);
      const alert = await page.text(id, '.notebook-problem');
      assert.match(alert, /^RNN Lab could not draw this chart: /, id);
      assert.match(alert, message, id);
      assert.match(alert, /Run the cell again/, id);
    }
    // A good payload into the same output afterwards draws normally.
    await page.render('null-loss', CHART_MIME, shows.loss.data);
    assert.equal(await page.evaluate<unknown>(page.inside('null-loss', '.notebook-problem')), null);
    assert.ok(Number(await page.dataset('null-loss', '.loss .chart', 'points')) > 0);
    await page.page.screenshot({ path: join(ARTIFACTS, 'malformed-light.png'), fullPage: true });
    assert.deepEqual(await page.violations(), []);
    assert.deepEqual(page.errors, []);
    await page.page.close();
  });

  it('destroys its chart.js charts when an output is disposed of, redrawn as another view, or replaced by a problem', async () => {
    const page = await newPage(DARK_MODERN);
    // chart.js marks the canvas of each chart it draws with a `$chartjs` property and removes the mark on destroy().
    const alive = (name: string): Promise<number> => page.evaluate<number>(`window.${name}.filter((canvas) => canvas.$chartjs !== undefined).length`);
    const keepCanvases = (id: string, name: string): Promise<void> => page.evaluate<void>(`void (window.${name} = [...document.getElementById(${JSON.stringify(id)}).shadowRoot.querySelectorAll('canvas')])`);
    for (const id of ['disposed', 'redrawn', 'broken']) {
      await page.render(id, shows.loss.mime, shows.loss.data);
      await keepCanvases(id, `${id}Charts`);
      assert.equal(await alive(`${id}Charts`), 1, `${id}: the loss chart`);
    }

    await page.evaluate<void>("window.__dispose('disposed')");
    await page.render('redrawn', shows.gates.mime, shows.gates.data);
    await page.render('broken', CHART_MIME, '[1, 2]');
    assert.equal(await alive('disposedCharts'), 0, 'the chart of a disposed output is destroyed');
    assert.equal(await alive('redrawnCharts'), 0, 'the loss chart replaced by the gates view is destroyed');
    assert.equal(await alive('brokenCharts'), 0, 'the chart replaced by a problem is destroyed');
    await keepCanvases('redrawn', 'gatesCharts');
    assert.equal(await alive('gatesCharts'), 1, 'the gates chart drawn in its place lives');
    assert.equal(Number(await page.dataset('redrawn', '.gates .chart', 'points')), 4 * 30);
    assert.deepEqual(page.errors, []);
    await page.page.close();
  });

  it('follows a theme switch: the charts repaint their background from the new --vscode-editor-background', async () => {
    const page = await newPage(DARK_MODERN);
    await page.render('loss', shows.loss.mime, shows.loss.data);
    assert.equal(await page.cornerColour('loss', '.loss canvas'), 'rgb(31, 31, 31)');
    await page.setTheme(LIGHT_MODERN);
    assert.equal(await page.cornerColour('loss', '.loss canvas'), 'rgb(255, 255, 255)');
    assert.deepEqual(page.errors, []);
    await page.page.close();
  });
});
