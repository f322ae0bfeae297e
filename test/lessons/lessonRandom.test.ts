// Randomized (seeded) lesson-like files: every one the parser accepts is written back byte for byte, and a notebook
// edited at random (cells changed, added, deleted, moved) is written so that it reads back as the same cells.
import assert from 'node:assert/strict';
import { formatProblem, parseLesson } from '../../src/lessons/lessonFile';
import { notebookFromText, roleOfCell, textFromNotebook, type NotebookCellShape } from '../../src/lessons/lessonNotebook';

/** mulberry32: a small seeded generator, so a failure names its seed and can be replayed. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROSE = ['# A heading', 'Some prose with $a^{\\langle t \\rangle}$ math.', '- a list item', '1. numbered', '> a quote',
  '<details><summary>Solution</summary>', '</details>', '$$\\tanh(x)$$', 'text with trailing spaces   ', '    indented code',
  '<!-- cell -->', '', '', '| a | b |', '|---|---|', 'ends with a backslash\\', '***', 'Setext heading', '======'];
const CODE = ['const a = 1;', '  return np.tanh(x);', '', 'console.log(`a ${1}`);', '// ``` in a comment', 'const s = "~~~";', '\t\ttabbed'];

function randomLesson(random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const exercises: string[] = [];
  const blocks: string[][] = [];
  const blockCount = 1 + Math.floor(random() * 12);
  for (let block = 0; block < blockCount; block++) {
    const kind = random();
    const body = Array.from({ length: Math.floor(random() * 4) }, () => pick(CODE));
    if (kind < 0.35) {
      blocks.push(Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(PROSE)));
    } else {
      const fence = pick(['```', '```', '~~~', '````']);
      let info = pick(['ts', 'ts', 'typescript', 'python', 'text', 'ts unknown=1 flag']);
      if (info.startsWith('ts') && random() < 0.5) {
        if (exercises.length === 0 || random() < 0.4) {
          const id = pick(['rnn-cell', '__proto__', 'constructor', 'e1', 'e2', 'toString']);
          if (!exercises.includes(id)) {
            exercises.push(id);
            info = `ts exercise=${id}`;
          }
        } else if (random() < 0.7) {
          info = `ts check=${pick(exercises)} name="check ${block}" points=${Math.floor(random() * 3)}${random() < 0.3 ? ' hidden' : ''}`;
        }
      }
      const indent = random() < 0.15 ? '  ' : '';
      if (fence === '````') body.push('```');
      blocks.push([`${indent}${fence}${info}`, ...body.map((line) => (line === '' ? '' : indent + line)), `${indent}${fence}`]);
    }
    if (random() < 0.6) blocks[blocks.length - 1].push(...Array.from({ length: Math.floor(random() * 3) }, () => ''));
  }
  const front = ['---', 'id: random-lesson', 'title: "Random: a lesson"', 'order: 1', 'minutes: 5', 'goals:', '  - round trip', `extra: ${random()}`, '---'];
  const lines = [...front, ...blocks.flat()];
  const endings = random() < 0.5 ? ['\n'] : random() < 0.5 ? ['\r\n'] : ['\n', '\r\n', '\r\n'];
  let text = random() < 0.2 ? '\uFEFF' : '';
  lines.forEach((line, index) => {
    const next = lines[index + 1];
    let ending = pick(endings);
    if (random() < 0.05 && next !== '') ending = '\r';
    text += line + (index < lines.length - 1 || random() < 0.7 ? ending : '');
  });
  return text;
}

/** What a reader sees: each cell's role and text (blank lines around prose do not count). */
function cellsOf(text: string, seed: number): string[] {
  const result = parseLesson(text);
  if (!result.ok) assert.fail(`seed ${seed}: the written file does not read back:\n${result.problems.map(formatProblem).join('\n')}\n${JSON.stringify(text)}`);
  return result.lesson.cells.map((cell) => `${cell.kind === 'code' ? cell.role.kind : 'markdown'}: ${cell.source.replace(/^\n+|\n+$/g, '')}`);
}

describe('lesson file: randomized round trip (seeded)', () => {
  it('writes every accepted lesson back byte for byte, through the notebook too', () => {
    let accepted = 0;
    for (let seed = 1; seed <= 1500; seed++) {
      const text = randomLesson(generator(seed));
      if (!parseLesson(text).ok) continue;
      accepted++;
      const notebook = notebookFromText(text, () => 'notice');
      assert.equal(textFromNotebook(notebook), text, `seed ${seed}: ${JSON.stringify(text)}`);
    }
    assert.ok(accepted > 700, `only ${accepted} of 1500 random lessons parsed: the generator no longer tests much`);
  });

  it('writes an edited notebook so that it reads back as the cells the editor showed', () => {
    let checked = 0;
    for (let seed = 1; seed <= 800; seed++) {
      const random = generator(seed * 7919);
      const text = randomLesson(random);
      if (!parseLesson(text).ok) continue;
      const notebook = notebookFromText(text, () => 'notice');
      const cells: NotebookCellShape[] = [];
      for (const cell of notebook.cells) {
        const action = random();
        const role = roleOfCell(cell.metadata)?.kind;
        if (action < 0.1 && role !== 'exercise') continue;  // deleted (an exercise stays: its checks and solution need it)
        if (action < 0.35) cells.push({ ...cell, value: cell.kind === 'code' ? `${cell.value}\n// edited ${seed}\n\`\`\`` : `${cell.value}\n\nEdited ${seed}.` });
        else cells.push(cell);
        if (random() < 0.15) cells.push({ kind: 'markdown', value: `New prose ${seed}.`, languageId: 'markdown' });
        if (random() < 0.15) cells.push({ kind: 'code', value: `const added = ${seed};\n~~~\n\`\`\`\`\``, languageId: 'typescript' });
      }
      if (cells.length > 1 && random() < 0.3) {  // moved: two cells swap places
        const [first, second] = [Math.floor(random() * cells.length), Math.floor(random() * cells.length)];
        [cells[first], cells[second]] = [cells[second], cells[first]];
      }
      const written = textFromNotebook({ metadata: notebook.metadata, cells });
      const expected = cells.map((cell) => `${cell.kind === 'code' ? roleOfCell(cell.metadata)?.kind ?? 'code' : 'markdown'}: ${cell.value.replace(/^\n+|\n+$/g, '')}`);
      assert.deepEqual(cellsOf(written, seed), expected, `seed ${seed}`);
      assert.equal(textFromNotebook(notebookFromText(written, () => 'notice')), written, `seed ${seed}: the written file round-trips`);
      checked++;
    }
    assert.ok(checked > 300, `only ${checked} edited notebooks checked`);
  });
});
