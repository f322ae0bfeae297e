// Webview layer: training and validation loss of every run on one chart, with the task's trivial baseline, a
// log-scale toggle, and a marker where a run diverged.
import { LineChart, type CrossMarker, type LineDataset, type VerticalMarker } from './charts';
import { crosses, curve, curveWidth, horizontal, spansDecades } from './curves';
import type { DashboardState } from './dashboardState';
import { element } from './dom';
import { formatNumber } from '../shared/format';
import { runColor, withAlpha } from './theme';
import { lossReading } from './lossReading';
import { chartCanvas, exportPngButton, section, shortLabel, versionKey, type View, type ViewContext } from './viewContext';

const CAPTION = 'Solid lines are the training loss of each step\'s batch, dotted lines the validation loss on held-out data: both falling means the network is learning; validation rising while training falls means it is memorising.';

export class LossView implements View {
  readonly root: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly chart: LineChart;
  private readonly summary: HTMLElement;
  private readonly logBox: HTMLInputElement;
  private key = '';

  constructor(private readonly context: ViewContext) {
    const parts = section('loss', 'Loss', CAPTION);
    this.root = parts.root;
    this.caption = parts.caption;
    this.summary = parts.summary;
    const log = element('input', { attributes: { type: 'checkbox' } });
    this.logBox = log;
    log.addEventListener('change', () => {
      context.settings.logLoss = log.checked ? 'on' : 'off';
      context.changed();
    });
    const { container, canvas } = chartCanvas('Loss over training steps, one line per run', parts.summary);
    this.chart = new LineChart(canvas, context.theme);
    parts.controls.append(
      element('label', { className: 'control checkbox' }, [log, element('span', { text: 'Log scale' })]),
      exportPngButton(context, 'loss', () => this.chart.toPng(), 'loss'),
    );
    parts.body.append(container);
  }

  render(state: DashboardState, force: boolean): void {
    const choice = this.context.settings.logLoss;
    const key = `${versionKey(state.runs)}|${choice}`;
    if (!force && key === this.key) return;
    this.key = key;
    this.caption.textContent = `${CAPTION} ${lossReading(state.runs)}`.trim();
    const logarithmic = choice === 'auto' ? spansDecades(state.runs.flatMap((run) => [run.loss, run.validationLoss]), 3) : choice === 'on';
    this.logBox.checked = logarithmic;
    const theme = this.context.theme;
    const datasets: LineDataset[] = [];
    const markers: CrossMarker[] = [];
    const verticals: VerticalMarker[] = [];
    const lastStep = Math.max(2, ...state.runs.map((run) => run.lastStep));
    const sentences: string[] = [];
    for (const run of state.runs) {
      const color = runColor(theme, run.index);
      const name = shortLabel(run, state.runs);
      const train = curve(run.steps, run.loss, logarithmic);
      const validation = curve(run.validationSteps, run.validationLoss, logarithmic);
      datasets.push({ label: `${name} training`, data: train.points, borderColor: color, backgroundColor: color, borderWidth: curveWidth(train.points.length, 1.5) });
      if (run.validationSteps.length > 0) {
        datasets.push({
          label: `${name} validation`, data: validation.points, borderColor: withAlpha(color, 0.85), backgroundColor: color,
          borderDash: validation.points.length <= 100 ? [2, 3] : undefined, borderWidth: curveWidth(validation.points.length, 2), pointRadius: validation.points.length <= 100 ? 2.5 : 0, pointStyle: 'circle',
        });
      }
      for (const marker of crosses([...train.nonFinite, ...validation.nonFinite], color)) markers.push(marker);   // no push(...): a long diverged run has many
      if (run.divergedAtStep !== null) verticals.push({ x: run.divergedAtStep, color: theme.error, label: `${name} diverged at step ${run.divergedAtStep}` });
      const n = run.loss.length;
      if (n > 0) {
        const validationText = run.validationLoss.length > 0 ? `, validation loss ${formatNumber(run.validationLoss[run.validationLoss.length - 1])}` : '';
        sentences.push(`${run.info.label}: step ${run.lastStep}, training loss ${formatNumber(run.loss[n - 1])} (it was ${formatNumber(run.loss[0])} at step ${run.steps[0]})${validationText}`
          + (run.divergedAtStep !== null ? `; diverged at step ${run.divergedAtStep}.` : '.'));
      }
    }
    const baselines = new Map<number, string>();
    for (const run of state.runs) {
      const baseline = run.info.task.baselineLoss;
      if (baseline !== undefined && baseline > 0 && !baselines.has(baseline)) baselines.set(baseline, run.info.task.name);
    }
    for (const [baseline, task] of baselines) {
      datasets.push({
        label: baselines.size > 1 ? `trivial baseline (${task})` : 'trivial baseline', data: horizontal(baseline, 1, lastStep),
        borderColor: theme.mutedForeground, backgroundColor: theme.mutedForeground, borderDash: [6, 4], borderWidth: 1,
      });
      sentences.push(`A trivial predictor scores ${formatNumber(baseline)} on ${task}.`);
    }
    this.chart.update({
      datasets,
      x: { title: 'training step', min: 1, max: lastStep },
      y: { title: logarithmic ? 'loss (log scale)' : 'loss', logarithmic },
      crosses: markers,
      verticals,
    });
    this.chart.describeOn(this.chart.canvas.parentElement);
    this.summary.textContent = sentences.length > 0 ? `Loss chart. ${sentences.join(' ')}` : 'Loss chart: no steps yet.';
  }

  applyTheme(): void {
    this.chart.applyTheme(this.context.theme);
  }
}
