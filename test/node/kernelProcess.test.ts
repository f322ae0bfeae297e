// The lesson kernel as a learner meets it, through the real driver and the built dist/kernel.js child process:
// state between cells, imports of 'rnn-lab', top-level await, output streamed while a cell runs, the last value shown,
// errors on the cell's own lines, and a kernel that survives what a cell does (interrupts, the time limit, exit,
// out of memory, a throw in a timer). Latencies are printed, never asserted tightly: the machine is shared.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RandomState } from '../../src/engine/random/randomState';
import type { CheckResult, CheckSource } from '../../src/lessons/lesson';
import { MAX_REQUEST_OUTPUT_CHARS } from '../../src/kernel/runtime';
import { KernelProcess, type RunOutcome } from '../../src/node/kernelProcess';
import { ensureBuilt } from '../cli/cliHarness';
import { KERNEL_SCRIPT, kernelForSuite, recordingSink, startKernel, type RecordingSink } from './kernelHarness';

/** Whether a process exists and is not a zombie waiting to be reaped. */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

async function run(kernel: KernelProcess, code: string, label = 'Cell 1', sink: RecordingSink = recordingSink()): Promise<RunOutcome & { sink: RecordingSink }> {
  const outcome = await kernel.run(code, label, sink);
  return { ...outcome, sink };
}

function valueText(outcome: RunOutcome): string {
  assert.equal(outcome.status, 'ok', JSON.stringify(outcome));
  const item = outcome.status === 'ok' ? outcome.value?.find((candidate) => candidate.mime === 'text/plain') : undefined;
  assert.ok(item, `no text/plain value in ${JSON.stringify(outcome)}`);
  return item.data;
}

function errorOf(outcome: RunOutcome): { name: string; message: string; stack: string } {
  assert.equal(outcome.status, 'error', JSON.stringify(outcome));
  return outcome.status === 'error' ? outcome.error : { name: '', message: '', stack: '' };
}

/** Starts `code`, waits until it printed `started`, interrupts, and returns the outcome and how long the stop took. */
async function interruptAfterStart(kernel: KernelProcess, code: string): Promise<{ outcome: RunOutcome; milliseconds: number }> {
  const sink = recordingSink();
  const running = kernel.run(code, 'Cell 9', sink);
  await sink.seen('started');
  const started = Date.now();
  await kernel.interrupt();
  const outcome = await running;
  return { outcome, milliseconds: Date.now() - started };
}

