// The benchmark's pure parts (scripts/bench): FLOP formulas, workload selection, the table, the correctness guard
// and the reply framing. No timing here — `npm run bench` does that, outside `npm test`.
import assert from 'node:assert/strict';
import { checkGuard } from '../../scripts/bench/guard';
import { decodeReply, encodeReply } from '../../scripts/bench/protocol';
import {
  buildRows, buildSpreadRows, buildTargetRow, formatNumber, formatRow, formatSpreadRow, formatTargetRow, median, resultsTable, spread,
  spreadTable, type Measurement,
} from '../../scripts/bench/report';
import { matrixFlopsPerStep, parameterCount, selectWorkloads, workloadById } from '../../scripts/bench/workloads';

function measurement(partial: Partial<Measurement> & Pick<Measurement, 'workload' | 'implementation'>): Measurement {
  return { condition: 'quiet', status: 'ok', detail: '', versions: {}, times: [], roundMedians: [], warmupTimes: [], warmupLosses: [], notes: [], ...partial };
}

describe('bench: workloads and their FLOPs', () => {
  it('counts W1 as issue #4 does (≈ 0.79 GFLOP: three times the forward products)', () => {
    // forward: x·W_ihᵀ 2·(50·32)·32·512 + h·W_hhᵀ 2·50·32·128·512 + head 2·32·128·1
    const forward = 2 * 1600 * 32 * 512 + 2 * 50 * 32 * 128 * 512 + 2 * 32 * 128;
    assert.equal(matrixFlopsPerStep(workloadById('W1')), 3 * forward);
    assert.equal((matrixFlopsPerStep(workloadById('W1')) / 1e9).toFixed(2), '0.79');
  });

  it('scales the gate rows with the cell: GRU 3H, tanh RNN H', () => {
    const head = 2 * 32 * 128;
    assert.equal(matrixFlopsPerStep(workloadById('W2-gru')), 3 * (2 * 50 * 32 * 384 * (32 + 128) + head));
    assert.equal(matrixFlopsPerStep(workloadById('W2-rnn')), 3 * (2 * 50 * 32 * 128 * (32 + 128) + head));
  });

  it('counts min-char-rnn (W3) with a dense one-hot W_xh and a head at every step', () => {
    // per step: Wxh·x 2·100·65, Whh·h 2·100·100, Why·h 2·65·100
    assert.equal(matrixFlopsPerStep(workloadById('W3')), 3 * 25 * (2 * 100 * 65 + 2 * 100 * 100 + 2 * 65 * 100));
  });

  it('counts W4 at about 50 GFLOP per step', () => {
    assert.equal(matrixFlopsPerStep(workloadById('W4')), 3 * (2 * 100 * 64 * 2048 * (128 + 512) + 2 * 64 * 512));
    assert.equal(Math.round(matrixFlopsPerStep(workloadById('W4')) / 1e9), 50);
  });

  it('counts parameters as PyTorch does (nn.LSTM(32, 128) + Linear(128, 1))', () => {
    assert.equal(parameterCount(workloadById('W1')), 4 * 128 * (32 + 128) + 2 * 4 * 128 + 128 + 1);
  });

  it('selects workloads by id or prefix, in canonical order, and rejects unknown names', () => {
    assert.deepEqual(selectWorkloads('w3,W1').map((w) => w.id), ['W1', 'W3']);
    assert.deepEqual(selectWorkloads('W2').map((w) => w.id), ['W2-gru', 'W2-rnn']);
    assert.deepEqual(selectWorkloads(undefined).map((w) => w.id), ['W1', 'W2-gru', 'W2-rnn', 'W3', 'W4']);
    assert.throws(() => selectWorkloads('W5'), /unknown workload 'W5'/);
  });
});

