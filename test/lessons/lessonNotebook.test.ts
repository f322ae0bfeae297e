// The editor's notebook for a lesson file, without VS Code: open ⇄ save byte for byte, edits written sensibly (kept
// fences and attributes, the file's line ending, `<!-- cell -->` between new prose cells), and the fallback for broken files.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLesson } from '../../src/lessons/lessonFile';
import { notebookFromText, roleOfCell, textFromNotebook, type NotebookCellShape, type NotebookShape } from '../../src/lessons/lessonNotebook';

const FIXTURES = join(__dirname, 'fixtures');
const notice = (problems: readonly { line: number; message: string }[]): string => `NOTICE ${problems.map((problem) => problem.line).join(',')}`;
const FRONT = '---\nid: a-lesson\ntitle: A lesson\norder: 1\nminutes: 10\ngoals:\n  - learn\n---\n';

function open(text: string): NotebookShape {
  return notebookFromText(text, notice);
}

/** The cells as VS Code hands them back after editing: the same objects with other values, new ones without metadata. */
function edited(notebook: NotebookShape, cells: NotebookCellShape[]): NotebookShape {
  return { metadata: notebook.metadata, cells };
}

function cellsOf(text: string): [string, string][] {
  const result = parseLesson(text);
  if (!result.ok) assert.fail(result.problems.map((problem) => `line ${problem.line}: ${problem.message}`).join('\n'));
  return result.lesson.cells.map((cell) => [cell.kind === 'code' ? cell.role.kind : 'markdown', cell.source]);
}

