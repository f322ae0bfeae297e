// The flag parser: typed values, defaults, and one clear UsageError naming the flag for every kind of mistake.
import assert from 'node:assert/strict';
import { flagName, formatFlagHelp, oneOf, option, optional, parseFlags, realNumber, toggle, UsageError, wantsHelp, wholeNumber } from '../../src/cli/flags';

const SPECS = {
  hidden: option('H', wholeNumber, 64, 'Hidden units.'),
  lr: option('X', realNumber, 0.01, 'Learning rate.'),
  clipMode: option('MODE', oneOf(['norm', 'value', 'none'] as const), 'norm', 'Clipping.'),
  seqLen: optional('T', wholeNumber, 'Sequence length.', "the task's own"),
  bidirectional: toggle('Both directions.'),
};

function usageError(args: string[], maxPositionals = 0): string {
  try {
    parseFlags(args, SPECS, maxPositionals);
  } catch (error) {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
    return error.message;
  }
  throw new assert.AssertionError({ message: `no error for ${args.join(' ')}` });
}

describe('cli flags', () => {
  it('names flags in kebab case', () => {
    assert.equal(flagName('clipMode'), '--clip-mode');
    assert.equal(flagName('lr'), '--lr');
  });

  it('fills defaults and parses typed values in both --flag value and --flag=value forms', () => {
    const { flags } = parseFlags([], SPECS);
    assert.deepEqual(flags, { hidden: 64, lr: 0.01, clipMode: 'norm', seqLen: undefined, bidirectional: false });
    const parsed = parseFlags(['--hidden', '8', '--lr=1e-3', '--clip-mode', 'value', '--seq-len=7', '--bidirectional'], SPECS).flags;
    assert.deepEqual(parsed, { hidden: 8, lr: 0.001, clipMode: 'value', seqLen: 7, bidirectional: true });
  });

  it('takes a negative number as a value, so the range check can explain it', () => {
    assert.equal(parseFlags(['--lr', '-1'], SPECS).flags.lr, -1);
  });

  it('rejects every kind of mistake with a message that names the flag', () => {
    assert.equal(usageError(['--hidden', 'abc']), "--hidden expects a whole number, got 'abc'");
    assert.equal(usageError(['--hidden', '2.5']), "--hidden expects a whole number, got '2.5'");
    assert.equal(usageError(['--lr', 'fast']), "--lr expects a number, got 'fast'");
    assert.equal(usageError(['--lr', '']), "--lr expects a number, got ''");
    assert.equal(usageError(['--clip-mode', 'big']), "--clip-mode must be one of norm, value, none; got 'big'");
    assert.equal(usageError(['--hiden', '8']), 'unknown flag --hiden');
    assert.equal(usageError(['--lr']), '--lr needs a value (--lr X)');
    assert.equal(usageError(['--lr', '--hidden', '8']), '--lr needs a value (--lr X)');
    assert.equal(usageError(['--hidden', '8', '--hidden', '9']), '--hidden is given twice');
    assert.equal(usageError(['--bidirectional=yes']), '--bidirectional is a switch and takes no value');
    assert.equal(usageError(['extra']), "unexpected argument 'extra'");
    assert.equal(usageError(['a', 'b'], 1), "unexpected extra argument 'b'");
  });

  it('returns positionals, including everything after --', () => {
    assert.deepEqual(parseFlags(['runs/a', '--hidden', '8'], SPECS, 2).positionals, ['runs/a']);
    assert.deepEqual(parseFlags(['--', '--hidden'], SPECS, 1).positionals, ['--hidden']);
  });

  it('spots --help anywhere before --', () => {
    assert.equal(wantsHelp(['--hidden', 'x', '--help']), true);
    assert.equal(wantsHelp(['-h']), true);
    assert.equal(wantsHelp(['--', '--help']), false);
  });

  it('lists every flag with its placeholder and default in the help table', () => {
    const help = formatFlagHelp(SPECS);
    assert.match(help, /--hidden H\s+Hidden units\. \[default: 64\]/);
    assert.match(help, /--clip-mode MODE\s+Clipping\. \[default: norm\]/);
    assert.match(help, /--seq-len T\s+Sequence length\. \[default: the task's own\]/);
    assert.match(help, /--bidirectional\s+Both directions\.$/m);
    assert.match(help, /--help\s+Show this help\./);
  });
});
