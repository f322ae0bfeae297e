// Lessons layer: the part of markdown-it's API that lessonFile.ts and the lessons' rendering test use (the package
// ships no types of its own).
declare module 'markdown-it' {
  interface Token {
    readonly type: string;
    /** Nesting of the block: 0 at the top level, more inside lists and quotes. */
    readonly level: number;
    /** Source lines [first, after last), 0-based. */
    readonly map: [number, number] | null;
    readonly markup: string;
    readonly info: string;
    /** An inline token's source text, before escapes and emphasis are read. */
    readonly content: string;
    readonly children: Token[] | null;
  }
  class MarkdownIt {
    constructor(presetName?: 'commonmark' | 'default' | 'zero');
    constructor(presetName: 'commonmark' | 'default' | 'zero', options: { html?: boolean; linkify?: boolean; typographer?: boolean });
    parse(source: string, environment: object): Token[];
    render(source: string, environment?: object): string;
    readonly options: object;
    readonly renderer: { renderInline(tokens: readonly Token[], options: object, environment: object): string };
  }
  export default MarkdownIt;
}
