// `rnn-lab gradcheck`: passes on the engine, fails when asked for the impossible, and its ReLU kink rule cannot
// hide a wrong backward.
import assert from 'node:assert/strict';
import { checkVariant } from '../../src/cli/gradcheckCommand';
import { RnnCell } from '../../src/engine/cells/rnnCell';
import { runCli } from './cliHarness';

describe('rnn-lab gradcheck', () => {
  it('checks rnn tanh, rnn relu, gru after, gru before and lstm, prints the table, exits 0', async () => {
    const result = await runCli(['gradcheck']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    for (const network of ['rnn tanh', 'rnn relu', 'gru reset after', 'gru reset before', 'lstm']) {
      assert.match(result.stdout, new RegExp(`^${network}\\s+weight_hh_l0\\s+\\d\\.\\d\\de-\\d+\\s+ok`, 'm'));
    }
    assert.match(result.stdout, /^Passed: \d+ gradient entries in 5 network\(s\)/m);
  });

  it('exits 1 when no error can meet the tolerance (1e-30)', async () => {
    const result = await runCli(['gradcheck', '--cell', 'gru', '--tolerance', '1e-30']);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /FAIL/);
    assert.match(result.stdout, /^FAILED: 12 parameter\(s\) exceed the tolerance 1e-30/m);
  });

  it('checks stacked bidirectional networks too (ReLU kinks are recognised, not reported as failures)', async () => {
    const result = await runCli(['gradcheck', '--cell', 'rnn', '--layers', '3', '--bidirectional']);
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /weight_hh_l2_reverse/);
  });

  it('still fails a ReLU network whose backward is wrong (the kink rule looks only at the numeric estimates)', () => {
    const original = RnnCell.prototype.backwardStep;
    RnnCell.prototype.backwardStep = function (this: RnnCell, ...args: Parameters<RnnCell['backwardStep']>) {
      original.apply(this, args);
      const dPrevious = args[5];
      for (let k = 0; k < dPrevious.h.length; k++) dPrevious.h[k] *= 0.9;   // a slip on the path back through time
    };
    try {
      const result = checkVariant({ label: 'rnn relu', cell: 'rnn', nonlinearity: 'relu' }, 2, false, 7, 1e-7);
      const worst = Math.max(...result.parameters.map((p) => p.worst));
      assert.ok(worst > 1e-3, `the wrong backward should be caught, worst error ${worst}`);
      const kinks = result.parameters.reduce((sum, p) => sum + p.kinks, 0);
      assert.ok(kinks < result.checked / 10, `only a few entries may be skipped as kinks (${kinks} of ${result.checked})`);
    } finally {
      RnnCell.prototype.backwardStep = original;
    }
  });
});
