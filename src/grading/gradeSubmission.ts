// Grading layer: one submission graded — per lesson its cells run in a sandbox, then every teacher's check (visible and
// hidden) runs here through the lesson platform's runChecks, `student` calls crossing to the sandbox; a check that hangs,
// crashes or floods fails alone (the sandbox is replaced, the cells replayed), and every check gets a result.
import { chmodSync, chownSync, cpSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runChecks } from '../lessons/checks/runChecks';
import { StudentError, type StudentAccess } from '../lessons/checks/student';
import type { CheckResult } from '../lessons/lesson';
import type { AssignmentCheck, AssignmentSource } from './assignmentSource';
import { CheckRealm } from './checkRealm';
import { SANDBOX_USER, type Isolation } from './isolation';
import { leftoverProcesses, Sandbox, SandboxEnded, type CellOutcome } from './sandbox';
import { readSubmission, type StudentCell, type SubmittedLesson, type Tampering } from './submission';

/** One check's grade: the runner's result, and which of the assignment's checks it is. */
export interface CheckGrade extends CheckResult {
  /** The assignment's id of the check: `lesson-id/exercise/name`. */
  readonly id: string;
  readonly lessonFile: string;
  readonly hidden: boolean;
}

/** A cell of the student's copy that did not run to its end (their error, or it was stopped). */
export interface CellProblem {
  readonly lessonFile: string;
  readonly cell: string;
  readonly line: number;
  readonly message: string;
}

export interface SubmissionGrade {
  readonly student: string;
  /** 'graded': every check has its result; 'failed': the grader itself could not grade (the results say why). */
  readonly status: 'graded' | 'failed';
  readonly earned: number;
  readonly possible: number;
  /** Every check of the assignment, in the assignment's order. */
  readonly checks: readonly CheckGrade[];
  readonly tampering: readonly Tampering[];
  readonly cellProblems: readonly CellProblem[];
  /** Lessons whose checks could not pass at all (missing or unreadable file). */
  readonly lessonProblems: readonly string[];
  /** How often the student's process had to be replaced (a check that hung, crashed, flooded or exited). */
  readonly restarts: number;
  /** Processes of the submission still found after it was graded, and killed (0 means none outlived it). */
  readonly leftoverProcesses: number;
}

export interface GradingContext {
  readonly source: AssignmentSource;
  readonly checks: readonly AssignmentCheck[];
  /** dist/kernel.js and dist/kernelLab.js copied where the sandbox user can read them. */
  readonly kernelScript: string;
  readonly isolation: Isolation;
  /** Folders no student's process may see: the assignment source, the output folder, every submission. */
  readonly hidden: readonly string[];
  /** A folder of the grader's for working copies (removed by the caller). */
  readonly scratchFolder: string;
}

/** Grades one submission folder; never rejects for anything the student's code does. */
export async function gradeSubmission(context: GradingContext, student: string, folder: string, slot: string): Promise<SubmissionGrade> {
  const { config } = context.source;
  const deadline = Date.now() + config.limits.submissionSeconds * 1000;
  const submission = readSubmission(folder, context.source, context.checks);
  const grades: CheckGrade[] = [];
  const cellProblems: CellProblem[] = [];
  const lessonProblems: string[] = [];
  let restarts = 0;
  let leftovers = 0;
  let failed = false;
  const work = prepareWorkingCopy(context, folder, slot);
  try {
    for (const lesson of submission.lessons) {
      const checks = context.checks.filter((check) => check.lessonFile === lesson.lessonFile);
      if (lesson.problem !== undefined) {
        lessonProblems.push(lesson.problem);
        grades.push(...checks.map((check) => failedGrade(check, `not graded: ${lesson.problem}`)));
        continue;
      }
      const token = `${process.pid}-${slot}-${lesson.lessonFile}`.replace(/[^\w.-]/g, '_');
      const runner = new LessonRunner(context, work, lesson, token, deadline, (problem) => cellProblems.push(problem));
      try {
        grades.push(...await runner.grade(checks));
      } catch (error) {
        // The grader's own failure (the sandbox cannot start at all): every remaining check says so.
        failed = true;
        const done = new Set(grades.map((grade) => grade.id));
        grades.push(...checks.filter((check) => !done.has(check.id)).map((check) => failedGrade(check, `not graded: ${(error as Error).message}`)));
      } finally {
        restarts += runner.restarts;
        await runner.dispose();
        leftovers += await outlived(token);
      }
    }
  } finally {
    removeWorkingCopy(work.root);
  }
  const earned = grades.reduce((total, grade) => total + grade.earned, 0);
  const possible = context.checks.reduce((total, check) => total + check.points, 0);
  return { student, status: failed ? 'failed' : 'graded', earned, possible, checks: grades, tampering: submission.tampering, cellProblems, lessonProblems, restarts, leftoverProcesses: leftovers };
}

