// Extension host (pure, no vscode): the context keys the Getting Started walkthrough's steps complete on
// (package.json contributes.walkthroughs, `onContext:KEY`; a test checks the two agree). Each is set by the real event.

export const WALKTHROUGH_EVENTS = {
  /** A lesson notebook opened. */
  lessonOpened: 'rnnLab.walkthrough.lessonOpened',
  /** A lesson cell ran in the kernel. */
  cellRan: 'rnnLab.walkthrough.cellRan',
  /** An exercise's checks all passed. */
  checkPassed: 'rnnLab.walkthrough.checkPassed',
  /** A New Training Run finished training. */
  runTrained: 'rnnLab.walkthrough.runTrained',
  /** Compare Cells finished training its three runs. */
  cellsCompared: 'rnnLab.walkthrough.cellsCompared',
} as const;

/** The walkthrough steps in order, each with the event that completes it. */
export const WALKTHROUGH_STEPS = [
  { step: 'openLesson', event: WALKTHROUGH_EVENTS.lessonOpened },
  { step: 'runCell', event: WALKTHROUGH_EVENTS.cellRan },
  { step: 'passCheck', event: WALKTHROUGH_EVENTS.checkPassed },
  { step: 'trainRun', event: WALKTHROUGH_EVENTS.runTrained },
  { step: 'compareCells', event: WALKTHROUGH_EVENTS.cellsCompared },
] as const;
