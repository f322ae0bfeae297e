// CLI layer: `rnn-lab grade --assignment SOURCE SUBMISSION…` grades a class — every submission's code in a sandbox,
// the teacher's checks (visible and hidden) in this process — and writes per-student results (JSON, Markdown feedback,
// JUnit XML) and the class gradebook (CSV). A bar on a terminal, one line per submission otherwise.
import { join, resolve } from 'node:path';
import { AssignmentSourceError, loadAssignmentSource, type AssignmentSource } from '../grading/assignmentSource';
import { findSubmissions, GRADEBOOK_FILE, gradeClass, type SubmissionFolder } from '../grading/gradeClass';
import type { SubmissionGrade } from '../grading/gradeSubmission';
import { describeIsolation } from '../grading/isolation';
import { Command, displayPath, EXIT, formatCommandHelp } from './command';
import { anyText, option, optional, parseFlags, UsageError, wholeNumber } from './flags';
import { formatDuration } from './progress';
import { inertText } from './terminalText';

const FLAGS = {
  assignment: optional('SOURCE', anyText, 'The assignment source folder (assignment.json and the teacher\'s lessons, hidden checks included).'),
  out: option('FOLDER', anyText, 'grades', 'Where the results go: FOLDER/STUDENT/{result.json, feedback.md, junit.xml} and FOLDER/gradebook.csv.'),
  jobs: option('N', positiveWhole, 1, 'Grade N submissions at a time (each in its own process; 2 on a 2-core machine).'),
};

const NOTES = `SUBMISSION is a student's folder (their copy of the release, e.g. a cloned repository), or one folder holding
one such folder per student. A student's name in the results is their folder's name.

Each submission's code runs in a process of its own (a temporary read-only copy, no tokens in its environment, the
time and memory limits of assignment.json; on Linux as root also no network, no view of other processes or of the
teacher's folders, as the user nobody). The checks run here, in the grader, and compute the score: nothing the
student's code prints, returns or exits with can change it. Checks a student edited, deleted or renamed are flagged;
the teacher's are used. feedback.md is for the student: hidden checks appear by name and points only.

Exit codes: 0 every submission was graded, 1 the grader could not grade one (its results say why; the others are
written) or the assignment source has a problem, 2 the command line was wrong; 130 / 143 stopped by Ctrl-C / SIGTERM
(every student's process is killed; the results written so far stay).`;

export const gradeCommand: Command = {
  name: 'grade',
  summary: 'Grade submissions with the assignment\'s visible and hidden checks, each student\'s code in a sandbox.',
  help: () => formatCommandHelp('rnn-lab grade --assignment SOURCE SUBMISSION… [--out FOLDER] [--jobs N]', 'Grades every submission and writes per-student results and a class gradebook.', FLAGS, NOTES),
  run: async (args) => {
    const { flags, positionals } = parseFlags(args, FLAGS, Infinity);
    if (flags.assignment === undefined) throw new UsageError('give the assignment source: --assignment SOURCE');
    if (positionals.length === 0) throw new UsageError('give at least one submission folder (or one folder of them)');
    let source: AssignmentSource;
    try {
      source = loadAssignmentSource(flags.assignment);
    } catch (error) {
      if (!(error instanceof AssignmentSourceError)) throw error;
      process.stderr.write(`${inertText(`rnn-lab grade: ${error.message}`)}\n`);
      return EXIT.failure;
    }
    let submissions: SubmissionFolder[];
    try {
      submissions = findSubmissions(positionals);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const out = resolve(flags.out);
    const write = (line: string): boolean => process.stdout.write(`${inertText(line)}\n`);
    const progress = new GradeProgress(process.stdout.isTTY === true && !process.env.CI, submissions.length);
    const started = performance.now();
    // Stopped early: the results written so far stay; every sandbox is killed as the process exits (sandbox.ts).
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
      process.once(signal, () => {
        progress.finish();
        process.stderr.write(`rnn-lab grade: stopped (${signal}); the results of the submissions graded so far are in ${displayPath(out)}, the gradebook is not written\n`);
        process.exit(code);
      });
    }
    write(`Grading ${submissions.length} ${submissions.length === 1 ? 'submission' : 'submissions'} of "${source.config.title}" (${flags.jobs} at a time) into ${displayPath(out)}`);
    const { grades, isolation } = await gradeClass({
      source,
      submissions,
      outFolder: out,
      distFolder: __dirname,
      jobs: flags.jobs,
      onGraded: (grade, done, total) => progress.graded(grade, done, total),
    });
    progress.finish();
    write(`Isolation: ${describeIsolation(isolation).join('; ')}`);
    const failed = grades.filter((grade) => grade.status === 'failed');
    const tampered = grades.filter((grade) => grade.tampering.length > 0);
    write(`Graded ${grades.length - failed.length} of ${grades.length} in ${formatDuration((performance.now() - started) / 1000)}; gradebook: ${displayPath(join(out, GRADEBOOK_FILE))}`);
    if (tampered.length > 0) write(`Changed checks flagged in: ${tampered.map((grade) => grade.student).join(', ')} (the teacher's checks were used)`);
    if (failed.length > 0) write(`Not graded (see their result.json): ${failed.map((grade) => grade.student).join(', ')}`);
    return failed.length === 0 ? EXIT.ok : EXIT.failure;
  },
};

/** A bar redrawn in place on a terminal; one line per graded submission in a log or CI. */
class GradeProgress {
  private drawn = false;

  constructor(private readonly bar: boolean, private readonly total: number) {
    if (bar) this.draw(0);
  }

  graded(grade: SubmissionGrade, done: number, total: number): void {
    const line = `${String(done).padStart(String(total).length)}/${total} ${grade.student}: ${grade.earned} of ${grade.possible}${grade.status === 'failed' ? ' (not graded)' : ''}${grade.tampering.length > 0 ? ' (changed checks flagged)' : ''}`;
    if (!this.bar) {
      process.stdout.write(`${inertText(line)}\n`);
      return;
    }
    this.draw(done, grade.student);
  }

  finish(): void {
    if (this.drawn) process.stdout.write('\n');
    this.drawn = false;
  }

  private draw(done: number, last?: string): void {
    const width = 30;
    const filled = Math.round((done / Math.max(1, this.total)) * width);
    const text = `${String(done).padStart(String(this.total).length)}/${this.total} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}]${last ? ` ${last}` : ''}`;
    process.stdout.write(`\r\x1b[2K${inertText(text.slice(0, (process.stdout.columns ?? 80) - 1))}`);
    this.drawn = true;
  }
}

function positiveWhole(text: string): number {
  const value = wholeNumber(text);
  if (value < 1) throw new Error(`expects a whole number of 1 or more, got '${text}'`);
  return value;
}
