// Grading layer: the GitHub Classroom template's workflow (.github/workflows/classroom.yml) — it installs the grader
// from the tarball inside the template (no package of ours from a registry), runs the visible checks, and hands their
// per-check points to GitHub Classroom's autograding reporter, in the reporter's format.
import type { CheckResult } from '../lessons/lesson';

export const CLASSROOM_WORKFLOW_FILE = '.github/workflows/classroom.yml';
/** Where the release keeps the grader's tarball. */
export const GRADER_FOLDER = '.github/rnn-lab';
/** The step whose `result` output the reporter reads (as the environment variable VISIBLE-CHECKS_RESULTS). */
export const CHECK_STEP_ID = 'visible-checks';

/**
 * The workflow. GitHub Classroom requires the workflow's name "Autograding Tests" and its one job
 * "run-autograding-tests" (classroom-resources/autograding-grading-reporter's README). The check step writes
 * `result=<base64 JSON>` to $GITHUB_OUTPUT in the reporter's format (`rnn-lab check --classroom-output`); the reporter
 * runs even when a check failed, so the points are always reported.
 */
export function classroomWorkflow(graderTarball: string): string {
  return `# Made by rnn-lab assign: runs the visible checks on every push and reports their points to GitHub Classroom.
# The grader is installed from the tarball in ${GRADER_FOLDER}/, so nothing of rnn-lab comes from a registry.
# Your teacher's final grade comes from rnn-lab grade, which runs every check, hidden ones included.
name: Autograding Tests
on:
  - push
  - repository_dispatch
  - workflow_dispatch
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
      - name: Checkout code
        uses: actions/checkout@v4
      - name: Set up Node.js
        uses: actions/setup-node@v4
        with:
          node-version: 20
      - name: Install the grader
        run: npm install --prefix "$RUNNER_TEMP/rnn-lab" --no-save --no-audit --no-fund "$GITHUB_WORKSPACE/${GRADER_FOLDER}/${graderTarball}"
      - name: Visible checks
        id: ${CHECK_STEP_ID}
        timeout-minutes: 15
        run: node "$RUNNER_TEMP/rnn-lab/node_modules/rnn-lab/dist/cli.js" check --classroom-output "$GITHUB_OUTPUT" "$GITHUB_WORKSPACE"
      - name: Autograding Reporter
        if: \${{ always() }}
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
          ${CHECK_STEP_ID.toUpperCase()}_RESULTS: "\${{ steps.${CHECK_STEP_ID}.outputs.result }}"
        with:
          runners: ${CHECK_STEP_ID}
`;
}

/** One test as GitHub Classroom's autograding reporter reads it (per-test points). */
export interface ClassroomTest {
  readonly name: string;
  readonly status: 'pass' | 'fail' | 'error';
  readonly score: number;
  readonly max_score: number;
  readonly message: string;
  readonly line_no: number;
  readonly test_code: string;
}

/** A runner's results in the reporter's format: the step writes it, base64-encoded, as its `result` output. */
export interface ClassroomResult {
  readonly version: 1;
  readonly status: 'pass' | 'fail' | 'error';
  readonly max_score: number;
  readonly tests: readonly ClassroomTest[];
}

/** The visible checks' results as the reporter's tests: `exercise: check name`, its points, and the feedback on a failure. */
export function classroomResult(results: readonly CheckResult[]): ClassroomResult {
  const tests = results.map((result): ClassroomTest => ({
    name: `${result.exercise}: ${result.name}`,
    status: result.status === 'passed' ? 'pass' : result.status === 'failed' ? 'fail' : 'error',
    score: result.earned,
    max_score: result.points,
    message: result.hint ? `${result.message}\nHint: ${result.hint}` : result.message,
    line_no: 0,
    test_code: '',
  }));
  const status = tests.some((test) => test.status === 'fail') ? 'fail' : tests.some((test) => test.status === 'error') ? 'error' : 'pass';
  return { version: 1, status, max_score: tests.reduce((total, test) => total + test.max_score, 0), tests };
}

/** The result when the checks could not run at all (no manifest, a damaged one): one test in error, worth nothing, saying why. */
export function classroomError(message: string): ClassroomResult {
  return { version: 1, status: 'error', max_score: 0, tests: [{ name: 'rnn-lab check', status: 'error', score: 0, max_score: 0, message, line_no: 0, test_code: '' }] };
}

/** The line the check step appends to $GITHUB_OUTPUT: `result=` and the base64 of the JSON. */
export function classroomOutputLine(result: ClassroomResult): string {
  return `result=${Buffer.from(JSON.stringify(result), 'utf8').toString('base64')}\n`;
}
