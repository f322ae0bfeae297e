// Webview layer: what every dashboard view shares — posting to the host, the learner's choices (kept across reloads
// with the webview state API), the theme, and the frame scheduler — plus the scaffold of one chart section.
import type { FromPanel } from '../shared/protocol';
import type { DashboardState, RunState } from './dashboardState';
import { element, uniqueId } from './dom';
import type { Theme } from './theme';

/** The learner's choices; saved with `setState`, so a reloaded panel looks the same. */
export interface Settings {
  /** Log scale for the loss; 'auto' switches it on when the losses span more than three powers of ten. */
  logLoss: 'auto' | 'on' | 'off';
  /** `layer:direction`, e.g. `0:forward`. */
  layer: string;
  quantity: 'hidden' | 'cell';
  /** A run id, or 'all' to compare the latest step of every run. */
  gradientRun: string;
  /** A run id, or 'all' (before clipping only, so several runs stay readable). */
  clippingRun: string;
  gateRun: string;
  gateMeasure: 'saturated' | 'mean';
  hiddenRun: string;
  /** `layer:direction` of the hidden-state heatmap. */
  hiddenLayer: string;
  sampleRun: string;
  temperature: number;
  seed: number;
  /** Saved runs the learner showed beyond those 'init' brings (asked for again after every 'init'). */
  shownRuns: string[];
  /** Saved runs the learner hid although 'init' brings them. */
  hiddenRuns: string[];
}

/** At most this many ids in `shownRuns` / `hiddenRuns`. */
export const MAX_REMEMBERED_RUNS = 100;

export const DEFAULT_SETTINGS: Settings = {
  logLoss: 'auto', layer: '0:forward', quantity: 'hidden', gradientRun: 'all', clippingRun: 'all', gateRun: '', gateMeasure: 'saturated',
  hiddenRun: '', hiddenLayer: '0:forward', sampleRun: '', temperature: 1, seed: 1, shownRuns: [], hiddenRuns: [],
};

export interface ViewContext {
  readonly settings: Settings;
  theme: Theme;
  post(message: FromPanel): void;
  /** Stores `settings` and schedules a redraw: call after a control changed a setting. */
  changed(): void;
  /** Says something to screen readers through the page's live region. */
  announce(text: string): void;
  /**
   * False where no host answers Stop, Export CSV or Save PNG (a notebook output, where the cell's kernel trains):
   * the views then do not offer them.
   */
  readonly hostActions?: boolean;
}

/** A part of the dashboard; `render` runs at most once per animation frame and returns quickly if nothing changed. */
export interface View {
  readonly root: HTMLElement;
  render(state: DashboardState, force: boolean): void;
}

export interface SectionParts {
  readonly root: HTMLElement;
  /** The one-sentence caption under the heading (views that depend on the runs rewrite it). */
  readonly caption: HTMLElement;
  readonly controls: HTMLElement;
  readonly body: HTMLElement;
  /** Visually hidden text alternative; the chart's canvas points to it with aria-describedby. */
  readonly summary: HTMLElement;
}

/** `<section>` with a heading, a one-sentence caption, a row of controls, the chart area and a hidden summary. */
export function section(className: string, title: string, caption: string): SectionParts {
  const headingId = uniqueId('heading');
  const summary = element('p', { className: 'visually-hidden', attributes: { id: uniqueId('summary') } });
  const controls = element('div', { className: 'controls' });
  const body = element('div', { className: 'section-body' });
  const captionElement = element('p', { className: 'caption', text: caption });
  const root = element('section', { className: `panel ${className}`, attributes: { 'aria-labelledby': headingId } }, [
    element('div', { className: 'panel-header' }, [element('h2', { text: title, attributes: { id: headingId } }), controls]),
    captionElement,
    body,
    summary,
  ]);
  return { root, caption: captionElement, controls, body, summary };
}

/** A canvas that is an image to assistive technology, described by `summary`. */
export function chartCanvas(label: string, summary: HTMLElement, className = 'chart'): { container: HTMLElement; canvas: HTMLCanvasElement } {
  const canvas = element('canvas', { attributes: { role: 'img', 'aria-label': label, 'aria-describedby': summary.id } });
  return { container: element('div', { className }, [canvas]), canvas };
}

/** "Save PNG" for one chart: the host asks where to save; the page never touches files. */
export function exportPngButton(context: ViewContext, chartName: string, dataUrl: () => string | null, what: string): HTMLButtonElement {
  const button = element('button', { className: 'secondary', text: 'Save PNG', attributes: { type: 'button', title: `Save the ${what} chart as a PNG image` } });
  button.setAttribute('aria-label', `Save the ${what} chart as a PNG image`);
  button.hidden = context.hostActions === false;
  button.addEventListener('click', () => {
    const url = dataUrl();
    if (url) context.post({ type: 'exportPng', chart: chartName, dataUrl: url });
  });
  return button;
}

/** A <select> whose value is bound to one setting. */
export function settingSelect<K extends keyof Settings>(context: ViewContext, key: K, parse: (value: string) => Settings[K]): HTMLSelectElement {
  const select = element('select');
  select.addEventListener('change', () => {
    context.settings[key] = parse(select.value);
    context.changed();
  });
  return select;
}

/** Runs in the order given, described for a <select>. */
export function runOptions(runs: readonly RunState[]): { value: string; label: string }[] {
  return runs.map((run) => ({ value: run.info.id, label: run.info.label }));
}

/** The id in `preferred` if such a run is among `runs`, else the last run's id (the newest), else ''. */
export function pickRun(runs: readonly RunState[], preferred: string): string {
  return runs.some((run) => run.info.id === preferred) ? preferred : runs[runs.length - 1]?.info.id ?? '';
}

/** The sum of the versions of `runs`: a cheap key that changes whenever any of them changed. */
export function versionKey(runs: readonly RunState[]): string {
  return runs.map((run) => `${run.info.id}:${run.version}`).join(',');
}

/** A short name for a run in chart legends: its cell ("LSTM") when that tells the runs apart, else its label. */
export function shortLabel(run: RunState, runs: readonly RunState[]): string {
  const cell = run.info.config.cell.toUpperCase();
  const unique = runs.filter((other) => other.info.config.cell === run.info.config.cell).length === 1;
  return unique ? cell : run.info.label;
}
