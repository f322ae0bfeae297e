// Extension host (pure, no vscode): the Lessons view's rows — lessons in order with a progress count, each with its
// exercises and their state — and which lesson Continue Where I Left Off opens. The glue turns rows into TreeItems.
import type { Catalogue, CatalogueLesson } from './lessonCatalogue';
import type { ExerciseState, LessonProgress } from './lessonProgress';

/** Translates a message with `{0}` placeholders (vscode.l10n.t in the extension, a plain substitution in tests). */
export type Translate = (message: string, ...args: (string | number)[]) => string;

export interface LessonRow {
  readonly kind: 'lesson';
  readonly lessonId: string;
  /** "3. The RNN cell" */
  readonly label: string;
  /** "1 of 2 exercises done · 30 min" */
  readonly description: string;
  /** The learning goals, one per line. */
  readonly tooltip: string;
  readonly done: boolean;
  readonly exercises: readonly ExerciseRow[];
}

export interface ExerciseRow {
  readonly kind: 'exercise';
  readonly lessonId: string;
  readonly exerciseId: string;
  readonly label: string;
  /** "passed · 3/3 points", "failing · 1/3 points", "not started" */
  readonly description: string;
  readonly state: ExerciseState;
}

export function lessonRows(catalogue: Catalogue, progress: LessonProgress, t: Translate): LessonRow[] {
  return catalogue.lessons.map((lesson) => lessonRow(lesson, progress, t));
}

function lessonRow(lesson: CatalogueLesson, progress: LessonProgress, t: Translate): LessonRow {
  const exerciseIds = lesson.lesson.exercises.map((exercise) => exercise.id);
  const passed = progress.passedCount(lesson.id, exerciseIds);
  const count = exerciseIds.length === 0 ? t('no exercises') : t('{0} of {1} exercises done', passed, exerciseIds.length);
  return {
    kind: 'lesson',
    lessonId: lesson.id,
    label: `${lesson.order}. ${lesson.title}`,
    description: `${count} · ${t('{0} min', lesson.minutes)}`,
    tooltip: [lesson.title, ...lesson.goals.map((goal) => `• ${goal}`)].join('\n'),
    done: exerciseIds.length > 0 && passed === exerciseIds.length,
    exercises: exerciseIds.map((exerciseId) => {
      const state = progress.of(lesson.id, exerciseId);
      const description = state.state === 'notStarted' ? t('not started')
        : state.state === 'passed' ? t('passed · {0}/{1} points', state.earned, state.points)
          : t('failing · {0}/{1} points', state.earned, state.points);
      return { kind: 'exercise', lessonId: lesson.id, exerciseId, label: exerciseId, description, state: state.state };
    }),
  };
}

/**
 * Where Continue Where I Left Off goes: the lesson (and exercise) the student last opened or checked, while it is
 * still bundled; otherwise the first lesson with an exercise not passed yet; otherwise the first lesson.
 */
export function continuePlace(catalogue: Catalogue, progress: LessonProgress): { readonly lessonId: string; readonly exerciseId?: string } | undefined {
  const last = progress.last;
  if (last && catalogue.byId(last.lessonId)) return last;
  const unfinished = catalogue.lessons.find((lesson) => lesson.lesson.exercises.some((exercise) => progress.of(lesson.id, exercise.id).state !== 'passed'));
  const lesson = unfinished ?? catalogue.lessons[0];
  return lesson ? { lessonId: lesson.id } : undefined;
}