/** The student's code, its cells replayed into a fresh sandbox whenever one had to be replaced. */
class LessonRunner {
  restarts = 0;
  private sandbox: Sandbox | undefined;
  /** Cells that ended their process or were stopped: not replayed (they would do it again). */
  private readonly skipped = new Set<string>();
  /** Cells whose problem was reported already. */
  private readonly reported = new Set<string>();
  private readonly realm: CheckRealm;

  constructor(
    private readonly context: GradingContext,
    private readonly work: WorkingCopy,
    private readonly lesson: SubmittedLesson,
    private readonly token: string,
    private readonly deadline: number,
    private readonly reportCell: (problem: CellProblem) => void,
  ) {
    this.realm = new CheckRealm();
  }

  async grade(checks: readonly AssignmentCheck[]): Promise<CheckGrade[]> {
    await this.ready(true);
    const grades: CheckGrade[] = [];
    const checkLimitMs = this.context.source.config.limits.checkSeconds * 1000;
    for (const check of checks) {
      const remaining = this.deadline - Date.now();
      if (remaining <= 0) {
        grades.push(failedGrade(check, `not run: grading this submission took longer than its limit of ${this.context.source.config.limits.submissionSeconds} s`));
        continue;
      }
      if (!this.sandbox?.alive || this.sandbox.busy) await this.ready(false);
      const [result] = await runChecks([check], {
        evaluateCheck: (code, label, scope) => this.realm.evaluateCheck(code, label, scope),
        access: this.access(),
        checkTimeLimitMs: Math.max(1, Math.min(checkLimitMs, remaining)),
        seed: this.context.source.config.seed,
      });
      grades.push({ ...result, id: check.id, lessonFile: check.lessonFile, hidden: check.hidden });
      // A call still running (a loop that never ends) or a process that ended: the next check gets a fresh one.
      if (this.sandbox && (this.sandbox.busy || !this.sandbox.alive)) this.replace();
    }
    return grades;
  }

  /** Ends the sandbox and waits until its process has exited. */
  async dispose(): Promise<void> {
    const sandbox = this.sandbox;
    this.sandbox = undefined;
    if (!sandbox) return;
    sandbox.kill();
    await sandbox.exited;
  }

  /** The student's work as the runner's `student` reaches it: over the sandbox's channel. */
  private access(): StudentAccess {
    const sandbox = this.sandbox;
    const ask = async (request: (sandbox: Sandbox) => ReturnType<Sandbox['call']>) => {
      if (!sandbox) throw new StudentError('your code could not be run');
      try {
        return await request(sandbox);
      } catch (error) {
        if (error instanceof SandboxEnded) throw new StudentError(`${error.message}.`);
        throw error;
      }
    };
    return {
      call: (name, args) => ask((target) => target.call(name, args)),
      read: (name) => ask((target) => target.read(name)),
    };
  }

  private replace(): void {
    this.sandbox?.kill();
    this.sandbox = undefined;
  }

