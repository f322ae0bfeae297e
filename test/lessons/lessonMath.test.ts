// Tests (lessons): the math in every bundled lesson renders on GitHub and in VS Code's Markdown — each formula closes
// on its own line, inline formulas do not start or end with a space, braces balance, and no LaTeX command lost its
// backslash (the syllabus's erratum: `\tanh` printed as a tab + "anh", `\text` as a tab + "ext").
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const lessonsFolder = join(__dirname, '..', '..', 'lessons');
const lessonFiles = readdirSync(lessonsFolder).filter((name) => name.endsWith('.lesson.md')).sort();

/** LaTeX commands the lessons use; written without their backslash they render as plain letters. */
const COMMANDS = ['tanh', 'text', 'mathrm', 'langle', 'rangle', 'frac', 'dfrac', 'tfrac', 'partial', 'odot', 'cdot', 'sqrt', 'hat', 'tilde', 'lVert', 'rVert', 'Gamma', 'sigma', 'approx', 'top', 'sum', 'dots', 'left', 'right', 'qquad', 'textstyle', 'begin', 'end'];
const LOST_BACKSLASH = new RegExp(`(?<![\\\\A-Za-z])(${COMMANDS.join('|')})(?![A-Za-z])`);

/** The problems of the math in one Markdown text, as "line N: …". Fenced code blocks and `inline code` are skipped. */
function mathProblems(markdown: string): string[] {
  const problems: string[] = [];
  let fence: string | undefined;
  markdown.split(/\r?\n/).forEach((line, index) => {
    const at = `line ${index + 1}`;
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      const marker = fenceMatch[1];
      if (fence === undefined) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
      return;
    }
    if (fence !== undefined) return;
    const text = line.replace(/`[^`]*`/g, '').replace(/\\\$/g, '');
    const dollars = text.match(/\$/g)?.length ?? 0;
    if (dollars % 2 === 1) problems.push(`${at}: a formula opens with $ and does not close on the same line: ${line.trim()}`);
    for (const match of text.matchAll(/\$\$(.+?)\$\$|\$([^$]+)\$/g)) {
      const formula = match[1] ?? match[2];
      if (match[2] !== undefined && /^\s|\s$/.test(match[2])) problems.push(`${at}: the inline formula $${match[2]}$ starts or ends with a space, so GitHub does not read it as math`);
      if (formula.includes('\t')) problems.push(`${at}: a tab inside $${formula}$ (a lost backslash: \\t…)`);
      const lost = LOST_BACKSLASH.exec(formula);
      if (lost) problems.push(`${at}: "${lost[1]}" without its backslash in $${formula}$`);
      let depth = 0;
      for (const [position, character] of [...formula].entries()) {
        if (formula[position - 1] === '\\') continue;
        if (character === '{') depth++;
        if (character === '}' && --depth < 0) break;
      }
      if (depth !== 0) problems.push(`${at}: the braces of $${formula}$ do not balance`);
    }
  });
  return problems;
}

describe('lessons: the math of the bundled lessons', () => {
  it('finds the bundled lessons', () => {
    assert.ok(lessonFiles.length >= 2, `expected lessons in ${lessonsFolder}, found ${lessonFiles.join(', ')}`);
  });

  for (const name of lessonFiles) {
    it(`${name}: every formula closes on its line, has balanced braces and keeps its backslashes`, () => {
      assert.deepEqual(mathProblems(readFileSync(join(lessonsFolder, name), 'utf8')), []);
    });
  }

  it('catches the syllabus erratum, a formula across lines, a space before the closing $ and unbalanced braces', () => {
    // The syllabus's own lines: '\t' in these strings is the tab that replaced the backslash.
    assert.deepEqual(mathProblems('- $a^{(t)} = \tanh(W_{aa}a^{(t-1)} + b_a)$\n- $\\hat{y}^{(t)} = \text{softmax}(W_{ya}a^{(t)})$'), [
      'line 1: a tab inside $a^{(t)} = \tanh(W_{aa}a^{(t-1)} + b_a)$ (a lost backslash: \\t…)',
      'line 2: a tab inside $\\hat{y}^{(t)} = \text{softmax}(W_{ya}a^{(t)})$ (a lost backslash: \\t…)',
    ]);
    assert.deepEqual(mathProblems('costs $1 +\n2$'), [
      'line 1: a formula opens with $ and does not close on the same line: costs $1 +',
      'line 2: a formula opens with $ and does not close on the same line: 2$',
    ]);
    assert.deepEqual(mathProblems('with $r^{T-1} = $ it'), ['line 1: the inline formula $r^{T-1} = $ starts or ends with a space, so GitHub does not read it as math']);
    assert.deepEqual(mathProblems('$\\frac{a}{b$'), ['line 1: the braces of $\\frac{a}{b$ do not balance']);
    assert.deepEqual(mathProblems('$a = tanh(x)$'), ['line 1: "tanh" without its backslash in $a = tanh(x)$']);
    assert.deepEqual(mathProblems('```ts\nconst price = $5 + $6;\n```\n`$x` and $\\tanh(x)$'), []);
  });
});
