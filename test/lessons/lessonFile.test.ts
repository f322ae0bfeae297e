// The lesson file format: parse ⇄ serialize byte for byte over every bundled lesson and the fixtures (and their CRLF,
// BOM, mixed-line-ending and no-final-newline variants), what the parser reads, and the malformed files, each on its line.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeCell } from '../../src/lessons/lesson';
import { formatProblem, parseLesson, serializeLesson, type LessonParseResult } from '../../src/lessons/lessonFile';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(__dirname, 'fixtures');

function lessonFiles(folder: string): string[] {
  return existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith('.lesson.md')).map((name) => join(folder, name)) : [];
}

function parsed(text: string): Extract<LessonParseResult, { ok: true }>['lesson'] {
  const result = parseLesson(text);
  if (!result.ok) assert.fail(`expected the lesson to parse, got:\n${result.problems.map(formatProblem).join('\n')}`);
  return result.lesson;
}

function problemsOf(text: string): string[] {
  const result = parseLesson(text);
  assert.equal(result.ok, false, 'expected problems');
  return result.ok ? [] : result.problems.map(formatProblem);
}

const FRONT = '---\nid: a-lesson\ntitle: A lesson\norder: 1\nminutes: 10\ngoals:\n  - learn\n---\n';

/** The same text with every line ending replaced, or with a mix of them. */
function withLineEndings(text: string, ending: (index: number) => string): string {
  let index = 0;
  return text.replace(/\r\n|\r|\n/g, () => ending(index++));
}

