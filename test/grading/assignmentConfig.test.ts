// assignment.json: the schema's defaults and bounds, and problems that name the field.
import assert from 'node:assert/strict';
import schema from '../../schemas/assignment.schema.json';
import { DEFAULT_LIMITS, parseAssignmentConfig } from '../../src/grading/assignmentConfig';
import { DEFAULT_CHECK_SEED } from '../../src/lessons/checks/runChecks';

function problemsOf(text: string): readonly string[] {
  const result = parseAssignmentConfig(text);
  assert.equal(result.ok, false, `expected problems for ${text}`);
  return result.ok ? [] : result.problems;
}

describe('assignment.json', () => {
  it('fills what is not given with the schema\'s defaults', () => {
    const result = parseAssignmentConfig('{ "title": "RNN cell" }');
    assert.ok(result.ok);
    assert.deepEqual(result.config, { title: 'RNN cell', seed: 1, limits: { checkSeconds: 10, submissionSeconds: 300, memoryMB: 512 }, due: '', latePolicy: '' });
    const limits = schema.properties.limits.properties;
    assert.deepEqual(DEFAULT_LIMITS, { checkSeconds: limits.checkSeconds.default, submissionSeconds: limits.submissionSeconds.default, memoryMB: limits.memoryMB.default });
    // An assignment without a seed draws in its checks what the same checks draw in an ordinary lesson.
    assert.equal(schema.properties.seed.default, DEFAULT_CHECK_SEED);
  });

  it('keeps every field given', () => {
    const text = JSON.stringify({ title: 'T', seed: 7, limits: { checkSeconds: 5, memoryMB: 256 }, due: 'Friday', latePolicy: 'none', lessons: ['b.lesson.md', 'a.lesson.md'] });
    const result = parseAssignmentConfig(`\uFEFF${text}`);
    assert.ok(result.ok);
    assert.deepEqual(result.config, { title: 'T', seed: 7, limits: { checkSeconds: 5, submissionSeconds: 300, memoryMB: 256 }, due: 'Friday', latePolicy: 'none', lessons: ['b.lesson.md', 'a.lesson.md'] });
  });

  it('names the field and what it got in each problem', () => {
    assert.deepEqual(problemsOf('{ "title": "T", "limits": { "memoryMB": "lots" } }'), ['assignment.json: limits.memoryMB must be a number between 64 and 8192, got "lots"']);
    assert.deepEqual(problemsOf('{ "title": "T", "limits": { "memoryMB": 10000 } }'), ['assignment.json: limits.memoryMB must be a number between 64 and 8192, got 10000']);
    assert.deepEqual(problemsOf('{ "title": "T", "seed": 1.5 }'), ['assignment.json: seed must be a whole number between 0 and 4294967295, got 1.5']);
    assert.deepEqual(problemsOf('{ "title": "" }'), ['assignment.json: title must not be empty']);
    assert.deepEqual(problemsOf('{ "title": "T", "lessons": ["../x.lesson.md"] }'), ['assignment.json: lessons[0] must be the name of a file in this folder ending in .lesson.md (no folder part), got "../x.lesson.md"']);
    assert.deepEqual(problemsOf('{ "title": "T", "lessons": [] }'), ['assignment.json: lessons must list at least 1 item']);
    assert.match(problemsOf('{}')[0], /^assignment\.json: title is missing: /);
    assert.match(problemsOf('[1]')[0], /^assignment\.json: the file must be an object \{ … \}, got a list$/);
    assert.match(problemsOf('{ "title": "T",')[0], /^assignment\.json is not valid JSON: /);
  });

  it('refuses a misspelt field rather than using a default silently, __proto__ included', () => {
    assert.deepEqual(problemsOf('{ "title": "T", "limits": { "memoryMb": 100 } }'), ['assignment.json: limits.memoryMb is not a known field (the fields of limits are checkSeconds, submissionSeconds, memoryMB)']);
    assert.match(problemsOf('{ "title": "T", "__proto__": { "seed": 3 } }')[0], /^assignment\.json: __proto__ is not a known field/);
  });

  it('lists every problem at once', () => {
    assert.equal(problemsOf('{ "title": 3, "seed": "x", "due": 4 }').length, 3);
  });
});
