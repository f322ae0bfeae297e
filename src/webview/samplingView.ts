// Webview layer: sampling from a character model — temperature, seed, Generate. The text comes back from the host
// and is shown as a text node only (a model can emit anything, markup included); a failure comes back as its error.
import type { DashboardState } from './dashboardState';
import { element, setOptions, uniqueId } from './dom';
import { pickRun, runOptions, section, settingSelect, type View, type ViewContext } from './viewContext';

export class SamplingView implements View {
  readonly root: HTMLElement;
  private readonly runSelect: HTMLSelectElement;
  private readonly runControl: HTMLElement;
  private readonly temperature: HTMLInputElement;
  private readonly temperatureValue: HTMLOutputElement;
  private readonly seed: HTMLInputElement;
  private readonly generate: HTMLButtonElement;
  private readonly status = element('p', { className: 'sample-status', attributes: { role: 'status' } });
  private readonly output = element('pre', { className: 'sample-output', attributes: { tabindex: '0', 'aria-label': 'Sampled text' } });
  private key = '';
  private shownSample: unknown = null;

  constructor(private readonly context: ViewContext) {
    const parts = section('sampling', 'Sample from the model',
      'Let the character model write: it picks one character at a time from its predicted probabilities. Low temperature makes it cautious and repetitive, high temperature adventurous and error-prone; the same seed gives the same text.');
    this.root = parts.root;
    this.runSelect = settingSelect(context, 'sampleRun', (v) => v);
    this.runControl = element('label', { className: 'control' }, [element('span', { text: 'Run' }), this.runSelect]);
    const temperatureId = uniqueId('temperature');
    this.temperature = element('input', { attributes: { type: 'range', min: '0.1', max: '2', step: '0.05', id: temperatureId } });
    this.temperature.value = String(context.settings.temperature);
    this.temperatureValue = element('output', { attributes: { for: temperatureId } });
    this.temperatureValue.textContent = this.temperature.value;
    this.temperature.addEventListener('input', () => {
      this.temperatureValue.textContent = Number(this.temperature.value).toFixed(2);
      context.settings.temperature = Number(this.temperature.value);
      context.changed();
    });
    this.seed = element('input', { attributes: { type: 'number', min: '0', max: '4294967295', step: '1', inputmode: 'numeric' } });
    this.seed.value = String(context.settings.seed);
    this.seed.addEventListener('change', () => {
      context.settings.seed = Number(this.seed.value);
      context.changed();
    });
    this.generate = element('button', { text: 'Generate', attributes: { type: 'button' } });
    this.generate.addEventListener('click', () => this.request());
    parts.controls.append(
      this.runControl,
      element('label', { className: 'control' }, [element('span', { text: 'Temperature' }), this.temperature, this.temperatureValue]),
      element('label', { className: 'control' }, [element('span', { text: 'Seed' }), this.seed]),
      this.generate,
    );
    parts.body.append(this.status, this.output);
    this.output.hidden = true;
  }

  private request(): void {
    const runId = this.runSelect.value;
    const temperature = Number(this.temperature.value);
    const seed = Number(this.seed.value);
    if (!runId) return;
    if (!(temperature > 0 && temperature <= 10)) {
      this.status.textContent = 'The temperature must be above 0.';
      return;
    }
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      this.status.textContent = 'The seed must be a whole number from 0 to 4294967295.';
      this.seed.focus();
      return;
    }
    this.status.textContent = 'Generating…';
    this.context.post({ type: 'sample', runId, temperature, seed });
  }

  render(state: DashboardState, force: boolean): void {
    const runs = state.runs.filter((run) => run.info.task.hasVocabulary);
    const runId = pickRun(runs, this.context.settings.sampleRun);
    const run = runs.find((r) => r.info.id === runId);
    const key = `${runs.map((r) => r.info.id).join()}|${runId}|${run?.version}`;
    if (!force && key === this.key) return;
    this.key = key;
    this.root.hidden = runs.length === 0;
    setOptions(this.runSelect, runOptions(runs), runId);
    this.runControl.hidden = runs.length < 2;
    const sample = run?.sample ?? null;
    if (sample !== this.shownSample) {
      this.shownSample = sample;
      const failed = sample?.error !== undefined;
      this.output.hidden = sample === null || failed;
      this.output.textContent = failed ? '' : sample?.text ?? '';
      this.status.textContent = !sample ? '' : failed ? `Sampling failed: ${sample.error}` : `Temperature ${sample.temperature}, seed ${sample.seed}:`;
      this.status.classList.toggle('error', failed);
    }
  }
}