describe('lesson file: round trip', () => {
  const files = [...lessonFiles(join(ROOT, 'lessons')), ...lessonFiles(FIXTURES)];

  it('finds the fixtures (and the bundled lessons once there are some)', () => {
    assert.ok(lessonFiles(FIXTURES).length >= 3, `only ${lessonFiles(FIXTURES).length} fixtures in ${FIXTURES}`);
  });

  for (const file of files) {
    const name = file.slice(ROOT.length + 1);
    const original = readFileSync(file, 'utf8');
    const variants: [string, string][] = [
      ['as committed', original],
      ['CRLF', withLineEndings(original, () => '\r\n')],
      ['CR', withLineEndings(original, () => '\r')],
      // (A lone \r before an empty line ending in \n would make one \r\n: another text, not another ending.)
      ['mixed line endings', withLineEndings(original, (index) => ['\n', '\r\n', '\r\n', '\n', '\r\n'][index % 5])],
      ['with a BOM', `\uFEFF${original}`],
      ['BOM and CRLF', `\uFEFF${withLineEndings(original, () => '\r\n')}`],
      ['no final newline', original.replace(/(?:\r\n|\r|\n)+$/, '')],
      ['trailing whitespace and blank lines', `${original.replace(/(\r\n|\r|\n)/g, ' \t$1')}\n\n\n`],
    ];
    for (const [variant, text] of variants) {
      it(`${name} (${variant}): serialize(parse(text)) is byte-identical`, () => {
        assert.equal(serializeLesson(parsed(text)), text);
      });
    }
  }

  it('reads the cells, roles, exercises, checks and solution of the design\'s example', () => {
    const lesson = parsed(readFileSync(join(FIXTURES, 'the-rnn-cell.lesson.md'), 'utf8'));
    assert.deepEqual(lesson.frontMatter, {
      id: 'the-rnn-cell', title: 'The RNN cell', order: 3, minutes: 30, goals: ['Compute one step of a vanilla RNN by hand', 'Run it over T steps'],
    });
    assert.deepEqual(lesson.cells.map((cell) => [cell.kind, cell.line, cell.kind === 'code' ? cell.role.kind : '']), [
      ['markdown', 11, ''], ['code', 16, 'code'], ['code', 21, 'exercise'], ['code', 27, 'check'], ['markdown', 34, ''],
    ]);
    assert.equal(lesson.cells[0].source, '# The RNN cell\n\nProse with math: $a^{\\langle t \\rangle} = \\tanh(W_{aa} a^{\\langle t-1 \\rangle} + W_{ax} x^{\\langle t \\rangle} + b_a)$');
    const [exercise] = lesson.exercises;
    assert.equal(exercise.id, 'rnn-cell-forward');
    assert.equal(exercise.startingCode, "function rnnCellForward(xt: Tensor, aPrev: Tensor, parameters: Parameters) {\n  throw new Error('Write rnnCellForward here');\n}");
    assert.equal(exercise.solution, 'function rnnCellForward(xt: Tensor, aPrev: Tensor, parameters: Parameters) {\n  return course.rnnCellForward(xt, aPrev, parameters);\n}');
    assert.deepEqual(exercise.solutionFence, { open: 36, close: 40 });
    assert.deepEqual(exercise.checks.map(({ code, ...rest }) => ({ ...rest, firstLine: code.split('\n')[0].slice(0, 20) })), [
      { exercise: 'rnn-cell-forward', name: "a_next on the course's seed-1 inputs", points: 2, hidden: false, line: 27, firstLine: 'const [xt, aPrev, Wa' },
    ]);
    assert.ok(lesson.cells[4].source.includes('```ts solution=rnn-cell-forward'), 'the solution stays in the markdown (inside <details>)');
  });

  it('follows CommonMark for fences: tildes, longer fences, other languages, lists, quotes, indentation, separators', () => {
    const lesson = parsed(readFileSync(join(FIXTURES, 'fences.lesson.md'), 'utf8'));
    const code = lesson.cells.filter((cell): cell is CodeCell => cell.kind === 'code');
    assert.deepEqual(code.map((cell) => cell.source), [
      "const fence = '```';",
      'const markdown = `\n```\nnot a closing fence\n```\n`;',
      'const indented = 2;\n  const deeper = 3;',
      '',
      'const adjacent = true;',
    ]);
    assert.deepEqual(code[1].role, { kind: 'check', exercise: 'tilde-exercise', name: 'a four-backtick fence holds three-backtick lines', points: 1, hidden: false });
    const markdown = lesson.cells.filter((cell) => cell.kind === 'markdown').map((cell) => cell.source);
    assert.equal(markdown.length, 4);
    assert.ok(markdown[1].startsWith('```python') && markdown[1].includes('const inList = true;') && markdown[1].includes('> const inQuote = 1;'),
      'a python fence, a fence in a list and one in a quote stay in the prose');
    assert.equal(markdown[2], 'A second markdown cell, split by the separator above.');
    assert.equal(markdown[3], 'A third, with the separator between lines of text.');
    assert.equal(lesson.frontMatter.author, 'A. Teacher', 'unknown front matter keys are kept');
  });

  it('keeps blank lines, BOM and line endings out of what the cells show', () => {
    const lesson = parsed(`\uFEFF${withLineEndings(FRONT, () => '\r\n')}\r\n\r\n# Title  \r\n\r\n\`\`\`ts\r\nconst a = 1;\r\n\r\n\`\`\`\r\n`);
    assert.deepEqual(lesson.cells.map((cell) => cell.source), ['# Title  ', 'const a = 1;\n']);
    assert.equal(lesson.file.bom, true);
    assert.equal(lesson.file.eol, '\r\n');
    assert.deepEqual(lesson.cells.map((cell) => cell.line), [11, 14]);
  });

  it('accepts __proto__ and constructor as exercise ids, hidden checks and points', () => {
    const lesson = parsed(`${FRONT}\`\`\`ts exercise=__proto__\nlet a;\n\`\`\`\n\`\`\`ts exercise=constructor\nlet b;\n\`\`\`\n`
      + `\`\`\`ts check=__proto__ name="first" points=2.5 hidden\nexpect.that(true, 'x');\n\`\`\`\n`
      + `\`\`\`ts check=constructor name=second hidden=false\n\`\`\`\n`);
    assert.deepEqual(lesson.exercises.map((exercise) => [exercise.id, exercise.checks.map((check) => [check.name, check.points, check.hidden])]), [
      ['__proto__', [['first', 2.5, true]]],
      ['constructor', [['second', 1, false]]],
    ]);
  });
});

