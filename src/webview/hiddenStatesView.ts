// Webview layer: the hidden state a⟨t⟩ of every unit at every time step while the model reads one input (the first
// validation example), as a heatmap with a diverging colour scale (the theme's background at 0). The caption names the
// input; a live run keeps sending the chosen layer's states, and for any other run or layer the view asks the host.
import { layerKey, type DashboardState, type HiddenStates, type RunState } from './dashboardState';
import { element, setOptions } from './dom';
import { formatNumber } from '../shared/format';
import { divergingScale, Heatmap } from './heatmap';
import { evenlySpacedIndices } from '../shared/downsample';
import type { Direction } from '../shared/protocol';
import { lossReading } from './lossReading';
import { chartCanvas, exportPngButton, pickRun, runOptions, section, settingSelect, type View, type ViewContext } from './viewContext';

/** The layers and directions a run has, as `layerKey`s with labels ("layer 2 · reverse"). */
function layerOptions(run: RunState): { value: string; label: string }[] {
  const { layers, bidirectional } = run.info.config;
  const directions: Direction[] = bidirectional ? ['forward', 'reverse'] : ['forward'];
  return Array.from({ length: layers }, (_, layer) => directions.map((direction) => ({
    value: layerKey(layer, direction), label: `layer ${layer + 1}${bidirectional ? ` · ${direction}` : ''}`,
  }))).flat();
}

export class HiddenStatesView implements View {
  readonly root: HTMLElement;
  private readonly heatmap: Heatmap;
  private readonly summary: HTMLElement;
  private readonly runSelect: HTMLSelectElement;
  private readonly runControl: HTMLElement;
  private readonly layerSelect: HTMLSelectElement;
  private readonly layerControl: HTMLElement;
  private readonly container: HTMLElement;
  /** Names the input and the model it went through: "Input: validation sequence 1 of dinos: “…”". */
  private readonly inputCaption = element('p', { className: 'input-caption' });
  private readonly empty = element('p', { className: 'empty', attributes: { role: 'status' } });
  /**
   * What has been asked of the host, per run (a new RunState after 'init' asks again; the host answers from memory).
   * A training run sends the layer asked for last, so for it only the last question counts.
   */
  private readonly requested = new WeakMap<RunState, Set<string>>();
  private readonly lastAsked = new WeakMap<RunState, string>();
  private key = '';
  private drawn: unknown = null;

  constructor(private readonly context: ViewContext) {
    const parts = section('hidden-states', 'Hidden state for one input',
      'The hidden state a⟨t⟩ while the network reads one sequence: each column is a time step, each row one hidden unit; the two colours are negative and positive values. Rows pinned at the extremes are saturated units.');
    this.root = parts.root;
    this.summary = parts.summary;
    this.runSelect = settingSelect(context, 'hiddenRun', (v) => v);
    this.runControl = element('label', { className: 'control' }, [element('span', { text: 'Run' }), this.runSelect]);
    this.layerSelect = settingSelect(context, 'hiddenLayer', (v) => v);
    this.layerControl = element('label', { className: 'control layer-control' }, [element('span', { text: 'Layer' }), this.layerSelect]);
    const { container, canvas } = chartCanvas('Heatmap of hidden state values: time step across, hidden unit down', parts.summary, 'heatmap');
    this.container = container;
    this.heatmap = new Heatmap(canvas, context.theme);
    parts.controls.append(this.runControl, this.layerControl, exportPngButton(context, 'hidden-states', () => this.heatmap.toPng(), 'hidden state'));
    parts.caption.after(this.inputCaption);
    parts.body.append(this.empty, container);
  }

  render(state: DashboardState, force: boolean): void {
    const runs = state.runs;
    const runId = pickRun(runs, this.context.settings.hiddenRun);
    const run = runs.find((r) => r.info.id === runId);
    const layers = run ? layerOptions(run) : [];
    const wanted = layers.some((o) => o.value === this.context.settings.hiddenLayer) ? this.context.settings.hiddenLayer : layers[0]?.value ?? '';
    const states = run?.hiddenStates.get(wanted);
    if (run) this.request(run, wanted, states !== undefined);
    // Keyed on the states themselves: a run's other updates (every training step) do not touch this heatmap.
    const key = `${state.runListVersion}|${runId}|${wanted}`;
    if (!force && key === this.key && states === this.drawn) return;
    this.key = key;
    this.drawn = states;
    setOptions(this.runSelect, runOptions(runs), runId);
    this.runControl.hidden = runs.length < 2;
    setOptions(this.layerSelect, layers, wanted);
    this.layerControl.hidden = layers.length < 2;
    if (!run || !states || 'error' in states) {
      this.empty.textContent = !run ? 'No runs yet: the hidden states of one input appear here once a run starts.'
        : states && 'error' in states ? `No hidden states for ${run.info.label}: ${states.error}` : 'Computing the hidden states…';
      this.empty.hidden = false;
      this.container.hidden = true;
      this.inputCaption.hidden = true;
      this.heatmap.draw(null);
      this.summary.textContent = `Hidden state heatmap: ${this.empty.textContent}`;
      return;
    }
    this.empty.hidden = true;
    this.container.hidden = false;
    this.draw(run, states);
  }

  applyTheme(): void {
    this.heatmap.setTheme(this.context.theme);
  }

  private request(run: RunState, wanted: string, have: boolean): void {
    const [layerText, direction] = wanted.split(':');
    if (direction !== 'forward' && direction !== 'reverse') return;
    const asked = this.requested.get(run) ?? new Set<string>();
    this.requested.set(run, asked);
    if (run.status === 'running' ? this.lastAsked.get(run) === wanted : have || asked.has(wanted)) return;
    asked.add(wanted);
    this.lastAsked.set(run, wanted);
    this.context.post({ type: 'hiddenStates', runId: run.info.id, layer: Number(layerText), direction });
  }

  private draw(run: RunState, states: Extract<HiddenStates, { values: unknown }>): void {
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
      ...(states.input.tokens ? { columnTokens: states.input.tokens } : {}),
      rowTicks: evenlySpacedIndices(H, Math.min(H, 6)).map((row) => ({ row, label: String(row + 1) })),
    });
    this.container.setAttribute('data-rows', String(H));
    this.container.setAttribute('data-columns', String(T));
    this.container.setAttribute('data-layer', layerKey(states.layer, states.direction));
    this.container.setAttribute('data-tokens', String(this.heatmap.tokensDrawn));
    const model = states.step === undefined ? 'the saved model' : states.step === 0 ? 'the untrained model' : `the model after step ${states.step}`;
    const layer = `layer ${states.layer + 1}${run.info.config.bidirectional ? ` (${states.direction})` : ''}`;
    this.inputCaption.textContent = `Input: ${states.input.label}. Read by ${model} of ${run.info.label}, ${layer}. ${lossReading([run])}`;
    this.inputCaption.hidden = false;
    this.summary.textContent = `Hidden state heatmap for ${run.info.label}, ${layer}, input ${states.input.label}: ${H} units over ${T} time steps, values between ${formatNumber(-limit)} and ${formatNumber(limit)}; ${formatNumber((100 * saturated) / Math.max(1, H * T))}% of the values are beyond ±0.95.`;
  }
}
