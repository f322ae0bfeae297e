// CLI layer (pure): a training run as one self-contained HTML page — loss, gradient norm and ‖∂L/∂h⟨t⟩‖ charts
// drawn by an inlined chart.js, under a CSP that allows no network at all. Run data + library text in, HTML string out.
import { describeDivergence } from '../engine/divergence';
import type { StepMetrics, TrainingConfig } from '../engine/trainer';
import { contentSecurityPolicy, escapeHtml } from '../shared/html';
import type { RunSummary } from '../shared/runStoreFormat';

export interface ReportInput {
  /** Shown as the page title, e.g. the run folder's name. */
  readonly title: string;
  readonly config: TrainingConfig;
  readonly metrics: readonly StepMetrics[];
  readonly summary?: RunSummary;
}

export interface ReportOptions {
  /** The text of chart.js's UMD build (`chart.js/dist/chart.umd.min.js`), inlined into the page. */
  readonly chartJsSource: string;
  /** A fresh random nonce (base64) that lets exactly the page's own scripts and styles run. */
  readonly nonce: string;
}

/** A point of a chart; `y` null leaves a gap (a non-finite value, or a zero on a log scale). */
export interface ChartPoint {
  readonly x: number;
  readonly y: number | null;
}

/** Everything the page's script draws, as plain JSON. */
export interface ReportChartData {
  /** `logarithmic` when the finite losses span more than three orders of magnitude (a run that diverged). */
  readonly loss: { readonly train: ChartPoint[]; readonly validation: ChartPoint[]; readonly baseline: number | null; readonly logarithmic: boolean };
  readonly gradient: { readonly before: ChartPoint[]; readonly after: ChartPoint[]; readonly threshold: number | null };
  /** One panel per layer and direction; in each, ‖∂L/∂h⟨t⟩‖ over t = 1…T for a few training steps. */
  readonly hiddenNorms: { readonly label: string; readonly steps: { readonly step: number; readonly values: ChartPoint[] }[] }[];
}

/** At most this many points per training curve: longer runs are thinned evenly (validation points are all kept). */
export const MAX_CURVE_POINTS = 2000;

/** How many training steps the ‖∂L/∂h⟨t⟩‖ panels compare (first, last and evenly spaced between). */
export const HIDDEN_NORM_STEPS = 5;