describe('lesson file: malformed files name the line and the problem', () => {
  const cases: [string, string, RegExp][] = [
    ['no front matter', '# Just prose\n', /^line 1: a lesson starts with front matter/],
    ['front matter never closed', '---\nid: x\ntitle: y\n', /^line 1: the front matter opened here is never closed/],
    ['front matter that is not YAML', '---\nid: x\ntitle: [unclosed\norder: 1\n---\n', /^line 4: the front matter is not valid YAML/],
    ['a missing field', '---\nid: a-b\ntitle: T\norder: 1\ngoals: [g]\n---\n', /^line 1: the front matter has no "minutes"/],
    ['a field of the wrong type', FRONT.replace('order: 1', 'order: first'), /^line 4: "order" must be a number, not the text "first"/],
    ['an id not in kebab-case', FRONT.replace('id: a-lesson', 'id: A Lesson'), /^line 2: "id" is "A Lesson", which is not allowed \(The lesson's id, in kebab-case/],
    ['no goals', FRONT.replace('goals:\n  - learn', 'goals: []'), /^line 6: "goals" must list at least 1 item/],
    ['a goal that is not text', FRONT.replace('  - learn', '  - learn\n  - 7'), /^line 8: "goals\[1\]" must be a string, not the number 7/],
    ['minutes not positive', FRONT.replace('minutes: 10', 'minutes: 0'), /^line 5: "minutes" must be greater than 0, not 0/],
    ['a duplicate key', FRONT.replace('order: 1', 'order: 1\norder: 2'), /^line 5: the front matter is not valid YAML: Map keys must be unique/],
    ['an unclosed ts fence', `${FRONT}\nProse.\n\n\`\`\`ts\nconst a = 1;\n`, /^line 12: the ``` fence opened here is never closed: close it with a line of ```/],
    ['an unclosed python fence', `${FRONT}\`\`\`ts\nok\n\`\`\`\n~~~~python\nprint(1)\n~~~\n`, /^line 12: the ~~~~ fence opened here is never closed/],
    ['a duplicate exercise id', `${FRONT}\`\`\`ts exercise=one\n\`\`\`\n\n\`\`\`ts exercise=one\n\`\`\`\n`, /^line 12: the exercise id "one" is used twice \(first on line 9\)/],
    ['a check for an unknown exercise', `${FRONT}\`\`\`ts check=nowhere name=x\n\`\`\`\n`, /^line 9: this check is for the exercise "nowhere", but no fence has exercise=nowhere/],
    ['a solution for an unknown exercise', `${FRONT}\`\`\`ts solution=nowhere\n\`\`\`\n`, /^line 9: this solution is for the exercise "nowhere"/],
    ['two solutions', `${FRONT}\`\`\`ts exercise=e\n\`\`\`\n\`\`\`ts solution=e\n\`\`\`\n\`\`\`ts solution=e\n\`\`\`\n`, /^line 13: the exercise "e" already has a solution \(line 11\)/],
    ['a check without a name', `${FRONT}\`\`\`ts exercise=e\n\`\`\`\n\`\`\`ts check=e points=2\n\`\`\`\n`, /^line 11: a check needs a name/],
    ['points that are not a number', `${FRONT}\`\`\`ts exercise=e\n\`\`\`\n\`\`\`ts check=e name=n points=two\n\`\`\`\n`, /^line 11: points= must be a number of points like points=2, not "two"/],
    ['two checks with one name', `${FRONT}\`\`\`ts exercise=e\n\`\`\`\n\`\`\`ts check=e name=n\n\`\`\`\n\`\`\`ts check=e name=n\n\`\`\`\n`, /^line 13: the exercise "e" has two checks named "n"/],
    ['an exercise id with spaces', `${FRONT}\`\`\`ts exercise="my exercise"\n\`\`\`\n`, /^line 9: exercise= needs an exercise id .*not "my exercise"/],
    ['an exercise without an id', `${FRONT}\`\`\`ts exercise\n\`\`\`\n`, /^line 9: exercise= needs an exercise id .*not nothing/],
    ['two roles on one fence', `${FRONT}\`\`\`ts exercise=e check=e name=n\n\`\`\`\n`, /^line 9: a fence is one of exercise=, check= or solution=/],
    ['an unclosed quote', `${FRONT}~~~ts check=e name="never closed\n~~~\n`, /^line 9: in this fence's attributes, the quoted value of "name" is never closed/],
    ['an exercise inside a list', `${FRONT}- item\n\n  \`\`\`ts exercise=e\n  \`\`\`\n`, /^line 11: this ```ts exercise=… fence is inside a list or a quote/],
  ];
  for (const [what, text, expected] of cases) {
    it(what, () => {
      const problems = problemsOf(text);
      assert.ok(problems.some((problem) => expected.test(problem)), `expected ${expected}, got:\n${problems.join('\n')}`);
    });
  }

  it('counts lines the same with CRLF, CR and a BOM', () => {
    for (const text of [`${FRONT}\n\`\`\`ts\nconst a = 1;\n`, `\uFEFF${FRONT}\n\`\`\`ts\nconst a = 1;\n`]) {
      for (const ending of ['\n', '\r\n', '\r']) {
        assert.deepEqual(problemsOf(withLineEndings(text, () => ending)), ['line 10: the ``` fence opened here is never closed: close it with a line of ```']);
      }
    }
  });

  it('refuses a file over 5 MB', () => {
    const huge = `${FRONT}${'x'.repeat(80)}\n`.repeat(66_000);
    assert.deepEqual(problemsOf(huge), [`line 1: the file is ${(Buffer.byteLength(huge) / 1024 / 1024).toFixed(1)} MB; a lesson file may be at most 5 MB`]);
    const multiByte = `${FRONT}${'é'.repeat(2_700_000)}`;  // 2.7 M characters, 5.4 MB in UTF-8
    assert.match(problemsOf(multiByte)[0], /^line 1: the file is 5\.1 MB/);
  });
});
