// Extension host (pure, no vscode): a student's progress through the lessons, derived only from check results — per
// lesson id and exercise id (Maps, so ids such as `__proto__` are ordinary keys) — plus where they were last working.
// The glue keeps it in globalState as the plain data of `toStored()`, so it survives a window reload.
import type { CheckResult } from '../../lessons/lesson';

/** An exercise not checked yet, checked with a failing check, or checked with every check passing. */
export type ExerciseState = 'notStarted' | 'failing' | 'passed';

export interface ExerciseProgress {
  readonly state: ExerciseState;
  /** Points of the last check; 0 of 0 when not checked yet. */
  readonly earned: number;
  readonly points: number;
}

/** Where the student was last: the lesson they opened or checked, and the exercise they last checked in it. */
export interface LastPlace {
  readonly lessonId: string;
  readonly exerciseId?: string;
}

/** The JSON-safe form kept in globalState: arrays of entries, never objects keyed by ids. */
export interface StoredProgress {
  readonly version: 1;
  readonly exercises: readonly (readonly [lessonId: string, exerciseId: string, progress: ExerciseProgress])[];
  readonly last?: LastPlace;
}

const NOT_STARTED: ExerciseProgress = { state: 'notStarted', earned: 0, points: 0 };
const STATES: readonly ExerciseState[] = ['notStarted', 'failing', 'passed'];

export class LessonProgress {
  private readonly lessons = new Map<string, Map<string, ExerciseProgress>>();
  private lastPlace: LastPlace | undefined;

  /**
   * Reads what `toStored()` wrote. Anything else (a missing key, an older or hand-edited value) gives an empty or
   * partial progress: entries that do not have the stored shape are skipped, never guessed at.
   */
  static fromStored(value: unknown): LessonProgress {
    const progress = new LessonProgress();
    if (typeof value !== 'object' || value === null) return progress;
    const { version, exercises, last } = value as Partial<Record<keyof StoredProgress, unknown>>;
    if (version !== 1) return progress;
    if (Array.isArray(exercises)) {
      for (const entry of exercises as unknown[]) {
        if (!Array.isArray(entry) || entry.length !== 3) continue;
        const [lessonId, exerciseId, stored] = entry as unknown[];
        const exercise = readExerciseProgress(stored);
        if (typeof lessonId === 'string' && typeof exerciseId === 'string' && exercise) progress.set(lessonId, exerciseId, exercise);
      }
    }
    if (typeof last === 'object' && last !== null) {
      const { lessonId, exerciseId } = last as Record<string, unknown>;
      if (typeof lessonId === 'string') progress.lastPlace = typeof exerciseId === 'string' ? { lessonId, exerciseId } : { lessonId };
    }
    return progress;
  }

  toStored(): StoredProgress {
    const exercises = [...this.lessons].flatMap(([lessonId, exercises]) => [...exercises].map(([exerciseId, progress]) => [lessonId, exerciseId, progress] as const));
    return this.lastPlace ? { version: 1, exercises, last: this.lastPlace } : { version: 1, exercises };
  }

  of(lessonId: string, exerciseId: string): ExerciseProgress {
    return this.lessons.get(lessonId)?.get(exerciseId) ?? NOT_STARTED;
  }

  /**
   * Records a check of one lesson: each exercise named in `results` is passed when every one of its checks passed,
   * failing otherwise, with the points earned. Exercises not in `results` keep their state. Returns the exercise ids
   * whose state changed (a newly passed exercise is what the walkthrough and the tree react to).
   */
  record(lessonId: string, results: readonly CheckResult[]): { readonly changed: readonly string[]; readonly newlyPassed: readonly string[] } {
    const byExercise = new Map<string, CheckResult[]>();
    for (const result of results) {
      const list = byExercise.get(result.exercise);
      if (list) list.push(result);
      else byExercise.set(result.exercise, [result]);
    }
    const changed: string[] = [];
    const newlyPassed: string[] = [];
    for (const [exerciseId, checks] of byExercise) {
      const before = this.of(lessonId, exerciseId);
      const after: ExerciseProgress = {
        state: checks.every((check) => check.status === 'passed') ? 'passed' : 'failing',
        earned: checks.reduce((sum, check) => sum + check.earned, 0),
        points: checks.reduce((sum, check) => sum + check.points, 0),
      };
      this.set(lessonId, exerciseId, after);
      if (before.state !== after.state || before.earned !== after.earned) changed.push(exerciseId);
      if (before.state !== 'passed' && after.state === 'passed') newlyPassed.push(exerciseId);
    }
    const lastChecked = [...byExercise.keys()].at(-1);
    this.lastPlace = lastChecked === undefined ? { lessonId } : { lessonId, exerciseId: lastChecked };
    return { changed, newlyPassed };
  }

  /** The exercise's code went back to its starting code: it is not started again. */
  reset(lessonId: string, exerciseId: string): void {
    this.lessons.get(lessonId)?.delete(exerciseId);
  }

  /** The student opened a lesson: Continue Where I Left Off returns there. */
  opened(lessonId: string): void {
    if (this.lastPlace?.lessonId !== lessonId) this.lastPlace = { lessonId };
  }

  get last(): LastPlace | undefined {
    return this.lastPlace;
  }

  /** How many of `exerciseIds` are passed. */
  passedCount(lessonId: string, exerciseIds: readonly string[]): number {
    return exerciseIds.filter((exerciseId) => this.of(lessonId, exerciseId).state === 'passed').length;
  }

  private set(lessonId: string, exerciseId: string, progress: ExerciseProgress): void {
    let exercises = this.lessons.get(lessonId);
    if (!exercises) this.lessons.set(lessonId, (exercises = new Map()));
    exercises.set(exerciseId, progress);
  }
}

function readExerciseProgress(value: unknown): ExerciseProgress | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { state, earned, points } = value as Record<string, unknown>;
  if (!STATES.includes(state as ExerciseState) || typeof earned !== 'number' || typeof points !== 'number') return undefined;
  if (!Number.isFinite(earned) || !Number.isFinite(points) || earned < 0 || points < 0) return undefined;
  return { state: state as ExerciseState, earned, points };
}