export function buildReportHtml(run: ReportInput, options: ReportOptions): string {
  const csp = contentSecurityPolicy(options.nonce);   // self-contained: no source but the nonce and data: images
  const nonce = options.nonce;
  const data = reportChartData(run.config, run.metrics, run.summary);
  const panels = data.hiddenNorms.map((panel, i) => `<h3>${escapeHtml(panel.label)}</h3>\n<div class="chart"><canvas id="hidden-${i}" role="img" aria-label="${escapeHtml(`gradient norm per time step, ${panel.label}`)}"></canvas></div>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>RNN Lab report — ${escapeHtml(run.title)}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<header>
<h1>RNN Lab training report</h1>
<p class="subtitle">${escapeHtml(run.title)}</p>
<p class="model">${escapeHtml(describeModel(run.config))}</p>
</header>
${summarySection(run)}
<section>
<h2>Loss</h2>
<p class="caption">Training loss is measured on each step's fresh batch and validation loss on held-out data the network never learns from: both falling means it is learning, while validation rising as training keeps falling means it is memorising.</p>
<div class="chart"><canvas id="loss" role="img" aria-label="training and validation loss over training steps"></canvas></div>
</section>
<section>
<h2>Gradient norm</h2>
<p class="caption">The length of the whole gradient at each step (log scale), before and after clipping: spikes are exploding gradients, and wherever the two lines part, clipping shrank that step to the threshold.</p>
<div class="chart"><canvas id="gradient" role="img" aria-label="global gradient norm over training steps"></canvas></div>
</section>
<section>
<h2>‖∂L/∂h⟨t⟩‖ per time step</h2>
<p class="caption">How strongly the loss reacts to the hidden state at each time step t (log scale), at a few moments of training: a line that falls by orders of magnitude toward the steps far from where the loss is read is a vanishing gradient, and the network can hardly learn from that far back.</p>
${panels || '<p class="empty">No gradient norms were recorded.</p>'}
</section>
<details>
<summary>Full configuration</summary>
${configTable(run.config)}
</details>
<footer>Made by <code>rnn-lab report</code>${run.summary ? ` · RNN Lab ${escapeHtml(run.summary.version)}` : ''} · works offline: chart.js is inlined.</footer>
<script type="application/json" id="rnn-lab-data">${jsonForHtml(data)}</script>
<script nonce="${nonce}">${inlineScript(options.chartJsSource)}</script>
<script nonce="${nonce}">${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}

/** The chart series of a run: non-finite values (a diverged step) become gaps rather than breaking the axis. */
export function reportChartData(config: TrainingConfig, metrics: readonly StepMetrics[], summary?: RunSummary): ReportChartData {
  const thinned = thin(metrics, MAX_CURVE_POINTS);
  const point = (x: number, y: number | undefined, logScale: boolean): ChartPoint => ({
    x, y: y !== undefined && Number.isFinite(y) && (!logScale || y > 0) ? y : null,
  });
  // A loop, never Math.max(...losses): spreading 150,000 steps into arguments overflows the call stack.
  let smallest = Infinity;
  let largest = 0;
  for (const m of metrics) {
    for (const loss of [m.loss, m.validationLoss]) {
      if (loss === undefined || !Number.isFinite(loss) || loss <= 0) continue;
      if (loss < smallest) smallest = loss;
      if (loss > largest) largest = loss;
    }
  }
  const logarithmic = largest > 0 && largest / smallest > 1000;
  const validation = metrics.filter((m) => m.validationLoss !== undefined).map((m) => point(m.step, m.validationLoss, logarithmic));
  const withNorms = metrics.filter((m) => m.gradientNorms.length > 0);
  const chosen = pickEvenly(withNorms, HIDDEN_NORM_STEPS);
  const panels = (chosen[0]?.gradientNorms ?? []).map((series, index) => ({
    label: `layer ${series.layer + 1}, ${series.direction}${config.bidirectional ? ' direction' : ''}`,
    steps: chosen.map((m) => ({ step: m.step, values: (m.gradientNorms[index]?.hidden ?? []).map((v, t) => point(t + 1, v, true)) })),
  }));
  return {
    loss: {
      train: thinned.map((m) => point(m.step, m.loss, logarithmic)),
      validation,
      baseline: summary?.baselineLoss !== undefined && Number.isFinite(summary.baselineLoss) && summary.baselineLoss > 0 ? summary.baselineLoss : null,
      logarithmic,
    },
    gradient: {
      before: thinned.map((m) => point(m.step, m.gradientNorm, true)),
      after: thinned.map((m) => point(m.step, m.clippedGradientNorm, true)),
      threshold: config.clipMode === 'norm' ? config.clip : null,
    },
    hiddenNorms: panels,
  };
}

/** `<`, `>`, `&`, quotes → entities: for every string that came from a file. */
/** JSON that can sit inside `<script type="application/json">`: no `<`, `>` or `&` can end the element early. */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Library code made safe to inline: no closing tag inside it, and no source map the page would try to fetch. */
function inlineScript(source: string): string {
  return source
    .replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n')
    .replace(/<\/(script)/gi, '<\\/$1')
    .replace(/<!--/g, '<\\!--');
}

function describeModel(c: TrainingConfig): string {
  const parts = [
    `${c.bidirectional ? 'bidirectional ' : ''}${c.layers > 1 ? `${c.layers}-layer ` : ''}${c.cell.toUpperCase()}`,
    c.cell === 'rnn' ? c.nonlinearity : c.cell === 'gru' ? `reset ${c.gruReset}` : null,
    `hidden ${c.hidden}`,
    `task ${c.task}${c.sequenceLength !== undefined ? ` (T = ${c.sequenceLength})` : ''}`,
    `${c.optimizer}, lr ${c.learningRate}`,
    c.clipMode === 'none' ? 'no clipping' : `clip by ${c.clipMode} at ${c.clip}`,
    c.truncate > 0 ? `truncated BPTT every ${c.truncate} steps` : 'full BPTT',
    `batch ${c.batchSize}`,
    `seed ${c.seed}`,
  ];
  return parts.filter((part) => part !== null).join(' · ');
}

function summarySection(run: ReportInput): string {
  const s = run.summary;
  const last = run.metrics[run.metrics.length - 1];
  const stat = (label: string, value: string): string => `<div class="stat"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div></div>`;
  const stats = [
    stat('steps', s ? `${s.stepsCompleted} / ${s.stepsRequested}` : `${last?.step ?? 0} / ${run.config.steps}`),
    stat('final loss', formatNumber(s ? s.finalLoss : last?.loss)),
    stat('validation loss', formatNumber(s?.finalValidationLoss)),
    stat('best validation loss', formatNumber(s?.bestValidationLoss)),
    ...(s?.baselineLoss !== undefined ? [stat('trivial baseline', formatNumber(s.baselineLoss))] : []),
    ...(s ? [stat('speed', `${formatNumber(s.stepsPerSecond)} steps/s (${formatNumber(s.millisecondsPerStep)} ms/step)`)] : []),
    ...(s?.computedIn !== undefined ? [stat('computed in', s.computedIn)] : []),
  ];
  const notes: string[] = [];
  if (!s) notes.push(`This run ended before it finished saving (killed, out of disk space, or still training): it has no summary.json, so the ${run.metrics.length} steps it recorded are shown.`);
  else if (s.stopReason === 'interrupted') notes.push(`Stopped early (interrupted) after ${s.stepsCompleted} of ${s.stepsRequested} steps.`);
  else if (s.stopReason === 'diverged' && s.divergence) notes.push(`Training ${describeDivergence(s.divergence)}.`);
  else if (s.stopReason === 'error') notes.push(`Stopped by an error after ${s.stepsCompleted} of ${s.stepsRequested} steps: ${s.error ?? 'unknown error'}`);
  if (s && s.skippedSteps > 0) notes.push(`${s.skippedSteps} update(s) were skipped because the loss or a gradient was not finite (the network diverged).`);
  const when = s ? `<p class="when">Trained ${escapeHtml(formatTime(s.startedAt))} – ${escapeHtml(formatTime(s.finishedAt))} (${escapeHtml(formatNumber(s.wallSeconds))} s).</p>` : '';
  return `<section class="summary">
<div class="stats">${stats.join('')}</div>
${notes.map((note) => `<p class="note">${escapeHtml(note)}</p>`).join('\n')}
${when}
</section>`;
}

function configTable(config: TrainingConfig): string {
  const rows = Object.entries(config).map(([key, value]) => `<tr><th>${escapeHtml(key)}</th><td>${escapeHtml(String(value))}</td></tr>`);
  return `<table class="config">${rows.join('')}</table>`;
}

function formatNumber(value: number | undefined): string {
  if (value === undefined) return '—';
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && (Math.abs(value) >= 1e6 || Math.abs(value) < 1e-4)) return value.toExponential(3);
  return Math.abs(value) >= 1000 ? value.toFixed(0) : Number(value.toPrecision(4)).toString();
}

/** An ISO time as `2026-01-25 14:03:07 UTC`. */
function formatTime(iso: string): string {
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
}

function thin<T>(items: readonly T[], limit: number): T[] {
  if (items.length <= limit) return [...items];
  const stride = Math.ceil(items.length / limit);
  const kept = items.filter((_, i) => i % stride === 0);
  if (kept[kept.length - 1] !== items[items.length - 1]) kept.push(items[items.length - 1]);
  return kept;
}

function pickEvenly<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  const indices = new Set(Array.from({ length: count }, (_, i) => Math.round((i * (items.length - 1)) / (count - 1))));
  return [...indices].map((i) => items[i]);
}

const STYLE = `
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; background: #fff; max-width: 1100px; margin: 0 auto; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 4px; }
h3 { font-size: 15px; margin: 16px 0 4px; font-weight: 600; }
.subtitle { margin: 0; color: #57606a; font-family: ui-monospace, monospace; }
.model { margin: 4px 0 0; color: #57606a; }
.stats { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 20px; }
.stat { border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 14px; min-width: 120px; }
.stat .label { font-size: 12px; color: #57606a; text-transform: uppercase; letter-spacing: .04em; }
.stat .value { font-size: 18px; font-variant-numeric: tabular-nums; }
.note { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: 6px 10px; }
.when, .caption, footer { color: #57606a; }
.caption { margin: 0 0 8px; max-width: 75ch; }
.chart { position: relative; height: 320px; }
.empty { color: #57606a; font-style: italic; }
details { margin-top: 32px; }
table.config { border-collapse: collapse; margin-top: 8px; }
table.config th, table.config td { text-align: left; padding: 2px 12px 2px 0; font-weight: normal; }
table.config th { color: #57606a; }
footer { margin-top: 32px; font-size: 13px; }
`;

/** Runs in the page: reads #rnn-lab-data and draws the charts. Kept to what every current browser runs as-is. */
const CLIENT_SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('rnn-lab-data').textContent);
  var palette = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#bf8700', '#1b7c83', '#953800'];
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = 'system-ui, sans-serif';
  function line(label, points, color, extra) {
    var dataset = { label: label, data: points, borderColor: color, backgroundColor: color, borderWidth: 1.5, pointRadius: 0, spanGaps: false };
    for (var key in extra) dataset[key] = extra[key];
    return dataset;
  }
  function horizontal(label, y, points, color) {
    if (y === null || points.length === 0) return null;
    var first = points[0].x, last = points[points.length - 1].x;
    return line(label, [{ x: first, y: y }, { x: last, y: y }], color, { borderDash: [6, 4], borderWidth: 1 });
  }
  // Log-axis labels at 1, 2 and 5 × 10ⁿ, written 0.02 or 2e-7 rather than chart.js's long decimals.
  function logTick(value) {
    var mantissa = value / Math.pow(10, Math.floor(Math.log10(value) + 1e-9));
    if ([1, 2, 5].every(function (m) { return Math.abs(mantissa - m) > 1e-6; })) return '';
    return value >= 1e-3 && value < 1e5 ? String(Number(value.toPrecision(1))) : value.toExponential(0);
  }
  function draw(id, datasets, xTitle, yTitle, logarithmic, xMin) {
    new Chart(document.getElementById(id), {
      type: 'line',
      data: { datasets: datasets.filter(function (d) { return d !== null; }) },
      options: {
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', intersect: false },
        scales: {
          x: { type: 'linear', min: xMin, title: { display: true, text: xTitle } },
          y: logarithmic
            ? { type: 'logarithmic', title: { display: true, text: yTitle }, ticks: { callback: logTick } }
            : { type: 'linear', title: { display: true, text: yTitle } }
        },
        plugins: { legend: { position: 'bottom' } }
      }
    });
  }
  draw('loss', [
    line('training loss', data.loss.train, palette[0], {}),
    line('validation loss', data.loss.validation, palette[1], { pointRadius: 2 }),
    horizontal('trivial baseline', data.loss.baseline, data.loss.train, '#6e7781')
  ], 'training step', data.loss.logarithmic ? 'loss (log scale)' : 'loss', data.loss.logarithmic, undefined);
  draw('gradient', [
    line('before clipping', data.gradient.before, palette[0], {}),
    line('after clipping', data.gradient.after, 'rgba(26, 127, 55, 0.45)', { borderWidth: 5 }),
    horizontal('clip threshold', data.gradient.threshold, data.gradient.before, '#6e7781')
  ], 'training step', '‖gradient‖ (log scale)', true, undefined);
  data.hiddenNorms.forEach(function (panel, i) {
    draw('hidden-' + i, panel.steps.map(function (s, k) {
      return line('step ' + s.step, s.values, palette[k % palette.length], { pointRadius: 2 });
    }), 'time step t', '‖∂L/∂h⟨t⟩‖ (log scale)', true, 1);
  });
})();
`;
