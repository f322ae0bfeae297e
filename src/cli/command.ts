// CLI layer: what every `rnn-lab` subcommand provides (help text and a run function returning the exit code), and
// the small helpers they share for showing paths.
import { isAbsolute, relative } from 'node:path';
import { FlagSpecs, formatFlagHelp } from './flags';

/**
 * Exit codes: 0 success, 1 the work failed, 2 the command line was wrong, 3 training diverged (the run was stopped and
 * saved with its last good model); 128 + n when signal n stopped a run (which is still saved): 129 the terminal closed
 * (SIGHUP), 130 Ctrl-C, 141 stdout's reader went away (SIGPIPE/EPIPE), 143 SIGTERM.
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, diverged: 3 } as const;

export interface Command {
  readonly name: string;
  /** One line for `rnn-lab --help`. */
  readonly summary: string;
  /** The full `rnn-lab NAME --help`. */
  help(): string;
  /** Parses `args` (a UsageError on a mistake) and does the work; resolves to the exit code. */
  run(args: readonly string[]): Promise<number>;
}

/** The common shape of a command's help: usage, what it does, its flags with defaults, then notes. */
export function formatCommandHelp(usage: string, description: string, flags: FlagSpecs, notes = ''): string {
  return `Usage: ${usage}\n\n${description}\n\nFlags:\n${formatFlagHelp(flags)}\n${notes ? `\n${notes}\n` : ''}`;
}

/** A path as the user should see it: relative to the current folder when inside it. */
export function displayPath(path: string): string {
  const fromHere = relative(process.cwd(), path);
  return fromHere !== '' && !fromHere.startsWith('..') && !isAbsolute(fromHere) ? fromHere : path;
}

/** A path safe to paste into a POSIX shell command line. */
export function shellQuote(text: string): string {
  return /^[\w./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
