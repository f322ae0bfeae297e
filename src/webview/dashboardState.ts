// Webview layer: what the dashboard knows, built only from host messages — no DOM here, so it stays testable. The
// host owns the truth: 'init' replaces everything (a panel that was hidden gets the whole history again); the learner
// only chooses which saved runs are shown.
import { StepReservoir } from '../shared/downsample';
import { decodeNumber, type Direction, type InputDescription, type RunInfo, type RunStatus, type SavedRunEntry, type ToPanel, type WireNumber, type WireStep } from '../shared/protocol';

/** How many training steps' ‖∂L/∂a⟨t⟩‖ curves each run keeps (evenly thinned, plus the latest). */
export const TIME_GRADIENT_CAPACITY = 128;

export interface TimeGradients {
  readonly layer: number;
  readonly direction: 'forward' | 'reverse';
  readonly hidden: Float64Array; // [T]
  readonly cell: Float64Array | null; // [T], LSTM only
}

export interface TimeGradientStep {
  readonly step: number;
  readonly series: readonly TimeGradients[];
}

export interface GateStep {
  readonly step: number;
  readonly series: readonly { layer: number; direction: 'forward' | 'reverse'; gates: { gate: string; mean: Float64Array; saturated: Float64Array }[] }[];
}

/** The hidden states of one layer for one input, or why the host could not compute them. */
export type HiddenStates = {
  readonly layer: number;
  readonly direction: Direction;
  readonly step?: number;
  readonly input: InputDescription;
  readonly values: readonly Float64Array[]; // [T][H]
} | { readonly layer: number; readonly direction: Direction; readonly error: string };

/** `0:forward`: how layers are keyed in settings and in `RunState.hiddenStates`. */
export function layerKey(layer: number, direction: Direction): string {
  return `${layer}:${direction}`;
}

export interface SampleResult {
  readonly text: string;
  readonly temperature: number;
  readonly seed: number;
  readonly error?: string;
}

const decodeAll = (values: readonly WireNumber[]): Float64Array => Float64Array.from(values, decodeNumber);

/** One run's history. Curves are kept whole (numbers are cheap); drawing downsamples them. */
export class RunState {
  info: RunInfo;
  status: RunStatus;
  message: string | undefined;
  readonly steps: number[] = [];
  readonly loss: number[] = [];
  readonly gradientNorm: number[] = [];
  readonly clippedGradientNorm: number[] = [];
  readonly validationSteps: number[] = [];
  readonly validationLoss: number[] = [];
  clippedCount = 0;
  skippedCount = 0;
  /** The first step whose loss or gradient was not finite (the update was skipped): where the run diverged. */
  divergedAtStep: number | null = null;
  readonly timeGradients = new StepReservoir<TimeGradientStep>(TIME_GRADIENT_CAPACITY);
  latestGates: GateStep | null = null;
  /** By `layerKey`: the newest for each layer asked for (a live run keeps sending the one asked for last). */
  readonly hiddenStates = new Map<string, HiddenStates>();
  sample: SampleResult | null = null;
  /** Bumped on every change, so views redraw only what changed. */
  version = 0;

  /** `label`: the run's own label (info.label may carry a number that tells it apart from runs labelled alike). */
  constructor(info: RunInfo, readonly index: number, readonly label = info.label) {
    this.info = info;
    this.status = info.status;
    this.message = info.message;
  }

  get lastStep(): number {
    return this.steps.length > 0 ? this.steps[this.steps.length - 1] : 0;
  }

  /** Appends steps in order; a step already seen (a replay overlapping live metrics) is ignored. */
  addSteps(steps: readonly WireStep[]): void {
    for (const wire of steps) {
      if (wire.step <= this.lastStep) continue;
      const loss = decodeNumber(wire.loss);
      const gradientNorm = decodeNumber(wire.gradientNorm);
      this.steps.push(wire.step);
      this.loss.push(loss);
      this.gradientNorm.push(gradientNorm);
      this.clippedGradientNorm.push(decodeNumber(wire.clippedGradientNorm));
      if (wire.clipped) this.clippedCount++;
      if (wire.skipped !== undefined) this.skippedCount++;
      if (this.divergedAtStep === null && (!Number.isFinite(loss) || wire.skipped !== undefined)) this.divergedAtStep = wire.step;
      if (wire.validationLoss !== undefined) {
        this.validationSteps.push(wire.step);
        this.validationLoss.push(decodeNumber(wire.validationLoss));
      }
      if (wire.gradientNorms && wire.gradientNorms.length > 0) {
        this.timeGradients.offer({
          step: wire.step,
          series: wire.gradientNorms.map((s) => ({ layer: s.layer, direction: s.direction, hidden: decodeAll(s.hidden), cell: s.cell ? decodeAll(s.cell) : null })),
        });
      }
      if (wire.gates && wire.gates.length > 0) {
        this.latestGates = {
          step: wire.step,
          series: wire.gates.map((s) => ({
            layer: s.layer, direction: s.direction,
            gates: s.gates.map((g) => ({ gate: g.gate, mean: decodeAll(g.mean), saturated: decodeAll(g.saturated) })),
          })),
        };
      }
    }
    this.version++;
  }
}

