// Engine tests: the worked examples of docs/course.md run as written (against the built dist/engine.js, as a user
// would require it) and print exactly what the document says they print.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ensureBuilt, REPOSITORY } from '../cli/cliHarness';

const DOC = join(REPOSITORY, 'docs', 'course.md');
const ENGINE = join(REPOSITORY, 'dist', 'engine.js');

interface Example {
  readonly name: string;
  readonly code: string;
  readonly printed: string;
}

/** Every `<!-- course-doc-example: NAME -->` followed by a ```js block and, after it, the ```text block it prints. */
function examples(markdown: string): Example[] {
  const pattern = /<!-- course-doc-example: ([\w-]+) -->\n```js\n([\s\S]*?)```\n[\s\S]*?```text\n([\s\S]*?)```/g;
  return [...markdown.matchAll(pattern)].map(([, name, code, printed]) => ({ name, code, printed }));
}

/** Line breaks and indentation of console.log's output depend on its width rules, not on the values: compare the rest. */
function withoutLayout(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\[ /g, '[').replace(/ \]/g, ']').trim();
}

describe('docs/course.md: the worked examples run and print what the document shows', () => {
  before(function () {
    this.timeout(120_000);
    ensureBuilt();
  });

  const found = examples(readFileSync(DOC, 'utf8'));

  it('has its worked examples', () => {
    assert.deepEqual(found.map((example) => example.name), ['rnn_cell_forward', 'lstm_backward', 'np_rnn_cell_forward'], 'docs/course.md lost a worked example');
  });

  for (const example of found) {
    it(`${example.name}: prints the output shown under it`, () => {
      assert.ok(example.code.includes("require('rnn-lab/dist/engine.js')"), 'the example should require the engine as a user does');
      const code = example.code.replaceAll("require('rnn-lab/dist/engine.js')", `require(${JSON.stringify(ENGINE)})`);
      const stdout = execFileSync(process.execPath, ['-e', code], { encoding: 'utf8' });
      assert.equal(withoutLayout(stdout), withoutLayout(example.printed));
    });
  }
});