describe('bench: the table', () => {
  const w1 = workloadById('W1');
  const measurements = [
    measurement({ workload: 'W1', implementation: 'engine', times: [300, 280, 290], peakRssKiB: 92_160, baselineRssKiB: 40_960 }),
    measurement({ workload: 'W1', implementation: 'pytorch', times: [15, 14, 13, 14] }),
    measurement({ workload: 'W1', implementation: 'tfjs-wasm', times: [290] }),
    measurement({ workload: 'W1', implementation: 'tfjs-cpu', status: 'cut-off', warmupTimes: [2000, 1500, 1400] }),
    measurement({ workload: 'W1', implementation: 'brain.js', status: 'cut-off', lowerBoundMs: 61_000 }),
  ];

  it('takes medians, GFLOP/s and ratios against PyTorch and tfjs-wasm', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 2, 3]), 2.5);
    const [engine, pytorch, , tfjsCpu, brain] = buildRows(w1, measurements);
    assert.equal(engine.msPerStep, 290);
    assert.equal(engine.gflops, matrixFlopsPerStep(w1) / (290 * 1e6));
    assert.equal(engine.timeVsPytorch, 290 / 14);
    assert.equal(engine.timeVsTfjsWasm, 1);
    assert.equal(pytorch.timeVsPytorch, 1);
    assert.equal(engine.peakRssMiB, 90);
    // cut off before timing: its warm-up steps after the first stand in; with no finished step only a bound remains
    assert.equal(tfjsCpu.msPerStep, 1450);
    assert.equal(brain.msPerStep, null);
    assert.equal(brain.atLeastMs, 61_000);
    assert.equal(brain.timeVsPytorch, null);
  });

  it('formats numbers to three significant figures without exponents', () => {
    assert.deepEqual([0.0123456, 1.23456, 12.3456, 123.456, 16543.2, 0].map(formatNumber), ['0.0123', '1.23', '12.3', '123', '16543', '0']);
  });

  it('marks cut-off rows and prints a lower bound when no step finished', () => {
    const rows = buildRows(w1, measurements);
    assert.deepEqual(formatRow(rows[0]).slice(0, 7), ['W1', 'engine', '290', '3.45', '2.71', '20.7×', '1.00×']);
    assert.equal(formatRow(rows[0])[8], '90.0 (40.0)');
    assert.equal(formatRow(rows[3])[2], '1450†');
    assert.equal(formatRow(rows[4])[2], '> 61000†');
    assert.equal(formatRow(rows[4])[5], '—');
  });

  it('prints a Markdown table whose columns line up', () => {
    const lines = resultsTable(buildRows(w1, measurements)).split('\n');
    assert.equal(lines.length, 2 + measurements.length);
    assert.ok(lines[0].startsWith('| workload | implementation |'));
    assert.match(lines[1], /^\|-+\|-+\|-+:\|/);  // text columns left-aligned, numbers right-aligned
    const width = [...lines[0]].length;
    for (const line of lines) assert.equal([...line].length, width, line);
    const pipes = (line: string): number[] => [...line].flatMap((ch, i) => (ch === '|' ? [i] : []));
    for (const line of lines) assert.deepEqual(pipes(line), pipes(lines[0]));
    assert.match(lines[2], /\|\s+290 \|/);
  });
});

