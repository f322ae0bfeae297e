// VS Code glue: Workspace Trust. Commands that train or sample run the engine in a worker thread and write run
// files, so in Restricted Mode they refuse with the reason and a way to change it; nothing runs automatically anyway.
import * as vscode from 'vscode';

/** True in a trusted workspace; otherwise explains, offers "Manage Workspace Trust", and returns false. */
export async function ensureTrusted(what: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const manage = vscode.l10n.t('Manage Workspace Trust');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('{0} is not available in Restricted Mode: it runs the RNN Lab engine in a worker thread and writes run files into this workspace. Trust the workspace to train and sample; saved runs can still be viewed and exported.', what),
    manage,
  );
  if (answer === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
