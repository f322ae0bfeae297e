// Lessons layer: the info string of a fenced block — ```` ```ts check=rnn-cell-forward points=2 name="a_next" hidden ````
// — read into its language word and attributes (`key=value`, `key="value with spaces"`, bare `flag`). Pure.

export interface FenceInfo {
  /** The first word, lower-cased: `ts`, `typescript`, `python`, … (empty for a bare fence). */
  readonly language: string;
  /** Attributes in the order written; a bare flag has the value `true`. A Map, so `__proto__` is an ordinary key. */
  readonly attributes: ReadonlyMap<string, string | true>;
}

export type FenceInfoResult = { readonly ok: true; readonly info: FenceInfo } | { readonly ok: false; readonly message: string };

/** Languages whose fences become code cells. */
export const CODE_LANGUAGES: ReadonlySet<string> = new Set(['ts', 'typescript']);

const KEY = /[A-Za-z_][A-Za-z0-9_-]*/y;

/**
 * Reads an info string. Values may be quoted with `"` (inside, `\"` is a quote and `\\` a backslash) or bare (up to the
 * next space). A repeated key or an unclosed quote is an error, named in the message.
 */
export function parseFenceInfo(infoString: string): FenceInfoResult {
  const text = infoString.trim();
  const languageEnd = text.search(/\s/);
  const language = (languageEnd < 0 ? text : text.slice(0, languageEnd)).toLowerCase();
  const attributes = new Map<string, string | true>();
  let position = languageEnd < 0 ? text.length : languageEnd;
  while (position < text.length) {
    if (/\s/.test(text[position])) {
      position++;
      continue;
    }
    KEY.lastIndex = position;
    const key = KEY.exec(text)?.[0];
    if (key === undefined) {
      const word = text.slice(position).split(/\s/)[0];
      return { ok: false, message: `"${word}" is not an attribute: write key=value, key="value with spaces" or a bare flag` };
    }
    position += key.length;
    if (attributes.has(key)) return { ok: false, message: `the attribute "${key}" is given twice` };
    if (position >= text.length || /\s/.test(text[position])) {
      attributes.set(key, true);
      continue;
    }
    if (text[position] !== '=') {
      const word = text.slice(position - key.length).split(/\s/)[0];
      return { ok: false, message: `"${word}" is not an attribute: write key=value, key="value with spaces" or a bare flag` };
    }
    position++;
    if (text[position] === '"') {
      let value = '';
      position++;
      while (position < text.length && text[position] !== '"') {
        if (text[position] === '\\' && (text[position + 1] === '"' || text[position + 1] === '\\')) position++;
        value += text[position];
        position++;
      }
      if (position >= text.length) return { ok: false, message: `the quoted value of "${key}" is never closed: add a closing "` };
      position++;
      attributes.set(key, value);
    } else {
      const end = text.slice(position).search(/\s/);
      const value = end < 0 ? text.slice(position) : text.slice(position, position + end);
      position += value.length;
      attributes.set(key, value);
    }
  }
  return { ok: true, info: { language, attributes } };
}

