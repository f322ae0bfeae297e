// VS Code glue: the kernel's outputs written into a running cell — console text streamed into one output per stream,
// rich displays (live charts replaced in place by display id), the last value, errors with the cell's own stack, and
// the plain words for an interrupted, timed-out or crashed cell.
import * as vscode from 'vscode';
import type { OutputItem } from '../../kernel/protocol';
import type { OutputSink, RunOutcome } from '../../node/kernelProcess';
import { LatestUpdate } from '../host/latestUpdate';

const encoder = new TextEncoder();

function toOutputItems(items: readonly OutputItem[]): vscode.NotebookCellOutputItem[] {
  return items.map((item) => new vscode.NotebookCellOutputItem(encoder.encode(item.data), item.mime));
}

/** An OutputSink that writes into one cell execution. */
export class CellOutputSink implements OutputSink {
  private streamOutput: { readonly stream: 'stdout' | 'stderr'; readonly output: vscode.NotebookCellOutput } | undefined;
  /** Live displays by display id: their output, and its updates (one write in flight, only the newest waiting). */
  private readonly displays = new Map<string, { readonly output: vscode.NotebookCellOutput; readonly updates: LatestUpdate<readonly OutputItem[]> }>();

  constructor(private readonly execution: vscode.NotebookCellExecution) {}

  /** The cell the output goes to. */
  get cell(): vscode.NotebookCell {
    return this.execution.cell;
  }

  stream(stream: 'stdout' | 'stderr', text: string): void {
    const item = stream === 'stdout' ? vscode.NotebookCellOutputItem.stdout(text) : vscode.NotebookCellOutputItem.stderr(text);
    // Consecutive text of one stream goes into one output, as a terminal shows it.
    if (this.streamOutput?.stream === stream) {
      void this.execution.appendOutputItems(item, this.streamOutput.output);
      return;
    }
    const output = new vscode.NotebookCellOutput([item]);
    this.streamOutput = { stream, output };
    void this.execution.appendOutput(output);
  }

  display(items: readonly OutputItem[], displayId?: string): void {
    const output = new vscode.NotebookCellOutput(toOutputItems(items), displayId === undefined ? undefined : { displayId });
    if (displayId !== undefined) {
      this.displays.set(displayId, { output, updates: new LatestUpdate((latest) => this.execution.replaceOutputItems(toOutputItems(latest), output)) });
    }
    this.streamOutput = undefined;
    void this.execution.appendOutput(output);
  }

  updateDisplay(displayId: string, items: readonly OutputItem[]): void {
    const display = this.displays.get(displayId);
    if (display) display.updates.push(items);
    else this.display(items, displayId);
  }

  /** Ends the execution once every live display shows its newest update (the last one is the finished run). */
  async end(succeeded: boolean): Promise<void> {
    await Promise.all([...this.displays.values()].map((display) => display.updates.settled()));
    this.execution.end(succeeded, Date.now());
  }

  /** Plain text in the cell's output, outside the kernel's streams (RNN Lab's own messages). */
  note(text: string, stream: 'stdout' | 'stderr' = 'stderr'): void {
    this.stream(stream, text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Writes how the request ended; returns whether the cell succeeded. */
  finish(outcome: RunOutcome): boolean {
    switch (outcome.status) {
      case 'ok':
        if (outcome.value && outcome.value.length > 0) this.display(outcome.value);
        return true;
      case 'error': {
        this.streamOutput = undefined;
        void this.execution.appendOutput(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error({
          name: outcome.error.name, message: outcome.error.message, stack: outcome.error.stack,
        })]));
        return false;
      }
      default:
        this.note(outcome.restarted
          ? vscode.l10n.t('{0} The lesson\'s kernel restarted: its variables are gone, so run the cells above again.', outcome.message)
          : outcome.message);
        return false;
    }
  }
}
