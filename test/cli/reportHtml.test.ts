// The report page builder (src/cli/reportHtml.ts): escaping, the CSP, safe inlining of library and data, and chart series from metrics.
import assert from 'node:assert/strict';
import { buildReportHtml, jsonForHtml, MAX_CURVE_POINTS, reportChartData } from '../../src/cli/reportHtml';
import type { RunSummary } from '../../src/shared/runStoreFormat';
import { contentSecurityPolicy, escapeHtml } from '../../src/shared/html';
import { DEFAULT_TRAINING_CONFIG, StepMetrics, TrainingConfig } from '../../src/engine/trainer';

const NONCE = 'AAAAAAAAAAAAAAAAAAAAAAAA';
const CONFIG: TrainingConfig = { ...DEFAULT_TRAINING_CONFIG, steps: 3 };

function step(n: number, loss: number, hidden: number[] = [1e-3, 1e-2, 0.1]): StepMetrics {
  return {
    step: n, loss, ...(n % 2 === 0 ? { validationLoss: loss + 0.1 } : {}), gradientNorm: 2 * n, clippedGradientNorm: Math.min(2 * n, 5),
    clipped: 2 * n > 5, gradientNorms: [{ layer: 0, direction: 'forward', hidden }], gates: [], milliseconds: 1,
  };
}

const SUMMARY: RunSummary = {
  stepsRequested: 3, stepsCompleted: 3, stoppedEarly: false, stopReason: 'completed', finalLoss: 1, finalValidationLoss: 1.1,
  bestValidationLoss: 1.1, baselineLoss: 2.81, skippedSteps: 0, millisecondsPerStep: 1, stepsPerSecond: 1000, wallSeconds: 0.003,
  startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:01.000Z', version: '0.1.0',
};

describe('report HTML', () => {
  it('escapes the five HTML-special characters', () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
  });

  it('embeds data that cannot close its script element, and parses back to the same value', () => {
    const value = { task: '</script><!-- \u2028', n: 1 };
    const text = jsonForHtml(value);
    assert.doesNotMatch(text, /[<>&\u2028]/);
    assert.deepEqual(JSON.parse(text), value);
  });

  it('inlines the library safely (no closing tag, no source map) and allows only its own nonce', () => {
    const library = 'var s = "</script>"; /* <!-- */\n//# sourceMappingURL=chart.umd.min.js.map\n';
    const html = buildReportHtml({ title: 'run', config: CONFIG, metrics: [step(1, 3), step(2, 2), step(3, 1)], summary: SUMMARY }, { chartJsSource: library, nonce: NONCE });
    assert.ok(html.includes('var s = "<\\/script>"; /* <\\!-- */'));
    assert.doesNotMatch(html, /sourceMappingURL/);
    assert.equal((html.match(/<script nonce="AAAAAAAAAAAAAAAAAAAAAAAA">/g) ?? []).length, 2);
    assert.equal((html.match(/<script(?![^>]*nonce=)(?![^>]*type="application\/json")/g) ?? []).length, 0, 'every executable script carries the nonce');
    assert.throws(() => buildReportHtml({ title: 'x', config: CONFIG, metrics: [] }, { chartJsSource: '', nonce: "x' 'unsafe-inline" }), /nonce/);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.equal(csp, contentSecurityPolicy(NONCE), 'the one policy of our pages, with no source of its own: the page is self-contained');
    assert.equal(csp, "default-src 'none'; img-src data:; style-src 'nonce-AAAAAAAAAAAAAAAAAAAAAAAA'; script-src 'nonce-AAAAAAAAAAAAAAAAAAAAAAAA'; base-uri 'none'; form-action 'none'");
  });

  it('escapes the title and configuration, and says when a run stopped early or diverged', () => {
    const html = buildReportHtml({
      title: '<b>run</b>', config: { ...CONFIG, task: '"><svg onload=alert(1)>' }, metrics: [step(1, NaN)],
      summary: { ...SUMMARY, stoppedEarly: true, stopReason: 'interrupted', stepsCompleted: 1, skippedSteps: 1, finalLoss: NaN },
    }, { chartJsSource: '', nonce: NONCE });
    assert.doesNotMatch(html, /<b>run|<svg/);
    assert.match(html, /&#60;b&#62;run&#60;\/b&#62;/);
    assert.match(html, /Stopped early \(interrupted\) after 1 of 3 steps\./);
    assert.match(html, /1 update\(s\) were skipped/);
    assert.match(html, /<div class="label">final loss<\/div><div class="value">NaN<\/div>/);
  });

  it('turns metrics into chart series: non-finite values and log-scale zeros become gaps', () => {
    const data = reportChartData(CONFIG, [step(1, 3, [0, 1, NaN]), step(2, Infinity), step(3, 1)], SUMMARY);
    assert.deepEqual(data.loss.train, [{ x: 1, y: 3 }, { x: 2, y: null }, { x: 3, y: 1 }]);
    assert.deepEqual(data.loss.validation, [{ x: 2, y: null }]);
    assert.equal(data.loss.baseline, 2.81);
    assert.deepEqual(data.gradient.after.map((p) => p.y), [2, 4, 5]);
    assert.equal(data.gradient.threshold, 5);
    assert.deepEqual(data.hiddenNorms[0].steps[0].values, [{ x: 1, y: null }, { x: 2, y: 1 }, { x: 3, y: null }]);
    assert.equal(data.loss.logarithmic, false);
  });

  it('draws a diverging loss on a log scale, and thins long runs but keeps the last step', () => {
    const diverging = reportChartData(CONFIG, [step(1, 2), step(2, 2e6)]);
    assert.equal(diverging.loss.logarithmic, true);
    const long = Array.from({ length: 5001 }, (_, i) => step(i + 1, 1));
    const data = reportChartData(CONFIG, long);
    assert.ok(data.loss.train.length <= MAX_CURVE_POINTS + 1);
    assert.equal(data.loss.train[data.loss.train.length - 1].x, 5001);
    assert.equal(data.loss.validation.length, 2500, 'every validation point is kept');
    assert.deepEqual(data.hiddenNorms[0].steps.map((s) => s.step), [1, 1251, 2501, 3751, 5001]);
  });

  it('a run of 150,000 steps: charts without overflowing the call stack (Math.max(...losses) did), log scale decided right', () => {
    const shared = [{ layer: 0, direction: 'forward' as const, hidden: [0.1] }];
    const long: StepMetrics[] = Array.from({ length: 150_000 }, (_, i) => ({
      step: i + 1, loss: i === 149_998 ? 5e3 : 1 + 1 / (i + 1), gradientNorm: 1, clippedGradientNorm: 1, clipped: false, gradientNorms: shared, gates: [], milliseconds: 1,
    }));
    const data = reportChartData(CONFIG, long);
    assert.equal(data.loss.logarithmic, true, 'the spike is 2500× the smallest loss');
    assert.equal(data.loss.train[data.loss.train.length - 1].x, 150_000);
    assert.equal(reportChartData(CONFIG, long.map((m) => ({ ...m, loss: 2 }))).loss.logarithmic, false);
  });
});
