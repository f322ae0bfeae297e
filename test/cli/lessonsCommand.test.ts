// CLI tests: `rnn-lab lessons run` — every bundled lesson both ways (this is how CI runs the lessons: with the
// starting code every exercise fails with feedback, with --solutions every check passes), and negative controls: a
// wrong solution fails --solutions, starting code that already passes fails the plain run, a cell that throws fails both.
import * as assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPOSITORY, runCli, temporaryFolder } from './cliHarness';

const LESSONS = readdirSync(join(REPOSITORY, 'lessons')).filter((name) => name.endsWith('.lesson.md')).map((name) => join('lessons', name));

/** A small lesson: one exercise (double a number) with two checks; `parts` replaces its pieces. */
function lesson(parts: { starting?: string; solution?: string; before?: string } = {}): string {
  const starting = parts.starting ?? "function double(x: number): number {\n  throw new Error('Write double here');\n}";
  const solution = parts.solution ?? 'function double(x: number): number {\n  return 2 * x;\n}';
  return `---
id: doubling
title: Doubling
order: 99
minutes: 1
goals:
  - Double a number
---

# Doubling

\`\`\`ts
${parts.before ?? "console.log('warming up');"}
\`\`\`

\`\`\`ts exercise=double
${starting}
\`\`\`

\`\`\`ts check=double points=1 name="doubles 2"
expect.equal(await student.double(2), 4, { hint: 'x + x' });
\`\`\`

\`\`\`ts check=double points=2 name="doubles -1.5"
expect.close(await student.double(-1.5), -3);
\`\`\`

<details><summary>Solution</summary>

\`\`\`ts solution=double
${solution}
\`\`\`

</details>
`;
}

function lessonFile(text: string): string {
  const path = join(temporaryFolder(), 'doubling.lesson.md');
  writeFileSync(path, text);
  return path;
}

describe('rnn-lab lessons run: the headless lesson runner', function () {
  this.timeout(600_000);

  it('finds the bundled lessons', () => {
    assert.ok(LESSONS.length >= 2, `lessons/*.lesson.md: ${LESSONS.join(', ')}`);
  });

  it('every bundled lesson, with the starting code: every exercise fails with feedback, nothing else errors (exit 0)', async () => {
    const result = await runCli(['lessons', 'run', ...LESSONS]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, new RegExp(`${LESSONS.length} lessons: each did what it must \\(with the starting code\\)`));
  });

  it('every bundled lesson, with --solutions: every check passes (exit 0)', async () => {
    const result = await runCli(['lessons', 'run', '--solutions', ...LESSONS]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.doesNotMatch(result.stdout, /✘/);
  });

  it('a small lesson both ways: the summary a teacher reads', async () => {
    const file = lessonFile(lesson());
    const plain = await runCli(['lessons', 'run', file]);
    assert.equal(plain.code, 0, plain.stdout + plain.stderr);
    assert.match(plain.stdout, /✔ double: 0 of 2 checks passed, 0 of 3 points \(as it should; first feedback: double threw Error: Write double here \(Cell 3, line 2\)\.\)/);
    const solved = await runCli(['lessons', 'run', '--solutions', file]);
    assert.equal(solved.code, 0, solved.stdout + solved.stderr);
    assert.match(solved.stdout, /✔ double: 2 of 2 checks passed, 3 of 3 points/);
    assert.match(solved.stdout, /ok: 4 code cells ran; every check passed/);
  });

  it('negative control: a wrong solution makes --solutions fail, with the feedback', async () => {
    const result = await runCli(['lessons', 'run', '--solutions', lessonFile(lesson({ solution: 'function double(x: number): number {\n  return x + 2;\n}' }))]);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /✘ exercise double: the reference solution fails:/);
    assert.match(result.stdout, /double: 1 of 2 checks passed, 1 of 3 points\n\s+✔ doubles 2 \(1 point\)\n\s+✘ doubles -1\.5 \(0 of 2 points\)\n\s+expected -3, got 0\.5/);
    assert.match(result.stdout, /1 of 1 lesson did not do what it must \(with the reference solutions\)/);
  });

  it('negative control: starting code that already passes makes the plain run fail', async () => {
    const result = await runCli(['lessons', 'run', lessonFile(lesson({ starting: 'function double(x: number): number {\n  return 2 * x;\n}' }))]);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /✘ exercise double: the starting code already passes every check/);
  });

  it('negative control: an ordinary cell that throws fails both ways, naming the cell and its line', async () => {
    const file = lessonFile(lesson({ before: "const ready = 1;\nthrow new Error('setup broke');" }));
    for (const flags of [[], ['--solutions']]) {
      const result = await runCli(['lessons', 'run', ...flags, file]);
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(result.stdout, /✘ Cell 2 \(line 13\): the cell failed: Error: setup broke\n\s+at Cell 2:2/);
    }
  });

  it('a malformed file fails with the line of the problem; no files is a usage error', async () => {
    const broken = await runCli(['lessons', 'run', lessonFile('---\nid: x\n---\n\n```ts\nconst a = 1;\n')]);
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, /not a valid lesson file\n\s+line \d+: /);
    const usage = await runCli(['lessons', 'run']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /give at least one lesson file/);
  });
});