describe('lesson kernel: running cells (dist/kernel.js through KernelProcess)', () => {
  const suite = kernelForSuite();

  it('keeps const, let, function, class and destructured names from cell to cell, and re-running a cell works', async () => {
    const declare = `const rate: number = 0.5;
let steps = 2;
const [first, { second, third = 3 }, ...others] = [1, { second: 2 }, 4, 5];
function double(x: number): number { return 2 * x; }
class Counter { count = 0; add() { return ++this.count; } }`;
    assert.equal((await run(suite.kernel, declare, 'Cell 1')).status, 'ok');
    assert.equal((await run(suite.kernel, declare, 'Cell 1')).status, 'ok', 'running the same cell twice must not say "already declared"');
    assert.equal(valueText(await run(suite.kernel, 'steps += 1;\nconst counter = new Counter();\ncounter.add();\n[rate, steps, first, second, third, others, double(21), counter.count]', 'Cell 2')),
      '[ 0.5, 3, 1, 2, 3, [ 4, 5 ], 42, 1 ]');
  });

  it('imports from rnn-lab with renames and as a namespace; a type-only name is harmless; other modules are refused with the line', async () => {
    const imported = await run(suite.kernel, "import { course as c, Tensor } from 'rnn-lab';\nimport * as lab from 'rnn-lab';\nconst [xt] = c.randnInOrder(1, [2, 3]);\nfunction rows(t: Tensor) { return t.shape[0]; }\n[typeof lab.Trainer, typeof lab.course.rnnCellForward, rows(xt)]", 'Cell 3');
    assert.equal(valueText(imported), "[ 'function', 'function', 2 ]");
    assert.match(errorOf(await run(suite.kernel, 'Tensor', 'Cell 4')).message, /'rnn-lab' has no value named 'Tensor'/);
    assert.match(errorOf(await run(suite.kernel, "import { cuorse } from 'rnn-lab';\ncuorse.zeros", 'Cell 4')).message, /'rnn-lab' has no value named 'cuorse'/);
    const refused = errorOf(await run(suite.kernel, "const a = 1;\nimport fs from 'node:fs';", 'Cell 5'));
    assert.equal(refused.name, 'SyntaxError');
    assert.match(refused.message, /line 2: cannot import 'node:fs': a cell can import only from 'rnn-lab'/);
    assert.match(refused.stack, /at Cell 5:2:1/);
    assert.match(errorOf(await run(suite.kernel, "const m = await import('node:fs');", 'Cell 6')).message, /line 1: import\(\) is not available in a cell/);
  });

  it('awaits at the top level and shows the last expression, tensors numpy-like with their shape', async () => {
    assert.equal(valueText(await run(suite.kernel, 'const later = await new Promise<number>((resolve) => setTimeout(() => resolve(7), 20));\nlater * 6')), '42');
    assert.equal(valueText(await run(suite.kernel, "import { course } from 'rnn-lab';\ncourse.randnInOrder(1, [2, 3])[0]")),
      'shape (2, 3)\n[[ 1.62434536 -0.61175641 -0.52817175]\n [-1.07296862  0.86540763 -2.3015387 ]]');
    assert.equal(valueText(await run(suite.kernel, "'text'")), "'text'");
    const nothing = await run(suite.kernel, 'const quiet = 1;');
    assert.deepEqual(nothing.status === 'ok' ? nothing.value : 'not ok', undefined);
  });

  it('streams console.log and console.error while the cell is still running', async () => {
    const sink = recordingSink();
    let finished = false;
    const running = suite.kernel.run("console.log('first line', { step: 1 });\nconsole.error('a warning');\nawait new Promise((resolve) => setTimeout(resolve, 1500));\nconsole.log('last line');", 'Cell 7', sink)
      .then((outcome) => { finished = true; return outcome; });
    await sink.seen('first line');
    assert.equal(finished, false, 'the first line arrived only after the cell had ended');
    assert.equal(sink.text(), 'first line { step: 1 }\n');
    await sink.seen('a warning');
    assert.equal(sink.text('stderr'), 'a warning\n');
    assert.equal((await running).status, 'ok');
    assert.equal(sink.text(), 'first line { step: 1 }\nlast line\n');
  });

  it('reports errors with the cell\'s own lines and no kernel frames', async () => {
    const error = errorOf(await run(suite.kernel, "const x = 1;\n\nfunction rnnCellForward(xt: number): number {\n  throw new RangeError('xt has the wrong shape');\n}\nrnnCellForward(x);", 'Cell 3'));
    assert.equal(error.name, 'RangeError');
    assert.equal(error.message, 'xt has the wrong shape');
    assert.equal(error.stack.split('\n')[0], 'RangeError: xt has the wrong shape');
    assert.match(error.stack, /\n {4}at rnnCellForward \(Cell 3:4:9\)\n/);
    assert.match(error.stack, /\n {4}at Cell 3:6:\d+$/);
    assert.doesNotMatch(error.stack, /kernel\.js|node:|runtime|<anonymous>/);
    // A function from an earlier cell keeps that cell's label and line.
    const later = errorOf(await run(suite.kernel, 'rnnCellForward(2)', 'Cell 4'));
    assert.match(later.stack, /at rnnCellForward \(Cell 3:4:9\)\n {4}at Cell 4:1:\d+$/);
    // An error from inside the engine shows the engine as one named frame, then the cell.
    const engine = errorOf(await run(suite.kernel, "import { course } from 'rnn-lab';\ncourse.rnnCellForward(1, 2, 3)", 'Cell 5'));
    assert.match(engine.stack, /\(rnn-lab\)\n {4}at Cell 5:2:\d+$/);
    assert.doesNotMatch(engine.stack, /kernel\.js/);
    const syntax = errorOf(await run(suite.kernel, 'const ok = 1;\nconst broken = ;', 'Cell 6'));
    assert.equal(syntax.name, 'SyntaxError');
    assert.match(syntax.message, /^line 2: /);
  });

  it('counts executions, and a restart clears the variables and the count', async () => {
    const before = suite.kernel.executionCount;
    await run(suite.kernel, 'const kept = 1;');
    assert.equal(suite.kernel.executionCount, before + 1);
    let restarts = 0;
    const listener = suite.kernel.onDidRestart(() => restarts++);
    await suite.kernel.restart();
    listener.dispose();
    assert.equal(restarts, 1);
    assert.equal(suite.kernel.executionCount, 0);
    assert.match(errorOf(await run(suite.kernel, 'kept')).message, /kept is not defined/);
    assert.equal(suite.kernel.executionCount, 1);
  });

  it('a throw in a timer callback is reported, and the kernel goes on', async () => {
    const scheduled = await run(suite.kernel, "setTimeout(() => { throw new Error('late failure'); }, 10);\n'scheduled'", 'Cell 8');
    assert.equal(valueText(scheduled), "'scheduled'");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const next = await run(suite.kernel, '1 + 1', 'Cell 9');
    assert.equal(valueText(next), '2');
    assert.match(next.sink.text('stderr'), /Uncaught error in a callback \(after its cell had finished\):\nError: late failure\n {4}at Cell 8:1:\d+/);
    const during = await run(suite.kernel, "setTimeout(() => Promise.reject(new TypeError('rejected')), 10);\nawait new Promise((resolve) => setTimeout(resolve, 300));\n'done'", 'Cell 10');
    assert.equal(valueText(during), "'done'");
    assert.match(during.sink.text('stderr'), /Uncaught error in a callback:\nTypeError: rejected/);
  });

  it('gives a cell the globals of a Web Worker, not Node\'s: process.exit is not there, and the kernel goes on', async () => {
    await run(suite.kernel, 'const survivor = 1;');
    const exit = errorOf(await run(suite.kernel, 'process.exit(0)', 'Cell 2'));
    assert.equal(exit.name, 'ReferenceError');
    assert.equal(exit.message, 'process is not defined');
    assert.equal(valueText(await run(suite.kernel, "[typeof require, typeof Buffer, typeof setTimeout, typeof structuredClone, survivor]")), "[ 'undefined', 'undefined', 'function', 'function', 1 ]");
  });
});