describe('bench: equal threads, load and the spread of the rounds (issue #11)', () => {
  const w2 = workloadById('W2-rnn');
  const measurements = [
    // a bimodal engine: three rounds at about 4 ms, two stuck at 16
    measurement({ workload: 'W2-rnn', implementation: 'engine', threads: 2, times: [4, 4, 4, 16, 16], roundMedians: [4, 4.2, 16, 3.9, 16.1] }),
    measurement({ workload: 'W2-rnn', implementation: 'engine-1t', threads: 1, times: [6, 6, 6], roundMedians: [6, 6.1, 5.9] }),
    measurement({ workload: 'W2-rnn', implementation: 'pytorch', threads: 1, times: [5, 5, 5], roundMedians: [5, 5, 5] }),
    measurement({ workload: 'W2-rnn', implementation: 'pytorch-2t', threads: 2, times: [3, 3, 3], roundMedians: [3, 3, 3] }),
    measurement({ workload: 'W2-rnn', implementation: 'tfjs-wasm', times: [90], roundMedians: [90] }),
    measurement({ workload: 'W2-rnn', implementation: 'engine', condition: 'one core busy', threads: 2, times: [15, 16, 16], roundMedians: [15, 16, 16] }),
    measurement({ workload: 'W2-rnn', implementation: 'engine-1t', condition: 'one core busy', threads: 1, times: [7, 7, 7], roundMedians: [7, 7, 7] }),
    measurement({ workload: 'W2-rnn', implementation: 'pytorch', condition: 'one core busy', threads: 1, times: [5.5, 5.5, 5.5], roundMedians: [5.5, 5.5, 5.5] }),
    measurement({ workload: 'W2-rnn', implementation: 'pytorch-2t', condition: 'one core busy', threads: 2, times: [8, 8, 8], roundMedians: [8, 8, 8] }),
  ];

  it('gives min, median, max and max ÷ min of the per-round medians, so a slow mode shows', () => {
    assert.deepEqual(spread([4, 4.2, 16, 3.9, 16.1]), { min: 3.9, median: 4.2, max: 16.1, maxOverMin: 16.1 / 3.9, rounds: 5 });
    assert.deepEqual(spread([5]), { min: 5, median: 5, max: 5, maxOverMin: 1, rounds: 1 });
    assert.equal(spread([]), null);
  });

  it('keeps the busy rows out of the main table and lists them after the quiet ones in the spread table', () => {
    assert.deepEqual(buildRows(w2, measurements).map((r) => r.implementation), ['engine', 'engine-1t', 'pytorch', 'pytorch-2t', 'tfjs-wasm']);
    const rows = buildSpreadRows(w2, measurements);
    assert.deepEqual(rows.map((r) => `${r.implementation} ${r.condition}`), [
      'engine quiet', 'engine-1t quiet', 'pytorch quiet', 'pytorch-2t quiet', 'tfjs-wasm quiet',
      'engine one core busy', 'engine-1t one core busy', 'pytorch one core busy', 'pytorch-2t one core busy',
    ]);
  });

  it('divides each row by PyTorch on as many threads, in the same machine state', () => {
    const rows = buildSpreadRows(w2, measurements);
    const ratio = (implementation: string, condition: string): number | null =>
      rows.find((r) => r.implementation === implementation && r.condition === condition)!.timeVsPytorchSameThreads;
    assert.equal(ratio('engine', 'quiet'), 4 / 3);             // 2 threads ÷ pytorch-2t
    assert.equal(ratio('engine-1t', 'quiet'), 6 / 5);          // 1 thread ÷ pytorch
    assert.equal(ratio('pytorch-2t', 'quiet'), 1);
    assert.equal(ratio('tfjs-wasm', 'quiet'), null);           // its runner does not say how many threads
    assert.equal(ratio('engine', 'one core busy'), 16 / 8);    // against the busy pytorch-2t, not the quiet one
    assert.equal(ratio('engine-1t', 'one core busy'), 7 / 5.5);
  });

  it('formats the spread row: threads, machine state, min / median / max and max ÷ min', () => {
    const [engine] = buildSpreadRows(w2, measurements);
    assert.deepEqual(formatSpreadRow(engine), ['W2-rnn', 'engine', '2', 'quiet', '4.00', '1.33×', '3.90 / 4.20 / 16.1', '4.13', '5']);
    const lines = spreadTable(buildSpreadRows(w2, measurements)).split('\n');
    assert.equal(lines.length, 2 + measurements.length);
    const width = [...lines[0]].length;
    for (const line of lines) assert.equal([...line].length, width, line);
  });

  it('reads issue #11\'s targets from the rows and says which are met', () => {
    const target = buildTargetRow(w2, buildSpreadRows(w2, measurements));
    assert.equal(target.busyVsOneThreadQuiet, 16 / 6);   // engine with a core busy ÷ engine-1t quiet
    assert.equal(target.engineRoundMaxOverMin, 16.1 / 3.9);
    assert.equal(target.oneThreadVsPytorch, 6 / 5);
    assert.equal(target.twoThreadsVsPytorch, 4 / 3);
    assert.deepEqual(formatTargetRow(target), ['W2-rnn', '2.67× NOT met', '4.13 NOT met', '1.20× NOT met', '1.33× NOT met']);
    const fast = buildTargetRow(w2, buildSpreadRows(w2, [
      measurement({ workload: 'W2-rnn', implementation: 'engine', threads: 2, times: [2], roundMedians: [2, 2.2] }),
      measurement({ workload: 'W2-rnn', implementation: 'pytorch-2t', threads: 2, times: [3], roundMedians: [3] }),
    ]));
    assert.deepEqual(formatTargetRow(fast), ['W2-rnn', '—', '1.10 met', '—', '0.667× met']);
    // an engine that got one thread (a one-core machine) is not compared with PyTorch on two
    const oneCore = buildTargetRow(w2, buildSpreadRows(w2, [
      measurement({ workload: 'W2-rnn', implementation: 'engine', threads: 1, times: [2], roundMedians: [2] }),
      measurement({ workload: 'W2-rnn', implementation: 'pytorch-2t', threads: 2, times: [3], roundMedians: [3] }),
    ]));
    assert.equal(oneCore.twoThreadsVsPytorch, null);
  });
});

