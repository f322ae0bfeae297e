// The protocol of host ⇄ dashboard ⇄ worker: `encodeStep` round trips (NaN and ±Infinity survive JSON), the
// hidden-state message, and both validators — parseFromPanel against hostile webview input (wrong types, path-like
// ids, huge arrays, NaN), parseToPanel against malformed host messages.
import assert from 'node:assert/strict';
import { hiddenStatesFor } from '../../src/shared/hiddenStates';
import { SequenceModel } from '../../src/engine/model';
import { RandomState } from '../../src/engine/random/randomState';
import { createTask } from '../../src/engine/tasks/registry';
import { Trainer, type StepMetrics } from '../../src/engine/trainer';
import {
  decodeNumber, encodeHiddenStates, encodeStep, HIDDEN_STATES_LIMITS, MAX_LAYERS, parseFromPanel, parseToPanel,
  type ToPanel, type WireNumber, type WireStep,
} from '../../src/shared/protocol';
import { compareCells, hiddenStatesMessage, initOf, trainRun } from '../webview/engineRuns';

/** What JSON (the webview channel) does to a message. */
const overJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The steps of a parsed 'metrics' message. */
function stepsOf(message: ToPanel): readonly WireStep[] {
  assert.equal(message.type, 'metrics');
  return message.type === 'metrics' ? message.steps : [];
}

const decodeAll = (values: readonly WireNumber[]): number[] => values.map(decodeNumber);

/** A step that diverged in every way a number can. */
const NASTY: StepMetrics = {
  step: 7, loss: NaN, validationLoss: Infinity, gradientNorm: -Infinity, clippedGradientNorm: NaN, clipped: false,
  skipped: 'the loss is NaN; the update was skipped and the parameters kept',
  gradientNorms: [{ layer: 0, direction: 'forward', hidden: [1, NaN, Infinity], cell: [-Infinity, 0, 2.5e-300] }, { layer: 0, direction: 'reverse', hidden: [0.5, 0.25, NaN] }],
  gates: [{ layer: 0, direction: 'forward', gates: [{ gate: 'f', mean: [0.9, NaN, 1], saturated: [Infinity, 0, 0.5] }] }],
  milliseconds: 12.5,
};

describe('protocol: encodeStep, the one encoder of engine metrics for the dashboard', () => {
  it('round-trips a diverged step through JSON and the dashboard validator: every NaN and ±Infinity comes back as itself', () => {
    const wire = overJson(encodeStep(NASTY));
    const parsed = parseToPanel({ type: 'metrics', runId: 'r1', steps: [wire] });
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
    const step = stepsOf(parsed.message)[0];
    assert.equal(step.step, 7);
    for (const key of ['loss', 'validationLoss', 'gradientNorm', 'clippedGradientNorm'] as const) {
      assert.ok(Object.is(decodeNumber(step[key]!), NASTY[key]), `${key}: ${String(step[key])} is not ${NASTY[key]}`);
    }
    assert.equal(step.skipped, NASTY.skipped);
    assert.deepEqual(step.gradientNorms!.map((s) => [s.layer, s.direction, decodeAll(s.hidden), s.cell ? decodeAll(s.cell) : null]),
      NASTY.gradientNorms.map((s) => [s.layer, s.direction, s.hidden, s.cell ?? null]));   // deepEqual treats NaN as equal to NaN
    assert.deepEqual(decodeAll(step.gates![0].gates[0].saturated), [Infinity, 0, 0.5]);
    assert.deepEqual(decodeAll(step.gates![0].gates[0].mean), [0.9, NaN, 1]);
  });

  it('without the encoder, JSON would have drawn that loss as null (the reason it exists)', () => {
    assert.equal(overJson({ loss: NaN }).loss, null);
    assert.equal(overJson(encodeStep(NASTY)).loss, 'NaN');
  });

  it('round-trips every step of a real LSTM run exactly (finite numbers survive JSON bit for bit)', () => {
    const trainer = new Trainer({ task: 'adding', sequenceLength: 8, cell: 'lstm', hidden: 4, batchSize: 4, steps: 6, seed: 2, validateEvery: 3 });
    const metrics: StepMetrics[] = [];
    while (!trainer.done) metrics.push(trainer.step());
    const parsed = parseToPanel(overJson({ type: 'metrics', runId: 'lstm', steps: metrics.map((m) => encodeStep(m)) }));
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
    const wire = stepsOf(parsed.message);
    assert.equal(wire.length, 6);
    wire.forEach((step, i) => {
      const m = metrics[i];
      assert.equal(decodeNumber(step.loss), m.loss);
      assert.equal(decodeNumber(step.gradientNorm), m.gradientNorm);
      assert.equal(step.validationLoss === undefined ? undefined : decodeNumber(step.validationLoss), m.validationLoss);
      assert.deepEqual(step.gradientNorms!.map((s) => [decodeAll(s.hidden), decodeAll(s.cell!)]), m.gradientNorms.map((s) => [s.hidden, s.cell]));
      assert.deepEqual(step.gates!.map((g) => g.gates.map((gate) => decodeAll(gate.saturated))), m.gates.map((g) => g.gates.map((gate) => gate.saturated)));
    });
    assert.deepEqual(wire.map((s) => s.validationLoss !== undefined), [false, false, true, false, false, true]);
    assert.equal(wire[0].gates?.[0].gates.length, 4, 'LSTM gates i, f, g, o');
  });

  it('leaves the large series out on request, and empty series always; a non-finite duration becomes 0', () => {
    const scalar = encodeStep(NASTY, { series: false });
    assert.equal(scalar.gradientNorms, undefined);
    assert.equal(scalar.gates, undefined);
    assert.equal(scalar.loss, 'NaN');
    const empty = encodeStep({ ...NASTY, gradientNorms: [], gates: [], milliseconds: NaN });
    assert.ok(!('gradientNorms' in empty) && !('gates' in empty));
    assert.equal(empty.milliseconds, 0);
    assert.ok(!('validationLoss' in encodeStep({ ...NASTY, validationLoss: undefined })));
  });
});

