// Tests (lessons): every bundled lesson reads cleanly as a Markdown page, rendered the way GitHub renders a .md file —
// the front matter is a YAML block (not a rule and a stray paragraph), every formula reaches the math renderer as
// written (GitHub runs Markdown before MathJax: `\,` loses its backslash, `_…_` turns into emphasis), and every ts
// fence, the solutions inside <details> included, is a code block with language ts.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { parseDocument } from 'yaml';

const lessonsFolder = join(__dirname, '..', '..', 'lessons');
const lessonFiles = readdirSync(lessonsFolder).filter((name) => name.endsWith('.lesson.md')).sort();

// GitHub's Markdown: CommonMark with raw HTML (<details>) and tables.
const markdown = new MarkdownIt('default', { html: true, linkify: false, typographer: false });

/** GitHub shows front matter only when the file's first line is `---` and a later line `---` closes it. */
const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const collapse = (text: string): string => text.replace(/\s+/g, ' ');

/** What would be noise on GitHub in one lesson file, in words. */
function renderingProblems(text: string): string[] {
  const problems: string[] = [];
  const frontMatter = FRONT_MATTER.exec(text);
  if (!frontMatter) {
    problems.push('the file does not start with a front matter block GitHub recognises (a first line `---`, closed by a line `---`): it would render as a rule and a paragraph of YAML');
  } else {
    const document = parseDocument(frontMatter[1]);
    if (document.errors.length > 0 || typeof document.toJS() !== 'object' || document.toJS() === null || Array.isArray(document.toJS())) {
      problems.push(`the front matter is not a YAML mapping: ${document.errors[0]?.message ?? 'not key: value lines'}`);
    }
  }
  const body = frontMatter ? text.slice(frontMatter[0].length) : text;

  for (const token of markdown.parse(body, {})) {
    if (token.type !== 'inline' || !token.children) continue;
    const source = token.content.replace(/(`+)[\s\S]*?\1/g, '');
    const rendered = collapse(markdown.renderer.renderInline(token.children, markdown.options, {}));
    if ((source.match(/\$/g)?.length ?? 0) % 2 === 1) problems.push(`a $ without its pair (a formula broken apart, e.g. by | in a table): ${collapse(token.content)}`);
    for (const [formula] of source.matchAll(/\$\$[\s\S]+?\$\$|\$[^$]+?\$/g)) {
      if (!rendered.includes(escapeHtml(collapse(formula)))) problems.push(`Markdown changes the formula ${collapse(formula)} before MathJax sees it (an escaped character or emphasis): it renders as ${rendered.slice(0, 300)}`);
    }
  }

  const html = markdown.render(body);
  const tsFences = body.split(/\r?\n/).filter((line) => /^ {0,3}(`{3,}|~{3,})\s*(ts|typescript)(\s|$)/.test(line)).length;
  const tsBlocks = html.match(/<pre><code class="language-(ts|typescript)"/g)?.length ?? 0;
  if (tsBlocks !== tsFences) problems.push(`${tsFences} ts fences but ${tsBlocks} rendered as ts code blocks (a fence right after <details><summary>…</summary> with no blank line stays raw HTML)`);
  return problems;
}

describe('lessons render as Markdown pages (GitHub)', () => {
  it('finds the bundled lessons', () => {
    assert.ok(lessonFiles.length >= 2, `lessons/*.lesson.md: ${lessonFiles.join(', ')}`);
  });

  for (const file of lessonFiles) {
    it(`${file}: front matter, math and fences survive`, () => {
      assert.deepEqual(renderingProblems(readFileSync(join(lessonsFolder, file), 'utf8')), []);
    });
  }

  it('names each kind of noise (negative control)', () => {
    const good = '---\nid: x\ntitle: X\n---\n\n# X\n\n$a^{\\langle t \\rangle}$ and $W_{aa}$\n\n```ts\nconst a = 1;\n```\n';
    assert.deepEqual(renderingProblems(good), []);
    assert.match(renderingProblems(`\n${good}`)[0], /does not start with a front matter block/);
    assert.match(renderingProblems(good.replace('title: X', 'title: [X')).join(), /not a YAML mapping/);
    assert.match(renderingProblems(good.replace('$W_{aa}$', '$W_{aa}\\, a$')).join(), /changes the formula \$W_\{aa\}\\, a\$/);
    assert.match(renderingProblems(good.replace('$W_{aa}$', '$\\{x\\}$')).join(), /changes the formula/);
    assert.match(renderingProblems(good.replace('$W_{aa}$', '$x_*$ and $y_*$')).join(), /changes the formula/);
    assert.match(renderingProblems(good.replace('$W_{aa}$', '$$a \\\\ b$$')).join(), /changes the formula/);
    assert.match(renderingProblems(`${good}\n| a | b |\n|---|---|\n| $x | y$ | 1 |\n`).join(), /a \$ without its pair/);
    assert.match(renderingProblems(`${good}\n<details><summary>Solution</summary>\n\`\`\`ts solution=x\nconst a = 2;\n\`\`\`\n\n</details>\n`).join(), /2 ts fences but 1 rendered/);
  });
});
