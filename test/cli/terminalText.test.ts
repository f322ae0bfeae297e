// Text from files reaches the terminal inert: escape sequences, C1 controls and bidi overrides are shown, not obeyed.
import assert from 'node:assert/strict';
import { inertJson, inertText } from '../../src/cli/terminalText';

const HOSTILE = 'a\u001b]0;owned\u0007b\u001b[2Jc\u009b31md\u202eevil\u2066e\rf\u007fg';

describe('terminal text', () => {
  it('writes out ESC, BEL, CR, DEL, C1 controls and bidi controls as visible escapes; keeps text, newlines and tabs', () => {
    assert.equal(inertText(HOSTILE), 'a\\x1b]0;owned\\x07b\\x1b[2Jc\\x9b31md\\u202eevil\\u2066e\\x0df\\x7fg');
    assert.equal(inertText('tyrannosaurus\n\tHé, ça va? 日本 🦕'), 'tyrannosaurus\n\tHé, ça va? 日本 🦕');
    assert.doesNotMatch(inertText(HOSTILE), /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });

  it('keeps a JSON line valid and its value the same, with nothing a terminal would obey', () => {
    const line = JSON.stringify({ runDirectory: HOSTILE });
    assert.match(line, /[\u0080-\u009f\u202e]/, 'JSON.stringify alone leaves C1 and bidi controls raw (why inertJson exists)');
    const inert = inertJson(line);
    assert.doesNotMatch(inert, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    assert.deepEqual(JSON.parse(inert), { runDirectory: HOSTILE });
  });
});
