// Extension host ⇄ language worker (dist/languageWorker.js): the requests for completion, hover and signature help in
// a lesson cell, and their answers. Plain data (structured clone); every offset is UTF-16 code units into the cell's text.
import type { CellText } from './notebookSource';

/** Where the learner is: the notebook's code cells in order (sent whole with every request: they are small), one cell and an offset in it. */
export interface CellPosition {
  readonly cells: readonly CellText[];
  readonly index: number;
  readonly offset: number;
}

export interface CellSpan {
  readonly start: number;
  readonly length: number;
}

export interface CompletionEntry {
  readonly name: string;
  /** TypeScript's ScriptElementKind: 'function', 'method', 'property', 'const', 'keyword', 'module', … */
  readonly kind: string;
  /** Comma-separated: 'optional', 'deprecated', 'declare', … */
  readonly kindModifiers: string;
  readonly sortText: string;
  readonly insertText?: string;
  /** The text the completion replaces, when TypeScript names one. */
  readonly replacement?: CellSpan;
  /** Passed back unchanged to ask for the entry's details (an auto-import's module, TypeScript's own data). */
  readonly source?: string;
}

export interface CompletionList {
  readonly entries: readonly CompletionEntry[];
  /** After `.`: the list is the members of a value, not every name in scope. */
  readonly isMemberCompletion: boolean;
}

/** A symbol in words: its declaration (`function rnnCellForward(xt: TensorLike, …): […]`) and its doc comment as Markdown. */
export interface SymbolDocumentation {
  readonly signature: string;
  readonly documentation: string;
}

export interface HoverInfo extends SymbolDocumentation {
  readonly span: CellSpan;
}

export interface SignatureParameter {
  /** Start and end of the parameter inside the signature's label. */
  readonly label: readonly [number, number];
  readonly documentation: string;
}

export interface SignatureInfo {
  readonly label: string;
  readonly documentation: string;
  readonly parameters: readonly SignatureParameter[];
}

export interface SignatureHelpInfo {
  readonly signatures: readonly SignatureInfo[];
  readonly activeSignature: number;
  readonly activeParameter: number;
}

export type LanguageRequest =
  | { readonly type: 'completions'; readonly position: CellPosition }
  | { readonly type: 'completionDetails'; readonly position: CellPosition; readonly name: string; readonly source?: string }
  | { readonly type: 'hover'; readonly position: CellPosition }
  | { readonly type: 'signatureHelp'; readonly position: CellPosition };

/** The answer to each request type (`undefined`: nothing to offer there). */
export interface LanguageAnswers {
  readonly completions: CompletionList | undefined;
  readonly completionDetails: SymbolDocumentation | undefined;
  readonly hover: HoverInfo | undefined;
  readonly signatureHelp: SignatureHelpInfo | undefined;
}

export type ToLanguageWorker = LanguageRequest & { readonly requestId: number };

export type FromLanguageWorker =
  | { readonly type: 'answer'; readonly requestId: number; readonly answer: LanguageAnswers[LanguageRequest['type']] }
  /** The request was cancelled by the host while it waited or ran. */
  | { readonly type: 'cancelled'; readonly requestId: number }
  | { readonly type: 'error'; readonly requestId: number; readonly message: string };

/** Size of the shared ring of cancellation flags: request `id` is cancelled when slot `id % CANCEL_SLOTS` holds `id`. */
export const CANCEL_SLOTS = 256;

/** What the host gives the worker thread at start. */
export interface LanguageWorkerData {
  /** Absolute path of dist/types/labTypes.json. */
  readonly typesFile: string;
  /** Int32Array of CANCEL_SLOTS over a SharedArrayBuffer. */
  readonly cancelled: SharedArrayBuffer;
}
