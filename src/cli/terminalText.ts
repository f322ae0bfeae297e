// CLI layer: text from files (a model's vocabulary, sampled text, folder names, messages quoting a file) made inert
// before it reaches a terminal, so it can never move the cursor, retitle the window, hide text or reorder a line.

/**
 * What a terminal would act on rather than show: C0 controls other than line feed and tab (ESC starts CSI and OSC
 * sequences; CR rewrites the line), DEL, the C1 controls U+0080–U+009F (U+009B is a one-character CSI), and the
 * Unicode bidirectional controls that reorder what is shown (U+202E "right-to-left override" and its kin).
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with each unsafe character written out as an escape a reader can see: ESC becomes `\x1b`, U+202E `\u202e`. */
export function inertText(text: string): string {
  return text.replace(UNSAFE, (character) => {
    const code = character.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * A line of JSON with each unsafe character as a `\u` escape, which JSON reads back as the same character: the line
 * stays valid JSON with the same value, and inert on a terminal. (JSON.stringify escapes C0 controls but not C1 or bidi.)
 */
export function inertJson(json: string): string {
  return json.replace(UNSAFE, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
