// CLI layer: `rnn-lab report DIR` — turns a saved run into one self-contained HTML page (charts work offline).
import { randomBytes } from 'node:crypto';
import { basename, join, resolve } from 'node:path';
import { buildReportHtml } from './reportHtml';
import { chartJsSource } from './chartJsSource';
import { Command, displayPath, EXIT, formatCommandHelp } from './command';
import { anyText, optional, parseFlags, UsageError } from './flags';
import { writeFileAtomic } from '../node/runFolder';
import { readRun } from './runFiles';
import { RUN_FILES } from '../shared/runStoreFormat';
import { inertText } from './terminalText';

const FLAGS = {
  out: optional('FILE', anyText, 'Where to write the page.', 'DIR/report.html'),
};

export const reportCommand: Command = {
  name: 'report',
  summary: 'Write an HTML report of a run: loss, gradient norm, and ‖∂L/∂h⟨t⟩‖ over time steps.',
  help: () => formatCommandHelp(
    'rnn-lab report DIR [--out FILE]',
    'Reads the run folder DIR written by `rnn-lab train` and writes a single HTML file with its charts. The page\n'
      + 'carries its own copy of chart.js and loads nothing from the network, so it can be mailed or opened offline.',
    FLAGS,
    'Example:\n  rnn-lab report runs/20260101-120000-dinos-lstm',
  ),
  run: async (args) => {
    const { flags, positionals } = parseFlags(args, FLAGS, 1);
    const [directoryArgument] = positionals;
    if (directoryArgument === undefined) throw new UsageError('DIR is required: the run folder to report on (rnn-lab report DIR)');
    const directory = resolve(directoryArgument);
    let html: string;
    let ended: { summary: boolean; metrics: number };
    try {
      const run = readRun(directory);
      ended = { summary: run.summary !== undefined, metrics: run.metrics.length };
      html = buildReportHtml({ title: basename(directory), ...run }, { chartJsSource: chartJsSource(), nonce: randomBytes(18).toString('base64') });
    } catch (error) {
      process.stderr.write(`${inertText(`rnn-lab report: ${(error as Error).message}`)}\n`);
      return EXIT.failure;
    }
    const out = flags.out !== undefined ? resolve(flags.out) : join(directory, 'report.html');
    writeFileAtomic(out, html);
    if (!ended.summary) {
      process.stdout.write(`Note: this run ended before it finished saving (no ${RUN_FILES.summary}); the report shows the ${ended.metrics} steps it recorded.\n`);
    }
    process.stdout.write(`${inertText(`Report written to ${displayPath(out)} (open it in a browser; it works offline)`)}\n`);
    return EXIT.ok;
  },
};
