// Engine layer: how threads share a phase of the WebAssembly kernels — part by part, each thread taking the next part
// nobody has taken yet. A helper that comes late (asleep, or waiting for a core another program holds) never holds
// the training thread up: the training thread takes the parts still there, and the helper takes what is left when it
// comes. So two threads are never slower than one by more than a part in progress (docs/performance.md, "Why two
// threads were slower than one"). The threads meet through a few 32-bit words of a SharedArrayBuffer and Atomics.
// This file holds both sides: `SharedPhases` for the training thread, `helperProgram` for the helpers (src/node starts
// them); they share the words' layout below.

/** The four phases of a layer, exported by assembly/kernels.ts; each runs as (descriptor, part, parts, slot). */
export const PHASES = ['forwardProjection', 'forwardSteps', 'backwardSteps', 'backwardWeights'] as const;
export type Phase = typeof PHASES[number];

/** Runs part `part` of `parts` of `phase` with the work space of thread `slot`. */
export type RunPart = (phase: Phase, descriptor: number, part: number, parts: number, slot: number) => void;

// The control words.
const REQUEST = 0;      // the number of the phase being shared (24 bits); a sleeping helper waits for it to change
const PHASE = 1;        // its index in PHASES, or STOP
const DESCRIPTOR = 2;
const PARTS = 3;
const CLAIMED = 4;      // (request << 8) | parts taken so far: a part is taken by compare-and-swap on this word
const FINISHED = 5;     // parts the helpers finished, of this request
const CONTROL_WORDS = 8;
const STOP = -1;
/** The most parts a phase can be cut into: the count of parts taken lives in CLAIMED's low 8 bits. */
const MAX_SHARED_PARTS = 255;
const REQUEST_MASK = 0xff_ffff;

/**
 * How long a thread looks at the control words before it sleeps on them (loads of a word): a helper that has just
 * finished a part often finds the next phase within that; past it, spinning would only take the core from whoever
 * else needs it (a late helper costs nothing: the training thread does its parts).
 */
const SPINS = 20_000;

/**
 * Takes the next part of request `request`: its index, or −1 when every part is taken or the request is no longer
 * the current one. Written out again in `helperProgram` (a worker's source is text): keep the two the same.
 */
function claim(words: Int32Array, request: number, parts: number): number {
  for (;;) {
    const seen = Atomics.load(words, CLAIMED);
    if (seen >>> 8 !== request || (seen & 0xff) >= parts) return -1;
    if (Atomics.compareExchange(words, CLAIMED, seen, seen + 1) === seen) return seen & 0xff;
  }
}

/** The training thread's side: shares phases out with the helpers watching `control`. */
export class SharedPhases {
  readonly control = new SharedArrayBuffer(CONTROL_WORDS * 4);
  private readonly words = new Int32Array(this.control);
  private request = 0;
  /** Parts the helpers ran, and phases shared (for tests and the bench). */
  helperParts = 0;
  phases = 0;

  constructor(private readonly runPart: RunPart) {}

  /** Runs every part of `phase`, this thread with slot 0, the helpers taking parts as they come; returns when all are done. */
  run(phase: Phase, descriptor: number, parts: number): void {
    if (!(parts >= 1 && parts <= MAX_SHARED_PARTS)) throw new RangeError(`a phase is shared in 1 to ${MAX_SHARED_PARTS} parts, got ${parts}`);
    const words = this.words;
    const request = this.post(PHASES.indexOf(phase), descriptor, parts);
    let mine = 0;
    for (let part = claim(words, request, parts); part >= 0; part = claim(words, request, parts)) {
      this.runPart(phase, descriptor, part, parts, 0);
      mine++;
    }
    // Every part is taken: wait for those a helper is still running.
    const theirs = parts - mine;
    for (let spin = 0; spin < SPINS && Atomics.load(words, FINISHED) < theirs; spin++);
    for (let finished = Atomics.load(words, FINISHED); finished < theirs; finished = Atomics.load(words, FINISHED)) {
      Atomics.wait(words, FINISHED, finished);
    }
    this.helperParts += theirs;
    this.phases++;
  }

  /** Tells the helpers to end (their loop returns). */
  stop(): void {
    this.post(STOP, 0, 0);
  }

  /** Writes the next request into the control words and wakes the helpers; returns its number. */
  private post(phase: number, descriptor: number, parts: number): number {
    const words = this.words;
    const request = this.request = (this.request + 1) & REQUEST_MASK;
    words[PHASE] = phase;
    words[DESCRIPTOR] = descriptor;
    words[PARTS] = parts;
    Atomics.store(words, FINISHED, 0);
    Atomics.store(words, CLAIMED, request << 8);
    Atomics.store(words, REQUEST, request);
    Atomics.notify(words, REQUEST);
    return request;
  }
}

