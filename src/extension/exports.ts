// VS Code glue: writing a run's metrics (CSV) or a chart (PNG) to a file the user picks in a save dialog. The
// dashboard may ask for an export, but only the user chooses where it goes.
import { writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { Services } from './services';

function defaultFolder(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

/** Asks where, then writes the run's metrics.jsonl as CSV there; returns the file or undefined when cancelled. */
export async function exportRunCsv(services: Services, runId: string): Promise<vscode.Uri | undefined> {
  const folder = defaultFolder();
  const target = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export the metrics of {0} as CSV', runId),
    saveLabel: vscode.l10n.t('Export'),
    filters: { [vscode.l10n.t('CSV files')]: ['csv'] },
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `${runId}-metrics.csv`) } : {}),
  });
  if (!target) return undefined;
  if (target.scheme !== 'file') throw new Error(vscode.l10n.t('RNN Lab can only export to a file on this machine, not {0}', target.toString()));
  const rows = await services.runs.exportCsv(runId, target.fsPath);
  services.log(`Exported ${rows} steps of ${runId} to ${target.fsPath}`);
  const open = vscode.l10n.t('Open');
  void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} steps of {1} to {2}', rows, runId, target.fsPath), open).then((answer) => {
    if (answer === open) void vscode.window.showTextDocument(target);
  });
  return target;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A chart image the dashboard drew: checked to be a PNG, written where the user says. */
export async function exportPng(chart: string, dataUrl: string): Promise<vscode.Uri | undefined> {
  const bytes = Buffer.from(dataUrl.slice('data:image/png;base64,'.length), 'base64');
  if (bytes.length < PNG_SIGNATURE.length || !bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) {
    throw new Error(vscode.l10n.t('The dashboard sent an image that is not a PNG; nothing was saved.'));
  }
  const folder = defaultFolder();
  const target = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Save the {0} chart as PNG', chart),
    saveLabel: vscode.l10n.t('Save'),
    filters: { [vscode.l10n.t('PNG images')]: ['png'] },
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `${chart}.png`) } : {}),
  });
  if (!target) return undefined;
  if (target.scheme === 'file') await writeFile(target.fsPath, bytes);
  else await vscode.workspace.fs.writeFile(target, bytes);
  return target;
}
