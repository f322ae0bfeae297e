// VS Code glue: the extension's entry (dist/extension.js). Activation only constructs and registers — commands, the
// dashboard's serializer, the lesson notebooks' serializer and their cells' completion and hover; the output channel, the run manager and every worker thread start on first use.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { registerDashboard } from './dashboardPanel';
import { registerCellLanguage } from './lessons/cellLanguage';
import { registerLessonSerializer } from './lessons/lessonSerializer';
import { Services } from './services';

let services: Services | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  let activationMs = 0;
  services = new Services(context, () => activationMs);
  context.subscriptions.push(registerCommands(services), registerDashboard(services), registerLessonSerializer(), registerCellLanguage(context, services.log));
  activationMs = performance.now() - started;
}

/** Stops running trainings and gives them a moment to save their run folders. */
export async function deactivate(): Promise<void> {
  const current = services;
  services = undefined;
  await current?.dispose();
}
