// CLI layer: `rnn-lab check [FOLDER]` — a student's copy of an assignment checked with its visible checks, with the
// editor's feedback and the plain words that more checks are graded later; `--classroom-output` writes the points
// for GitHub Classroom's autograding reporter (the release's workflow uses it).
import { appendFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { classroomError, classroomOutputLine, classroomResult } from '../grading/classroomWorkflow';
import { checkStudentCopy, reportResults, studentFeedback } from '../grading/studentCheck';
import { KernelProcess } from '../node/kernelProcess';
import { Command, EXIT, formatCommandHelp } from './command';
import { anyText, optional, parseFlags } from './flags';
import { inertText } from './terminalText';

const FLAGS = {
  classroomOutput: optional('FILE', anyText, "Also append the points, check by check, to FILE in GitHub Classroom's autograding format (result=<base64 JSON>; the workflow passes $GITHUB_OUTPUT)."),
};

const NOTES = `FOLDER is your copy of the assignment (default: the current folder): the folder with rnn-lab-assignment.json,
README.md and the lessons. Each lesson's code cells run in order in a fresh lesson kernel, as RNN Lab: Check My Work
runs them in VS Code, then the lesson's visible checks; the feedback is the editor's.

These are the visible checks only: your teacher grades later with more checks, hidden ones included.

Exit codes: 0 every visible check passed, 1 a check did not pass (or the folder could not be checked), 2 the command line was wrong.`;

/** A cell or the checks running longer than this stop (the kernel's own limit per check is 10 s). */
const CELL_TIME_LIMIT_MS = 300_000;

export const checkCommand: Command = {
  name: 'check',
  summary: "Check your copy of an assignment with its visible checks, as the editor's Check My Work does.",
  help: () => formatCommandHelp('rnn-lab check [FOLDER] [--classroom-output FILE]', 'Runs the visible checks of an assignment on your copy of it and prints the feedback.', FLAGS, NOTES),
  run: async (args) => {
    const { flags, positionals } = parseFlags(args, FLAGS, 1);
    const folder = resolve(positionals[0] ?? '.');
    let report;
    try {
      report = await checkStudentCopy(folder, () => KernelProcess.start({ kernelScript: join(__dirname, 'kernel.js'), cellTimeLimitMs: CELL_TIME_LIMIT_MS, cwd: folder }));
    } catch (error) {
      // The reporter still gets a result to show (it fails on a missing one with an error about base64), then the error is printed.
      if (flags.classroomOutput !== undefined) appendFileSync(flags.classroomOutput, classroomOutputLine(classroomError(error instanceof Error ? error.message : String(error))));
      throw error;
    }
    process.stdout.write(`${inertText(studentFeedback(report))}\n`);
    const results = reportResults(report);
    if (flags.classroomOutput !== undefined) appendFileSync(flags.classroomOutput, classroomOutputLine(classroomResult(results)));
    return results.every((result) => result.status === 'passed') ? EXIT.ok : EXIT.failure;
  },
};
