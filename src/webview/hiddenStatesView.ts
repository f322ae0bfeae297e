// Webview layer: the hidden state a⟨t⟩ of every unit at every time step for one input sequence, as a heatmap with a
// diverging colour scale (the theme's background at 0).
import type { DashboardState } from './dashboardState';
import { element, setOptions } from './dom';
import { formatNumber } from './format';
import { divergingScale, Heatmap } from './heatmap';
import { evenlySpacedIndices } from '../shared/downsample';
import { chartCanvas, exportPngButton, pickRun, runOptions, section, settingSelect, type View, type ViewContext } from './viewContext';

export class HiddenStatesView implements View {
  readonly root: HTMLElement;
  private readonly heatmap: Heatmap;
  private readonly summary: HTMLElement;
  private readonly runSelect: HTMLSelectElement;
  private readonly runControl: HTMLElement;
  private readonly container: HTMLElement;
  private readonly empty = element('p', { className: 'empty', text: 'No hidden states yet: they are shown for one input once the run sends them.' });
  private key = '';
  private drawn: unknown = null;

  constructor(private readonly context: ViewContext) {
    const parts = section('hidden-states', 'Hidden state for one input',
      'The hidden state a⟨t⟩ while the network reads one sequence: each column is a time step, each row one hidden unit; the two colours are negative and positive values. Rows pinned at the extremes are saturated units.');
    this.root = parts.root;
    this.summary = parts.summary;
    this.runSelect = settingSelect(context, 'hiddenRun', (v) => v);
    this.runControl = element('label', { className: 'control' }, [element('span', { text: 'Run' }), this.runSelect]);
    const { container, canvas } = chartCanvas('Heatmap of hidden state values: time step across, hidden unit down', parts.summary, 'heatmap');
    this.container = container;
    this.heatmap = new Heatmap(canvas, context.theme);
    parts.controls.append(this.runControl, exportPngButton(context, 'hidden-states', () => this.heatmap.toPng(), 'hidden state'));
    parts.body.append(this.empty, container);
  }

  render(state: DashboardState, force: boolean): void {
    const withStates = state.runs.filter((run) => run.hiddenStates !== null);
    const runId = pickRun(withStates, this.context.settings.hiddenRun);
    const run = withStates.find((r) => r.info.id === runId);
    // Keyed on the states themselves: a run's other updates (every training step) do not touch this heatmap.
    const key = `${run?.info.id}|${withStates.length}`;
    if (!force && key === this.key && run?.hiddenStates === this.drawn) return;
    this.key = key;
    this.drawn = run?.hiddenStates ?? null;
    setOptions(this.runSelect, runOptions(withStates), runId);
    this.runControl.hidden = withStates.length < 2;
    this.empty.hidden = run !== undefined;
    this.container.hidden = run === undefined;
    const states = run?.hiddenStates;
    if (!run || !states) {
      this.heatmap.draw(null);
      this.summary.textContent = 'Hidden state heatmap: no hidden states yet.';
      return;
    }
    const T = states.values.length;
    const H = states.values[0]?.length ?? 0;
    const values = new Float64Array(H * T);
    let limit = 0;
    let saturated = 0;
    for (let t = 0; t < T; t++) {
      for (let h = 0; h < H; h++) {
        const v = states.values[t][h];
        values[h * T + t] = v;
        if (Number.isFinite(v)) {
          limit = Math.max(limit, Math.abs(v));
          if (Math.abs(v) > 0.95) saturated++;
        }
      }
    }
    // tanh states live in [−1, 1]: keep that scale so runs compare; ReLU states may go beyond it.
    limit = Math.max(1, limit);
    this.heatmap.draw({
      rows: H, columns: T, values, scale: divergingScale(limit, this.context.theme, 'a⟨t⟩ value'),
      xTitle: 'time step t', yTitle: 'hidden unit',
      columnLabel: (c) => c + 1,
      rowTicks: evenlySpacedIndices(H, Math.min(H, 6)).map((row) => ({ row, label: String(row + 1) })),
    });
    this.container.setAttribute('data-rows', String(H));
    this.container.setAttribute('data-columns', String(T));
    this.summary.textContent = `Hidden state heatmap for ${run.info.label}, layer ${states.layer + 1}: ${H} units over ${T} time steps, values between ${formatNumber(-limit)} and ${formatNumber(limit)}; ${formatNumber((100 * saturated) / Math.max(1, H * T))}% of the values are beyond ±0.95.`;
  }

  applyTheme(): void {
    this.heatmap.setTheme(this.context.theme);
  }
}