describe('protocol: the hidden-state message', () => {
  it('carries a real run\'s a⟨t⟩ [T][H] and names the input; a NaN survives JSON as \'NaN\'', () => {
    const dinos = trainRun('dinos-gru', 'GRU · dinos', { task: 'dinos', cell: 'gru', hidden: 6, batchSize: 2, steps: 2, seed: 1 });
    const message = overJson(hiddenStatesMessage(dinos));
    const parsed = parseToPanel(message);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
    assert.equal(message.values.length, dinos.info.task.sequenceLength);
    assert.equal(message.values[0].length, 6);
    assert.equal(message.step, 2);
    assert.match(message.input.label, /^validation sequence 1 of dinos: “[a-z↵]+”$/);
    assert.equal(message.input.tokens?.length, dinos.info.task.sequenceLength);
    assert.equal(message.input.label, `validation sequence 1 of dinos: “${message.input.tokens!.join('')}”`);
    // GRU states are convex mixes of tanh values: inside (−1, 1).
    assert.ok(message.values.flat().every((v) => typeof v === 'number' && Math.abs(v) < 1));

    const diverged = encodeHiddenStates('r1', { layer: 0, direction: 'forward', step: 3, input: { label: 'x' }, values: [[NaN, Infinity], [-Infinity, 0.5]] });
    const back = parseToPanel(overJson(diverged));
    assert.ok(back.ok);
    assert.deepEqual(overJson(diverged).values.flat().map(decodeNumber), [NaN, Infinity, -Infinity, 0.5]);
  });

  it('describes the input of every task in its own words', () => {
    const describe = (task: string, extra = {}): string => {
      const run = trainRun(task, task, { task, hidden: 3, batchSize: 2, steps: 1, seed: 4, ...extra });
      return hiddenStatesFor(run.trainer.model, run.trainer.task, 0, 'forward', 1).input.label;
    };
    assert.match(describe('adding', { sequenceLength: 10 }), /^validation sequence 1 of adding: 10 random numbers; the marked ones \(▲\), at t = \d+ and t = \d+, are 0\.\d\d and 0\.\d\d \(sum \d\.\d\d\)$/);
    assert.match(describe('sentiment'), /^validation review 1 of sentiment: “the \w+ was \w+ \..*”/);
    assert.match(describe('word-sense'), /^validation sentence 1 of word-sense: “[a-z ]+ a bat [a-z ]+ \.”(, then \d+ padding steps \(·\))?; "bat" at t = \d+ is the (animal|club)$/);
    assert.match(describe('temporal-order'), /^validation sequence 1 of temporal-order: [XY] at t = \d+, then [XY] at t = \d+ among distractor letters$/);
    assert.match(describe('copy-memory', { sequenceLength: 25 }), /^validation sequence 1 of copy-memory: the symbols( [1-8]){10} to remember, blanks \(·\), the delimiter \(:\) at t = 15$/);
    assert.match(describe('text', { sequenceLength: 12 }), /^validation sequence 1 of text: “.{12}”$/u);
    assert.equal(describe('spell-digit'), 'validation sequence 1 of spell-digit: the digit 0 at t = 1, then 5 steps with no input (·) while the network writes “zero.”');
  });

  it('refuses a layer the network does not have, or a reverse direction of a one-way network, with the reason', () => {
    const run = trainRun('r', 'r', { task: 'adding', sequenceLength: 5, hidden: 3, batchSize: 2, steps: 1, layers: 2 });
    assert.equal(hiddenStatesFor(run.trainer.model, run.trainer.task, 1, 'forward').values[0].length, 3);
    assert.throws(() => hiddenStatesFor(run.trainer.model, run.trainer.task, 2, 'forward'), /layer 3 does not exist: the network has 2 layers/);
    assert.throws(() => hiddenStatesFor(run.trainer.model, run.trainer.task, 0, 'reverse'), /not bidirectional/);
    // Too many values to draw is refused before the forward pass, not after minutes of work.
    // (a model the trainer would refuse for memory — validating 32 such sequences needs 9 GB — but a saved or hand-built one can be this big)
    const hugeTask = createTask('adding', { sequenceLength: 10_000 });
    const huge = new SequenceModel({ stack: { cell: 'lstm', inputSize: hugeTask.inputSize, hiddenSize: 201, numLayers: 1, bidirectional: false }, outputSize: 1, mode: hugeTask.mode, loss: hugeTask.loss }, new RandomState(0));
    const started = performance.now();
    assert.throws(() => hiddenStatesFor(huge, hugeTask, 0, 'forward'), /10000 time steps × 201 units is more than the dashboard draws \(2000000 values\)/);
    assert.ok(performance.now() - started < 50);
  });
});

