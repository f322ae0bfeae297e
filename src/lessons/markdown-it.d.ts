// Lessons layer: the part of markdown-it's API that lessonFile.ts uses (the package ships no types of its own).
declare module 'markdown-it' {
  interface Token {
    readonly type: string;
    /** Nesting of the block: 0 at the top level, more inside lists and quotes. */
    readonly level: number;
    /** Source lines [first, after last), 0-based. */
    readonly map: [number, number] | null;
    readonly markup: string;
    readonly info: string;
  }
  class MarkdownIt {
    constructor(presetName?: 'commonmark' | 'default' | 'zero');
    parse(source: string, environment: object): Token[];
  }
  export default MarkdownIt;
}
