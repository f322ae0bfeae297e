// Extension host (pure, no vscode): the bundled lessons as the Lessons view lists them — read from the extension's
// lessons/ folder, ordered by their front matter's `order` — and the student's copies of them (Open Lesson copies a
// bundled lesson once into the workspace, then always reopens that copy).
import { constants } from 'node:fs';
import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Lesson, LessonProblem } from '../../lessons/lesson';

/** What the parser says about a lesson file's text. */
export type ParseLesson = (text: string) => { readonly ok: true; readonly lesson: Lesson } | { readonly ok: false; readonly problems: readonly LessonProblem[] };

/** One bundled lesson: enough to list it, open it and check its exercises. */
export interface CatalogueLesson {
  readonly id: string;
  readonly title: string;
  readonly order: number;
  readonly minutes: number;
  readonly goals: readonly string[];
  /** The bundled file's name, e.g. `03-the-rnn-cell.lesson.md`; the student's copy has the same name. */
  readonly fileName: string;
  /** The bundled file (read-only: it is inside the installed extension). */
  readonly path: string;
  /** The bundled lesson itself: its exercises' checks are the ones Check uses, whatever a copy's check cells say. */
  readonly lesson: Lesson;
}

export interface Catalogue {
  /** Sorted by `order`, then file name. */
  readonly lessons: readonly CatalogueLesson[];
  /** Bundled files that did not parse (a packaging fault: the tests parse every bundled lesson). */
  readonly problems: readonly { readonly fileName: string; readonly problems: readonly LessonProblem[] }[];
  byId(id: string): CatalogueLesson | undefined;
}

export const LESSON_FILE_SUFFIX = '.lesson.md';

/** Reads every `*.lesson.md` in `folder` (not recursively). A missing folder is an empty catalogue. */
export async function readCatalogue(folder: string, parse: ParseLesson): Promise<Catalogue> {
  let names: string[];
  try {
    names = (await readdir(folder)).filter((name) => name.endsWith(LESSON_FILE_SUFFIX));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') names = [];
    else throw error;
  }
  const lessons: CatalogueLesson[] = [];
  const problems: { fileName: string; problems: readonly LessonProblem[] }[] = [];
  for (const fileName of names.sort()) {
    const path = join(folder, fileName);
    const parsed = parse(await readFile(path, 'utf8'));
    if (!parsed.ok) {
      problems.push({ fileName, problems: parsed.problems });
      continue;
    }
    const { id, title, order, minutes, goals } = parsed.lesson.frontMatter;
    lessons.push({ id, title, order, minutes, goals, fileName, path, lesson: parsed.lesson });
  }
  lessons.sort((a, b) => a.order - b.order || (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
  const byId = new Map(lessons.map((lesson) => [lesson.id, lesson]));
  return { lessons, problems, byId: (id) => byId.get(id) };
}

/** The folder inside the workspace folder where Open Lesson puts the student's copies. */
export const COPIES_FOLDER = 'rnn-lab-lessons';

/**
 * Where the copies go in a workspace folder: `rnn-lab-lessons/` inside it, or the folder itself when it is a lessons
 * folder already (named rnn-lab-lessons, as the one Open Lesson offers to create when no folder is open).
 */
export function copiesRootIn(workspaceFolder: string): string {
  return basename(workspaceFolder) === COPIES_FOLDER ? workspaceFolder : join(workspaceFolder, COPIES_FOLDER);
}

/**
 * The student's copy of a bundled lesson: `copiesRoot/<file name>`. The first call copies the bundled file there
 * (byte for byte); later calls return the existing copy untouched, whatever the student did to it. The copy is made
 * with COPYFILE_EXCL, so two windows opening the same lesson at once cannot overwrite each other's work. `source`
 * replaces the bundled file as what is copied (an earlier copy of the student's, moved into a folder they can see).
 */
export async function ensureLessonCopy(bundledPath: string, copiesRoot: string, source = bundledPath): Promise<{ readonly path: string; readonly created: boolean }> {
  const path = join(copiesRoot, basename(bundledPath));
  await mkdir(copiesRoot, { recursive: true });
  try {
    await copyFile(source, path, constants.COPYFILE_EXCL);
    return { path, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { path, created: false };
    throw error;
  }
}
