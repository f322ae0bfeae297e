// Webview layer: the centrepiece — ‖∂L/∂a⟨t⟩‖ over the time steps t of the sequence, the quantity backpropagation
// through time carries backwards (min-char-rnn's `dhnext`). Lines for a few training steps, and a heatmap of every
// kept step (time step across, training step down), per layer and direction, with a plain-language reading.
import { evenlySpacedIndices } from '../shared/downsample';
import { LineChart, point, type CrossMarker, type LineDataset } from './charts';
import type { DashboardState, RunState, TimeGradientStep } from './dashboardState';
import { element, setOptions } from './dom';
import { formatNumber } from '../shared/format';
import { Heatmap, logScale, type ColorScale } from './heatmap';
import { describeReach } from '../shared/reachReading';
import { runColor, withAlpha } from './theme';
import { taskModes } from './lossReading';
import { chartCanvas, exportPngButton, section, settingSelect, shortLabel, type View, type ViewContext } from './viewContext';

/** Lines drawn for one run: the first kept step, the latest, and evenly spaced between. */
const LINES_PER_RUN = 6;
/** The heatmap's colour scale spans at most this many powers of ten below its largest value. */
const MAX_DECADES = 16;

/** Runs whose largest values are within this many powers of ten share one heatmap colour scale. */
const SHARED_SCALE_DECADES = 6;

/** Smallest and largest positive finite value (max 0 when there is none). */
function positiveRange(series: readonly Float64Array[]): { min: number; max: number } {
  let min = Infinity;
  let max = 0;
  for (const values of series) {
    for (const v of values) {
      if (Number.isFinite(v) && v > 0) {
        if (v > max) max = v;
        if (v < min) min = v;
      }
    }
  }
  return { min, max };
}

/** The values of one training step for the chosen layer/direction and quantity, or null if it has none. */
function seriesOf(entry: TimeGradientStep, layerKey: string, quantity: 'hidden' | 'cell'): Float64Array | null {
  const series = entry.series.find((s) => `${s.layer}:${s.direction}` === layerKey);
  return series ? (quantity === 'cell' ? series.cell : series.hidden) : null;
}

interface HeatmapPanel {
  readonly root: HTMLElement;
  readonly heatmap: Heatmap;
  readonly readout: HTMLElement;
  rows: TimeGradientStep[];
  /** What the heatmap shows now; it is redrawn only when this changes. */
  drawKey: string;
}

const HEATMAP_CAPTION = 'The heatmap shows every recorded step at once: time step across, training step downwards, bright = strong.';

/**
 * The caption, for where the runs shown read their loss. Many-to-one: the loss is read once, after the last step, so
 * ‖∂L/∂a⟨t⟩‖ at early t is only what survives the way back. Many-to-many: every a⟨t⟩ also gets its own step's share.
 */
export function timeGradientCaption(runs: readonly RunState[], layout: 'both' | 'lines' | 'heatmaps' = 'both'): string {
  if (layout === 'heatmaps') return `${HEATMAP_CAPTION} A row that darkens towards t = 1 means the gradient vanishes on its way back in time.`;
  const tasks = (mode: string): string => [...new Set(runs.filter((run) => run.info.task.mode === mode).map((run) => run.info.task.name))].join(', ');
  const modes = taskModes(runs);
  const vanishing = 'A line that falls to the left means the gradient vanishes on its way back in time.';
  const lines = modes.size === 2
    ? `Each line is one training step: how strongly the loss still reaches each earlier time step t. For ${tasks('many-to-one')} the loss is read once, after the last step; for ${tasks('many-to-many')} at every step, so each a⟨t⟩ also gets gradient from its own prediction. ${vanishing}`
    : modes.has('many-to-many')
      ? `Each line is one training step: ‖∂L/∂a⟨t⟩‖ at each time step t. The loss is read at every time step, so each a⟨t⟩ gets gradient from its own prediction plus what flows back from the later ones. ${vanishing}`
      : `Each line is one training step: how strongly the loss, read once after the last step, still reaches each earlier time step t. ${vanishing}`;
  return layout === 'lines' ? lines : `${lines} ${HEATMAP_CAPTION}`;
}

export class TimeGradientView implements View {
  readonly root: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly chart: LineChart;
  private readonly summary: HTMLElement;
  private readonly reading = element('ul', { className: 'reading' });
  private readonly runSelect: HTMLSelectElement;
  private readonly layerSelect: HTMLSelectElement;
  private readonly quantitySelect: HTMLSelectElement;
  private readonly quantityControl: HTMLElement;
  private readonly layerControl: HTMLElement;
  private readonly runControl: HTMLElement;
  private readonly heatmaps = element('div', { className: 'heatmaps' });
  private readonly scaleNote = element('p', { className: 'scale-note' });
  private panels = new Map<string, HeatmapPanel>();
  private key = '';