/** Every run on the dashboard, in the order the host announced them (that order picks their colours). */
export class DashboardState {
  runs: RunState[] = [];
  /** Every saved run, newest first, from 'init' — shown or not. */
  saved: SavedRunEntry[] = [];
  /** Saved runs asked for with 'loadRun' and not answered yet. */
  readonly loading = new Set<string>();
  /** Why a saved run could not be loaded, by id. */
  readonly loadErrors = new Map<string, string>();
  /** Bumped on every change of any run or of the run list. */
  version = 0;
  /** Bumped when runs are added, removed or replaced: views rebuild their selectors then. */
  runListVersion = 0;
  /** The colour index of the next run added (colours of the runs shown do not change when one is hidden). */
  private nextIndex = 0;

  run(id: string): RunState | undefined {
    return this.runs.find((run) => run.info.id === id);
  }

  /** Takes a run off the dashboard (not off the disk); a training run stays. */
  remove(id: string): boolean {
    const index = this.runs.findIndex((run) => run.info.id === id && run.status !== 'running');
    if (index < 0) return false;
    this.runs.splice(index, 1);
    this.runListVersion++;
    this.version++;
    return true;
  }

  /** Marks a saved run as asked for (the caller posts 'loadRun'). */
  requestLoad(id: string): void {
    this.loading.add(id);
    this.loadErrors.delete(id);
    this.runListVersion++;
    this.version++;
  }

  apply(message: ToPanel): void {
    switch (message.type) {
      case 'init': {
        this.runs = [];
        message.runs.forEach((info, index) => this.runs.push(new RunState(this.distinct(info), index, info.label)));
        this.nextIndex = this.runs.length;
        const histories = new Map(message.history.map((entry) => [entry.runId, entry.steps]));
        for (const run of this.runs) run.addSteps(histories.get(run.info.id) ?? []);
        this.saved = [...message.saved];
        this.loading.clear();
        this.loadErrors.clear();
        this.runListVersion++;
        break;
      }
      case 'runStarted':
        this.put(message.run, []);
        break;
      case 'runLoaded':
        if ('error' in message) {
          this.loading.delete(message.runId);
          this.loadErrors.set(message.runId, message.error);
          this.runListVersion++;
        } else {
          this.loading.delete(message.run.id);
          this.put(message.run, message.history);
        }
        break;
      case 'metrics':
        this.run(message.runId)?.addSteps(message.steps);
        break;
      case 'runEnded': {
        const run = this.run(message.runId);
        if (!run) return;
        run.status = message.status;
        run.message = message.message;
        run.version++;
        break;
      }
      case 'hiddenStates': {
        const run = this.run(message.runId);
        if (!run) return;
        const { layer, direction } = message;
        run.hiddenStates.set(layerKey(layer, direction), 'error' in message
          ? { layer, direction, error: message.error }
          : {
            layer, direction, input: message.input, ...(message.step !== undefined ? { step: message.step } : {}),
            // A non-finite value arrives encoded ('NaN'): decoded, the heatmap marks it instead of drawing a zero.
            values: message.values.map((row) => Float64Array.from(row, decodeNumber)),
          });
        run.version++;
        break;
      }
      case 'sample': {
        const run = this.run(message.runId);
        if (!run) return;
        run.sample = { text: message.text, temperature: message.temperature, seed: message.seed, ...(message.error !== undefined ? { error: message.error } : {}) };
        run.version++;
        break;
      }
    }
    this.version++;
  }

  /**
   * The run as shown: two runs with the same settings share a label, so the second is "… (2)", the third "… (3)" —
   * legends and cards must tell them apart.
   */
  private distinct(info: RunInfo): RunInfo {
    const alike = this.runs.filter((run) => run.info.id !== info.id && run.label === info.label).length;
    return alike === 0 ? info : { ...info, label: `${info.label} (${alike + 1})` };
  }

  /** Adds a run, or replaces the one with its id (keeping its place, colour and label). */
  private put(info: RunInfo, history: readonly WireStep[]): void {
    const existing = this.runs.findIndex((run) => run.info.id === info.id);
    const shown = existing >= 0 ? { ...info, label: this.runs[existing].info.label } : this.distinct(info);
    const run = new RunState(shown, existing >= 0 ? this.runs[existing].index : this.nextIndex++, info.label);
    run.addSteps(history);
    if (existing >= 0) this.runs[existing] = run;
    else this.runs.push(run);
    this.runListVersion++;
  }
}
