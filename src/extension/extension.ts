// VS Code glue: the extension's entry (dist/extension.js). Activation only constructs and registers — commands, the
// dashboard's serializer, the lesson notebooks' serializer, their cells' completion and hover, and the lessons'
// controller, view and commands; the output channel, the run manager, every worker thread and every lesson kernel start
// on first use.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { registerDashboard } from './dashboardPanel';
import { registerCellLanguage } from './lessons/cellLanguage';
import { registerLessons } from './lessons/lessonsFeature';
import { registerLessonSerializer } from './lessons/lessonSerializer';
import { Services } from './services';

let services: Services | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  let activationMs = 0;
  services = new Services(context, () => activationMs);
  context.subscriptions.push(registerCommands(services), registerDashboard(services), registerLessonSerializer(), registerCellLanguage(context, services.log), registerLessons(services));
  activationMs = performance.now() - started;
}

/** Stops running trainings and gives them a moment to save their run folders. */
export async function deactivate(): Promise<void> {
  const current = services;
  services = undefined;
  await current?.dispose();
}