  /**
   * `layout`: the dashboard shows the lines and the heatmaps side by side; a notebook output shows one of them (a
   * lesson's `show.timeGradients` the lines, `show.heatmap` the heatmaps).
   */
  constructor(private readonly context: ViewContext, private readonly layout: 'both' | 'lines' | 'heatmaps' = 'both') {
    const parts = section('time-gradient', 'How far back does the gradient reach? ‖∂L/∂a⟨t⟩‖ per time step', timeGradientCaption([], layout));
    this.root = parts.root;
    this.caption = parts.caption;
    this.summary = parts.summary;
    this.runSelect = settingSelect(context, 'gradientRun', (v) => v);
    this.layerSelect = settingSelect(context, 'layer', (v) => v);
    this.quantitySelect = settingSelect(context, 'quantity', (v) => (v === 'cell' ? 'cell' : 'hidden'));
    this.runControl = element('label', { className: 'control' }, [element('span', { text: 'Run' }), this.runSelect]);
    this.layerControl = element('label', { className: 'control' }, [element('span', { text: 'Layer' }), this.layerSelect]);
    this.quantityControl = element('label', { className: 'control' }, [element('span', { text: 'Gradient of' }), this.quantitySelect]);
    const { container, canvas } = chartCanvas('‖∂L/∂a⟨t⟩‖ over time steps, one line per training step', parts.summary, 'chart tall');
    this.chart = new LineChart(canvas, context.theme);
    parts.controls.append(this.runControl, this.layerControl, this.quantityControl, exportPngButton(context, 'time-gradient', () => this.chart.toPng(), 'gradient per time step'));
    parts.body.append(
      element('div', { className: 'reading-box' }, [element('h3', { text: 'What the chart says now' }), this.reading]),
      element('div', { className: layout === 'both' ? 'split' : 'single' }, [container, this.heatmaps]),
    );
    container.hidden = layout === 'heatmaps';
    this.heatmaps.hidden = layout === 'lines';
  }

  render(state: DashboardState, force: boolean): void {
    const settings = this.context.settings;
    // Only a step that brought new per-time-step norms changes this view (hosts may send them on some steps only).
    const key = `${state.runs.map((run) => `${run.info.id}:${run.timeGradients.size}`).join()}|${state.runListVersion}|${settings.gradientRun}|${settings.layer}|${settings.quantity}`;
    if (!force && key === this.key) return;
    this.key = key;
    const withData = state.runs.filter((run) => run.timeGradients.size > 0);

    // Controls: runs (with "compare" when there are several), layers and directions, hidden or cell state.
    setOptions(this.runSelect, [
      ...(withData.length > 1 ? [{ value: 'all', label: 'Compare runs (first and latest step)' }] : []),
      ...withData.map((run) => ({ value: run.info.id, label: run.info.label })),
    ], settings.gradientRun);
    // "Compare" stays the choice while only one run has data yet: runs started together (Compare Cells) report their
    // first gradients at different moments, and the view must not lock onto whichever came first.
    if (settings.gradientRun !== 'all' && !withData.some((run) => run.info.id === settings.gradientRun)) settings.gradientRun = 'all';
    this.runControl.hidden = withData.length < 2;
    const layers = new Map<string, string>();
    const bidirectional = withData.some((run) => run.info.config.bidirectional);
    let hasCell = false;
    for (const run of withData) {
      for (const s of run.timeGradients.latest()?.series ?? []) {
        layers.set(`${s.layer}:${s.direction}`, `layer ${s.layer + 1}${bidirectional ? ` · ${s.direction}` : ''}`);
        hasCell ||= s.cell !== null;
      }
    }
    setOptions(this.layerSelect, [...layers].map(([value, label]) => ({ value, label })), settings.layer);
    settings.layer = this.layerSelect.value || settings.layer;
    this.layerControl.hidden = layers.size < 2;
    setOptions(this.quantitySelect, [
      { value: 'hidden', label: 'hidden state a⟨t⟩' },
      ...(hasCell ? [{ value: 'cell', label: 'cell state c⟨t⟩ (LSTM)' }] : []),
    ], settings.quantity);
    settings.quantity = this.quantitySelect.value === 'cell' ? 'cell' : 'hidden';
    this.quantityControl.hidden = !hasCell;

    const shown = settings.gradientRun === 'all' ? withData : withData.filter((run) => run.info.id === settings.gradientRun);
    this.caption.textContent = timeGradientCaption(shown, this.layout);
    const symbol = settings.quantity === 'cell' ? '‖∂L/∂c⟨t⟩‖' : '‖∂L/∂a⟨t⟩‖';
    if (this.layout !== 'heatmaps') this.drawLines(state, shown, symbol);
    if (this.layout !== 'lines') this.drawHeatmaps(shown, symbol, force);

    const sentences = shown.flatMap((run) => {
      const latest = run.timeGradients.latest();
      const values = latest ? seriesOf(latest, settings.layer, settings.quantity) : null;
      return latest && values ? [describeReach(run.info.label, latest.step, values, symbol)] : [];
    });
    if (sentences.length === 0) sentences.push(withData.length === 0 ? 'No gradient per time step yet: it is recorded as training runs.' : 'The chosen run has no data for this layer.');
    this.reading.replaceChildren(...sentences.map((text) => element('li', { text })));
    this.summary.textContent = `Gradient per time step chart and heatmap. ${sentences.join(' ')}`;
  }

