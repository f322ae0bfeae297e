// CLI layer: `rnn-lab lessons run FILE… [--solutions]` — the headless lesson runner (CI runs it over every bundled
// lesson both ways): each lesson top to bottom in a fresh lesson kernel, then a per-lesson summary; exit 0 only when
// every lesson did what it must.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatProblem, parseLesson } from '../lessons/lessonFile';
import { KernelProcess } from '../node/kernelProcess';
import { Command, displayPath, EXIT, formatCommandHelp } from './command';
import { option, parseFlags, realNumber, toggle, UsageError } from './flags';
import { runLesson, type RunMode } from './lessonRunner';
import { inertText } from './terminalText';

const FLAGS = {
  solutions: toggle("Put each exercise's reference solution in place of its starting code; then every check must pass."),
  cellTimeLimit: option('SECONDS', positiveSeconds, 300, 'Stop a cell (and fail the lesson) after this long.'),
};

const NOTES = `Without --solutions the lesson runs as a student gets it: every exercise must fail at least one of its
checks with feedback (the starting code must not already pass), and no other cell and no check may error.
With --solutions every check must pass. Check cells run as checks, hidden ones included.

Exit codes: 0 every lesson did what it must, 1 one did not (or could not be read), 2 the command line was wrong.`;

export const lessonsCommand: Command = {
  name: 'lessons',
  summary: 'Run lessons headless: check that their exercises fail as given and pass with the solutions.',
  help: () => formatCommandHelp('rnn-lab lessons run FILE… [--solutions]', 'Runs each *.lesson.md file top to bottom in a lesson kernel, as Run All in the editor does, and prints a summary per lesson.', FLAGS, NOTES),
  run: async (args) => {
    const [verb, ...rest] = args;
    if (verb !== 'run') throw new UsageError(verb === undefined ? 'say what to do: rnn-lab lessons run FILE…' : `unknown action '${verb}'; the action is run (rnn-lab lessons run FILE…)`);
    const { flags, positionals } = parseFlags(rest, FLAGS, Infinity);
    if (positionals.length === 0) throw new UsageError('give at least one lesson file (NAME.lesson.md)');
    const mode: RunMode = flags.solutions ? 'solutions' : 'starting';
    let failed = 0;
    for (const file of positionals) {
      const asExpected = await runFile(resolve(file), mode, flags.cellTimeLimit * 1000);
      if (!asExpected) failed++;
    }
    const verdict = failed === 0 ? `${plural(positionals.length, 'lesson')}: each did what it must` : `${failed} of ${plural(positionals.length, 'lesson')} did not do what it must`;
    process.stdout.write(`\n${verdict} (${mode === 'solutions' ? 'with the reference solutions' : 'with the starting code'}).\n`);
    return failed === 0 ? EXIT.ok : EXIT.failure;
  },
};

async function runFile(path: string, mode: RunMode, cellTimeLimitMs: number): Promise<boolean> {
  const shown = inertText(displayPath(path));
  const write = (line: string): boolean => process.stdout.write(`${inertText(line)}\n`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    write(`✘ ${shown}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    return false;
  }
  const parsed = parseLesson(text);
  if (!parsed.ok) {
    write(`✘ ${shown}: not a valid lesson file`);
    for (const problem of parsed.problems) write(`    ${formatProblem(problem)}`);
    return false;
  }
  const { lesson } = parsed;
  write(`${shown} — "${lesson.frontMatter.title}", ${mode === 'solutions' ? 'with the reference solutions' : 'with the starting code'}`);
  const kernel = await KernelProcess.start({ kernelScript: join(__dirname, 'kernel.js'), cellTimeLimitMs });
  try {
    const run = await runLesson(lesson, kernel, mode);
    for (const line of run.lines) write(`  ${line.replace(/\n/g, '\n  ')}`);
    write(run.asExpected
      ? `  ok: ${plural(run.codeCells, 'code cell')} ran; ${mode === 'solutions' ? 'every check passed' : 'every exercise fails with feedback, and nothing else errored'}`
      : '  FAILED: see ✘ above');
    return run.asExpected;
  } finally {
    kernel.dispose();
  }
}

function positiveSeconds(text: string): number {
  const value = realNumber(text);
  if (!(value > 0)) throw new Error(`expects a number of seconds above 0, got '${text}'`);
  return value;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
