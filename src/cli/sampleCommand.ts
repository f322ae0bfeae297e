// CLI layer: `rnn-lab sample` — loads a saved character model and prints new sequences from it (one per line).
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ModelFileError, readModelFile } from '../node/modelFile';
import { sampleText } from '../engine/sampling';
import { Command, displayPath, EXIT, formatCommandHelp } from './command';
import { anyText, option, optional, parseFlags, realNumber, toggle, UsageError, wholeNumber } from './flags';
import { RUN_FILES } from '../shared/runStoreFormat';
import { inertText } from './terminalText';

const FLAGS = {
  model: optional('FILE', anyText, 'The model.json to sample from, or the run folder that holds it (required).'),
  n: option('N', wholeNumber, 5, 'How many samples to print.'),
  temperature: option('T', realNumber, 1, 'Below 1: safer, more typical text; above 1: more surprising text.'),
  topK: optional('K', wholeNumber, 'Draw only among the K most likely characters.', 'all'),
  greedy: toggle('Always take the most likely character (same text every time).'),
  seed: option('S', wholeNumber, 0, 'Random seed of the first sample; sample i uses S + i.'),
  prefix: option('TEXT', anyText, '', 'Text every sample starts with; the model continues it.'),
  maxLength: option('L', wholeNumber, 100, 'Characters per sample at most (a sample also ends at its stop character).'),
};

/** Engine RangeErrors about a flag's value start with these words; the flag replaces them in the message. */
const FLAG_OF_MESSAGE: readonly [string, string][] = [
  ['temperature', '--temperature'], ['top-k', '--top-k'], ['max length', '--max-length'], ['the prefix', '--prefix'],
];

export const sampleCommand: Command = {
  name: 'sample',
  summary: 'Print new text (e.g. dinosaur names) from a trained character model.',
  help: () => formatCommandHelp(
    'rnn-lab sample --model FILE [flags]',
    'Generates text one character at a time from a model saved by `rnn-lab train` on a character task (dinos, text):\n'
      + 'each character drawn is fed back as the next input, until the stop character or --max-length.',
    FLAGS,
    'Example:\n  rnn-lab sample --model runs/20260101-120000-dinos-lstm/model.json --n 10 --temperature 0.7',
  ),
  run: async (args) => {
    const { flags } = parseFlags(args, FLAGS);
    if (flags.model === undefined) throw new UsageError('--model FILE is required (the model.json of a training run)');
    if (flags.n < 1) throw new UsageError(`--n must be at least 1, got ${flags.n}`);
    if (flags.seed < 0 || flags.seed > 0xffffffff) throw new UsageError(`--seed must be a whole number from 0 to 4294967295, got ${flags.seed}`);
    const isFolder = existsSync(flags.model) && statSync(flags.model).isDirectory();
    const path = isFolder ? join(flags.model, RUN_FILES.model) : flags.model;
    if (!existsSync(path)) throw new UsageError(`--model ${flags.model}: ${isFolder ? `the folder has no ${RUN_FILES.model}` : 'no such file'}`);
    let loaded: ReturnType<typeof readModelFile>;
    try {
      loaded = readModelFile(displayPath(path));
    } catch (error) {
      if (!(error instanceof ModelFileError)) throw error;
      process.stderr.write(`${inertText(`rnn-lab sample: ${error.message}`)}\n`);
      return EXIT.failure;
    }
    const vocabulary = loaded.meta.task?.vocabulary;
    if (vocabulary === undefined) {
      const task = loaded.meta.task ? ` (task '${loaded.meta.task.name}')` : '';
      process.stderr.write(inertText(`rnn-lab sample: this model${task} was not trained on characters, so it has no vocabulary to write text with; train on a character task (dinos, text) to sample`) + '\n');
      return EXIT.failure;
    }
    for (let i = 0; i < flags.n; i++) {
      let text: string;
      try {
        ({ text } = sampleText(loaded.model, vocabulary, {
          temperature: flags.temperature,
          greedy: flags.greedy,
          seed: (flags.seed + i) >>> 0,
          prefix: flags.prefix,
          maxLength: flags.maxLength,
          ...(flags.topK !== undefined ? { topK: flags.topK } : {}),
        }));
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        const flag = FLAG_OF_MESSAGE.find(([start]) => error.message.startsWith(start));
        if (flag) throw new UsageError(`${flag[1]}${error.message.slice(flag[0].length)}`);
        process.stderr.write(`${inertText(`rnn-lab sample: ${error.message}`)}\n`);
        return EXIT.failure;
      }
      process.stdout.write(`${inertText(`${flags.prefix}${text}`)}\n`);
    }
    return EXIT.ok;
  },
};