describe('protocol: parseFromPanel refuses hostile webview messages', () => {
  const accepted: { message: unknown; expected: unknown }[] = [
    { message: { type: 'hiddenStates', runId: 'run-1', layer: 0 }, expected: { type: 'hiddenStates', runId: 'run-1', layer: 0, direction: 'forward' } },
    { message: { type: 'hiddenStates', runId: 'run_2', layer: MAX_LAYERS - 1, direction: 'reverse', path: '/etc/passwd' }, expected: { type: 'hiddenStates', runId: 'run_2', layer: MAX_LAYERS - 1, direction: 'reverse' } },
    { message: { type: 'loadRun', runId: '20260125-140307-adding-lstm-2', command: 'workbench.action.terminal.new' }, expected: { type: 'loadRun', runId: '20260125-140307-adding-lstm-2' } },
  ];
  for (const { message, expected } of accepted) {
    it(`accepts ${JSON.stringify(message)}, keeping only the fields it names`, () => {
      const parsed = parseFromPanel(message);
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
      assert.deepEqual(parsed.message, expected);
    });
  }

  const hostileIds: unknown[] = ['../x', '..', '.', '/etc/passwd', 'a/b', 'a\\b', 'C:\\runs', 'run%2F..', 'a b', '', 'x'.repeat(81), 'run\u0000', 'ru\nn',
    42, NaN, null, undefined, ['run-1'], { toString: () => 'run-1' }];
  for (const type of ['loadRun', 'hiddenStates', 'sample', 'stop', 'exportCsv']) {
    it(`${type}: refuses every run id that is not a plain folder name (path-like, empty, too long, not a string)`, () => {
      for (const runId of hostileIds) {
        const parsed = parseFromPanel({ type, runId, layer: 0, temperature: 1, seed: 1 });
        assert.equal(parsed.ok, false, `accepted runId ${JSON.stringify(runId)}`);
        if (!parsed.ok) assert.match(parsed.reason, /runId must be a run id/);
      }
    });
  }

  it('hiddenStates: refuses a layer that is not a small whole number', () => {
    for (const layer of [-1, 0.5, MAX_LAYERS, 1e9, NaN, Infinity, -Infinity, '0', null, undefined, [0], { valueOf: () => 0 }, true]) {
      const parsed = parseFromPanel({ type: 'hiddenStates', runId: 'r1', layer });
      assert.equal(parsed.ok, false, `accepted layer ${String(layer)}`);
      if (!parsed.ok) assert.match(parsed.reason, /layer must be a whole number from 0 to 15/);
    }
    for (const direction of ['sideways', 'FORWARD', 1, null]) {
      const parsed = parseFromPanel({ type: 'hiddenStates', runId: 'r1', layer: 0, direction });
      assert.equal(parsed.ok, false, `accepted direction ${String(direction)}`);
    }
  });

  it('refuses huge arrays and non-objects quickly, whatever they hold', () => {
    const huge = new Array(5_000_000).fill('run-1');
    const started = performance.now();
    for (const message of [
      { type: 'loadRun', runId: huge }, { type: 'hiddenStates', runId: 'r1', layer: huge }, { type: huge, runId: 'r1' },
      huge, null, 'loadRun', 17, NaN, undefined, [{ type: 'loadRun', runId: 'r1' }],
    ]) {
      if (parseFromPanel(message).ok) assert.fail(`accepted ${typeof message}`);
    }
    assert.ok(performance.now() - started < 100, `validation took ${(performance.now() - started).toFixed(0)} ms: it walked the huge arrays`);
  });

  it('sample and exportPng keep their checks (temperature, seed, PNG data URL)', () => {
    assert.equal(parseFromPanel({ type: 'sample', runId: 'r1', temperature: NaN, seed: 1 }).ok, false);
    assert.equal(parseFromPanel({ type: 'sample', runId: 'r1', temperature: 1, seed: -1 }).ok, false);
    assert.equal(parseFromPanel({ type: 'exportPng', chart: '../../x', dataUrl: 'data:image/png;base64,AA' }).ok, false);
    assert.equal(parseFromPanel({ type: 'exportPng', chart: 'loss', dataUrl: 'data:text/html,<script>' }).ok, false);
  });
});

