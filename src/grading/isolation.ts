// Grading layer: what the OS lets the grader enforce around a student's process, found once per run, and the command
// line that enforces it — on Linux as root, network/PID/mount namespaces and the user nobody plus resource limits;
// elsewhere the limits a POSIX shell can set; on Windows only what Node gives.
import { spawnSync } from 'node:child_process';

/** What is enforced; written into every result file so a teacher can read what protected the grading. */
export interface Isolation {
  /** No network: a network namespace with only a loopback interface that is down (`unshare --net`). */
  readonly noNetwork: boolean;
  /** The student's process sees only its own processes (`unshare --pid`), and its descendants die with it. */
  readonly ownProcessTree: boolean;
  /** The assignment source, the output folder and the submissions' folders are hidden under empty mounts. */
  readonly hiddenFolders: boolean;
  /** Runs as the unprivileged user `nobody` (65534): cannot read the grader's files (~/.ssh) or write the copy. */
  readonly separateUser: boolean;
  /** Address space and file size limits (`ulimit -v`, `ulimit -f`): typed arrays cannot take the machine's memory. */
  readonly resourceLimits: boolean;
}

/** The unprivileged user and group the student's process runs as when the grader runs as root. */
export const SANDBOX_USER = 65534;
/**
 * Reference note: Node reserves about 1.6 GB of address space it never touches (V8's code ranges and heap reservations of the kernel's two isolates, thread stacks), so the
 * address-space limit is the memory limit plus this; the JS heap itself is capped at the memory limit exactly.
 */
export const ADDRESS_SPACE_OVERHEAD_MB = 2048;
/** The largest file the student's process may write, in MB (a disk flood). */
const FILE_SIZE_LIMIT_MB = 16;
/** Processes and threads of the sandbox user (a fork bomb); a Node process uses about a dozen threads. */
const PROCESS_LIMIT = 512;

let detected: Isolation | undefined;

/** What this machine allows, tried once (a namespace that cannot be made falls back to less, never to an error). */
export function detectIsolation(): Isolation {
  if (detected) return detected;
  const posix = process.platform !== 'win32';
  const root = posix && process.getuid?.() === 0;
  const linux = process.platform === 'linux';
  const namespaces = linux && root && spawnSync('unshare', [...NAMESPACE_FLAGS, '--', '/bin/sh', '-c', 'mount -t tmpfs none /mnt && exit 0'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
  // As nobody, Node itself must be readable and runnable (not one installed under root's home); the drop to nobody
  // clears the parent-death signal of --kill-child, so setpriv must be able to set it again (SETUP_SCRIPT does).
  const user = namespaces && spawnSync('setpriv', ['--reuid', String(SANDBOX_USER), '--regid', String(SANDBOX_USER), '--clear-groups', '--pdeathsig', 'KILL', process.execPath, '--version'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
  detected = { noNetwork: namespaces, ownProcessTree: namespaces, hiddenFolders: namespaces, separateUser: user, resourceLimits: posix };
  return detected;
}

const NAMESPACE_FLAGS = ['--net', '--pid', '--fork', '--kill-child', '--mount', '--mount-proc', '--propagation', 'private'];

/**
 * The shell script between the namespaces and the student's process: hides folders, sets limits, drops to nobody.
 * Arguments: the number of folders to hide, the folders, the address-space limit in KB, then the command.
 */
const SETUP_SCRIPT = `set -e
count=$1; shift
while [ "$count" -gt 0 ]; do
  if [ -d "$1" ]; then mount -t tmpfs -o size=4k,mode=000 rnn-lab-hidden "$1"; fi
  shift; count=$((count - 1))
done
ulimit -v "$1"; shift
ulimit -f ${FILE_SIZE_LIMIT_MB * 1024}
if [ "$1" = "--as-nobody" ]; then
  shift
  exec prlimit --nproc=${PROCESS_LIMIT} -- setpriv --reuid=${SANDBOX_USER} --regid=${SANDBOX_USER} --clear-groups --inh-caps=-all --bounding-set=-all --no-new-privs --pdeathsig=KILL -- "$@"
fi
exec "$@"`;

export interface SandboxCommand {
  readonly command: string;
  readonly args: readonly string[];
}

let pdeathsig: boolean | undefined;

/**
 * Whether `setpriv --pdeathsig` works here (Linux, util-linux): the sandbox's first process then gets SIGKILL when the
 * grader dies, even by SIGKILL, which no handler of the grader's can answer. With the PID namespace (`--kill-child`)
 * everything inside dies with it; without, the kernel itself does (the signal survives `exec`).
 */
function diesWithGrader(): boolean {
  pdeathsig ??= process.platform === 'linux' && spawnSync('setpriv', ['--pdeathsig', 'KILL', '--', '/bin/true'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
  return pdeathsig;
}

/** The command line that runs `program` (node and its arguments) with everything `isolation` allows. */
export function sandboxCommand(isolation: Isolation, program: readonly string[], memoryMB: number, hidden: readonly string[]): SandboxCommand {
  if (!isolation.resourceLimits) return { command: program[0], args: program.slice(1) };
  const addressSpaceKb = String((memoryMB + ADDRESS_SPACE_OVERHEAD_MB) * 1024);
  const folders = isolation.hiddenFolders ? hidden : [];
  const shell = ['/bin/sh', '-c', SETUP_SCRIPT, 'rnn-lab-sandbox', String(folders.length), ...folders, addressSpaceKb, ...(isolation.separateUser ? ['--as-nobody'] : []), ...program];
  const sandboxed = isolation.ownProcessTree ? ['unshare', ...NAMESPACE_FLAGS, '--', ...shell] : shell;
  const line = diesWithGrader() ? ['setpriv', '--pdeathsig', 'KILL', '--', ...sandboxed] : sandboxed;
  return { command: line[0], args: line.slice(1) };
}

/** The isolation in words, one line each, for the report and `rnn-lab grade`'s first lines. */
export function describeIsolation(isolation: Isolation): string[] {
  const lines = [
    `no network: ${isolation.noNetwork ? 'yes (network namespace)' : 'not enforced here'}`,
    `own process tree: ${isolation.ownProcessTree ? 'yes (PID namespace: its processes die with it)' : 'process group killed at the end'}`,
    `teacher's folders hidden: ${isolation.hiddenFolders ? 'yes (empty mounts over them)' : 'not enforced here: keep the assignment source readable only by you'}`,
    `separate user: ${isolation.separateUser ? `yes (uid ${SANDBOX_USER}, nobody)` : 'no (runs as you)'}`,
    `memory: ${isolation.resourceLimits ? 'JS heap and address space limited' : 'JS heap limited'}`,
  ];
  return lines;
}
