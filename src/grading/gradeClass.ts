// Grading layer: a class graded — the submissions found (folders, or a folder of cloned repositories), graded `jobs`
// at a time, each one's result files written the moment it is graded (so a later failure loses nothing), then the
// gradebook. Sets up what every sandbox shares: the kernel copied where the sandbox user can read it, the folders to hide.
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { assignmentChecks, LESSON_FILE_SUFFIX, type AssignmentSource } from './assignmentSource';
import { gradeSubmission, type GradingContext, type SubmissionGrade } from './gradeSubmission';
import { detectIsolation, type Isolation } from './isolation';
import { feedbackMarkdown, gradebookCsv, junitXml, resultFile } from './reports';

export interface SubmissionFolder {
  /** The student's name in the reports: the folder's name (made unique). */
  readonly student: string;
  readonly folder: string;
}

export interface ClassGradingOptions {
  readonly source: AssignmentSource;
  readonly submissions: readonly SubmissionFolder[];
  /** Where the results go: OUT/STUDENT/{result.json, feedback.md, junit.xml} and OUT/gradebook.csv. */
  readonly outFolder: string;
  /** The folder holding dist/kernel.js and dist/kernelLab.js. */
  readonly distFolder: string;
  readonly jobs: number;
  /** Called as each submission is graded (in the order they finish). */
  readonly onGraded?: (grade: SubmissionGrade, done: number, total: number) => void;
  /** Called as each submission starts. */
  readonly onStart?: (submission: SubmissionFolder) => void;
  /** Less isolation than the machine allows (tests of the fallback); by default everything detectIsolation finds. */
  readonly isolation?: Isolation;
}

export interface ClassGrades {
  readonly grades: readonly SubmissionGrade[];
  readonly isolation: Isolation;
}

export const GRADEBOOK_FILE = 'gradebook.csv';

/**
 * The submissions among `inputs`: a folder holding a *.lesson.md is one submission;
 * any other folder is a class folder whose subfolders are the submissions. Names are the folders' names, made unique.
 */
export function findSubmissions(inputs: readonly string[]): SubmissionFolder[] {
  const folders: string[] = [];
  for (const input of inputs) {
    const folder = resolve(input);
    if (!statSync(folder).isDirectory()) throw new Error(`${input} is not a folder: give submission folders, or one folder of them`);
    if (holdsLesson(folder)) folders.push(folder);
    else {
      const inside = readdirSync(folder).sort().map((name) => join(folder, name)).filter((path) => !basename(path).startsWith('.') && statSync(path).isDirectory());
      if (inside.length === 0) throw new Error(`${input} holds no *${LESSON_FILE_SUFFIX} file and no submission folders`);
      folders.push(...inside);
    }
  }
  const used = new Map<string, number>();
  return folders.map((folder) => {
    const name = basename(folder);
    const count = (used.get(name) ?? 0) + 1;
    used.set(name, count);
    return { student: count === 1 ? name : `${name}-${count}`, folder };
  });
}

function holdsLesson(folder: string): boolean {
  return readdirSync(folder).some((name) => name.endsWith(LESSON_FILE_SUFFIX));
}

/** Grades every submission and writes every result file and the gradebook. */
export async function gradeClass(options: ClassGradingOptions): Promise<ClassGrades> {
  const isolation = options.isolation ?? detectIsolation();
  const checks = assignmentChecks(options.source);
  const outFolder = resolve(options.outFolder);
  mkdirSync(outFolder, { recursive: true });
  // The scratch folder: the sandbox user may pass through it but not list it, so no student finds another's copy.
  const scratchFolder = mkdtempSync(join(tmpdir(), `rnn-lab-grade-${process.pid}-`));
  chmodSync(scratchFolder, 0o711);
  // Also when the grader exits early (Ctrl-C): the working copies never outlive it.
  const removeScratch = (): void => {
    try {
      rmSync(scratchFolder, { recursive: true, force: true });
    } catch {
      // a copy left read-only for a grader that is not root: nothing more can be done while exiting
    }
  };
  process.on('exit', removeScratch);
  try {
    const kernelScript = copyKernel(options.distFolder, join(scratchFolder, 'kernel'));
    const hidden = hiddenFolders([options.source.folder, outFolder, ...options.submissions.map((submission) => dirname(submission.folder)), ...options.submissions.map((submission) => submission.folder)], [scratchFolder, process.execPath]);
    const context: GradingContext = { source: options.source, checks, kernelScript, isolation, hidden, scratchFolder };
    const grades: SubmissionGrade[] = new Array(options.submissions.length);
    let next = 0;
    let done = 0;
    const worker = async (): Promise<void> => {
      while (next < options.submissions.length) {
        const index = next++;
        const submission = options.submissions[index];
        options.onStart?.(submission);
        const grade = await gradeSubmission(context, submission.student, submission.folder, `s${index}`);
        writeStudentFiles(outFolder, options.source.config.title, grade, isolation);
        grades[index] = grade;
        options.onGraded?.(grade, ++done, options.submissions.length);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs, options.submissions.length)) }, worker));
    writeFileSync(join(outFolder, GRADEBOOK_FILE), gradebookCsv(grades, checks));
    return { grades, isolation };
  } finally {
    process.off('exit', removeScratch);
    removeScratch();
  }
}

/** OUT/STUDENT/result.json, feedback.md, junit.xml. */
function writeStudentFiles(outFolder: string, assignment: string, grade: SubmissionGrade, isolation: Isolation): void {
  const folder = join(outFolder, safeFileName(grade.student));
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'result.json'), `${JSON.stringify(resultFile(assignment, grade, isolation), null, 2)}\n`);
  writeFileSync(join(folder, 'feedback.md'), feedbackMarkdown(assignment, grade));
  writeFileSync(join(folder, 'junit.xml'), junitXml(assignment, grade));
}

/** A student's name as a folder name: letters, digits, `.`, `_`, `-` kept; nothing that climbs out of OUT. */
export function safeFileName(name: string): string {
  const safe = name.replace(/[^\w.-]/g, '_').replace(/^\.+/, '_');
  return safe === '' ? '_' : safe;
}

/** dist/kernel.js and its engine bundle, copied where the sandbox user (nobody) can read them. */
function copyKernel(distFolder: string, folder: string): string {
  mkdirSync(folder, { mode: 0o755 });
  for (const file of ['kernel.js', 'kernelLab.js']) {
    const from = join(distFolder, file);
    if (!existsSync(from)) throw new Error(`${from} is missing: run npm run build`);
    copyFileSync(from, join(folder, file));
    chmodSync(join(folder, file), 0o444);
  }
  chmodSync(folder, 0o555);
  return join(folder, 'kernel.js');
}

/** The folders to hide, without any the sandbox itself needs (one holding the scratch folder or Node) or the root. */
function hiddenFolders(candidates: readonly string[], needed: readonly string[]): string[] {
  const inside = (path: string, folder: string): boolean => path === folder || path.startsWith(folder.endsWith(sep) ? folder : `${folder}${sep}`);
  return [...new Set(candidates.map((folder) => resolve(folder)))].filter((folder) => dirname(folder) !== folder && !needed.some((path) => inside(resolve(path), folder)));
}
