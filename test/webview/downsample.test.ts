// Dashboard helpers without a browser: downsampling of long curves, the bounded memory of per-time-step gradients,
// and the page builder's CSP (the protocol's validators: test/shared/protocol.test.ts).
import assert from 'node:assert/strict';
import { dashboardHtml } from '../../src/shared/dashboardHtml';
import { downsampleIndices, evenlySpacedIndices, StepReservoir } from '../../src/shared/downsample';
import { RunState } from '../../src/webview/dashboardState';
import { compareCells, divergingRun } from './engineRuns';

/** A noisy falling loss curve with a spike and a dip at known places. */
function lossCurve(n: number): number[] {
  return Array.from({ length: n }, (_, i) => 2 * Math.exp(-i / (n / 5)) + 0.05 * Math.sin(i * 1.7) + (i === 4321 ? 50 : 0) - (i === 777 ? 1 : 0));
}

describe('webview: downsampling long curves', () => {
  it('keeps short series whole', () => {
    assert.deepEqual(downsampleIndices([3, 1, 2], 1000), [0, 1, 2]);
    assert.deepEqual(downsampleIndices([], 1000), []);
  });

  it('a 100 000-step curve becomes at most 1000 points: sorted, unique, first and last kept', () => {
    const values = lossCurve(100_000);
    const kept = downsampleIndices(values, 1000);
    assert.ok(kept.length <= 1000 && kept.length > 600, `${kept.length} points`);
    assert.equal(kept[0], 0);
    assert.equal(kept[kept.length - 1], values.length - 1);
    for (let i = 1; i < kept.length; i++) assert.ok(kept[i] > kept[i - 1], `not strictly ascending at ${i}`);
  });

  it('keeps the extremes: a one-step spike and a one-step dip survive (striding would drop them)', () => {
    const values = lossCurve(100_000);
    const kept = new Set(downsampleIndices(values, 1000));
    assert.ok(kept.has(4321), 'the spike at step 4321 was dropped');
    assert.ok(kept.has(777), 'the dip at step 777 was dropped');
    const max = values.indexOf(Math.max(...values));
    const min = values.indexOf(Math.min(...values));
    assert.ok(kept.has(max) && kept.has(min));
    // control: plain striding would have lost the spike
    assert.ok(!Array.from({ length: 1000 }, (_, i) => i * 100).includes(4321));
  });

  it('keeps non-finite markers: the first NaN of the series and one per bucket afterwards', () => {
    const values = lossCurve(50_000);
    for (let i = 31_234; i < values.length; i++) values[i] = i % 2 ? NaN : Infinity;
    const kept = downsampleIndices(values, 1000);
    assert.ok(kept.includes(31_234), 'the step where the run diverged was dropped');
    const nonFinite = kept.filter((i) => !Number.isFinite(values[i]));
    assert.ok(nonFinite.length > 100, `only ${nonFinite.length} non-finite points kept: the diverged stretch would look empty`);
    assert.ok(kept.length <= 1000);
  });

  it('a lone NaN in a long finite run is never thinned away', () => {
    const values = lossCurve(200_000);
    values[123_457] = NaN;
    assert.ok(downsampleIndices(values, 1000).includes(123_457));
  });

  it('refuses a budget too small to keep first, last and one bucket', () => {
    assert.throws(() => downsampleIndices([1, 2, 3, 4], 2), /maxPoints must be at least 3/);
  });

  it('evenly spaced picks: first, last, between', () => {
    assert.deepEqual(evenlySpacedIndices(101, 5), [0, 25, 50, 75, 100]);
    assert.deepEqual(evenlySpacedIndices(3, 6), [0, 1, 2]);
    assert.deepEqual(evenlySpacedIndices(10, 1), [9]);
    assert.deepEqual(evenlySpacedIndices(0, 4), []);
  });
});

describe('webview: the bounded set of steps for the per-time-step charts', () => {
  it('never holds more than capacity + 1, spreads them evenly, keeps the first and the latest', () => {
    const reservoir = new StepReservoir<number>(64);
    for (let step = 1; step <= 10_000; step++) {
      reservoir.offer(step);
      assert.ok(reservoir.items().length <= 65, `${reservoir.items().length} items after ${step}`);
    }
    const items = reservoir.items();
    assert.equal(items[0], 1);
    assert.equal(items[items.length - 1], 10_000);
    const gaps = items.slice(1, -1).map((step, i) => step - items[i]);
    assert.ok(gaps.every((gap) => gap === gaps[0]), `uneven spacing ${[...new Set(gaps)].join(', ')}`);
    assert.ok(items.length > 32, 'thinned too much');
    assert.equal(reservoir.size, 10_000);
  });

  it('a run of real engine steps keeps memory bounded in RunState', () => {
    const [rnn] = compareCells(5, 10);
    const run = new RunState(rnn.info, 0);
    const many = Array.from({ length: 1000 }, (_, i) => ({ ...rnn.steps[i % rnn.steps.length], step: i + 1 }));
    run.addSteps(many);
    assert.equal(run.steps.length, 1000);
    assert.ok(run.timeGradients.items().length <= 129);
    assert.equal(run.timeGradients.latest()?.step, 1000);
    run.addSteps(many.slice(0, 10));   // a replay that overlaps: ignored
    assert.equal(run.steps.length, 1000);
  });

  it('a diverged run records the step where it diverged, and its NaN stays a NaN', () => {
    const diverging = divergingRun();
    const run = new RunState(diverging.info, 0);
    run.addSteps(diverging.steps);
    const first = diverging.steps.find((s) => s.skipped !== undefined || typeof s.loss === 'string');
    assert.ok(first, 'the engine run no longer diverges');
    assert.equal(run.divergedAtStep, first.step);
    assert.ok(run.loss.some((v) => Number.isNaN(v) || v === Infinity));
    assert.ok(!run.loss.includes(0), 'a non-finite loss turned into 0');
  });
});

describe('webview: the page and its Content Security Policy', () => {
  const page = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce: 'AAAAbbbbCCCCdddd1234+/==', scriptUri: 'https://x/dist/webview.js', styleUri: 'https://x/media/dashboard.css', title: 'Training <b>' };

  it('allows only nonce\'d scripts, our own styles and images, and nothing else', () => {
    const html = dashboardHtml(page);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1].replace(/&#39;/g, "'");
    assert.equal(csp, `default-src 'none'; img-src ${page.cspSource} data:; style-src ${page.cspSource} 'nonce-${page.nonce}'; script-src 'nonce-${page.nonce}'; base-uri 'none'; form-action 'none'`);
    assert.match(html, new RegExp(`<script nonce="${page.nonce.replace(/[+/]/g, '\\$&')}" src="https://x/dist/webview.js"></script>`));
    assert.ok(!/ on[a-z]+=/i.test(html), 'an inline event handler');
    assert.ok(!/ style=/i.test(html), 'an inline style attribute');
    assert.match(html, /<title>Training &#60;b&#62;<\/title>/);
  });

  it('refuses a weak nonce or a cspSource that would smuggle in another directive', () => {
    assert.throws(() => dashboardHtml({ ...page, nonce: 'short' }), /nonce/);
    assert.throws(() => dashboardHtml({ ...page, cspSource: "https://x; script-src 'unsafe-inline'" }), /cspSource/);
  });
});
