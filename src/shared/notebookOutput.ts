// Shared layer (pure): RNN Lab's rich notebook outputs — their MIME types, the payloads the kernel writes (display.ts)
// and the notebook renderer draws (src/webview/notebook), and the validator the renderer runs first: a payload is
// untrusted (a saved notebook, another extension, an old version may have written it), so it is checked whole.
import { parseToPanel, type HiddenStatesOf, type RunInfo, type WireNumber, type WireStep } from './protocol';

/** Line charts: loss curves, ‖∂L/∂a⟨t⟩‖ per time step (log scale), gate saturation. */
export const CHART_MIME = 'application/vnd.rnnlab.chart+json';
/** Heatmaps: ‖∂L/∂a⟨t⟩‖ over training steps × time steps, hidden states over time. */
export const HEATMAP_MIME = 'application/vnd.rnnlab.heatmap+json';
/** Both, for package.json's `notebookRenderer.mimeTypes` and the tests that compare with it. */
export const NOTEBOOK_MIME_TYPES = [CHART_MIME, HEATMAP_MIME] as const;

/** The payload format's version: a renderer refuses (with a message) a payload from a newer one. */
export const NOTEBOOK_OUTPUT_VERSION = 1;

/** What a chart output shows: the dashboard's view of the same name. */
export type ChartView = 'loss' | 'timeGradients' | 'gates';
/** What a heatmap output shows. */
export type HeatmapView = 'timeGradients' | 'hiddenStates';

export const CHART_VIEWS: readonly ChartView[] = ['loss', 'timeGradients', 'gates'];
export const HEATMAP_VIEWS: readonly HeatmapView[] = ['timeGradients', 'hiddenStates'];

/** One run as a chart draws it: the dashboard's description and downsampled history (the same wire format). */
export interface NotebookRun {
  readonly info: RunInfo;
  readonly steps: readonly WireStep[];
  /** Steps the run was asked to train (its config may say more than it got to: stopped, diverged). */
  readonly stepsRequested: number;
  /** The hidden states a⟨t⟩ of one input, one entry per layer and direction (hidden-state heatmaps only). */
  readonly hiddenStates?: readonly HiddenStatesOf<WireNumber>[];
}

export interface ChartPayload {
  readonly version: number;
  readonly view: ChartView;
  readonly runs: readonly NotebookRun[];
}

export interface HeatmapPayload {
  readonly version: number;
  readonly view: HeatmapView;
  readonly runs: readonly NotebookRun[];
}

export type NotebookPayload = ({ readonly mime: typeof CHART_MIME } & ChartPayload) | ({ readonly mime: typeof HEATMAP_MIME } & HeatmapPayload);

/** At most this many runs in one output (a chart of more is unreadable, and the cap bounds the work of drawing it). */
export const MAX_RUNS_PER_OUTPUT = 6;

export type ParsedPayload = { ok: true; payload: NotebookPayload } | { ok: false; reason: string };

/**
 * Narrows a renderer's input, or says plainly what is wrong with it. Runs and their histories are checked by the
 * dashboard's own validator (`parseToPanel`), so a notebook chart accepts exactly what the dashboard would draw.
 */
export function parseNotebookPayload(mime: string, value: unknown): ParsedPayload {
  if (mime !== CHART_MIME && mime !== HEATMAP_MIME) return { ok: false, reason: `${describe(mime)} is not an RNN Lab output type (${NOTEBOOK_MIME_TYPES.join(' or ')})` };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: `the output is ${Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`}, not an object` };
  const p = value as Record<string, unknown>;
  if (typeof p.version !== 'number' || !Number.isInteger(p.version) || p.version < 1) return { ok: false, reason: 'version must be a whole number from 1' };
  if (p.version > NOTEBOOK_OUTPUT_VERSION) {
    return { ok: false, reason: `it was written by a newer RNN Lab (output version ${p.version}; this one draws version ${NOTEBOOK_OUTPUT_VERSION}): update the extension` };
  }
  const views: readonly string[] = mime === CHART_MIME ? CHART_VIEWS : HEATMAP_VIEWS;
  if (typeof p.view !== 'string' || !views.includes(p.view)) return { ok: false, reason: `view must be one of ${views.join(', ')}, not ${describe(p.view)}` };
  if (!Array.isArray(p.runs) || p.runs.length === 0) return { ok: false, reason: 'runs must be a non-empty list' };
  if (p.runs.length > MAX_RUNS_PER_OUTPUT) return { ok: false, reason: `runs has ${p.runs.length} runs; one output draws at most ${MAX_RUNS_PER_OUTPUT}` };
  const ids = new Set<string>();
  for (const [i, run] of p.runs.entries()) {
    if (typeof run !== 'object' || run === null || Array.isArray(run)) return { ok: false, reason: `runs[${i}] must be an object` };
    const r = run as Record<string, unknown>;
    const init = parseToPanel({ type: 'init', runs: [r.info], history: [{ runId: (r.info as { id?: unknown } | undefined)?.id, steps: r.steps }], saved: [] });
    if (!init.ok) return { ok: false, reason: `runs[${i}]: ${init.reason.replace(/^init\.runs\[0\]/, 'info').replace(/^init\.history\[0\]\.(runId|steps)/, (_, key: string) => (key === 'runId' ? 'info.id' : 'steps'))}` };
    const id = (r.info as RunInfo).id;
    if (ids.has(id)) return { ok: false, reason: `runs[${i}]: the run id ${id} appears twice` };
    ids.add(id);
    if (typeof r.stepsRequested !== 'number' || !Number.isInteger(r.stepsRequested) || r.stepsRequested < 0) return { ok: false, reason: `runs[${i}].stepsRequested must be a whole number` };
    if (r.hiddenStates !== undefined) {
      if (!Array.isArray(r.hiddenStates)) return { ok: false, reason: `runs[${i}].hiddenStates must be a list` };
      for (const [j, states] of r.hiddenStates.entries()) {
        const parsed = parseToPanel({ ...(typeof states === 'object' && states !== null ? states : {}), type: 'hiddenStates', runId: id });
        if (!parsed.ok || 'error' in parsed.message) return { ok: false, reason: `runs[${i}].hiddenStates[${j}]: ${parsed.ok ? 'must hold values' : parsed.reason.replace(/^hiddenStates\./, '')}` };
      }
    }
  }
  if (mime === HEATMAP_MIME && p.view === 'hiddenStates' && !p.runs.some((r) => Array.isArray((r as NotebookRun).hiddenStates) && (r as NotebookRun).hiddenStates!.length > 0)) {
    return { ok: false, reason: 'a hidden-state heatmap needs hiddenStates in at least one run' };
  }
  return { ok: true, payload: { ...(p as unknown as ChartPayload | HeatmapPayload), mime } as NotebookPayload };
}

/** A value named in a refusal: short, and never the whole of whatever a hostile writer put there. */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (value === null) return 'null';
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}
