// Shared tests: the notebook output validator (src/shared/notebookOutput.ts) — what the renderer accepts from a cell
// output it cannot trust, and the words it uses when it refuses one.
import assert from 'node:assert/strict';
import { CHART_MIME, HEATMAP_MIME, MAX_RUNS_PER_OUTPUT, parseNotebookPayload } from '../../src/shared/notebookOutput';
import { makeRunInfo } from '../../src/shared/runInfo';
import { resolveTrainingConfig } from '../../src/engine/trainingConfig';

const config = resolveTrainingConfig({ task: 'adding', cell: 'lstm', hidden: 4, steps: 3 });
const run = (id: string): unknown => ({
  info: makeRunInfo(id, config, '2026-12-05T22:00:00.000Z', 'done'),
  steps: [1, 2, 3].map((step) => ({ step, loss: 0.5 / step, gradientNorm: 1, clippedGradientNorm: 1, clipped: false, milliseconds: 1 })),
  stepsRequested: 3,
});
const hidden = { layer: 0, direction: 'forward', step: 3, input: { label: 'validation sequence 1 of adding' }, values: [[0.1, 0.2], [0.3, 'NaN']] };

function refusal(mime: string, value: unknown): string {
  const parsed = parseNotebookPayload(mime, value);
  assert.equal(parsed.ok, false, 'accepted');
  return parsed.ok ? '' : parsed.reason;
}

describe('notebook outputs: the payload validator', () => {
  it('accepts what the display API writes, ids like __proto__ included', () => {
    const parsed = parseNotebookPayload(CHART_MIME, { version: 1, view: 'loss', runs: [run('__proto__'), run('constructor')] });
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.payload.runs.map((r) => r.info.id), ['__proto__', 'constructor']);
    assert.equal(parsed.payload.mime, CHART_MIME);
    assert.ok(parseNotebookPayload(HEATMAP_MIME, { version: 1, view: 'hiddenStates', runs: [{ ...(run('a') as object), hiddenStates: [hidden] }] }).ok);
  });

  it('refuses, naming the problem', () => {
    assert.match(refusal('text/html', {}), /"text\/html" is not an RNN Lab output type/);
    assert.match(refusal(CHART_MIME, 'loss'), /the output is a string, not an object/);
    assert.match(refusal(CHART_MIME, { version: 1.5, view: 'loss', runs: [run('a')] }), /version must be a whole number/);
    assert.match(refusal(HEATMAP_MIME, { version: 1, view: 'loss', runs: [run('a')] }), /view must be one of timeGradients, hiddenStates, not "loss"/);
    assert.match(refusal(CHART_MIME, { version: 1, view: 'loss', runs: [run('a'), run('a')] }), /runs\[1\]: the run id a appears twice/);
    assert.match(refusal(CHART_MIME, { version: 1, view: 'loss', runs: Array.from({ length: MAX_RUNS_PER_OUTPUT + 1 }, (_, i) => run(`r${i}`)) }), /one output draws at most 6/);
    assert.match(refusal(CHART_MIME, { version: 1, view: 'loss', runs: [run('../../etc')] }), /runs\[0\]: info\.id must be/);
    assert.match(refusal(CHART_MIME, { version: 1, view: 'loss', runs: [{ ...(run('a') as object), stepsRequested: -1 }] }), /stepsRequested must be a whole number/);
    const ragged = { ...hidden, values: [[0.1, 0.2], [0.3]] };
    assert.match(refusal(HEATMAP_MIME, { version: 1, view: 'hiddenStates', runs: [{ ...(run('a') as object), hiddenStates: [ragged] }] }), /runs\[0\]\.hiddenStates\[0\]: values must be rows of equal length/);
    assert.match(refusal(HEATMAP_MIME, { version: 1, view: 'hiddenStates', runs: [run('a')] }), /needs hiddenStates in at least one run/);
  });
});