describe('lesson kernel: checks (the check request runs src/lessons/checks against the namespace)', () => {
  const suite = kernelForSuite();

  const check = (name: string, code: string, points = 1): CheckSource => ({ exercise: 'rnn-cell-forward', name, points, hidden: false, code, line: 1 });

  it('passes and fails checks on the learner\'s function, with its words, in each check\'s own scope', async () => {
    await run(suite.kernel, "import { np } from 'rnn-lab';\nfunction scale(values: number[], factor: number) {\n  if (factor < 0) throw new RangeError('factor must be positive');\n  return values.map((value) => value * factor + (factor === 3 ? 1 : 0));\n}", 'Cell 2');
    const results = await suite.kernel.check([
      check('doubles', "const got = await student.scale([1, 2], 2);\nexpect.equal(got, [2, 4]);", 2),
      check('triples', "import { np } from 'rnn-lab';\nconst got = await student.scale([1, 2], 3);\nexpect.close(np.array(got), np.array([3, 6]), { hint: 'multiply, do not add' });"),
      check('refuses negatives', 'await student.scale([1], -1);'),
      check('missing function', 'await student.rnnCellForward(1);'),
      check('scope is the check\'s own', "const got = typeof doubled;\nexpect.equal(got, 'undefined');"),
    ], 1, recordingSink());
    assert.ok(Array.isArray(results), JSON.stringify(results));
    const byName = new Map((results as readonly CheckResult[]).map((result) => [result.name, result]));
    assert.deepEqual([...byName.values()].map((result) => [result.name, result.status, result.earned]), [
      ['doubles', 'passed', 2], ['triples', 'failed', 0], ['refuses negatives', 'failed', 0], ['missing function', 'failed', 0], ['scope is the check\'s own', 'passed', 1],
    ]);
    assert.equal(byName.get('triples')?.hint, 'multiply, do not add');
    assert.match(byName.get('triples')?.message ?? '', /^at \[0\] .*expected 3, got 4/);
    assert.equal(byName.get('refuses negatives')?.message, 'scale threw RangeError: factor must be positive (Cell 2, line 3).');
    assert.match(byName.get('missing function')?.message ?? '', /^rnnCellForward is not defined: run the exercise cell/);
    // A check's declarations did not leak into the learner's namespace.
    assert.match(errorOf(await run(suite.kernel, 'got')).message, /got is not defined/);
  });

  it('runs each check without the learner\'s names, as the grader does: a check that uses a name it did not import fails here too', async () => {
    await run(suite.kernel, "import { np } from 'rnn-lab';\nconst helper = 2;\nfunction twice(value: number) { return value * helper; }", 'Cell 4');
    const results = await suite.kernel.check([
      check('sees only its scope', "expect.equal([typeof helper, typeof np, typeof twice], ['undefined', 'undefined', 'undefined']);\nexpect.equal(await student.twice(3), 6);"),
      check('forgot its import', 'expect.close(np.array([6]), np.array([6]));'),
    ], 1, recordingSink());
    assert.ok(Array.isArray(results), JSON.stringify(results));
    const [scoped, forgot] = results as readonly CheckResult[];
    assert.deepEqual([scoped.status, forgot.status], ['passed', 'error'], JSON.stringify(results));
    assert.match(forgot.message, /np is not defined/);
  });

  it('interrupts a check stuck in the learner\'s endless loop, and the kernel goes on', async () => {
    await run(suite.kernel, "function spin() {\n  console.log('started');\n  while (true) {}\n}", 'Cell 3');
    const sink = recordingSink();
    const checking = suite.kernel.check([check('spins', 'await student.spin();')], 1, sink);
    await sink.seen('started');
    await suite.kernel.interrupt();
    const outcome = await checking;
    assert.ok(!Array.isArray(outcome) && (outcome as RunOutcome).status === 'interrupted', JSON.stringify(outcome));
    assert.equal(valueText(await run(suite.kernel, "'after'")), "'after'");
  });

  it('starts every check\'s Math.random from the seed of the request: the same draws in each check, whatever ran before', async () => {
    await run(suite.kernel, 'const seen: number[][] = [];\nfunction keep(draws: number[]) { seen.push(draws); }', 'Cell 5');
    const drawing = (name: string): CheckSource => check(name, 'await student.keep([Math.random(), Math.random(), Math.random()]);');
    for (const seed of [7, 7, 8]) {
      const results = await suite.kernel.check([drawing('first'), drawing('second')], seed, recordingSink());
      assert.ok(Array.isArray(results) && results.every((result) => result.status === 'passed'), JSON.stringify(results));
    }
    const seen = JSON.parse(JSON.parse(valueText(await run(suite.kernel, 'JSON.stringify(seen)')).replace(/^'(.*)'$/, '"$1"'))) as number[][];
    const expected = (seed: number): number[] => {
      const random = new RandomState(seed);
      return [random.random(), random.random(), random.random()];
    };
    assert.deepEqual(seen, [expected(7), expected(7), expected(7), expected(7), expected(8), expected(8)]);
    assert.notDeepEqual(expected(7), expected(8));
    // The learner's own Math.random is not the checks': it is not reseeded.
    assert.notDeepEqual(JSON.parse(valueText(await run(suite.kernel, 'JSON.stringify([Math.random()])')).replace(/^'(.*)'$/, '$1')), [expected(7)[0]]);
  });
});