  private drawLines(state: DashboardState, shown: readonly RunState[], symbol: string): void {
    const settings = this.context.settings;
    const theme = this.context.theme;
    const datasets: LineDataset[] = [];
    const markers: CrossMarker[] = [];
    let T = 2;
    const compare = shown.length > 1 || settings.gradientRun === 'all';
    for (const run of shown) {
      const color = runColor(theme, run.index);
      const items = run.timeGradients.items();
      const chosen = compare ? [...new Set([0, items.length - 1])] : evenlySpacedIndices(items.length, LINES_PER_RUN);
      chosen.forEach((index, k) => {
        const entry = items[index];
        const values = seriesOf(entry, settings.layer, settings.quantity);
        if (!values) return;
        T = Math.max(T, values.length);
        const latest = index === items.length - 1;
        const strength = chosen.length === 1 ? 1 : 0.3 + (0.7 * k) / (chosen.length - 1);
        const name = compare ? `${shortLabel(run, state.runs)} step ${entry.step}` : `step ${entry.step}${latest ? ' (latest)' : ''}`;
        datasets.push({
          label: name,
          data: Array.from(values, (v, t) => point(t + 1, v, true)),
          borderColor: compare ? (latest ? color : withAlpha(color, 0.5)) : withAlpha(color, strength),
          backgroundColor: compare ? color : withAlpha(color, strength),
          borderWidth: latest ? 2.5 : 1.25,
          borderDash: compare && !latest ? [5, 4] : undefined,
          pointRadius: !compare && values.length <= 60 ? 1.5 : 0,
        });
        values.forEach((v, t) => {
          if (!Number.isFinite(v)) markers.push({ x: t + 1, color });
        });
      });
    }
    this.chart.update({ datasets, x: { title: 'time step t', min: 1, max: T }, y: { title: `${symbol} (log scale)`, logarithmic: true }, crosses: markers });
    this.chart.describeOn(this.chart.canvas.parentElement);
  }

