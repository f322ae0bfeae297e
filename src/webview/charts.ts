// Webview layer: chart.js line charts set up for live training data — no animation, no parsing, theme colours, a
// filled background (so an exported PNG is readable), and markers for what a curve cannot draw: a step whose value
// is NaN or infinite, and the step where a run diverged.
import {
  Chart, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Ticks, Tooltip,
  type Scale, type Tick,
  type ChartDataset, type ChartOptions, type Plugin,
} from 'chart.js';
import { logTickLabel } from '../shared/format';
import type { Theme } from './theme';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip);

export type Point = { x: number; y: number | null };
export type LineDataset = ChartDataset<'line', Point[]>;
type ScaleOptions = NonNullable<ChartOptions<'line'>['scales']>[string];

/** A step (or time step) whose value is not finite: drawn as a × on the chart's top edge. */
export interface CrossMarker {
  readonly x: number;
  readonly color: string;
}

/** A vertical dashed line with a label, e.g. "RNN diverged at step 37". */
export interface VerticalMarker {
  readonly x: number;
  readonly color: string;
  readonly label: string;
}

export interface AxisSetup {
  readonly title: string;
  readonly logarithmic?: boolean;
  readonly min?: number;
  readonly max?: number;
}

export interface ChartUpdate {
  readonly datasets: LineDataset[];
  readonly x: AxisSetup;
  readonly y: AxisSetup;
  readonly crosses?: readonly CrossMarker[];
  readonly verticals?: readonly VerticalMarker[];
}

interface Decorations {
  theme: Theme;
  crosses: readonly CrossMarker[];
  verticals: readonly VerticalMarker[];
}

const decorations = new WeakMap<Chart, Decorations>();

