// Webview layer: the length of the whole parameter gradient at every step, before and after clipping, with the
// clipping threshold — spikes are exploding gradients; where the two lines part, clipping shrank the step.
import { LineChart, type CrossMarker, type LineDataset, type VerticalMarker } from './charts';
import { crosses, curve, curveWidth, horizontal, maxFinite } from './curves';
import type { DashboardState } from './dashboardState';
import { element, setOptions } from './dom';
import { formatNumber } from '../shared/format';
import { runColor, withAlpha } from './theme';
import { chartCanvas, exportPngButton, section, settingSelect, shortLabel, versionKey, type View, type ViewContext } from './viewContext';

export class ClippingView implements View {
  readonly root: HTMLElement;
  private readonly chart: LineChart;
  private readonly summary: HTMLElement;
  private readonly runSelect: HTMLSelectElement;
  private readonly runControl: HTMLElement;
  private key = '';

  constructor(private readonly context: ViewContext) {
    const parts = section('clipping', 'Parameter gradient and clipping',
      'The length ‖∇L‖ of the whole gradient at each step, before clipping (thin line) and after it (wide pale line, when one run is chosen). Spikes are exploding gradients; where the two part, clipping shrank that step to the dashed threshold.');
    this.root = parts.root;
    this.summary = parts.summary;
    const { container, canvas } = chartCanvas('Gradient norm before and after clipping over training steps', parts.summary);
    this.chart = new LineChart(canvas, context.theme);
    this.runSelect = settingSelect(context, 'clippingRun', (v) => v);
    this.runControl = element('label', { className: 'control' }, [element('span', { text: 'Run' }), this.runSelect]);
    parts.controls.append(this.runControl, exportPngButton(context, 'gradient-clipping', () => this.chart.toPng(), 'gradient norm'));
    parts.body.append(container);
  }

  render(state: DashboardState, force: boolean): void {
    const settings = this.context.settings;
    const key = `${versionKey(state.runs)}|${settings.clippingRun}`;
    if (!force && key === this.key) return;
    this.key = key;
    setOptions(this.runSelect, [
      ...(state.runs.length > 1 ? [{ value: 'all', label: 'All runs (before clipping)' }] : []),
      ...state.runs.map((run) => ({ value: run.info.id, label: run.info.label })),
    ], settings.clippingRun);
    // "All runs" stays the choice while runs are still arriving one by one (see the gradient-per-time-step view).
    if (settings.clippingRun !== 'all' && !state.runs.some((run) => run.info.id === settings.clippingRun)) settings.clippingRun = 'all';
    this.runControl.hidden = state.runs.length < 2;
    const shown = settings.clippingRun === 'all' ? state.runs : state.runs.filter((run) => run.info.id === settings.clippingRun);
    const both = shown.length === 1;
    const theme = this.context.theme;
    const datasets: LineDataset[] = [];
    const markers: CrossMarker[] = [];
    const verticals: VerticalMarker[] = [];
    const lastStep = Math.max(2, ...shown.map((run) => run.lastStep));
    const sentences: string[] = [];
    const thresholds = new Set<number>();
    for (const run of shown) {
      const color = runColor(theme, run.index);
      const name = shortLabel(run, state.runs);
      const before = curve(run.steps, run.gradientNorm, true);
      const after = curve(run.steps, run.clippedGradientNorm, true);
      if (both) datasets.push({ label: 'after clipping', data: after.points, borderColor: withAlpha(color, 0.35), backgroundColor: withAlpha(color, 0.35), borderWidth: 6 });
      datasets.push({ label: both ? 'before clipping' : `${name} before clipping`, data: before.points, borderColor: color, backgroundColor: color, borderWidth: curveWidth(before.points.length, 1.25) });
      for (const marker of crosses(before.nonFinite, color)) markers.push(marker);   // no push(...): a long diverged run has many
      if (run.divergedAtStep !== null) verticals.push({ x: run.divergedAtStep, color: theme.error, label: `${name} diverged at step ${run.divergedAtStep}` });
      const config = run.info.config;
      if (config.clipMode === 'norm') thresholds.add(config.clip);
      const n = run.gradientNorm.length;
      if (n > 0) {
        const clipping = config.clipMode === 'none' ? 'no clipping' : `clipping (${config.clipMode} at ${config.clip}) shrank ${run.clippedCount} of ${n} steps`;
        sentences.push(`${run.info.label}: latest gradient norm ${formatNumber(run.gradientNorm[n - 1])}, largest ${formatNumber(maxFinite(run.gradientNorm))}; ${clipping}`
          + (run.skippedCount > 0 ? `; ${run.skippedCount} steps not finite and skipped.` : '.'));
      }
    }
    for (const threshold of thresholds) {
      datasets.push({
        label: thresholds.size > 1 ? `clip threshold ${threshold}` : 'clip threshold', data: horizontal(threshold, 1, lastStep),
        borderColor: theme.mutedForeground, backgroundColor: theme.mutedForeground, borderDash: [6, 4], borderWidth: 1,
      });
    }
    this.chart.update({
      datasets,
      x: { title: 'training step', min: 1, max: lastStep },
      y: { title: '‖∇L‖ (log scale)', logarithmic: true },
      crosses: markers,
      verticals,
    });
    this.chart.describeOn(this.chart.canvas.parentElement);
    this.summary.textContent = sentences.length > 0 ? `Gradient norm chart. ${sentences.join(' ')}` : 'Gradient norm chart: no steps yet.';
  }

  applyTheme(): void {
    this.chart.applyTheme(this.context.theme);
  }
}
