// Grading tests: the report formats — the gradebook CSV defuses names a spreadsheet would run as formulas and quotes
// what needs quoting; JUnit XML escapes what a student's code returned; the student's Markdown feedback shows hidden
// checks by name and points only, never their failure details.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AssignmentCheck } from '../../src/grading/assignmentSource';
import type { CheckGrade, SubmissionGrade } from '../../src/grading/gradeSubmission';
import { csvField, feedbackMarkdown, gradebookCsv, junitXml, resultFile } from '../../src/grading/reports';

function check(name: string, hidden: boolean, points: number): AssignmentCheck {
  return { exercise: 'ex', name, points, hidden, code: 'expect.that(true, "x")', line: 1, lessonFile: 'a.lesson.md', id: `lesson/ex/${name}`, digest: '0' };
}

const checks = [check('visible one', false, 1), check('hidden one', true, 2)];

function grade(student: string, results: readonly Partial<CheckGrade>[]): SubmissionGrade {
  const graded = checks.map((item, index): CheckGrade => ({
    exercise: item.exercise, name: item.name, points: item.points, earned: 0, status: 'failed', message: 'expected 1, got 0', id: item.id, lessonFile: item.lessonFile, hidden: item.hidden, ...results[index],
  }));
  return { student, status: 'graded', earned: graded.reduce((total, item) => total + item.earned, 0), possible: 3, checks: graded, tampering: [], cellProblems: [], lessonProblems: [], restarts: 0, leftoverProcesses: 0 };
}

describe('grading/reports', () => {
  it('csvField defuses formulas and quotes commas, quotes and line breaks; numbers stay numbers', () => {
    assert.equal(csvField('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
    assert.equal(csvField('+1+2'), "'+1+2");
    assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvField('-3'), '-3');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('line\nbreak'), '"line\nbreak"');
    assert.equal(csvField('ada'), 'ada');
  });

  it('the gradebook has a row per student and a column per check, hidden ones marked', () => {
    const csv = gradebookCsv([grade('=cmd', [{ earned: 1, status: 'passed', message: '' }, {}])], checks);
    assert.equal(csv, "student,score,possible,status,tampering,lesson/ex/visible one,lesson/ex/hidden one (hidden)\r\n'=cmd,1,3,graded,0,1,0\r\n");
  });

  it('JUnit XML escapes what came from a student', () => {
    const xml = junitXml('A & B', grade('<ada>', [{ message: 'got "<script>" & more\u0007' }, {}]));
    assert.match(xml, /<testsuites name="A &amp; B" tests="2" failures="2" errors="0">/);
    assert.match(xml, /<testsuite name="&lt;ada&gt;"/);
    assert.match(xml, /<failure message="got &quot;&lt;script&gt;&quot; &amp; more">/);
    assert.ok(!xml.includes('\u0007'));
  });

  it('the feedback shows a hidden check by name and points only, never its failure', () => {
    const markdown = feedbackMarkdown('RNN', grade('ada', [{ earned: 1, status: 'passed', message: '' }, { message: 'at [0]: expected 0.7615941560, got 0 (the secret input)', hint: 'secret hint' }]));
    assert.match(markdown, /\*\*Score: 1 of 3 points\*\*/);
    assert.match(markdown, /✔ visible one \(1 point\)/);
    assert.match(markdown, /- ✘ ex: hidden one \(0 of 2 points\)/);
    assert.ok(!markdown.includes('secret'), markdown);
    assert.ok(!/all (tests|checks) passed/i.test(markdown));
  });

  it('result.json has exactly the fields schemas/grade-result.schema.json lists, each check and isolation too', () => {
    const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'schemas', 'grade-result.schema.json'), 'utf8'));
    const isolation = { noNetwork: true, ownProcessTree: true, hiddenFolders: true, separateUser: false, resourceLimits: true };
    const result = resultFile('RNN', grade('ada', [{ hint: 'a hint' }, {}]), isolation) as unknown as Record<string, unknown>;
    const sorted = (keys: Iterable<string>): string[] => [...keys].sort();
    assert.deepEqual(sorted(Object.keys(result)), sorted(Object.keys(schema.properties)));
    assert.deepEqual(sorted(schema.required), sorted(Object.keys(schema.properties)));
    assert.equal(result.version, schema.properties.version.const);
    const checkSchema = schema.properties.checks.items;
    for (const item of result.checks as Record<string, unknown>[]) {
      for (const key of Object.keys(item)) assert.ok(key in checkSchema.properties, `checks[].${key} is in the schema`);
      for (const key of checkSchema.required) assert.ok(key in item, `checks[].${key} is written`);
    }
    assert.deepEqual(sorted(Object.keys(result.isolation as object)), sorted(schema.properties.isolation.required));
  });
});
