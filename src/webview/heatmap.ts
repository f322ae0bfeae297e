// Webview layer: a heatmap drawn on a plain canvas (chart.js has none) — cells from an ImageData scaled up without
// smoothing, axis ticks, a row of column tokens (the input's characters) when they fit, a colour bar, and a "not
// finite" swatch when a cell is NaN or infinite.
import { integerTicks } from '../shared/format';
import { colorToRgba, type Theme } from './theme';

export type Rgba = readonly [number, number, number, number];

export interface ColorScale {
  /** Colour of a finite value. */
  color(value: number): Rgba;
  /** Colour-bar ticks: position 0…1 from bottom to top and their labels. */
  readonly ticks: readonly { position: number; label: string }[];
  /** Sampled colour of position 0…1 along the bar. */
  at(position: number): Rgba;
  readonly title: string;
}

export interface HeatmapData {
  readonly rows: number;
  readonly columns: number;
  /** Row-major values, rows × columns. */
  readonly values: Float64Array;
  readonly scale: ColorScale;
  readonly xTitle: string;
  readonly yTitle: string;
  /** Label of column c (time steps are 1-based). */
  readonly columnLabel: (column: number) => number;
  /** One token per column (e.g. the character read at that time step), drawn under the cells when each fits its column. */
  readonly columnTokens?: readonly string[];
  /** Rows to label on the y axis and their text. */
  readonly rowTicks: readonly { row: number; label: string }[];
}

/** Viridis at nine stops: perceptually even, readable on light and dark backgrounds and by most colour-blind eyes. */
const VIRIDIS: readonly Rgba[] = [
  [68, 1, 84, 255], [71, 45, 123, 255], [59, 82, 139, 255], [44, 114, 142, 255], [33, 145, 140, 255],
  [40, 174, 128, 255], [94, 201, 98, 255], [173, 220, 48, 255], [253, 231, 37, 255],
];

function interpolate(stops: readonly Rgba[], position: number): Rgba {
  const p = Math.min(1, Math.max(0, position)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(p));
  const f = p - i;
  const [a, b] = [stops[i], stops[i + 1]];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f, a[3] + (b[3] - a[3]) * f];
}

/** log₁₀ colour scale from `min` to `max` (both > 0); values at or below `min` (zero included) get the lowest colour. */
export function logScale(min: number, max: number, title: string): ColorScale {
  // Clamped to float64's decades: a bound of 0 or ∞ (10^308.5 rounds to ∞) would make the tick loop below endless.
  const lo = Math.min(Math.max(Math.log10(min), -324), 308);
  const hi = Math.max(Math.min(Math.log10(max), 309), lo + 1e-9);
  const position = (v: number): number => (v > 0 ? (Math.log10(v) - lo) / (hi - lo) : 0);
  const ticks: { position: number; label: string }[] = [];
  const span = hi - lo;
  const every = span > 12 ? 4 : span > 6 ? 2 : 1;
  for (let e = Math.ceil(lo); e <= Math.floor(hi); e++) {
    if (e % every === 0) ticks.push({ position: (e - lo) / span, label: e === 0 ? '1' : `1e${e}`.replace('-', '−') });
  }
  return { color: (v) => interpolate(VIRIDIS, position(v)), at: (p) => interpolate(VIRIDIS, p), ticks, title };
}

/** Diverging scale for values in [−limit, limit]: theme background at 0, `negative` and `positive` colours at the ends. */
export function divergingScale(limit: number, theme: Theme, title: string): ColorScale {
  const stops: Rgba[] = [colorToRgba(theme.negative), colorToRgba(theme.background), colorToRgba(theme.positive)];
  const position = (v: number): number => 0.5 + v / (2 * limit);
  const label = (v: number): string => (v === 0 ? '0' : `${v < 0 ? '−' : '+'}${Number(Math.abs(v).toPrecision(2))}`);
  return {
    color: (v) => interpolate(stops, position(v)),
    at: (p) => interpolate(stops, p),
    ticks: [{ position: 0, label: label(-limit) }, { position: 0.5, label: '0' }, { position: 1, label: label(limit) }],
    title,
  };
}

const MARGIN = { left: 64, right: 96, top: 8, bottom: 40 };
/** Extra room under the cells for a row of column tokens. */
const TOKEN_ROW = 16;
/** Narrowest column that gets its token written under it (px). */
const MIN_TOKEN_COLUMN = 7;

/** One heatmap on one canvas; redraws only on `draw` (data or theme change) and `resize`. */
export class Heatmap {
  private data: HeatmapData | null = null;
  private readonly cells = document.createElement('canvas');
  /** How many cells were not finite in the last drawing. */
  nonFiniteCells = 0;
  /** Whether the last drawing wrote the column tokens (they did not fit otherwise). */
  tokensDrawn = false;
  private bottomMargin = MARGIN.bottom;

  constructor(readonly canvas: HTMLCanvasElement, private theme: Theme) {}

  setTheme(theme: Theme): void {
    this.theme = theme;
  }

  /** The cell under a mouse position, for the hover readout. */
  cellAt(clientX: number, clientY: number): { row: number; column: number; value: number } | null {
    const data = this.data;
    if (!data) return null;
    const box = this.canvas.getBoundingClientRect();
    const plotWidth = box.width - MARGIN.left - MARGIN.right;
    const plotHeight = box.height - MARGIN.top - this.bottomMargin;
    const column = Math.floor(((clientX - box.left - MARGIN.left) / plotWidth) * data.columns);
    const row = Math.floor(((clientY - box.top - MARGIN.top) / plotHeight) * data.rows);
    if (column < 0 || column >= data.columns || row < 0 || row >= data.rows) return null;
    return { row, column, value: data.values[row * data.columns + column] };
  }

