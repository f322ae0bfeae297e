// `rnn-lab report`: one self-contained page with chart.js inlined, the run's data, a strict CSP, and every string
// from the run folder escaped.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES } from '../../src/shared/runStoreFormat';
import { runCli, temporaryFolder, tinyTrainArgs } from './cliHarness';
import { availableParallelism } from 'node:os';

/** What a run on this machine says it computed on: both cores where there are two. */
const KERNEL_THREADS = availableParallelism() >= 2 ? '2 threads' : '1 thread';

function dataOf(html: string): { loss: { train: { x: number; y: number | null }[]; validation: unknown[] }; hiddenNorms: { label: string; steps: { step: number }[] }[] } {
  const match = /<script type="application\/json" id="rnn-lab-data">([^<]*)<\/script>/.exec(html);
  assert.ok(match, 'the page carries its data as JSON');
  return JSON.parse(match[1]);
}

describe('rnn-lab report', () => {
  const folder = temporaryFolder();
  const run = join(folder, 'run');

  before(async () => {
    const result = await runCli(tinyTrainArgs(run, { bidirectional: true, steps: '20' }));
    assert.equal(result.code, 0, result.stderr);
  });

  it('writes DIR/report.html: chart.js inlined, the run data, no remote script, a CSP with no remote sources', async () => {
    const result = await runCli(['report', run]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Report written to .*report\.html/);
    const html = readFileSync(join(run, 'report.html'), 'utf8');
    assert.match(html, /Chart\.js v4\.\d+\.\d+/, 'chart.js is inlined');
    assert.ok(html.includes(`<div class="label">computed in</div><div class="value">float32 WebAssembly SIMD on ${KERNEL_THREADS}</div>`), 'the report says what the run computed in');
    assert.ok(html.length > 150_000, 'the library itself is in the page, not a link to it');
    assert.doesNotMatch(html, /<script[^>]*\ssrc=/i, 'no script is loaded from anywhere');
    assert.doesNotMatch(html, /<link[^>]*href=/i);
    assert.doesNotMatch(html, /sourceMappingURL/);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    assert.match(csp, /^default-src 'none'; img-src data:; style-src 'nonce-[A-Za-z0-9+/=]+'; script-src 'nonce-[A-Za-z0-9+/=]+'; base-uri 'none'; form-action 'none'$/);
    assert.doesNotMatch(csp, /http|\*|unsafe/);
    const data = dataOf(html);
    assert.equal(data.loss.train.length, 20);
    assert.equal(data.loss.validation.length, 4);
    assert.deepEqual(data.hiddenNorms.map((panel) => panel.label), ['layer 1, forward direction', 'layer 1, reverse direction']);
    assert.deepEqual(data.hiddenNorms[0].steps.map((s) => s.step), [1, 6, 11, 15, 20]);
    for (const caption of ['Training loss is measured', 'The length of the whole gradient', 'How strongly the loss reacts']) assert.ok(html.includes(caption));
  });

  it('--out chooses the file', async () => {
    const out = join(folder, 'elsewhere.html');
    const result = await runCli(['report', run, '--out', out]);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(existsSync(out));
  });

  it('escapes what it read from the run folder: a hostile folder name or summary cannot inject markup', async () => {
    const hostile = join(folder, '<img src=x onerror=alert(1)>');
    const trained = await runCli(tinyTrainArgs(hostile, { steps: '3' }));
    assert.equal(trained.code, 0, trained.stderr);
    const summary = JSON.parse(readFileSync(join(hostile, RUN_FILES.summary), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(hostile, RUN_FILES.summary), JSON.stringify({ ...summary, version: '</script><script>alert(2)</script>' }));
    const result = await runCli(['report', hostile]);
    assert.equal(result.code, 0, result.stderr);
    const html = readFileSync(join(hostile, 'report.html'), 'utf8');
    assert.doesNotMatch(html, /<script>alert|<img src=x/);
    assert.match(html, /&#60;img src=x onerror=alert\(1\)&#62;/);
    assert.match(html, /&#60;\/script&#62;&#60;script&#62;alert\(2\)/);
  });

  it('a folder that is not a run, or a damaged metrics file, is exit 1 with the reason', async () => {
    const notRun = await runCli(['report', folder]);
    assert.equal(notRun.code, 1);
    assert.match(notRun.stderr, /is not a training run folder \(it has no config\.json\)/);
    const damaged = join(folder, 'damaged');
    assert.equal((await runCli(tinyTrainArgs(damaged, { steps: '3' }))).code, 0);
    writeFileSync(join(damaged, RUN_FILES.metrics), `${readFileSync(join(damaged, RUN_FILES.metrics), 'utf8')}{"step": "two"}\n`);
    const result = await runCli(['report', damaged]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /metrics\.jsonl:4: step: expected a number, got "two"/);
  });

  it('train and report print what they read from folders and files inert: no escape sequence reaches the terminal', async () => {
    const unsafe = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;
    const hostile = join(folder, 'run-\u001b]0;owned\u0007-\u009b2J-\u202e');
    const trained = await runCli(tinyTrainArgs(hostile, { steps: '3' }));
    assert.equal(trained.code, 0, trained.stderr);
    assert.doesNotMatch(trained.stdout, unsafe);
    assert.match(trained.stdout, /Run saved in .*run-\\x1b\]0;owned\\x07-\\x9b2J-\\u202e/);
    const reported = await runCli(['report', hostile]);
    assert.equal(reported.code, 0, reported.stderr);
    assert.doesNotMatch(reported.stdout, unsafe);
    writeFileSync(join(hostile, RUN_FILES.metrics), `${readFileSync(join(hostile, RUN_FILES.metrics), 'utf8')}{"step": "\u009b2J\u202e"}\n`);
    const damaged = await runCli(['report', hostile]);
    assert.equal(damaged.code, 1);
    assert.doesNotMatch(damaged.stderr, unsafe);
    assert.match(damaged.stderr, /metrics\.jsonl:4: step: expected a number, got "\\x9b2J\\u202e"/);
  });
});
