// VS Code glue: completion, hover and signature help for the 'rnn-lab' API in lesson notebook cells. VS Code's own
// TypeScript support cannot resolve `import … from 'rnn-lab'` in a notebook cell (cells are in-memory documents, each on
// its own), so these providers ask RNN Lab's language worker, which sees the notebook's cells as one program.
import * as vscode from 'vscode';
import { CellLanguageClient } from '../host/cellLanguageClient';
import type { CellPosition, CellSpan, CompletionEntry } from '../host/cellLanguageProtocol';
import { cellText } from '../host/notebookSource';
import { LESSON_NOTEBOOK_TYPE } from './notebookLesson';

const SELECTOR: vscode.DocumentSelector = { notebookType: LESSON_NOTEBOOK_TYPE, language: 'typescript' };

/** Registers the providers; the worker thread starts on the first request (opening a lesson costs nothing). */
export function registerCellLanguage(context: vscode.ExtensionContext, log?: (line: string) => void): vscode.Disposable {
  const client = new CellLanguageClient({
    script: vscode.Uri.joinPath(context.extensionUri, 'dist', 'languageWorker.js').fsPath,
    typesFile: vscode.Uri.joinPath(context.extensionUri, 'dist', 'types', 'labTypes.json').fsPath,
    ...(log ? { log } : {}),
  });
  const failed = (what: string) => (error: unknown): undefined => {
    log?.(`${what} in a lesson cell failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  };
  const completions: vscode.CompletionItemProvider<LabCompletionItem> = {
    async provideCompletionItems(document, position, token) {
      const where = cellPosition(document, position);
      if (!where) return undefined;
      const list = await client.request({ type: 'completions', position: where }, token).catch(failed('completion'));
      if (!list) return undefined;
      return list.entries.map((entry) => completionItem(document, entry, where));
    },
    async resolveCompletionItem(item, token) {
      const details = await client.request({ type: 'completionDetails', position: item.position, name: item.entry.name, ...(item.entry.source !== undefined ? { source: item.entry.source } : {}) }, token)
        .catch(failed('completion details'));
      if (details) {
        item.detail = details.signature;
        if (details.documentation) item.documentation = new vscode.MarkdownString(details.documentation);
      }
      return item;
    },
  };
  return vscode.Disposable.from(
    vscode.languages.registerCompletionItemProvider(SELECTOR, completions, '.', '\'', '"', '/'),
    vscode.languages.registerHoverProvider(SELECTOR, {
      async provideHover(document, position, token) {
        const where = cellPosition(document, position);
        if (!where) return undefined;
        const hover = await client.request({ type: 'hover', position: where }, token).catch(failed('hover'));
        if (!hover) return undefined;
        const markdown = new vscode.MarkdownString().appendCodeblock(hover.signature, 'typescript');
        if (hover.documentation) markdown.appendMarkdown(`\n\n${hover.documentation}`);
        return new vscode.Hover(markdown, rangeOf(document, hover.span));
      },
    }),
    vscode.languages.registerSignatureHelpProvider(SELECTOR, {
      async provideSignatureHelp(document, position, token) {
        const where = cellPosition(document, position);
        if (!where) return undefined;
        const help = await client.request({ type: 'signatureHelp', position: where }, token).catch(failed('signature help'));
        if (!help) return undefined;
        const result = new vscode.SignatureHelp();
        result.signatures = help.signatures.map((signature) => {
          const information = new vscode.SignatureInformation(signature.label, new vscode.MarkdownString(signature.documentation));
          information.parameters = signature.parameters.map((parameter) => new vscode.ParameterInformation([parameter.label[0], parameter.label[1]], parameter.documentation));
          return information;
        });
        result.activeSignature = help.activeSignature;
        result.activeParameter = help.activeParameter;
        return result;
      },
    }, { triggerCharacters: ['(', ','], retriggerCharacters: [')'] }),
    { dispose: () => void client.dispose() },
  );
}

/** A completion that remembers where it was asked, so its details can be asked for later. */
type LabCompletionItem = vscode.CompletionItem & { readonly entry: CompletionEntry; readonly position: CellPosition };

function completionItem(document: vscode.TextDocument, entry: CompletionEntry, position: CellPosition): LabCompletionItem {
  const item = Object.assign(new vscode.CompletionItem(entry.name, completionKind(entry.kind)), { entry, position });
  item.sortText = entry.sortText;
  if (entry.insertText !== undefined) item.insertText = entry.insertText;
  if (entry.replacement) item.range = rangeOf(document, entry.replacement);
  if (entry.kindModifiers.split(',').includes('deprecated')) item.tags = [vscode.CompletionItemTag.Deprecated];
  return item;
}

/** The notebook's code cells up to and with `document`, and the offset of `position` in it (undefined outside a lesson). */
function cellPosition(document: vscode.TextDocument, position: vscode.Position): CellPosition | undefined {
  for (const notebook of vscode.workspace.notebookDocuments) {
    if (notebook.notebookType !== LESSON_NOTEBOOK_TYPE) continue;
    const cells = notebook.getCells().flatMap((cell) => {
      const text = cellText({ isCode: cell.kind === vscode.NotebookCellKind.Code, languageId: cell.document.languageId, source: cell.document.getText(), metadata: cell.metadata });
      return text ? [{ document: cell.document, text }] : [];
    });
    const index = cells.findIndex((cell) => cell.document === document);
    if (index < 0) continue;
    return { cells: cells.map((cell) => cell.text), index, offset: document.offsetAt(position) };
  }
  return undefined;
}

function rangeOf(document: vscode.TextDocument, span: CellSpan): vscode.Range {
  return new vscode.Range(document.positionAt(span.start), document.positionAt(span.start + span.length));
}

/** TypeScript's element kinds as VS Code's completion kinds (the mapping VS Code's own TypeScript support uses). */
function completionKind(kind: string): vscode.CompletionItemKind {
  switch (kind) {
    case 'primitive type': case 'keyword': return vscode.CompletionItemKind.Keyword;
    case 'const': case 'let': case 'var': case 'local var': case 'alias': case 'parameter': return vscode.CompletionItemKind.Variable;
    case 'property': case 'getter': case 'setter': return vscode.CompletionItemKind.Field;
    case 'function': case 'local function': return vscode.CompletionItemKind.Function;
    case 'method': case 'construct': case 'call': case 'index': return vscode.CompletionItemKind.Method;
    case 'enum': return vscode.CompletionItemKind.Enum;
    case 'enum member': return vscode.CompletionItemKind.EnumMember;
    case 'module': case 'external module name': return vscode.CompletionItemKind.Module;
    case 'class': case 'type': return vscode.CompletionItemKind.Class;
    case 'interface': return vscode.CompletionItemKind.Interface;
    case 'type parameter': return vscode.CompletionItemKind.TypeParameter;
    case 'string': return vscode.CompletionItemKind.Constant;
    case 'directory': return vscode.CompletionItemKind.Folder;
    default: return vscode.CompletionItemKind.Property;
  }
}