describe('lesson kernel: stopping runaway cells', () => {
  const suite = kernelForSuite();

  it('interrupts while (true) {} in place, keeping the variables, and the next cell runs', async () => {
    await run(suite.kernel, 'const before = 41;');
    const { outcome, milliseconds } = await interruptAfterStart(suite.kernel, "console.log('started');\nlet spins = 0;\nwhile (true) { spins++; }");
    console.log(`      interrupt of while (true) {}: ${milliseconds} ms`);
    assert.equal(outcome.status, 'interrupted', JSON.stringify(outcome));
    assert.ok(outcome.status === 'interrupted' && !outcome.restarted && /Interrupted: the cell was stopped\. Variables defined so far are kept\./.test(outcome.message), JSON.stringify(outcome));
    assert.ok(milliseconds < 10_000, `the interrupt took ${milliseconds} ms`);
    assert.equal(valueText(await run(suite.kernel, 'before + 1')), '42');
  });

  it('interrupts a never-settling promise', async () => {
    const { outcome, milliseconds } = await interruptAfterStart(suite.kernel, "console.log('started');\nawait new Promise(() => {});");
    console.log(`      interrupt of await new Promise(() => {}): ${milliseconds} ms`);
    assert.equal(outcome.status, 'interrupted', JSON.stringify(outcome));
    assert.equal(outcome.status === 'interrupted' && outcome.restarted, false);
    assert.equal(valueText(await run(suite.kernel, "'next'")), "'next'");
  });

  it('interrupts a huge allocation loop', async () => {
    const { outcome, milliseconds } = await interruptAfterStart(suite.kernel, "console.log('started');\nconst hoard = [];\nwhile (true) { hoard.push(new Array(1e4).fill(1)); if (hoard.length > 2000) hoard.length = 0; }");
    console.log(`      interrupt of an allocation loop: ${milliseconds} ms`);
    assert.equal(outcome.status, 'interrupted', JSON.stringify(outcome));
    assert.equal(valueText(await run(suite.kernel, "'next'")), "'next'");
  });

  it('restarts a kernel that does not answer an interrupt (a loop after an await), and says the variables are gone', async () => {
    await run(suite.kernel, 'const lost = 1;');
    const { outcome, milliseconds } = await interruptAfterStart(suite.kernel, "console.log('started');\nawait null;\nwhile (true) {}");
    console.log(`      interrupt by restart: ${milliseconds} ms`);
    assert.equal(outcome.status, 'interrupted', JSON.stringify(outcome));
    assert.ok(outcome.status === 'interrupted' && outcome.restarted, JSON.stringify(outcome));
    assert.match(outcome.message, /did not stop within 1 s, so the kernel was restarted: variables are gone/);
    assert.match(errorOf(await run(suite.kernel, 'lost')).message, /lost is not defined/);
  });
});