  private drawHeatmaps(shown: readonly RunState[], symbol: string, force: boolean): void {
    const settings = this.context.settings;
    // One panel per shown run, rebuilt only when the set of shown runs changes.
    const ids = shown.map((run) => run.info.id).join(',');
    if (ids !== [...this.panels.keys()].join(',')) {
      this.panels = new Map(shown.map((run) => [run.info.id, this.panel(run, shown.length > 1)]));
      this.heatmaps.replaceChildren(this.scaleNote, ...[...this.panels.values()].map((panel) => panel.root));
    }
    // One colour scale for all runs, so they compare by colour — unless their largest values lie more than
    // SHARED_SCALE_DECADES apart (a run that exploded would turn every other heatmap into one dark colour).
    const rowsOf = new Map<string, { entry: TimeGradientStep; values: Float64Array }[]>();
    const ranges = new Map<string, { min: number; max: number }>();
    for (const run of shown) {
      const rows = run.timeGradients.items().flatMap((entry) => {
        const values = seriesOf(entry, settings.layer, settings.quantity);
        return values ? [{ entry, values }] : [];
      });
      rowsOf.set(run.info.id, rows);
      ranges.set(run.info.id, positiveRange(rows.map((row) => row.values)));
    }
    const maxima = [...ranges.values()].filter((r) => r.max > 0).map((r) => Math.log10(r.max));
    const shared = maxima.length > 0 && Math.max(...maxima) - Math.min(...maxima) <= SHARED_SCALE_DECADES;
    const all = [...ranges.values()].reduce((a, r) => ({ min: Math.min(a.min, r.min), max: Math.max(a.max, r.max) }), { min: Infinity, max: 0 });
    this.scaleNote.hidden = shown.length < 2;
    this.scaleNote.textContent = shared
      ? 'All heatmaps share one colour scale: the same colour is the same size of gradient.'
      : 'Each heatmap has its own colour scale: the runs\' gradients differ by more than a million times.';
    // Bounds rounded out to half powers of ten: the colour bar does not twitch with every step, and a heatmap whose
    // run and scale did not change is not redrawn.
    const scaleOf = (range: { min: number; max: number }): { scale: ColorScale; key: string } => {
      const hi = range.max > 0 ? 10 ** (Math.ceil(2 * Math.log10(range.max)) / 2) : 1;
      const lo = range.max > 0 ? Math.max(10 ** (Math.floor(2 * Math.log10(range.min)) / 2), hi / 10 ** MAX_DECADES) : 1e-3;
      return { scale: logScale(lo, hi, `${symbol} (log)`), key: `${lo}:${hi}` };
    };
    for (const run of shown) {
      const panel = this.panels.get(run.info.id);
      const rows = rowsOf.get(run.info.id) ?? [];
      if (!panel) continue;
      const { scale, key: scaleKey } = scaleOf(shared ? all : ranges.get(run.info.id) ?? all);
      const drawKey = `${run.version}|${scaleKey}|${settings.layer}|${settings.quantity}`;
      if (!force && drawKey === panel.drawKey) continue;
      panel.drawKey = drawKey;
      panel.rows = rows.map((row) => row.entry);
      const columns = Math.max(0, ...rows.map((row) => row.values.length));
      const values = new Float64Array(rows.length * columns).fill(NaN);
      rows.forEach((row, r) => values.set(row.values, r * columns));
      panel.heatmap.draw(rows.length === 0 ? null : {
        rows: rows.length, columns, values, scale,
        xTitle: 'time step t', yTitle: 'training step ↓',
        columnLabel: (c) => c + 1,
        rowTicks: evenlySpacedIndices(rows.length, Math.min(5, rows.length)).map((row) => ({ row, label: String(rows[row].entry.step) })),
      });
      panel.root.setAttribute('data-rows', String(rows.length));
      panel.root.setAttribute('data-columns', String(columns));
      panel.root.setAttribute('data-non-finite', String(panel.heatmap.nonFiniteCells));
    }
  }

  private panel(run: RunState, compare: boolean): HeatmapPanel {
    const summary = this.summary;
    const { container, canvas } = chartCanvas(`Heatmap of the gradient per time step for ${run.info.label}: time step across, training step downwards, brighter is stronger`, summary, compare ? 'heatmap compact' : 'heatmap');
    const heatmap = new Heatmap(canvas, this.context.theme);
    const readout = element('p', { className: 'readout', text: 'Point at the heatmap to read a value.' });
    const panel: HeatmapPanel = {
      root: element('figure', { className: 'heatmap-panel', attributes: { 'data-run-id': run.info.id } }, [
        element('figcaption', {}, [
          element('span', { className: 'swatch', attributes: { 'aria-hidden': 'true' } }),
          element('span', { text: run.info.label }),
          exportPngButton(this.context, `time-gradient-heatmap-${run.index}`, () => heatmap.toPng(), `gradient heatmap of ${run.info.label}`),
        ]),
        container,
        readout,
      ]),
      heatmap, readout, rows: [], drawKey: '',
    };
    const swatch = panel.root.querySelector<HTMLElement>('.swatch');
    if (swatch) swatch.style.backgroundColor = runColor(this.context.theme, run.index);
    canvas.addEventListener('mousemove', (event) => {
      const cell = heatmap.cellAt(event.clientX, event.clientY);
      const entry = cell ? panel.rows[cell.row] : undefined;
      readout.textContent = cell && entry ? `training step ${entry.step}, time step t = ${cell.column + 1}: ${formatNumber(cell.value)}` : 'Point at the heatmap to read a value.';
    });
    return panel;
  }

  applyTheme(): void {
    this.chart.applyTheme(this.context.theme);
    // Heatmap panels hold theme colours (swatch, scale): rebuild them on the next drawing.
    this.panels = new Map();
    this.heatmaps.replaceChildren();
  }
}