describe('protocol: parseToPanel checks host messages before the dashboard draws them', () => {
  const [lstm] = compareCells(3, 8);
  const init = initOf([lstm], true);

  it('accepts real engine output and every message type', () => {
    assert.equal(parseToPanel(overJson(init)).ok, true);
    assert.equal(parseToPanel({ type: 'metrics', runId: lstm.info.id, steps: overJson(lstm.steps) }).ok, true);
    assert.equal(parseToPanel({ type: 'runEnded', runId: lstm.info.id, status: 'diverged', message: 'loss NaN' }).ok, true);
    assert.equal(parseToPanel(overJson(hiddenStatesMessage(lstm))).ok, true);
    assert.equal(parseToPanel({ type: 'hiddenStates', runId: 'r1', layer: 0, direction: 'forward', error: 'the run saved no model' }).ok, true);
    assert.equal(parseToPanel({ type: 'sample', runId: 'r1', text: 'abc', temperature: 0.8, seed: 3 }).ok, true);
    assert.equal(parseToPanel({ type: 'sample', runId: 'r1', text: '', temperature: 0.8, seed: 3, error: 'not a character task' }).ok, true);
    assert.equal(parseToPanel(overJson({ type: 'runLoaded', run: lstm.info, history: lstm.steps })).ok, true);
    assert.equal(parseToPanel({ type: 'runLoaded', runId: 'r1', error: 'there is no saved run r1' }).ok, true);
  });

  it('carries runs whose ids are names of Object.prototype members, each with its own history, through JSON and back', () => {
    const ids = ['__proto__', 'toString', 'constructor', 'hasOwnProperty'];
    const message: ToPanel = {
      type: 'init',
      runs: ids.map((id) => ({ ...lstm.info, id })),
      history: ids.map((id, i) => ({ runId: id, steps: lstm.steps.slice(0, i) })),
      saved: ids.map((id) => ({ id, label: id, startedAt: lstm.info.startedAt, status: 'done' })),
    };
    const parsed = parseToPanel(overJson(message));
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
    assert.ok(parsed.message.type === 'init');
    if (parsed.message.type !== 'init') return;
    assert.deepEqual(parsed.message.runs.map((run) => run.id), ids);
    assert.deepEqual(parsed.message.history.map((entry) => [entry.runId, entry.steps.length]), ids.map((id, i) => [id, i]));
    for (const id of ids) {
      assert.deepEqual(parseFromPanel({ type: 'loadRun', runId: id }), { ok: true, message: { type: 'loadRun', runId: id } });
      assert.ok(parseToPanel(overJson({ type: 'metrics', runId: id, steps: lstm.steps })).ok);
    }
  });

  const values = (T: number, H: number, value: unknown = 0.5): unknown[][] => Array.from({ length: T }, () => new Array(H).fill(value));
  const states = (extra: Record<string, unknown>): unknown => ({ type: 'hiddenStates', runId: 'r1', layer: 0, direction: 'forward', step: 1, input: { label: 'validation sequence 1' }, values: values(3, 2), ...extra });
  const refused: { what: string; message: unknown; reason: RegExp }[] = [
    { what: 'not an object', message: 'init', reason: /message must be an object/ },
    { what: 'unknown type', message: { type: 'eval', code: '1' }, reason: /unknown message type/ },
    { what: 'a NaN sent as null (JSON)', message: { type: 'metrics', runId: 'r1', steps: [{ ...lstm.steps[0], loss: null }] }, reason: /loss must be a number/ },
    { what: 'a run id with path characters', message: { type: 'metrics', runId: '../x', steps: [] }, reason: /runId must be a run id/ },
    { what: 'steps not an array', message: { type: 'metrics', runId: 'r1', steps: {} }, reason: /steps must be an array/ },
    { what: 'a gradient series with a string', message: { type: 'metrics', runId: 'r1', steps: [{ ...lstm.steps[0], gradientNorms: [{ layer: 0, direction: 'forward', hidden: ['x'] }] }] }, reason: /hidden must be an array of numbers/ },
    { what: 'a run without a config', message: { type: 'runStarted', run: { ...lstm.info, config: undefined } }, reason: /config must be an object/ },
    { what: 'a run without its task mode', message: { type: 'runStarted', run: { ...lstm.info, task: { ...lstm.info.task, mode: 'one-to-many' } } }, reason: /task\.mode must be many-to-many or many-to-one/ },
    { what: 'runEnded as running', message: { type: 'runEnded', runId: 'r1', status: 'running' }, reason: /status/ },
    { what: 'init without the saved list', message: { ...init, saved: undefined }, reason: /init\.saved must be an array/ },
    { what: 'a saved run with a path for an id', message: { ...init, saved: [{ ...init.saved[0], id: '../../home' }] }, reason: /init\.saved\[0\]\.id must be a run id/ },
    { what: 'a saved run still running', message: { ...init, saved: [{ ...init.saved[0], status: 'running' }] }, reason: /status must be done, stopped, error or diverged/ },
    { what: 'runLoaded with a path-like id', message: { type: 'runLoaded', runId: '../x', error: 'e' }, reason: /runId must be a run id/ },
    { what: 'runLoaded whose history is not steps', message: { type: 'runLoaded', run: lstm.info, history: [{ step: 0 }] }, reason: /history\[0\]\.step/ },
    { what: 'init whose history is an object keyed by run id (the old form)', message: { ...init, history: { [lstm.info.id]: lstm.steps } }, reason: /init\.history must be an array/ },
    { what: 'init with two histories for one run', message: { ...init, history: [init.history[0], init.history[0]] }, reason: /init\.history\[1\]: run .* has a history already/ },
    { what: 'init with a history for a path-like id', message: { ...init, history: [{ runId: '../x', steps: [] }] }, reason: /init\.history\[0\]\.runId must be a run id/ },
    { what: 'hidden states with a NaN sent as null', message: states({ values: [[0.1, null], [0.2, -0.3]] }), reason: /rows of equal length holding numbers/ },
    { what: 'ragged hidden states', message: states({ values: [[1, 2], [3]] }), reason: /rows of equal length/ },
    { what: 'empty hidden states', message: states({ values: [] }), reason: /non-empty \[T\]\[H\] array/ },
    { what: 'hidden states longer than any sequence', message: states({ values: values(HIDDEN_STATES_LIMITS.maxSteps + 1, 1) }), reason: /at most 10000 items/ },
    { what: 'hidden states wider than any layer', message: states({ values: values(1, HIDDEN_STATES_LIMITS.maxUnits + 1) }), reason: /H ≤ 4096/ },
    { what: 'hidden states with too many values in all', message: states({ values: values(1000, 2001) }), reason: /at most 2000000 values/ },
    { what: 'hidden states of layer 16', message: states({ layer: MAX_LAYERS }), reason: /layer must be a whole number from 0 to 15/ },
    { what: 'hidden states without a direction', message: states({ direction: undefined }), reason: /direction must be 'forward' or 'reverse'/ },
    { what: 'hidden states without an input', message: states({ input: undefined }), reason: /input must be an object/ },
    { what: 'input tokens that do not match the time steps', message: states({ input: { label: 'x', tokens: ['a', 'b'] } }), reason: /one short string .* per time step/ },
    { what: 'an input token that is not short', message: states({ input: { label: 'x', tokens: ['a', 'b', 'c'.repeat(33)] } }), reason: /one short string/ },
    { what: 'a hidden-state error that is not text', message: { type: 'hiddenStates', runId: 'r1', layer: 0, direction: 'forward', error: 5 }, reason: /error must be a string/ },
    { what: 'sample text not a string', message: { type: 'sample', runId: 'r1', text: 5, temperature: 1, seed: 1 }, reason: /text must be a string/ },
    { what: 'a sample error not a string', message: { type: 'sample', runId: 'r1', text: '', temperature: 1, seed: 1, error: {} }, reason: /error must be a string/ },
  ];
  for (const { what, message, reason } of refused) {
    it(`refuses ${what}`, () => {
      const parsed = parseToPanel(message);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.reason, reason);
    });
  }
});
