// CLI layer: `rnn-lab tasks` — the bundled tasks and what each teaches.
import { describeTasks } from '../engine/tasks/registry';
import { Command, EXIT, formatCommandHelp } from './command';
import { parseFlags } from './flags';

const FLAGS = {};

export const tasksCommand: Command = {
  name: 'tasks',
  summary: 'List the tasks a network can be trained on.',
  help: () => formatCommandHelp('rnn-lab tasks', 'Lists the bundled tasks with what each asks of the network and its default sequence length.', FLAGS),
  run: async (args) => {
    parseFlags(args, FLAGS);
    process.stdout.write(`${describeTasks()}\n\nTrain on one with: rnn-lab train --task NAME\n`);
    return EXIT.ok;
  },
};