  /**
   * A fresh sandbox with the student's cells run in it. A cell that is stopped (it ran too long) or ends the process
   * is left out from then on, and the cells are run again in a fresh sandbox without it. Each cell's problem is
   * reported once.
   */
  private async ready(first: boolean): Promise<void> {
    if (!first) this.restarts++;
    for (;;) {
      this.replace();
      this.sandbox = await Sandbox.start({
        kernelScript: this.context.kernelScript,
        isolation: this.context.isolation,
        memoryMB: this.context.source.config.limits.memoryMB,
        workFolder: this.work.copy,
        homeFolder: this.work.home,
        hidden: this.context.hidden,
        token: this.token,
      });
      let stopped = false;
      for (const cell of this.lesson.cells) {
        if (this.skipped.has(cell.label)) continue;
        const outcome = await this.runCell(cell);
        if (outcome.status !== 'ok' && !this.reported.has(cell.label)) {
          this.reported.add(cell.label);
          this.reportCell({ lessonFile: this.lesson.lessonFile, cell: cell.label, line: cell.line, message: outcome.message });
        }
        if (outcome.status === 'stopped') {
          this.skipped.add(cell.label);
          stopped = true;
          break;
        }
      }
      if (!stopped) return;
    }
  }

  /** One cell, within the per-check time limit (and what is left of the submission's). */
  private async runCell(cell: StudentCell): Promise<{ status: 'ok' } | { status: 'error' | 'stopped'; message: string }> {
    const sandbox = this.sandbox!;
    const limitMs = Math.max(1, Math.min(this.context.source.config.limits.checkSeconds * 1000, this.deadline - Date.now()));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), limitMs)));
    let outcome: CellOutcome | 'timeout';
    try {
      outcome = await Promise.race([sandbox.run(cell.code, cell.label), timedOut]);
    } catch (error) {
      return { status: 'stopped', message: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
    if (outcome === 'timeout') {
      sandbox.kill();
      return { status: 'stopped', message: `the cell did not finish within ${limitMs / 1000} s, so it was stopped` };
    }
    if (outcome.status === 'ok') return outcome;
    return { status: 'error', message: outcome.error.stack || `${outcome.error.name}: ${outcome.error.message}` };
  }
}

function failedGrade(check: AssignmentCheck, message: string): CheckGrade {
  return { exercise: check.exercise, name: check.name, points: check.points, earned: 0, status: 'failed', message, id: check.id, lessonFile: check.lessonFile, hidden: check.hidden };
}

interface WorkingCopy {
  readonly root: string;
  /** The submission's copy: read-only for the student's process. */
  readonly copy: string;
  /** An empty HOME, the only folder the student's process may write. */
  readonly home: string;
}

/** A copy of the submission (without .git and node_modules) the student's process runs in, read-only; and an empty HOME. */
function prepareWorkingCopy(context: GradingContext, folder: string, slot: string): WorkingCopy {
  const root = join(context.scratchFolder, slot);
  const copy = join(root, 'submission');
  const home = join(root, 'home');
  mkdirSync(root, { recursive: true, mode: 0o755 });
  cpSync(folder, copy, { recursive: true, filter: (path) => !/[\\/](\.git|node_modules)$/.test(path) });
  mkdirSync(home, { mode: 0o700 });
  if (process.platform !== 'win32') {
    readOnly(copy);
    if (context.isolation.separateUser) chownSync(home, SANDBOX_USER, SANDBOX_USER);
  }
  return { root, copy, home };
}

function readOnly(path: string): void {
  const stat = statSync(path);
  if (stat.isDirectory()) {
    for (const name of readdirSync(path)) readOnly(join(path, name));
    chmodSync(path, 0o555);
  } else {
    chmodSync(path, 0o444);
  }
}

/** The submission's processes still alive 2 s after its sandbox was killed (each killed again); 0 when none outlived it. */
async function outlived(token: string): Promise<number> {
  for (let waited = 0; waited < 2000; waited += 100) {
    if (leftoverProcesses(token).length === 0) return 0;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const left = leftoverProcesses(token);
  for (const pid of left) killQuietly(pid);
  return left.length;
}

/** The working copy is read-only: made writable again to be removed (by a grader not running as root). */
function removeWorkingCopy(root: string): void {
  const writable = (path: string): void => {
    try {
      const stat = statSync(path);
      if (stat.isDirectory()) {
        chmodSync(path, 0o755);
        for (const name of readdirSync(path)) writable(join(path, name));
      }
    } catch {
      // removed below all the same, or reported by rmSync
    }
  };
  writable(root);
  rmSync(root, { recursive: true, force: true });
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
