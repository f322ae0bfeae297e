// VS Code glue: runs the New Training Run / Compare Cells steps (src/extension/host/newRunWizard.ts) as one quick
// input per step, each pre-filled with its default, "(i/N)" in the title, and a Back button from the second step on.
import * as vscode from 'vscode';
import { wizardStep, wizardStepIds, type Draft, type WizardStep } from './host/newRunWizard';

const BACK = 'back';
type StepResult = Draft | typeof BACK | undefined;

/** The configuration the user accepted, or undefined when they pressed Escape. */
export async function runWizard(heading: string, start: Draft, options: { readonly chooseCell: boolean }): Promise<Draft | undefined> {
  const ids = wizardStepIds(options);
  const drafts: Draft[] = [start];
  let index = 0;
  while (index < ids.length) {
    const title = vscode.l10n.t('{0} ({1}/{2})', heading, index + 1, ids.length);
    const step = wizardStep(ids[index], drafts[index], title, vscode.l10n.t);
    const result = await ask(step, index > 0);
    if (result === undefined) return undefined;
    if (result === BACK) {
      index--;
      continue;
    }
    drafts[index + 1] = result;
    index++;
  }
  return drafts[ids.length];
}

function ask(step: WizardStep, canGoBack: boolean): Promise<StepResult> {
  return step.kind === 'pick' ? askPick(step, canGoBack) : askInput(step, canGoBack);
}

function askPick(step: Extract<WizardStep, { kind: 'pick' }>, canGoBack: boolean): Promise<StepResult> {
  const items: (vscode.QuickPickItem & { index: number })[] = step.options.map((option, index) => ({
    label: option.label,
    ...(option.description ? { description: option.description } : {}),
    ...(option.detail ? { detail: option.detail } : {}),
    index,
  }));
  return new Promise<StepResult>((resolve) => {
    const pick = vscode.window.createQuickPick<(typeof items)[number]>();
    pick.title = step.title;
    pick.placeholder = step.placeholder;
    pick.items = items;
    pick.activeItems = [items[step.defaultIndex]];
    pick.ignoreFocusOut = true;
    pick.matchOnDescription = true;
    if (canGoBack) pick.buttons = [vscode.QuickInputButtons.Back];
    let settled = false;
    const settle = (result: StepResult): void => {
      if (settled) return;
      settled = true;
      resolve(result);
      pick.dispose();
    };
    pick.onDidTriggerButton((button) => {
      if (button === vscode.QuickInputButtons.Back) settle(BACK);
    });
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
      if (chosen) settle(step.options[chosen.index].set);
    });
    pick.onDidHide(() => settle(undefined));
    pick.show();
  });
}

function askInput(step: Extract<WizardStep, { kind: 'input' }>, canGoBack: boolean): Promise<StepResult> {
  return new Promise<StepResult>((resolve) => {
    const input = vscode.window.createInputBox();
    input.title = step.title;
    input.prompt = step.prompt;
    input.value = step.value;
    input.ignoreFocusOut = true;
    if (canGoBack) input.buttons = [vscode.QuickInputButtons.Back];
    let settled = false;
    const settle = (result: StepResult): void => {
      if (settled) return;
      settled = true;
      resolve(result);
      input.dispose();
    };
    input.onDidChangeValue((text) => {
      input.validationMessage = step.validate(text);
    });
    input.onDidTriggerButton((button) => {
      if (button === vscode.QuickInputButtons.Back) settle(BACK);
    });
    input.onDidAccept(() => {
      const error = step.validate(input.value);
      input.validationMessage = error;
      if (!error) settle(step.apply(input.value));
    });
    input.onDidHide(() => settle(undefined));
    input.show();
  });
}
