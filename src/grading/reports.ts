// Grading layer: what `rnn-lab grade` writes — per student a result JSON (schemas/grade-result.schema.json, versioned),
// Markdown feedback for the student (hidden checks by name and points only: never their code or their failure
// details) and JUnit XML; for the class a gradebook CSV. Pure formatting of SubmissionGrades.
import { formatCheckResults } from '../lessons/checks/feedback';
import type { AssignmentCheck } from './assignmentSource';
import type { SubmissionGrade } from './gradeSubmission';
import type { Isolation } from './isolation';

/** The result file's format; a change that removes or renames a field raises it (schemas/grade-result.schema.json). */
export const RESULT_SCHEMA_VERSION = 1;

export interface ResultFile {
  readonly schema: 'rnn-lab-grade-result';
  readonly version: typeof RESULT_SCHEMA_VERSION;
  readonly assignment: string;
  readonly student: string;
  readonly status: SubmissionGrade['status'];
  readonly earned: number;
  readonly possible: number;
  readonly checks: SubmissionGrade['checks'];
  readonly tampering: SubmissionGrade['tampering'];
  readonly cellProblems: SubmissionGrade['cellProblems'];
  readonly lessonProblems: SubmissionGrade['lessonProblems'];
  readonly restarts: number;
  readonly leftoverProcesses: number;
  readonly isolation: Isolation;
}

export function resultFile(assignment: string, grade: SubmissionGrade, isolation: Isolation): ResultFile {
  return {
    schema: 'rnn-lab-grade-result',
    version: RESULT_SCHEMA_VERSION,
    assignment,
    student: grade.student,
    status: grade.status,
    earned: grade.earned,
    possible: grade.possible,
    checks: grade.checks,
    tampering: grade.tampering,
    cellProblems: grade.cellProblems,
    lessonProblems: grade.lessonProblems,
    restarts: grade.restarts,
    leftoverProcesses: grade.leftoverProcesses,
    isolation,
  };
}

/**
 * The student's feedback: the visible checks as the editor's Check shows them (the same words), then the hidden
 * checks by name and points only, then anything flagged. Nothing of a hidden check's code or failure is in it.
 */
export function feedbackMarkdown(assignment: string, grade: SubmissionGrade): string {
  const visible = grade.checks.filter((check) => !check.hidden);
  const hidden = grade.checks.filter((check) => check.hidden);
  const lines = [`# ${markdownText(assignment)}: ${markdownText(grade.student)}`, '', `**Score: ${grade.earned} of ${grade.possible} points**`, ''];
  if (grade.status === 'failed') lines.push('The grader could not grade every check of this submission: your teacher has been told.', '');
  lines.push('## Visible checks', '', 'The checks in your copy of the assignment, as `rnn-lab check` and Check My Work show them:', '', '```text', fenceSafe(formatCheckResults(visible)), '```', '');
  if (hidden.length > 0) {
    lines.push('## Hidden checks', '', 'Checks your teacher kept back; only their names and points are shown.', '');
    for (const check of hidden) lines.push(`- ${check.status === 'passed' ? '✔' : '✘'} ${markdownText(check.exercise)}: ${markdownText(check.name)} (${check.earned} of ${check.points} ${check.points === 1 ? 'point' : 'points'})`);
    lines.push('');
  }
  if (grade.lessonProblems.length > 0) {
    lines.push('## Lessons that could not be graded', '', ...grade.lessonProblems.map((problem) => `- ${markdownText(problem)}`), '');
  }
  if (grade.cellProblems.length > 0) {
    lines.push('## Cells that did not run to the end', '');
    for (const problem of grade.cellProblems) lines.push(`- ${markdownText(problem.lessonFile)}, ${problem.cell} (line ${problem.line}):`, '', '  ```text', ...fenceSafe(problem.message).split('\n').map((line) => `  ${line}`), '  ```', '');
  }
  if (grade.tampering.length > 0) {
    lines.push('## Changed checks', '', 'Your copy\'s checks differ from the release; the teacher\'s checks were used:', '', ...grade.tampering.map((item) => `- ${markdownText(item.message)}`), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** JUnit XML: one test suite per student, one test case per check (classname: lesson file and exercise). */
export function junitXml(assignment: string, grade: SubmissionGrade): string {
  const failures = grade.checks.filter((check) => check.status === 'failed').length;
  const errors = grade.checks.filter((check) => check.status === 'error').length;
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="${xml(assignment)}" tests="${grade.checks.length}" failures="${failures}" errors="${errors}">`,
    `  <testsuite name="${xml(grade.student)}" tests="${grade.checks.length}" failures="${failures}" errors="${errors}">`];
  for (const check of grade.checks) {
    const open = `    <testcase classname="${xml(`${check.lessonFile}.${check.exercise}`)}" name="${xml(check.name)}${check.hidden ? ' (hidden)' : ''}">`;
    if (check.status === 'passed') {
      lines.push(`${open}</testcase>`);
      continue;
    }
    const tag = check.status === 'failed' ? 'failure' : 'error';
    const text = check.hint ? `${check.message}\nHint: ${check.hint}` : check.message;
    lines.push(open, `      <${tag} message="${xml(firstLine(check.message))}">${xml(text)}</${tag}>`, '    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>');
  return `${lines.join('\n')}\n`;
}

/** The class gradebook: a row per student — score, possible, status, tampering flagged — then each check's points. */
export function gradebookCsv(grades: readonly SubmissionGrade[], checks: readonly AssignmentCheck[]): string {
  const header = ['student', 'score', 'possible', 'status', 'tampering', ...checks.map((check) => `${check.id}${check.hidden ? ' (hidden)' : ''}`)];
  const rows = grades.map((grade) => {
    const byId = new Map(grade.checks.map((check) => [check.id, check.earned]));
    return [grade.student, String(grade.earned), String(grade.possible), grade.status, String(grade.tampering.length), ...checks.map((check) => String(byId.get(check.id) ?? 0))];
  });
  return `${[header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/**
 * One CSV field: quoted when it holds a comma, quote or line break; a field a spreadsheet would read as a formula
 * (=, +, -, @, tab, carriage return first) gets a leading apostrophe (OWASP's advice against CSV injection).
 */
export function csvField(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function xml(text: string): string {
  // Characters XML 1.0 cannot hold at all are dropped; the five special ones escaped.
  return text.replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '').replace(/[<>&"']/g, (character) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[character]!);
}

/** Text from a file or a student inside Markdown: no HTML, no links or emphasis it did not mean. */
function markdownText(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#|!~]/g, (character) => `\\${character}`).replace(/\r?\n/g, ' ');
}

/** Text inside a ``` fence cannot close it. */
function fenceSafe(text: string): string {
  return text.replace(/```/g, '`\u200b``');
}

function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 200);
}
