// Extension host (pure, no vscode): the dashboard's requests that expect an answer — a sample, hidden states, a saved
// run — turned into the reply the page waits for. A request that fails is answered with its error (the page shows it
// where the answer would have been), never left unanswered.
import type { FromPanel, ToPanel } from '../../shared/protocol';
import type { RunManager } from './runManager';

export type DashboardRequest = Extract<FromPanel, { type: 'sample' | 'hiddenStates' | 'loadRun' }>;

/** The reply that says `request` could not be answered, and why. */
export function refusal(request: DashboardRequest, error: string): ToPanel {
  switch (request.type) {
    case 'sample':
      return { type: 'sample', runId: request.runId, text: '', temperature: request.temperature, seed: request.seed, error };
    case 'hiddenStates':
      return { type: 'hiddenStates', runId: request.runId, layer: request.layer, direction: request.direction, error };
    case 'loadRun':
      return { type: 'runLoaded', runId: request.runId, error };
  }
}

/** Answers `request` from the run manager; a failure is logged and becomes the refusal. */
export async function answer(runs: Pick<RunManager, 'sample' | 'hiddenStates' | 'loadRun'>, request: DashboardRequest, log: (line: string) => void): Promise<ToPanel> {
  try {
    switch (request.type) {
      case 'sample': {
        const [text] = await runs.sample(request.runId, request.temperature, request.seed, 1);
        return { type: 'sample', runId: request.runId, text, temperature: request.temperature, seed: request.seed };
      }
      case 'hiddenStates':
        return await runs.hiddenStates(request.runId, request.layer, request.direction);
      case 'loadRun': {
        const { run, history } = await runs.loadRun(request.runId);
        return { type: 'runLoaded', run, history };
      }
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`Dashboard request ${request.type} for ${request.runId} failed: ${message}`);
    return refusal(request, message);
  }
}