describe('lesson kernel: limits and crashes leave the driver working', () => {
  it('stops showing the output of a cell that prints without end past its cap, says so, and the cell goes on to its value', async () => {
    const kernel = await startKernel();
    try {
      const sink = recordingSink();
      const outcome = await run(kernel, "const line = 'flood '.repeat(10_000);\nfor (let index = 0; index < 2_000; index++) console.log(line);\n'finished'", 'Cell 1', sink);
      assert.equal(valueText(outcome), "'finished'");
      const shown = sink.text('stdout');
      assert.ok(shown.length <= MAX_REQUEST_OUTPUT_CHARS + 200, `${shown.length} characters reached the notebook of 120 million printed`);
      assert.ok(shown.length >= MAX_REQUEST_OUTPUT_CHARS, `only ${shown.length} characters reached the notebook`);
      assert.match(shown.slice(-200), /The output stops here: this run printed more than 4 million characters, and the rest is not shown \(the code goes on running\)\.\n$/);
      // The cap is per run: the next cell prints again.
      const next = recordingSink();
      await run(kernel, "console.log('printed again')", 'Cell 2', next);
      assert.equal(next.text('stdout'), 'printed again\n');
    } finally {
      kernel.dispose();
    }
  });

  it('stops a cell at the per-cell time limit, then runs the next', async () => {
    const kernel = await startKernel({ cellTimeLimitMs: 1500 });
    try {
      const started = Date.now();
      const outcome = await run(kernel, 'while (true) {}');
      console.log(`      time limit 1.5 s reached and stopped after ${Date.now() - started} ms`);
      assert.equal(outcome.status, 'timeout', JSON.stringify(outcome));
      assert.match(outcome.status === 'timeout' ? outcome.message : '', /ran longer than the time limit of 1\.5 s/);
      assert.equal(valueText(await run(kernel, "'after'")), "'after'");
    } finally {
      kernel.dispose();
    }
  });

  it('survives a cell that ends the kernel process (process.exit reached through a host function)', async () => {
    const kernel = await startKernel();
    try {
      await run(kernel, 'const gone = 1;');
      const crashes: string[] = [];
      kernel.onDidCrash((message) => crashes.push(message));
      const outcome = await run(kernel, "console.log.constructor('return process')().exit(0)");
      assert.equal(outcome.status, 'crashed', JSON.stringify(outcome));
      assert.ok(outcome.status === 'crashed' && outcome.restarted);
      assert.match(outcome.status === 'crashed' ? outcome.message : '', /The kernel process ended \(exit code 0\) and was restarted: variables are gone/);
      assert.equal(crashes.length, 1);
      assert.match(errorOf(await run(kernel, 'gone')).message, /gone is not defined/);
    } finally {
      kernel.dispose();
    }
  });

  it('survives a memory bomb: says the kernel ran out of memory, and the next cell runs', async () => {
    const kernel = await startKernel({ memoryLimitMb: 192 });
    try {
      const started = Date.now();
      const outcome = await run(kernel, 'const a = [];\nwhile (true) a.push(new Array(1e6).fill(1));');
      console.log(`      memory bomb ended after ${Date.now() - started} ms`);
      assert.equal(outcome.status, 'crashed', JSON.stringify(outcome));
      assert.match(outcome.status === 'crashed' ? outcome.message : '', /The kernel ran out of memory \(its limit is 192 MB\) and was restarted/);
      assert.equal(valueText(await run(kernel, "'alive'")), "'alive'");
    } finally {
      kernel.dispose();
    }
  });

  it('starts without reading the engine: dist/kernel.js alone runs plain cells, and the engine is read at the first import', async () => {
    // The engine is a bundle of its own (dist/kernelLab.js) so that start-up neither reads nor compiles it.
    ensureBuilt();
    const folder = mkdtempSync(join(tmpdir(), 'rnn-lab-kernel-alone-'));
    copyFileSync(KERNEL_SCRIPT, join(folder, 'kernel.js'));
    const kernel = await KernelProcess.start({ kernelScript: join(folder, 'kernel.js'), cellTimeLimitMs: 120_000 });
    try {
      assert.equal(valueText(await run(kernel, 'const answer = 6 * 7;\nanswer')), '42');
      const missing = errorOf(await run(kernel, "import { course } from 'rnn-lab';", 'Cell 2'));
      assert.match(missing.message, /kernelLab\.js/);
    } finally {
      kernel.dispose();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('gives the kernel a trimmed environment and the heap limit', async () => {
    process.env.RNN_LAB_TEST_SECRET = 'do-not-leak';
    const kernel = await startKernel({ memoryLimitMb: 333 });
    try {
      const host = "const host = console.log.constructor('return process')();\n";
      const seen = valueText(await run(kernel, `${host}[Object.keys(host.env).includes('RNN_LAB_TEST_SECRET'), host.execArgv.join(' ')]`));
      assert.equal(seen, "[ false, '--max-old-space-size=333' ]");
    } finally {
      delete process.env.RNN_LAB_TEST_SECRET;
      kernel.dispose();
    }
  });

  it('a kernel stuck in a loop ends when the process that started it is killed (no orphan left spinning)', async function () {
    if (process.platform === 'win32') this.skip();
    // A stand-in for the editor: it forks the kernel as the driver does, starts an endless loop, prints the pid.
    const editor = spawn(process.execPath, ['-e', `
      const { fork } = require('node:child_process');
      const kernel = fork(${JSON.stringify(KERNEL_SCRIPT)}, [], { serialization: 'advanced', detached: true, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
      kernel.on('message', (message) => {
        if (message.type === 'ready') kernel.send({ type: 'run', id: 1, code: 'while (true) {}', label: 'Cell 1' });
      });
      setTimeout(() => console.log(kernel.pid), 1500);
    `], { stdio: ['ignore', 'pipe', 'inherit'] });
    const kernelPid = await new Promise<number>((resolve) => editor.stdout.once('data', (data: Buffer) => resolve(Number(String(data).trim()))));
    assert.ok(isRunning(kernelPid), 'the kernel should be running its loop');
    editor.kill('SIGKILL');
    const started = Date.now();
    while (isRunning(kernelPid) && Date.now() - started < 20_000) await new Promise((resolve) => setTimeout(resolve, 100));
    console.log(`      orphaned kernel ended ${Date.now() - started} ms after its parent was killed`);
    assert.equal(isRunning(kernelPid), false, `kernel ${kernelPid} still runs after its parent was killed`);
  });

  it('runs queued requests one at a time, in order', async () => {
    const kernel = await startKernel();
    try {
      const outcomes = await Promise.all([
        run(kernel, 'let order: number[] = [];\nawait new Promise((resolve) => setTimeout(resolve, 200));\norder.push(1);'),
        run(kernel, 'order.push(2);'),
        run(kernel, 'order'),
      ]);
      assert.equal(valueText(outcomes[2]), '[ 1, 2 ]');
    } finally {
      kernel.dispose();
    }
  });
});