describe('lesson notebook', () => {
  const lesson = readFileSync(join(FIXTURES, 'the-rnn-cell.lesson.md'), 'utf8');

  it('opens and saves every fixture byte for byte, also with CRLF and a BOM', () => {
    for (const name of ['the-rnn-cell.lesson.md', 'fences.lesson.md', 'no-final-newline.lesson.md']) {
      const text = readFileSync(join(FIXTURES, name), 'utf8');
      for (const variant of [text, `\uFEFF${text.replace(/\n/g, '\r\n')}`]) assert.equal(textFromNotebook(open(variant)), variant, name);
    }
  });

  it('gives each cell its role in metadata: exercise, check (name, points), code, markdown', () => {
    const notebook = open(lesson);
    assert.deepEqual(notebook.cells.map((cell) => [cell.kind, cell.languageId, roleOfCell(cell.metadata)]), [
      ['markdown', 'markdown', { kind: 'markdown' }],
      ['code', 'typescript', { kind: 'code' }],
      ['code', 'typescript', { kind: 'exercise', exercise: 'rnn-cell-forward' }],
      ['code', 'typescript', { kind: 'check', exercise: 'rnn-cell-forward', name: "a_next on the course's seed-1 inputs", points: 2, hidden: false }],
      ['markdown', 'markdown', { kind: 'markdown' }],
    ]);
    assert.equal(roleOfCell(undefined), undefined);
    assert.equal(roleOfCell({ rnnLab: { role: { kind: 'exercise' } } }), undefined, 'metadata not shaped as ours is no role');
  });

  it('writes an edited code cell inside its own fence, attributes kept, and leaves every other byte alone', () => {
    const notebook = open(lesson);
    const cells = [...notebook.cells];
    cells[2] = { ...cells[2], value: 'function rnnCellForward() {\n  return 1;\n}' };
    const text = textFromNotebook(edited(notebook, cells));
    assert.equal(text, lesson.replace("  throw new Error('Write rnnCellForward here');", '  return 1;').replace('(xt: Tensor, aPrev: Tensor, parameters: Parameters) {\n  return 1', '() {\n  return 1'));
  });

  it('writes edited and new cells in the file\'s line ending (CRLF stays CRLF)', () => {
    const crlf = lesson.replace(/\n/g, '\r\n');
    const notebook = open(crlf);
    const cells = [...notebook.cells];
    cells[0] = { ...cells[0], value: '# The RNN cell\n\nNew prose.' };
    cells.push({ kind: 'code', value: 'const added = 1;\nconsole.log(added);', languageId: 'typescript' });
    const text = textFromNotebook(edited(notebook, cells));
    assert.ok(!/(?<!\r)\n/.test(text), 'no bare \\n in a CRLF file');
    assert.ok(text.startsWith(crlf.slice(0, crlf.indexOf('# The RNN cell'))));
    assert.ok(text.endsWith('</details>\r\n\r\n```ts\r\nconst added = 1;\r\nconsole.log(added);\r\n```\r\n'), JSON.stringify(text.slice(-80)));
    assert.deepEqual(cellsOf(text).map(([role]) => role), ['markdown', 'code', 'exercise', 'check', 'markdown', 'code']);
  });

  it('separates a new prose cell from the prose before it with <!-- cell -->, so it reads back as two cells', () => {
    const notebook = open(lesson);
    const cells = [...notebook.cells];
    cells.splice(1, 0, { kind: 'markdown', value: 'A new paragraph.', languageId: 'markdown' });
    cells.push({ kind: 'markdown', value: 'A closing question.', languageId: 'markdown' });
    const text = textFromNotebook(edited(notebook, cells));
    assert.ok(text.includes('b_a)$\n\n<!-- cell -->\n\nA new paragraph.\n\n```ts\n'), text);
    assert.ok(text.endsWith('</details>\n\n<!-- cell -->\n\nA closing question.\n'), text);
    assert.deepEqual(cellsOf(text).map(([role, source]) => [role, source.slice(0, 16)]), [
      ['markdown', '# The RNN cell\n\n'], ['markdown', 'A new paragraph.'], ['code', "import { course,"], ['exercise', 'function rnnCell'],
      ['check', 'const [xt, aPrev'], ['markdown', '<details><summar'], ['markdown', 'A closing questi'],
    ]);
  });

  it('deleting the code between two prose cells keeps them two cells', () => {
    const notebook = open(`${FRONT}\nFirst.\n\n\`\`\`ts\nconst a = 1;\n\`\`\`\nSecond.\n`);
    const text = textFromNotebook(edited(notebook, [notebook.cells[0], notebook.cells[2]]));
    assert.equal(text, `${FRONT}\nFirst.\n\n<!-- cell -->\n\nSecond.\n`);
    assert.deepEqual(cellsOf(text), [['markdown', 'First.'], ['markdown', 'Second.']]);
  });

  it('gives code holding ``` lines a longer fence, for new and for edited cells', () => {
    const notebook = open(lesson);
    const code = 'const readme = `\n```\nnot the end\n````\n`;';
    const cells = [...notebook.cells];
    cells[1] = { ...cells[1], value: code };
    cells.push({ kind: 'code', value: code, languageId: 'typescript' });
    const text = textFromNotebook(edited(notebook, cells));
    const sources = cellsOf(text).filter(([role]) => role === 'code').map(([, source]) => source);
    assert.deepEqual(sources, [code, code]);
    assert.ok(text.includes('`````ts\nconst readme'), text);
  });

  it('never merges a lone CR and a following LF into one line ending', () => {
    // An HTML block ends only at a blank line: were the blank line lost, the code would become part of it.
    const notebook = open(`${FRONT}\n<div>A block ending in a lone CR.</div>\r`);
    const cells = [...notebook.cells, { kind: 'code' as const, value: '\nconst added = 1;', languageId: 'typescript' }];
    assert.deepEqual(cellsOf(textFromNotebook(edited(notebook, cells))), [['markdown', '<div>A block ending in a lone CR.</div>'], ['code', '\nconst added = 1;']]);
  });

  it('takes the indentation off an indented fence that no longer follows what it followed, so a list cannot take it in', () => {
    const notebook = open(`${FRONT}\n- a list item\n\nProse.\n\n  \`\`\`ts\n  const a = 1;\n  \`\`\`\n`);
    const text = textFromNotebook(edited(notebook, [notebook.cells[0], notebook.cells[1]]));
    assert.equal(text, `${FRONT}\n- a list item\n\nProse.\n\n  \`\`\`ts\n  const a = 1;\n  \`\`\`\n`, 'unmoved, it stays as it was');
    const withoutProse = textFromNotebook(edited(notebook, [{ ...notebook.cells[0], value: '- a list item' }, notebook.cells[1]]));
    assert.deepEqual(cellsOf(withoutProse), [['markdown', '- a list item'], ['code', 'const a = 1;']]);
    assert.ok(withoutProse.endsWith('- a list item\n\n```ts\nconst a = 1;\n```\n'), JSON.stringify(withoutProse));
  });

  it('writes a pasted copy of an exercise or check cell as plain code: one id, one exercise', () => {
    const notebook = open(lesson);
    const cells = [...notebook.cells];
    cells.splice(3, 0, { ...cells[2] }, { ...cells[3] });
    const text = textFromNotebook(edited(notebook, cells));
    assert.deepEqual(cellsOf(text).map(([role]) => role), ['markdown', 'code', 'exercise', 'code', 'check', 'code', 'markdown']);
  });

  it('opens a malformed file as a notice and ONE raw cell, and saves it back exactly, edited or not', () => {
    const broken = `\uFEFF${FRONT}\r\n\`\`\`ts\r\nconst never = 'closed';\r\n`.replace(/\n/g, '\r\n').replace(/\r\r/g, '\r');
    const notebook = open(broken);
    assert.deepEqual(notebook.cells.map((cell) => [cell.kind, cell.languageId, roleOfCell(cell.metadata)?.kind]), [
      ['markdown', 'markdown', 'notice'], ['code', 'markdown', 'raw'],
    ]);
    assert.equal(notebook.cells[0].value, 'NOTICE 10');
    assert.equal(notebook.cells[1].value, broken.slice(1).replace(/\r\n/g, '\n'), 'the raw cell shows the whole text');
    assert.equal(textFromNotebook(notebook), broken);
    const fixed = [notebook.cells[0], { ...notebook.cells[1], value: `${notebook.cells[1].value}\`\`\`\n` }];
    const text = textFromNotebook(edited(notebook, fixed));
    assert.equal(text, `${broken}\`\`\`\r\n`, 'an edited raw cell is written in the file\'s line ending, BOM kept, notice dropped');
    assert.deepEqual(cellsOf(text).map(([role]) => role), ['code']);
  });

  it('never gives an empty notebook: an empty file opens as a notice and an empty raw cell', () => {
    const notebook = open('');
    assert.equal(notebook.cells.length, 2);
    assert.equal(textFromNotebook(notebook), '');
  });
});
