// Webview layer: the colours of the current VS Code theme, read from the `--vscode-*` variables VS Code sets on the
// page, for what CSS cannot reach (chart.js and canvas drawing). Re-read whenever the theme changes.

export interface Theme {
  readonly kind: 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';
  readonly foreground: string;
  readonly mutedForeground: string;
  readonly background: string;
  readonly gridLines: string;
  readonly border: string;
  readonly error: string;
  readonly fontFamily: string;
  readonly fontSize: number;
  /** One colour per run, in order (VS Code's chart palette). */
  readonly runColors: readonly string[];
  /** Negative and positive ends of the hidden-state colour scale. */
  readonly negative: string;
  readonly positive: string;
}

const RUN_COLOR_VARIABLES = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];

export function readTheme(): Theme {
  const root = getComputedStyle(document.documentElement);
  const body = getComputedStyle(document.body);
  const variable = (name: string, fallback: string): string => root.getPropertyValue(name).trim() || fallback;
  const foreground = variable('--vscode-foreground', body.color);
  const classes = document.body.classList;
  const kind = classes.contains('vscode-high-contrast-light') ? 'high-contrast-light'
    : classes.contains('vscode-high-contrast') ? 'high-contrast'
      : classes.contains('vscode-light') ? 'light' : 'dark';
  const runColors = RUN_COLOR_VARIABLES.map((name) => variable(name, foreground));
  return {
    kind,
    foreground,
    mutedForeground: variable('--vscode-descriptionForeground', foreground),
    background: variable('--vscode-editor-background', body.backgroundColor),
    gridLines: variable('--vscode-charts-lines', variable('--vscode-editorWidget-border', 'rgba(128, 128, 128, 0.35)')),
    border: variable('--vscode-panel-border', variable('--vscode-widget-border', foreground)),
    error: variable('--vscode-errorForeground', variable('--vscode-charts-red', foreground)),
    fontFamily: variable('--vscode-font-family', body.fontFamily),
    fontSize: parseFloat(variable('--vscode-font-size', body.fontSize)) || 13,
    runColors,
    negative: variable('--vscode-charts-blue', foreground),
    positive: variable('--vscode-charts-orange', foreground),
  };
}

export function runColor(theme: Theme, index: number): string {
  return theme.runColors[index % theme.runColors.length];
}

/** Parses any CSS colour the page can show into RGBA bytes (via a 1×1 canvas, so every CSS syntax works). */
export function colorToRgba(color: string): [number, number, number, number] {
  const cached = rgbaCache.get(color);
  if (cached) return cached;
  const context = scratch();
  context.clearRect(0, 0, 1, 1);
  context.fillStyle = '#000';
  context.fillStyle = color;
  context.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = context.getImageData(0, 0, 1, 1).data;
  const rgba: [number, number, number, number] = [r, g, b, a];
  rgbaCache.set(color, rgba);
  return rgba;
}

/** The colour with its opacity multiplied by `alpha` (0…1), as an rgba() string. */
export function withAlpha(color: string, alpha: number): string {
  const [r, g, b, a] = colorToRgba(color);
  return `rgba(${r}, ${g}, ${b}, ${((a / 255) * alpha).toFixed(3)})`;
}

const rgbaCache = new Map<string, [number, number, number, number]>();
let scratchContext: CanvasRenderingContext2D | null = null;

function scratch(): CanvasRenderingContext2D {
  if (!scratchContext) {
    const canvas = document.createElement('canvas');
    canvas.width = 1;
    canvas.height = 1;
    scratchContext = canvas.getContext('2d', { willReadFrequently: true });
    if (!scratchContext) throw new Error('this browser has no 2D canvas');
  }
  return scratchContext;
}

/** Calls `onChange` when VS Code switches theme (it changes the body class and the variables on <html>). */
export function watchTheme(onChange: () => void): void {
  const observer = new MutationObserver(() => {
    rgbaCache.clear();
    onChange();
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
}
