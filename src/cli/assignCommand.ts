// CLI layer: `rnn-lab assign SOURCE --out RELEASE` builds a student release of an assignment (solutions and hidden
// checks cut out, manifest, README, GitHub Classroom template) once the assignment verifies; `--verify` only verifies:
// the reference solutions pass every check and the release's starting code fails every check with feedback.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AssignmentSourceError, assignmentChecks, loadAssignmentSource, pointsPossible, type AssignmentSource } from '../grading/assignmentSource';
import { packGrader, readGraderTarball } from '../grading/graderTarball';
import { releaseFiles } from '../grading/release';
import { verifyAssignment } from '../grading/verifyAssignment';
import { KernelProcess } from '../node/kernelProcess';
import { Command, displayPath, EXIT, formatCommandHelp } from './command';
import { anyText, optional, parseFlags, toggle, UsageError } from './flags';
import { inertText } from './terminalText';

const FLAGS = {
  out: optional('RELEASE', anyText, 'Write the student release into this folder (new or empty).'),
  verify: toggle('Only verify the assignment: run every check with the reference solutions and with the starting code.'),
  skipVerify: toggle('Write the release without verifying it first (not recommended: a broken check would reach students).'),
  graderTarball: optional('FILE', anyText, 'Put this grader tarball (made by npm pack) into the release instead of packing this rnn-lab.', 'npm pack of this rnn-lab'),
};

const NOTES = `SOURCE is a folder with assignment.json and the teacher's *.lesson.md files (docs/teaching.md): exercises with
reference solutions (\`\`\`ts solution=ID), visible checks and hidden checks (\`\`\`ts check=ID name="…" points=N hidden).

The release holds each lesson without its solutions and hidden checks, rnn-lab-assignment.json (the visible checks and
their SHA-256), README.md for the students, and .github/workflows/classroom.yml with the grader's tarball in
.github/rnn-lab/: push it as a GitHub Classroom template repository. Before writing, --out verifies the assignment
(as --verify does) and writes nothing when it is broken.

Exit codes: 0 done (the assignment verifies), 1 the source has a problem or a check does not do what it must (each is
named), 2 the command line was wrong.`;

export const assignCommand: Command = {
  name: 'assign',
  summary: 'Build the student release of an assignment (solutions and hidden checks removed), after verifying it.',
  help: () => formatCommandHelp('rnn-lab assign SOURCE --out RELEASE | rnn-lab assign SOURCE --verify', 'Verifies an assignment and builds its student release.', FLAGS, NOTES),
  run: async (args) => {
    const { flags, positionals } = parseFlags(args, FLAGS, 1);
    if (positionals.length === 0) throw new UsageError('give the assignment source folder: rnn-lab assign SOURCE --out RELEASE');
    if (flags.out === undefined && !flags.verify) throw new UsageError('say what to do: --out RELEASE builds the release, --verify only verifies the assignment');
    if (flags.verify && flags.out !== undefined) throw new UsageError('--verify only verifies; --out verifies too, then writes the release: give one of them');
    if (flags.skipVerify && flags.out === undefined) throw new UsageError('--skip-verify goes with --out');
    const write = (text: string): boolean => process.stdout.write(`${inertText(text)}\n`);
    let source: AssignmentSource;
    try {
      source = loadAssignmentSource(positionals[0]);
    } catch (error) {
      if (!(error instanceof AssignmentSourceError)) throw error;
      process.stderr.write(`${inertText(`rnn-lab assign: ${error.message}`)}\n`);
      return EXIT.failure;
    }
    const out = flags.out === undefined ? undefined : resolve(flags.out);
    if (out !== undefined && existsSync(out) && readdirSync(out).length > 0) {
      throw new UsageError(`${displayPath(out)} is not empty: give a new or empty folder for the release (rnn-lab never overwrites one)`);
    }
    if (!flags.skipVerify && !(await verify(source, write))) return EXIT.failure;
    if (out === undefined) return EXIT.ok;
    const grader = flags.graderTarball !== undefined ? readGraderTarball(resolve(flags.graderTarball)) : await packGrader();
    const files = releaseFiles(source, grader);
    for (const file of files) {
      const path = join(out, ...file.path.split('/'));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.content);
    }
    write(`Wrote the release of "${source.config.title}" to ${displayPath(out)}: ${files.map((file) => file.path).join(', ')}.`);
    write('Push it as a GitHub Classroom template repository, or hand the folder out (docs/teaching.md).');
    return EXIT.ok;
  },
};

async function verify(source: AssignmentSource, write: (text: string) => boolean): Promise<boolean> {
  const checks = assignmentChecks(source);
  const hidden = checks.filter((check) => check.hidden).length;
  write(`Verifying "${source.config.title}": ${source.lessons.length} ${source.lessons.length === 1 ? 'lesson' : 'lessons'}, ${checks.length} checks (${hidden} hidden), ${pointsPossible(checks)} points.`);
  const cellTimeLimitMs = source.config.limits.submissionSeconds * 1000;
  const memoryLimitMb = source.config.limits.memoryMB;
  const verification = await verifyAssignment(
    source,
    () => KernelProcess.start({ kernelScript: join(__dirname, 'kernel.js'), cellTimeLimitMs, memoryLimitMb, cwd: source.folder }),
    (file) => write(`  ${file}: with the reference solutions, then with the starting code…`),
  );
  for (const check of verification.checks) {
    const sound = check.withSolution.status === 'passed' && check.withStartingCode.status === 'failed';
    write(`  ${sound ? '✔' : '✘'} ${check.lessonFile} ${check.exercise}: ${check.name}${check.hidden ? ' (hidden)' : ''}`);
  }
  if (verification.problems.length === 0) {
    write('✔ The assignment verifies: every check passes with the reference solutions and fails with feedback on the starting code.');
    return true;
  }
  write(`✘ The assignment is not fit to release (${verification.problems.length} ${verification.problems.length === 1 ? 'problem' : 'problems'}):`);
  for (const problem of verification.problems) write(`  ${problem.replace(/\n/g, '\n    ')}`);
  return false;
}