/**
 * The program of helper `slot` (1, 2 …), as source text for a worker: with `module` (the compiled kernels), `memory`
 * (the shared memory) and `control` (SharedPhases.control) defined before it — the host says how a worker gets them —
 * it instantiates the kernels on the memory and runs parts of each phase shared through `control` until told to stop.
 */
export function helperProgram(slot: number): string {
  return `
const { exports } = new WebAssembly.Instance(module, { env: { memory } });
const phases = ${JSON.stringify(PHASES)};
const words = new Int32Array(control);
function claim(request, parts) {
  for (;;) {
    const seen = Atomics.load(words, ${CLAIMED});
    if (seen >>> 8 !== request || (seen & 0xff) >= parts) return -1;
    if (Atomics.compareExchange(words, ${CLAIMED}, seen, seen + 1) === seen) return seen & 0xff;
  }
}
let seen = 0;
for (;;) {
  for (let spin = 0; spin < ${SPINS} && Atomics.load(words, ${REQUEST}) === seen; spin++);
  Atomics.wait(words, ${REQUEST}, seen);
  seen = Atomics.load(words, ${REQUEST});
  const phase = words[${PHASE}];
  if (phase === ${STOP}) break;
  const run = exports[phases[phase]];
  const descriptor = words[${DESCRIPTOR}];
  const parts = words[${PARTS}];
  for (let part = claim(seen, parts); part >= 0; part = claim(seen, parts)) {
    run(descriptor, part, parts, ${slot});
    Atomics.add(words, ${FINISHED}, 1);
    Atomics.notify(words, ${FINISHED});
  }
}
`;
}

/** Runs of a phase between two tries of the way that has been slower (to see a core freed or taken). */
export const EXPLORE_EVERY = 32;
/**
 * Sharing is tried this many runs in a row: the first finds the helper asleep (it stopped looking while the phase ran
 * alone) and is not counted, or a helper that would help would never seem to.
 */
export const SHARING_TRIAL = 4;
/** Weight of the newest time in the running average of each way. */
const SMOOTHING = 0.2;

/**
 * Whether to share a phase or run it alone, from how long each way has taken lately. Sharing is never slower than
 * alone by more than a part in progress — but when a busy core keeps the helper waiting, that part costs more than the
 * helper gives, and for the smallest shared phases alone is then faster. Per phase and size: try sharing, then alone,
 * then take the faster way and try the other every EXPLORE_EVERY runs; each way's time is a running average.
 */
export class ShareOrAlone {
  private shared = Number.NaN;
  private alone = Number.NaN;
  private runs = 0;
  /** Runs of sharing still to come in the current trial, and the counted runs' times so far. */
  private trial = 0;
  private trialRuns = 0;
  private trialTotal = 0;
  /** The next run alone is a try of the slower way. */
  private tryingAlone = false;

  /** True: share the next run; false: run it alone. */
  share(): boolean {
    if (this.trial > 0) return true;
    const run = this.runs++;
    if (Number.isNaN(this.shared)) return this.startTrial();
    if (Number.isNaN(this.alone)) return false;
    const sharingFaster = this.shared <= this.alone;
    if (run % EXPLORE_EVERY !== 0) return sharingFaster;
    if (!sharingFaster) return this.startTrial();
    this.tryingAlone = true;
    return false;
  }

  /**
   * Records how long a run took (ms), shared or alone. A try of the slower way replaces what was known of it (that is
   * as old as its last try, and conditions change: a busy core freed); the way being taken keeps a running average.
   */
  record(shared: boolean, milliseconds: number): void {
    if (shared && this.trial > 0) {
      if (this.trial-- === SHARING_TRIAL) return;   // the run that woke the helper
      this.trialTotal += milliseconds;
      this.trialRuns++;
      this.shared = this.trialTotal / this.trialRuns;
      return;
    }
    if (!shared && this.tryingAlone) {
      this.tryingAlone = false;
      this.alone = milliseconds;
      return;
    }
    const before = shared ? this.shared : this.alone;
    const after = Number.isNaN(before) ? milliseconds : before + SMOOTHING * (milliseconds - before);
    if (shared) this.shared = after;
    else this.alone = after;
  }

  private startTrial(): boolean {
    this.trial = SHARING_TRIAL;
    this.trialRuns = 0;
    this.trialTotal = 0;
    return true;
  }
}