  draw(data: HeatmapData | null): void {
    this.data = data;
    const theme = this.theme;
    const ratio = window.devicePixelRatio || 1;
    const cssWidth = Math.max(200, this.canvas.clientWidth);
    const cssHeight = Math.max(80, this.canvas.clientHeight);
    if (this.canvas.width !== Math.round(cssWidth * ratio) || this.canvas.height !== Math.round(cssHeight * ratio)) {
      this.canvas.width = Math.round(cssWidth * ratio);
      this.canvas.height = Math.round(cssHeight * ratio);
    }
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = theme.background;
    ctx.fillRect(0, 0, cssWidth, cssHeight);
    this.nonFiniteCells = 0;
    this.tokensDrawn = false;
    if (!data || data.rows === 0 || data.columns === 0) return;
    const plotWidth = cssWidth - MARGIN.left - MARGIN.right;
    // Single characters (or none) only: a word under a column that narrow would be unreadable (the caption quotes it).
    const tokens = data.columnTokens && data.columnTokens.length === data.columns && plotWidth / data.columns >= MIN_TOKEN_COLUMN
      && data.columnTokens.every((token) => [...token].length <= 1) ? data.columnTokens : null;
    this.bottomMargin = MARGIN.bottom + (tokens ? TOKEN_ROW : 0);
    const plot = { left: MARGIN.left, top: MARGIN.top, width: plotWidth, height: cssHeight - MARGIN.top - this.bottomMargin };

    // The cells: one pixel each in an offscreen canvas, then scaled to the plot without smoothing.
    this.cells.width = data.columns;
    this.cells.height = data.rows;
    const cellsContext = this.cells.getContext('2d');
    if (!cellsContext) return;
    const image = cellsContext.createImageData(data.columns, data.rows);
    const notFinite = colorToRgba(theme.error);
    for (let i = 0; i < data.values.length; i++) {
      const v = data.values[i];
      let rgba: Rgba;
      if (Number.isFinite(v)) rgba = data.scale.color(v);
      else {
        rgba = notFinite;
        this.nonFiniteCells++;
      }
      image.data.set(rgba, i * 4);
    }
    cellsContext.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.cells, plot.left, plot.top, plot.width, plot.height);

    // Axes.
    const font = `${theme.fontSize - 1}px ${theme.fontFamily}`;
    ctx.font = font;
    ctx.fillStyle = theme.mutedForeground;
    ctx.strokeStyle = theme.gridLines;
    ctx.lineWidth = 1;
    ctx.strokeRect(plot.left - 0.5, plot.top - 0.5, plot.width + 1, plot.height + 1);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const columnWidth = plot.width / data.columns;
    let below = plot.top + plot.height + 4;
    if (tokens) {
      ctx.fillStyle = theme.foreground;
      tokens.forEach((token, column) => ctx.fillText(token, plot.left + (column + 0.5) * columnWidth, below));
      this.tokensDrawn = true;
      below += TOKEN_ROW;
      ctx.fillStyle = theme.mutedForeground;
    }
    const lastLabel = data.columnLabel(data.columns - 1);
    const firstLabel = data.columnLabel(0);
    for (const tick of integerTicks(lastLabel - firstLabel + 1, Math.max(2, Math.floor(plot.width / 60)))) {
      const column = tick - 1;
      const x = plot.left + (column + 0.5) * columnWidth;
      ctx.fillText(String(firstLabel + column), x, below);
    }
    ctx.fillStyle = theme.foreground;
    ctx.fillText(data.xTitle, plot.left + plot.width / 2, below + 16);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    ctx.fillStyle = theme.mutedForeground;
    const rowHeight = plot.height / data.rows;
    for (const tick of data.rowTicks) ctx.fillText(tick.label, plot.left - 6, plot.top + (tick.row + 0.5) * rowHeight);
    ctx.save();
    ctx.translate(12, plot.top + plot.height / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillStyle = theme.foreground;
    ctx.fillText(data.yTitle, 0, 0);
    ctx.restore();

    // Colour bar.
    const bar = { left: plot.left + plot.width + 14, top: plot.top, width: 12, height: plot.height - (this.nonFiniteCells > 0 ? 24 : 0) };
    for (let y = 0; y < bar.height; y++) {
      const [r, g, b, a] = data.scale.at(1 - y / Math.max(1, bar.height - 1));
      ctx.fillStyle = `rgba(${r | 0}, ${g | 0}, ${b | 0}, ${a / 255})`;
      ctx.fillRect(bar.left, bar.top + y, bar.width, 1);
    }
    ctx.strokeStyle = theme.gridLines;
    ctx.strokeRect(bar.left - 0.5, bar.top - 0.5, bar.width + 1, bar.height + 1);
    ctx.textAlign = 'left';
    ctx.fillStyle = theme.mutedForeground;
    for (const tick of data.scale.ticks) ctx.fillText(tick.label, bar.left + bar.width + 4, bar.top + (1 - tick.position) * bar.height);
    if (this.nonFiniteCells > 0) {
      ctx.fillStyle = theme.error;
      ctx.fillRect(bar.left, bar.top + bar.height + 10, bar.width, bar.width);
      ctx.fillStyle = theme.foreground;
      ctx.fillText('NaN/∞', bar.left + bar.width + 4, bar.top + bar.height + 16);
    }
    ctx.save();
    ctx.translate(cssWidth - 8, bar.top + bar.height / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillStyle = theme.foreground;
    ctx.fillText(data.scale.title, 0, 0);
    ctx.restore();
  }

  toPng(): string {
    return this.canvas.toDataURL('image/png');
  }
}
