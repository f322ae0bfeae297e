// Run folder files: non-finite numbers survive the JSON round trip, bad files name line and field, and a run that
// ended before it finished saving is still read.
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRun } from '../../src/cli/runFiles';
import { RunRecorder } from '../../src/node/runFolder';
import { parseMetricsLines, parseStepMetrics, readNumber, RUN_FILES, toJson } from '../../src/shared/runStoreFormat';
import { resolveTrainingConfig } from '../../src/engine/trainer';
import type { StepMetrics } from '../../src/engine/trainer';
import { temporaryFolder } from './cliHarness';

const DIVERGED: StepMetrics = {
  step: 3,
  loss: NaN,
  validationLoss: Infinity,
  gradientNorm: Infinity,
  clippedGradientNorm: -Infinity,
  clipped: false,
  skipped: 'NaN',                       // a string field that happens to read "NaN" must stay a string
  gradientNorms: [{ layer: 0, direction: 'forward', hidden: [1e-3, NaN, Infinity], cell: [0, -Infinity, 2] }],
  gates: [{ layer: 0, direction: 'reverse', gates: [{ gate: 'update', mean: [0.5, NaN], saturated: [0, 1] }] }],
  milliseconds: 1.5,
};

describe('cli run files', () => {
  it('plain JSON.stringify loses a diverged loss (why the encoding exists)', () => {
    assert.equal(JSON.parse(JSON.stringify({ loss: NaN })).loss, null);
  });

  it('round-trips NaN and ±Infinity through a metrics line, and leaves strings alone', () => {
    const line = toJson(DIVERGED);
    assert.match(line, /"loss":"NaN"/);
    assert.match(line, /"validationLoss":"Infinity"/);
    assert.match(line, /"clippedGradientNorm":"-Infinity"/);
    const [back] = parseMetricsLines(`${line}\n`);
    assert.ok(Number.isNaN(back.loss));
    assert.equal(back.validationLoss, Infinity);
    assert.equal(back.gradientNorm, Infinity);
    assert.equal(back.clippedGradientNorm, -Infinity);
    assert.equal(back.skipped, 'NaN');
    assert.ok(Number.isNaN(back.gradientNorms[0].hidden[1]));
    assert.deepEqual(back.gradientNorms[0].cell, [0, -Infinity, 2]);
    assert.ok(Number.isNaN(back.gates[0].gates[0].mean[1]));
    assert.deepEqual({ ...back, loss: 0 }, { ...DIVERGED, loss: 0 });
  });

  it('accepts only numbers and the three markers where a number belongs', () => {
    assert.equal(readNumber(2.5, 'x'), 2.5);
    assert.equal(readNumber('-Infinity', 'x'), -Infinity);
    assert.throws(() => readNumber('nan', 'loss'), /loss: expected a number, got "nan"/);
    assert.throws(() => readNumber(null, 'loss'), /loss: expected a number, got null/);
  });

  it('names the line and field of a bad metrics entry', () => {
    const good = toJson(DIVERGED);
    const bad = toJson({ ...DIVERGED, gradientNorms: [{ layer: 0, direction: 'sideways', hidden: [] }] });
    assert.throws(() => parseMetricsLines(`${good}\n\n${bad}\n`, 'metrics.jsonl'), /metrics\.jsonl:3: gradientNorms\[0\]\.direction: expected 'forward' or 'reverse'/);
    assert.throws(() => parseMetricsLines('{"step": 1,\n', 'm'), /m:1: not valid JSON/);
    assert.throws(() => parseStepMetrics({ ...JSON.parse(good), step: 0 }), /step: expected a whole number ≥ 1/);
  });

  it('reads a run that ended before it finished saving: no summary, and a last line cut off mid-write left out', () => {
    const directory = join(temporaryFolder(), 'killed');
    const recorder = RunRecorder.start(directory, resolveTrainingConfig({ task: 'adding', steps: 10 }));
    recorder.record([DIVERGED, { ...DIVERGED, step: 4 }]);
    const path = join(directory, RUN_FILES.metrics);
    appendFileSync(path, toJson({ ...DIVERGED, step: 5 }).slice(0, 40));   // the process died during this write
    const run = readRun(directory);
    assert.equal(run.summary, undefined);
    assert.equal(run.tornLastLine, true);
    assert.deepEqual(run.metrics.map((m) => m.step), [3, 4]);
    appendFileSync(path, '\n{"step": 6}\n');
    assert.throws(() => readRun(directory), /metrics\.jsonl:3: not valid JSON/, 'a bad line with more after it is damage, not a cut-off end');
    assert.ok(readFileSync(path, 'utf8').length > 0);
  });
});
