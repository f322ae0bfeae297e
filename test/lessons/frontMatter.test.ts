// Front matter: the schema file is what the validator enforces (no keyword it would silently ignore), unknown keys
// are kept, and `__proto__` is an ordinary key.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFrontMatter, validateAgainstSchema, type JsonSchema } from '../../src/lessons/frontMatter';

const SCHEMA = JSON.parse(readFileSync(join(__dirname, '..', '..', 'schemas', 'lesson.schema.json'), 'utf8')) as JsonSchema;
const VALID = 'id: a-lesson\ntitle: A lesson\norder: 1\nminutes: 10\ngoals:\n  - learn';

describe('front matter', () => {
  it('reads a valid front matter and keeps unknown keys, __proto__ included, as own data', () => {
    const result = parseFrontMatter(`${VALID}\n__proto__: kept\nauthor: A. Teacher`, 2);
    assert.ok(result.ok);
    assert.equal(result.frontMatter.author, 'A. Teacher');
    assert.ok(Object.prototype.hasOwnProperty.call(result.frontMatter, '__proto__'));
    assert.equal(Object.getPrototypeOf(result.frontMatter), Object.prototype, 'no prototype was replaced');
  });

  it('the schema file uses only keywords the validator enforces', () => {
    assert.doesNotThrow(() => validateAgainstSchema({}, SCHEMA));
    assert.throws(() => validateAgainstSchema('x', { type: 'string', maxLength: 3 } as JsonSchema), /uses "maxLength", which the front matter validator does not implement/);
  });

  it('names every field that is wrong, on its line', () => {
    const result = parseFrontMatter('id: Bad Id\ntitle: ""\norder: "3"\nminutes: -1\ngoals: learn', 2);
    assert.ok(!result.ok);
    assert.deepEqual(result.problems.map((problem) => [problem.line, problem.message.split(' (')[0]]), [
      [2, '"id" is "Bad Id", which is not allowed'],
      [3, '"title" must not be empty'],
      [4, '"order" must be a number, not the text "3"'],
      [6, '"goals" must be a list, not the text "learn"'],
      [5, '"minutes" must be greater than 0, not -1'],
    ]);
  });

  it('a front matter that is a list or empty is named as such', () => {
    for (const text of ['- id\n- title', '']) {
      const result = parseFrontMatter(text, 2);
      assert.ok(!result.ok);
      assert.match(result.problems[0].message, /must be "key: value" lines/);
    }
  });
});
