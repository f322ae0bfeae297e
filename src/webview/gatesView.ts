// Webview layer: gate saturation over the time steps of the latest training step — GRU r/z, LSTM i/f/o (and the
// candidate), the plain RNN's tanh — or the mean gate value, for one run and the chosen layer.
import { LineChart, point, type LineDataset } from './charts';
import type { DashboardState, GateStep, RunState } from './dashboardState';
import { element, setOptions } from './dom';
import { formatNumber } from '../shared/format';
import { chartCanvas, exportPngButton, pickRun, runOptions, section, settingSelect, type View, type ViewContext } from './viewContext';

/** Gate names as the engine reports them (PyTorch letters), with the course's notation. */
const GATE_NAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  lstm: { i: 'input gate Γi (i)', f: 'forget gate Γf (f)', g: 'candidate c̃ (g)', o: 'output gate Γo (o)' },
  gru: { r: 'reset gate Γr (r)', z: 'update gate Γu (z)', n: 'candidate c̃ (n)' },
  rnn: { h: 'a⟨t⟩ = g(…)' },
};

export function gateName(cell: string, gate: string): string {
  return GATE_NAMES[cell]?.[gate] ?? gate;
}

export class GatesView implements View {
  readonly root: HTMLElement;
  private readonly chart: LineChart;
  private readonly summary: HTMLElement;
  private readonly runSelect: HTMLSelectElement;
  private readonly runControl: HTMLElement;
  private readonly empty = element('p', { className: 'empty', text: 'No gate statistics yet.' });
  private readonly chartContainer: HTMLElement;
  private key = '';
  private drawn: unknown = null;

  constructor(private readonly context: ViewContext) {
    const parts = section('gates', 'Gate saturation',
      'For the latest training step: at each time step, the share of units whose gate is pinned near 0 or 1 (σ below 0.05 or above 0.95, |tanh| above 0.95). A saturated gate passes almost no gradient — except a forget gate held at 1, which keeps the memory c⟨t⟩ and its gradient intact.');
    this.root = parts.root;
    this.summary = parts.summary;
    this.runSelect = settingSelect(context, 'gateRun', (v) => v);
    this.runControl = element('label', { className: 'control' }, [element('span', { text: 'Run' }), this.runSelect]);
    const measure = settingSelect(context, 'gateMeasure', (v) => (v === 'mean' ? 'mean' : 'saturated'));
    setOptions(measure, [{ value: 'saturated', label: 'share saturated' }, { value: 'mean', label: 'mean value' }], context.settings.gateMeasure);
    const { container, canvas } = chartCanvas('Gate saturation over time steps for the latest training step', parts.summary);
    this.chartContainer = container;
    this.chart = new LineChart(canvas, context.theme);
    parts.controls.append(this.runControl, element('label', { className: 'control' }, [element('span', { text: 'Show' }), measure]),
      exportPngButton(context, 'gates', () => this.chart.toPng(), 'gate saturation'));
    parts.body.append(this.empty, container);
  }

  render(state: DashboardState, force: boolean): void {
    const settings = this.context.settings;
    const withGates = state.runs.filter((run) => run.latestGates !== null);
    const runId = pickRun(withGates, settings.gateRun);
    const run = withGates.find((r) => r.info.id === runId);
    const key = `${run?.info.id}|${settings.layer}|${settings.gateMeasure}|${withGates.length}`;
    if (!force && key === this.key && run?.latestGates === this.drawn) return;
    this.key = key;
    this.drawn = run?.latestGates ?? null;
    setOptions(this.runSelect, runOptions(withGates), runId);
    this.runControl.hidden = withGates.length < 2;
    this.empty.hidden = run !== undefined;
    this.chartContainer.hidden = run === undefined;
    if (!run || !run.latestGates) {
      this.summary.textContent = 'Gate saturation chart: no gate statistics yet.';
      return;
    }
    this.draw(run, run.latestGates);
  }

  private draw(run: RunState, gates: GateStep): void {
    const settings = this.context.settings;
    const theme = this.context.theme;
    const series = gates.series.find((s) => `${s.layer}:${s.direction}` === settings.layer) ?? gates.series[0];
    const cell = run.info.config.cell;
    const saturated = settings.gateMeasure === 'saturated';
    let T = 2;
    let anyNegative = false;
    const datasets: LineDataset[] = series.gates.map((gate, g) => {
      const values = saturated ? gate.saturated : gate.mean;
      T = Math.max(T, values.length);
      anyNegative ||= values.some((v) => v < 0);
      const color = theme.runColors[(g + 1) % theme.runColors.length];
      return {
        label: gateName(cell, gate.gate), data: Array.from(values, (v, t) => point(t + 1, v, false)),
        borderColor: color, backgroundColor: color, borderWidth: 1.75, borderDash: g % 2 === 1 ? [6, 3] : undefined,
        pointRadius: values.length <= 30 ? 1.5 : 0,
      };
    });
    this.chart.update({
      datasets,
      x: { title: 'time step t', min: 1, max: T },
      y: saturated ? { title: 'share of units saturated', min: 0, max: 1 } : { title: 'mean gate value', min: anyNegative ? -1 : 0, max: 1 },
    });
    this.chart.describeOn(this.chartContainer);
    const averages = series.gates.map((gate) => {
      const values = saturated ? gate.saturated : gate.mean;
      const finite = Array.from(values).filter(Number.isFinite);
      const mean = finite.reduce((a, b) => a + b, 0) / Math.max(1, finite.length);
      return `${gateName(cell, gate.gate)} ${saturated ? `${formatNumber(mean * 100)}% saturated` : `mean ${formatNumber(mean)}`}`;
    });
    this.summary.textContent = `Gate chart for ${run.info.label}, training step ${gates.step}, layer ${series.layer + 1} ${series.direction}: on average over time, ${averages.join('; ')}.`;
  }

  applyTheme(): void {
    this.chart.applyTheme(this.context.theme);
  }
}