const backgroundPlugin: Plugin<'line'> = {
  id: 'rnnLabBackground',
  beforeDraw(chart) {
    const theme = decorations.get(chart)?.theme;
    if (!theme) return;
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = theme.background;
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

const markersPlugin: Plugin<'line'> = {
  id: 'rnnLabMarkers',
  afterDatasetsDraw(chart) {
    const spec = decorations.get(chart);
    const x = chart.scales.x;
    if (!spec || !x) return;
    const { ctx, chartArea } = chart;
    const visible = (value: number): boolean => value >= x.min && value <= x.max;
    ctx.save();
    ctx.font = `${spec.theme.fontSize}px ${spec.theme.fontFamily}`;
    ctx.textBaseline = 'top';
    let labelRow = 0;
    for (const marker of spec.verticals) {
      if (!visible(marker.x)) continue;
      const px = Math.round(x.getPixelForValue(marker.x)) + 0.5;
      ctx.strokeStyle = marker.color;
      ctx.lineWidth = 1.5;
      ctx.setLineDash([5, 4]);
      ctx.beginPath();
      ctx.moveTo(px, chartArea.top);
      ctx.lineTo(px, chartArea.bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      const width = ctx.measureText(marker.label).width + 8;
      const left = px + width + 4 > chartArea.right ? px - width - 4 : px + 4;
      const top = chartArea.top + 16 + labelRow * (spec.theme.fontSize + 8);
      ctx.fillStyle = spec.theme.background;
      ctx.fillRect(left, top, width, spec.theme.fontSize + 6);
      ctx.strokeStyle = marker.color;
      ctx.lineWidth = 1;
      ctx.strokeRect(left + 0.5, top + 0.5, width - 1, spec.theme.fontSize + 5);
      ctx.fillStyle = spec.theme.foreground;
      ctx.fillText(marker.label, left + 4, top + 3);
      labelRow++;
    }
    ctx.lineWidth = 2;
    // A run that stays diverged has a cross at every step: draw one per 8 pixels per colour, not a solid bar.
    const lastDrawn = new Map<string, number>();
    for (const marker of spec.crosses) {
      if (!visible(marker.x)) continue;
      const px = x.getPixelForValue(marker.x);
      if (Math.abs(px - (lastDrawn.get(marker.color) ?? -Infinity)) < 8) continue;
      lastDrawn.set(marker.color, px);
      const py = chartArea.top + 5;
      ctx.strokeStyle = marker.color;
      ctx.beginPath();
      ctx.moveTo(px - 4, py - 4);
      ctx.lineTo(px + 4, py + 4);
      ctx.moveTo(px + 4, py - 4);
      ctx.lineTo(px - 4, py + 4);
      ctx.stroke();
    }
    ctx.restore();
  },
};

/** A line chart whose data, axes and markers are replaced wholesale on each `update` (at most once per frame). */
export class LineChart {
  readonly chart: Chart<'line', Point[]>;
  private readonly decoration: Decorations;
  private scalesKey = '';

  constructor(readonly canvas: HTMLCanvasElement, theme: Theme) {
    this.decoration = { theme, crosses: [], verticals: [] };
    this.chart = new Chart<'line', Point[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      plugins: [backgroundPlugin, markersPlugin],
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        spanGaps: false,
        events: ['mousemove', 'mouseout', 'click'],
        interaction: { mode: 'nearest', intersect: false, axis: 'x' },
        elements: { point: { radius: 0, hitRadius: 6 }, line: { borderWidth: 1.5, tension: 0 } },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 18, boxHeight: 2 } },
          tooltip: { animation: false },
        },
        scales: {},
      },
    });
    decorations.set(this.chart, this.decoration);
    this.applyTheme(theme);
  }

  applyTheme(theme: Theme): void {
    this.decoration.theme = theme;
    const options = this.chart.options;
    options.color = theme.foreground;
    options.font = { family: theme.fontFamily, size: theme.fontSize };
    if (options.plugins?.legend?.labels) options.plugins.legend.labels.color = theme.foreground;
    if (options.plugins?.tooltip) {
      options.plugins.tooltip.backgroundColor = theme.background;
      options.plugins.tooltip.titleColor = theme.foreground;
      options.plugins.tooltip.bodyColor = theme.foreground;
      options.plugins.tooltip.borderColor = theme.border;
      options.plugins.tooltip.borderWidth = 1;
    }
  }

  update(update: ChartUpdate): void {
    const theme = this.decoration.theme;
    this.decoration.crosses = update.crosses ?? [];
    this.decoration.verticals = update.verticals ?? [];
    const axis = (setup: AxisSetup): ScaleOptions => ({
      type: setup.logarithmic ? 'logarithmic' : 'linear',
      min: setup.min,
      max: setup.max,
      title: { display: true, text: setup.title, color: theme.foreground, font: { family: theme.fontFamily, size: theme.fontSize } },
      grid: { color: theme.gridLines },
      border: { color: theme.gridLines },
      ticks: {
        color: theme.mutedForeground,
        font: { family: theme.fontFamily, size: theme.fontSize - 1 },
        maxRotation: 0,
        sampleSize: 8,   // measure a few labels to decide how many fit, not every one (chart.js's speed advice)
        callback: setup.logarithmic ? (value: number | string) => logTickLabel(Number(value)) : linearTickLabel,
      },
    });
    // Rebuilding the scales' options makes chart.js resolve them all again; most updates only move min/max.
    const scalesKey = JSON.stringify([update.x.title, update.x.logarithmic, update.y.title, update.y.logarithmic, theme]);
    const scales = this.chart.options.scales;
    if (scalesKey !== this.scalesKey || !scales?.x || !scales.y) {
      this.scalesKey = scalesKey;
      this.chart.options.scales = { x: axis(update.x), y: axis(update.y) };
    } else {
      scales.x.min = update.x.min;
      scales.x.max = update.x.max;
      scales.y.min = update.y.min;
      scales.y.max = update.y.max;
    }
    this.chart.data.datasets = update.datasets;
    this.chart.update('none');
  }

  /** Number of finite points drawn, for the text alternative and the tests. */
  pointCount(): number {
    return this.chart.data.datasets.reduce((sum, d) => sum + d.data.filter((p) => p.y !== null).length, 0);
  }

  toPng(): string {
    return this.chart.toBase64Image('image/png', 1);
  }

  /** The markers' labels and the number of not-finite crosses, for the text alternative and the tests. */
  markerSummary(): { labels: string[]; crosses: number } {
    return { labels: this.decoration.verticals.map((m) => m.label), crosses: this.decoration.crosses.length };
  }

  /** Exposes what was drawn on the chart's container (`data-points`, `data-markers`, `data-crosses`). */
  describeOn(container: HTMLElement | null): void {
    if (!container) return;
    const markers = this.markerSummary();
    container.dataset.points = String(this.pointCount());
    container.dataset.markers = markers.labels.join(' | ');
    container.dataset.crosses = String(markers.crosses);
  }
}

/** chart.js's own labels, except very large or small values, which it would print with all their digits. */
function linearTickLabel(this: Scale, value: number | string, index: number, ticks: Tick[]): string {
  const v = Number(value);
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) return v.toExponential(1);
  const label = Ticks.formatters.numeric.call(this, v, index, ticks);
  return Array.isArray(label) ? label.join(' ') : label;
}

/** A point for a curve: a value that cannot be drawn (not finite, or not positive on a log axis) becomes a gap. */
export function point(x: number, y: number, logarithmic: boolean): Point {
  return { x, y: Number.isFinite(y) && (!logarithmic || y > 0) ? y : null };
}

/**
 * chart.js starts following its canvas's size once the canvas is on the page, and notices that with a MutationObserver
 * on `document` — which does not see into a shadow root (a notebook output's). Call this after the charts under `root`
 * joined the page inside one: it binds their resize handling again, now that the canvases are attached.
 */
export function bindChartsOnPage(root: ParentNode): void {
  for (const canvas of root.querySelectorAll('canvas')) {
    const chart = Chart.getChart(canvas);
    if (!chart) continue;
    chart.unbindEvents();
    chart.bindEvents();
  }
}

/**
 * Destroys the chart.js charts under `root`: their listeners, resize handling and registry entries go with them. Call
 * before their canvases leave the page (an output disposed or redrawn as another kind of view).
 */
export function destroyChartsIn(root: ParentNode): void {
  for (const canvas of root.querySelectorAll('canvas')) Chart.getChart(canvas)?.destroy();
}
