// Every bundled lesson's code cells type-check as the editor's language worker reads them (src/extension/host: the
// cells as one program, a check cell on its own with `student` and `expect`) — with the starting code a learner opens,
// and with the reference solutions pasted into the exercises — so a learner never sees red on the lesson's own code.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LabLanguageService } from '../../src/extension/host/labLanguageService';
import { parseLabTypes, type LabTypes } from '../../src/extension/host/labTypes';
import { cellText, type CellText } from '../../src/extension/host/notebookSource';
import { formatProblem, parseLesson } from '../../src/lessons/lessonFile';
import { notebookFromParse, roleOfCell } from '../../src/lessons/lessonNotebook';
import { ensureBuilt, REPOSITORY } from '../cli/cliHarness';

const TYPES_FILE = join(REPOSITORY, 'dist', 'types', 'labTypes.json');
const LESSONS = join(REPOSITORY, 'lessons');
const lessonFiles = readdirSync(LESSONS).filter((name) => name.endsWith('.lesson.md')).sort();

type Variant = 'starting code' | 'reference solutions';

/**
 * The TypeScript errors of a lesson's code cells, one line each: `FILE, cell N (its first line), line:col: message`
 * (N counts every cell of the notebook from 1, prose included, as the editor lays them out; line:col is in the cell).
 * The notebook is the one the editor opens; with 'reference solutions' each exercise cell holds its solution instead
 * of its starting code (an exercise without one keeps its starting code).
 */
function lessonTypeErrors(service: LabLanguageService, name: string, text: string, variant: Variant): string[] {
  const parsed = parseLesson(text);
  if (!parsed.ok) assert.fail(`${name} does not read as a lesson:\n${parsed.problems.map(formatProblem).join('\n')}`);
  const solutions = new Map(parsed.lesson.exercises.map((exercise) => [exercise.id, exercise.solution]));
  const notebook = notebookFromParse(text, parsed, () => '');
  const cells: { readonly number: number; readonly text: CellText }[] = [];
  notebook.cells.forEach((cell, index) => {
    const role = roleOfCell(cell.metadata);
    const solution = variant === 'reference solutions' && role?.kind === 'exercise' ? solutions.get(role.exercise) : undefined;
    const read = cellText({ isCode: cell.kind === 'code', languageId: cell.languageId, source: solution ?? cell.value, metadata: cell.metadata });
    if (read) cells.push({ number: index + 1, text: read });
  });
  const texts = cells.map((cell) => cell.text);
  const errors: string[] = [];
  cells.forEach((cell, index) => {
    const lines = cell.text.source.split('\n');
    const firstLine = lines.find((line) => line.trim() !== '')?.trim() ?? '';
    for (const error of service.errors(texts, index)) {
      const before = cell.text.source.slice(0, error.start).split('\n');
      const position = `${before.length}:${before[before.length - 1].length + 1}`;
      errors.push(`${name}, cell ${cell.number} (${firstLine.length > 60 ? `${firstLine.slice(0, 57)}...` : firstLine}), ${position}: ${error.message}`);
    }
  });
  return errors;
}

describe('lessons: the code cells type-check as the editor reads them', () => {
  let types: LabTypes;

  before(() => {
    ensureBuilt();
    types = parseLabTypes(readFileSync(TYPES_FILE, 'utf8'));
  });

  it('finds the bundled lessons', () => {
    assert.ok(lessonFiles.length >= 6, `only ${lessonFiles.length} lessons in ${LESSONS}`);
  });

  for (const file of lessonFiles) {
    describe(file, () => {
      let service: LabLanguageService;
      before(() => {
        service = new LabLanguageService(types);
      });
      for (const variant of ['starting code', 'reference solutions'] as const) {
        it(`with the ${variant}: no TypeScript error`, () => {
          const errors = lessonTypeErrors(service, `lessons/${file}`, readFileSync(join(LESSONS, file), 'utf8'), variant);
          assert.deepEqual(errors, [], `TypeScript errors in lessons/${file} with the ${variant}:\n${errors.join('\n')}`);
        });
      }
    });
  }

  describe('what the test reports (a lesson written to fail it)', () => {
    const lesson = [
      '---', 'id: typed-lesson', 'title: A typed lesson', 'order: 1', 'minutes: 5', 'goals:', '  - type', '---', '',
      '# Typed', '',
      '```ts', "import { np } from 'rnn-lab';", 'const scale: number = 2;', 'const course = 3;', '```', '',
      'Write `twice`.', '',
      '```ts exercise=twice', 'function twice(x: number): number {', '  return 0;', '}', '```', '',
      '```ts solution=twice', 'function twice(x: number): number {', '  const label: string = x * scale;', '  return x * scale;', '}', '```', '',
      '```ts check=twice name="doubles"', 'expect.equal(await student.twice(2), 4);', 'expect.equal(await student.twice(\'2\'), unknownName);', '```', '',
      '```ts', "import { np, course } from 'rnn-lab';", 'const total: string = twice(1) + np.sum([1, 2]);', 'let once = 1;', 'let once = 2;', '```', '',
      '```ts', "import { show } from 'rnn-lab';", 'const show = 1;', '```', '',
      '```ts', 'const broken = [1, 2', '```', '',
    ].join('\n');

    it('names the file, the cell, the line and column and TypeScript\'s message, each in its own cell', () => {
      const service = new LabLanguageService(types);
      const starting = lessonTypeErrors(service, 'typed.lesson.md', lesson, 'starting code');
      assert.deepEqual(starting, [
        "typed.lesson.md, cell 6 (expect.equal(await student.twice(2), 4);), 2:40: Cannot find name 'unknownName'.",
        // np and course declared again (cell 2 imports np and declares course) are no error: the kernel re-declares
        // across cells; `once` twice in one cell is (the kernel refuses it: "Identifier 'once' has already been declared").
        "typed.lesson.md, cell 7 (import { np, course } from 'rnn-lab';), 2:7: Type 'number' is not assignable to type 'string'.",
        "typed.lesson.md, cell 7 (import { np, course } from 'rnn-lab';), 3:5: Cannot redeclare block-scoped variable 'once'.",
        "typed.lesson.md, cell 7 (import { np, course } from 'rnn-lab';), 4:5: Cannot redeclare block-scoped variable 'once'.",
        "typed.lesson.md, cell 8 (import { show } from 'rnn-lab';), 1:10: Import declaration conflicts with local declaration of 'show'.",
        // TypeScript reports the missing ']' after the cell's end: it is the cell's, at its end.
        "typed.lesson.md, cell 9 (const broken = [1, 2), 1:21: ',' expected.",
      ]);
      const solved = lessonTypeErrors(service, 'typed.lesson.md', lesson, 'reference solutions');
      assert.deepEqual(solved, [
        "typed.lesson.md, cell 4 (function twice(x: number): number {), 2:9: Type 'number' is not assignable to type 'string'.",
        ...starting,
      ]);
    });
  });
});
