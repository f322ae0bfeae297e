// CLI layer: the `rnn-lab` entry point — finds the subcommand, shows help, and turns errors into exit codes
// (2 and one line on stderr for a wrong command line, 1 when the work fails).
import { version } from '../../package.json';
import { assignCommand } from './assignCommand';
import { checkCommand } from './checkCommand';
import { Command, EXIT } from './command';
import { UsageError, wantsHelp } from './flags';
import { gradcheckCommand } from './gradcheckCommand';
import { gradeCommand } from './gradeCommand';
import { outputClosed } from './interrupt';
import { lessonsCommand } from './lessonsCommand';
import { inertText } from './terminalText';
import { reportCommand } from './reportCommand';
import { sampleCommand } from './sampleCommand';
import { tasksCommand } from './tasksCommand';
import { trainCommand } from './trainCommand';

const COMMANDS: readonly Command[] = [trainCommand, sampleCommand, reportCommand, gradcheckCommand, tasksCommand, lessonsCommand, assignCommand, checkCommand, gradeCommand];

function topLevelHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `rnn-lab ${version} — train, sample and inspect recurrent neural networks (RNN, GRU, LSTM)

Usage: rnn-lab COMMAND [flags]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Flags:
  --help     Show help (also after a command: rnn-lab train --help).
  --version  Show the version.

Try:
  rnn-lab train --task dinos --steps 300
  rnn-lab sample --model runs/<run>/model.json --n 10
  rnn-lab report runs/<run>
`;
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h') {
    process.stdout.write(topLevelHelp());
    return EXIT.ok;
  }
  if (name === '--version') {
    process.stdout.write(`${version}\n`);
    return EXIT.ok;
  }
  if (name === undefined) {
    process.stderr.write(topLevelHelp());
    return EXIT.usage;
  }
  const helpTarget = name === 'help' ? rest[0] : undefined;
  const command = COMMANDS.find((c) => c.name === (helpTarget ?? name));
  if (name === 'help' && helpTarget === undefined) {
    process.stdout.write(topLevelHelp());
    return EXIT.ok;
  }
  if (!command) {
    const what = name.startsWith('-') ? `unknown flag ${name}` : `unknown command '${helpTarget ?? name}'`;
    process.stderr.write(`${inertText(`rnn-lab: ${what}; commands are ${COMMANDS.map((c) => c.name).join(', ')} (see rnn-lab --help)`)}\n`);
    return EXIT.usage;
  }
  if (name === 'help' || wantsHelp(rest)) {
    process.stdout.write(command.help());
    return EXIT.ok;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${inertText(`rnn-lab ${command.name}: ${error.message} (see rnn-lab ${command.name} --help)`)}\n`);
      return EXIT.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${inertText(`rnn-lab ${command.name}: ${message}`)}\n`);
    if (process.env.RNN_LAB_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return EXIT.failure;
  }
}

process.setSourceMapsEnabled(true);
// Nobody reads the output any more: `rnn-lab sample | head -1` closed the pipe (EPIPE), or the terminal closed (EIO).
// That is the reader's choice, not an error: a training run stops after its step and saves (exit 141, as after
// SIGPIPE), anything else just ends. Further write errors on the same stream are expected and ignored.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'EIO') throw error;
    if (!outputClosed()) process.exit(EXIT.ok);
  });
}
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