describe('bench: the correctness guard', () => {
  const w1 = workloadById('W1');
  const engine = measurement({ workload: 'W1', implementation: 'engine', detail: "SequenceModel, kernels 'typescript-float64'", warmupLosses: [1.3177237189354924, 1.29] });
  const engine32 = measurement({ workload: 'W1', implementation: 'engine', detail: "SequenceModel, kernels 'wasm-simd-float32'", warmupLosses: [1.3177236, 1.29] });

  it('holds a float32 engine to 1e-4 against every peer, float64 ones included', () => {
    const verdicts = checkGuard(w1, [
      engine32,
      measurement({ workload: 'W1', implementation: 'pytorch-f64', warmupLosses: [1.3177237189354922, 1.2] }),
      measurement({ workload: 'W1', implementation: 'numpy', warmupLosses: [1.3179, 1.2] }),
    ]);
    assert.deepEqual(verdicts.filter((v) => v.message.startsWith('first loss')).map((v) => `${v.implementation} ${v.level}`), ['pytorch-f64 pass', 'numpy fail']);
  });

  it('passes float64 parity within 1e-9 and a falling loss', () => {
    const verdicts = checkGuard(w1, [engine, measurement({ workload: 'W1', implementation: 'pytorch-f64', warmupLosses: [1.3177237189354922, 1.2] })]);
    assert.deepEqual(verdicts.map((v) => v.level), ['pass', 'pass', 'pass']);
  });

  it('fails a float64 peer 1e-7 away, a float32 peer 1e-3 away, and a loss that does not fall', () => {
    const verdicts = checkGuard(w1, [
      engine,
      measurement({ workload: 'W1', implementation: 'pytorch-f64', warmupLosses: [1.3177238, 1.2] }),
      measurement({ workload: 'W1', implementation: 'tfjs-wasm', warmupLosses: [1.319, 1.2] }),
      measurement({ workload: 'W1', implementation: 'pytorch', warmupLosses: [1.3177237, 1.4] }),
    ]);
    const failed = verdicts.filter((v) => v.level === 'fail').map((v) => `${v.implementation} ${v.message.startsWith('first loss') ? 'parity' : v.message.split(':')[0]}`);
    assert.deepEqual(failed, ['pytorch-f64 parity', 'tfjs-wasm parity', 'pytorch trains']);
  });

  it('fails a diverging engine; reads brain.js (its own task, an error measure that can overflow) on its finite values', () => {
    const verdicts = checkGuard(w1, [
      measurement({ workload: 'W1', implementation: 'engine', warmupLosses: [1, Number.NaN] }),
      measurement({ workload: 'W1', implementation: 'brain.js', warmupLosses: [30, Number.POSITIVE_INFINITY, 25] }),
      measurement({ workload: 'W2-gru', implementation: 'brain.js', warmupLosses: [Number.NaN, Number.NaN] }),
    ]);
    assert.deepEqual(verdicts.map((v) => `${v.implementation} ${v.level}`), ['engine fail', 'brain.js warn', 'brain.js pass']);
    const never = checkGuard(workloadById('W2-gru'), [measurement({ workload: 'W2-gru', implementation: 'brain.js', warmupLosses: [Number.NaN, Number.NaN] })]);
    assert.deepEqual(never.map((v) => v.level), ['exclude']);
  });
});

describe('bench: runner replies', () => {
  it('reads marked lines and ignores what libraries print on stdout', () => {
    assert.equal(decodeReply('Hi there 👋. Looks like you are running TensorFlow.js in Node.js.'), null);
    const line = encodeReply({ op: 'steps', times: [1.5], losses: [0.25] }).trimEnd();
    assert.deepEqual(decodeReply(line), { op: 'steps', times: [1.5], losses: [0.25] });
    assert.throws(() => decodeReply('@@bench {"op":"bogus"}'), /unknown runner reply/);
  });
});
