// The `rnn-lab` entry point as a user meets it: help on every command, the version, and one clear line (exit 2)
// for every mistake on the command line.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPOSITORY, runCli, temporaryFolder } from './cliHarness';

const COMMANDS = ['train', 'sample', 'report', 'gradcheck', 'tasks', 'lessons'];

describe('rnn-lab (entry point)', () => {
  it('--help lists the commands, and every command has --help listing its flags with defaults (exit 0)', async () => {
    const top = await runCli(['--help']);
    assert.equal(top.code, 0);
    for (const command of COMMANDS) assert.match(top.stdout, new RegExp(`^  ${command}\\s+\\S`, 'm'));
    const results = await Promise.all(COMMANDS.map((command) => runCli([command, '--help'])));
    results.forEach((result, i) => {
      assert.equal(result.code, 0, `${COMMANDS[i]} --help: ${result.stderr}`);
      assert.match(result.stdout, new RegExp(`^Usage: rnn-lab ${COMMANDS[i]}`), COMMANDS[i]);
      assert.match(result.stdout, /--help\s+Show this help\./);
      assert.equal(result.stderr, '');
    });
    const train = results[0].stdout;
    for (const flag of ['--cell KIND', '--layers N', '--bidirectional', '--hidden H', '--task NAME', '--steps N', '--lr X', '--clip X', '--clip-mode MODE',
      '--optimizer NAME', '--seed S', '--batch N', '--seq-len T', '--truncate K', '--gru-reset WHERE', '--nonlinearity F', '--merge MODE', '--dropout P',
      '--validate-every N', '--out DIR', '--json']) {
      assert.ok(train.includes(`  ${flag} `), `train --help lists ${flag}`);
    }
    assert.match(train, /--hidden H\s+.*\[default: 64\]/);
    assert.match(train, /--optimizer NAME\s+.*\[default: adam\]/);
    assert.match(train, /dinos\s+Learn to spell dinosaur names/, 'train --help lists the tasks');
  });

  it('--help wins even when other flags are wrong', async () => {
    const result = await runCli(['train', '--hidden', 'abc', '--help']);
    assert.equal(result.code, 0);
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(REPOSITORY, 'package.json'), 'utf8')) as { version: string };
    const result = await runCli(['--version']);
    assert.equal(result.code, 0);
    assert.equal(result.stdout.trim(), version);
  });

  it('tasks lists every task with its description', async () => {
    const result = await runCli(['tasks']);
    assert.equal(result.code, 0);
    for (const task of ['dinos', 'text', 'adding', 'copy-memory', 'temporal-order']) assert.match(result.stdout, new RegExp(`^${task}\\s+\\S`, 'm'));
  });

  describe('a mistake on the command line: exit 2 and one line on stderr naming the flag', () => {
    const cases: [string[], RegExp][] = [
      [['train', '--hidden', 'abc'], /--hidden expects a whole number, got 'abc'/],
      [['train', '--lr', '-1'], /--lr must be a number above 0/],
      [['train', '--steps', '0'], /--steps must be a whole number from 1/],
      [['train', '--lr'], /--lr needs a value/],
      [['train', '--hiden', '8'], /unknown flag --hiden/],
      [['train', '--cell', 'transformer'], /--cell must be one of rnn, gru, lstm/],
      [['train', '--task', 'mnist'], /--task must be one of dinos, /],
      [['train', '--clip', '0'], /--clip must be a positive number, got 0 \(or set --clip-mode none\)/],
      [['train', '--batch', '0'], /--batch must be a whole number/],
      [['train', '--seq-len', '100000'], /--seq-len for task "dinos" must be/],
      [['train', '--dropout', '1'], /--dropout must be a number at least 0 and below 1/],
      [['train', '--truncate', '3', '--bidirectional'], /--truncate .* bidirectional/],
      [['train', '--print-every', '0'], /--print-every must be at least 1/],
      [['sample'], /--model FILE is required/],
      [['sample', '--model', 'nowhere/model.json'], /--model nowhere\/model\.json: no such file/],
      [['report'], /DIR is required/],
      [['gradcheck', '--tolerance', 'tiny'], /--tolerance expects a number/],
      [['gradcheck', '--layers', '0'], /--layers must be a whole number from 1 to 4/],
      [['train', 'now'], /unexpected argument 'now'/],
      [['fly'], /unknown command 'fly'/],
      [[], /Usage: rnn-lab COMMAND/],
    ];
    const cwd = temporaryFolder();   // a failed train must not leave a run folder behind
    for (const [args, message] of cases) {
      it(args.length > 0 ? `rnn-lab ${args.join(' ')}` : 'rnn-lab (no arguments)', async () => {
        const result = await runCli(args, cwd);
        assert.equal(result.code, 2, `exit code; stderr: ${result.stderr}`);
        assert.equal(result.stdout, '');
        assert.match(result.stderr, message);
        if (args.length > 0) assert.equal(result.stderr.trim().split('\n').length, 1, `one line: ${result.stderr}`);
      });
    }
    after(() => {
      assert.deepEqual(readdirSync(cwd), [], 'no run folder was created by a rejected command');
    });
  });
});
