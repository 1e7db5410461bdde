// One run at a time in an output folder: `batch` and `validate` write files
// that summarize others (cohort.tsv, validation.json), and two runs writing
// into one folder at once would leave a summary that disagrees with the
// results beside it. The lock is a file, <out>/.her2cn.lock, holding the
// process id, its start time and the host; it is created atomically (linked
// into place complete) and removed when the run ends. A run killed before it
// could remove its lock does not leave it stuck: a lock whose process is no
// longer running on this host is stale and taken over. A lock made on
// another host cannot be checked and is refused, naming the host.
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Her2cnError } from '../errors/errors.js';
import { removeMadeFolders, RUN_MARK, temporaryNameFor, writeFailure, writeFilesAtomic } from './files.js';

export const LOCK_FILE = '.her2cn.lock';

interface LockRecord {
  pid: number;
  host: string;
  /** The process's start time (Linux: clock ticks after boot), so a reused process id is not mistaken for the run. */
  process_start: string | null;
  run: string;
  command: string;
  started: string;
}

/** A process's start time from /proc (Linux), or null where there is none. */
function processStart(pid: number | 'self'): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the fields after the command name (which may hold spaces) start after its closing ')'
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function running(record: LockRecord): boolean {
  try {
    process.kill(record.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (record.process_start === null) return true;
  const now = processStart(record.pid);
  return now === null || now === record.process_start;
}

function readLock(path: string): LockRecord | undefined {
  try {
    const r = JSON.parse(readFileSync(path, 'utf8'));
    return Number.isInteger(r?.pid) && typeof r.host === 'string' ? r : undefined;
  } catch {
    return undefined;
  }
}

/** A lock file that cannot be read yet may be one being written: younger than this, it is not taken for stale. */
const STARTING_MS = 10_000;

function youngerThan(path: string, ms: number): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs < ms;
  } catch {
    return false;
  }
}

/**
 * Puts the lock in place, complete, or fails with EEXIST: linked from the
 * file written aside (atomic); where the file system has no hard links
 * (some network and FUSE file systems), created exclusively and written.
 */
function place(tmp: string, path: string, record: LockRecord): void {
  try {
    linkSync(tmp, path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw e;
    const fd = openSync(path, 'wx');
    try {
      writeSync(fd, JSON.stringify(record) + '\n');
    } finally {
      closeSync(fd);
    }
  }
}

export interface FolderLock {
  release(): void;
}

/**
 * Takes the folder's lock for `command`, or refuses: another her2cn run is
 * writing there. `note` is told when a stale lock is taken over.
 */
export function lockFolder(dir: string, command: string, note: (line: string) => void = () => {}): FolderLock {
  const path = join(dir, LOCK_FILE);
  const record: LockRecord = {
    pid: process.pid,
    host: hostname(),
    process_start: processStart('self'),
    run: RUN_MARK,
    command,
    started: new Date().toISOString(),
  };
  const tmp = temporaryNameFor(path);
  try {
    writeFileSync(tmp, JSON.stringify(record) + '\n');
    for (let attempt = 0; ; attempt++) {
      try {
        place(tmp, path, record);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw e;
      }
      const other = readLock(path);
      if (!other && youngerThan(path, STARTING_MS)) {
        throw new Her2cnError('output', `${dir}: another her2cn run is starting to write into this folder (${path} was just made); wait for it to end or choose another --out`, dir);
      }
      if (other && (other.host !== record.host || running(other))) {
        const where = other.host === record.host ? `process ${other.pid}` : `process ${other.pid} on host ${other.host}, which cannot be checked from here`;
        throw new Her2cnError(
          'output',
          `${dir}: another her2cn run (${other.command}, ${where}, since ${other.started}) is writing into this folder; wait for it to end or choose another --out (if no such run is alive, remove ${path})`,
          dir,
        );
      }
      note(`her2cn: ${dir}: taking over the lock of a run that ended without removing it (${other ? `process ${other.pid}` : 'unreadable lock'})`);
      rmSync(path, { force: true });
    }
  } catch (e) {
    throw writeFailure(e, path, 'nothing was run');
  } finally {
    rmSync(tmp, { force: true });
  }
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    // Only our own lock is removed (a run that found it stale may have replaced it).
    if (readLock(path)?.run === record.run) rmSync(path, { force: true });
  };
  process.once('exit', release);
  return { release };
}

/** Refuses to write into a folder while a live run holds its lock (`call` beside a running `batch`). */
export function refuseLockedFolder(dir: string): void {
  const path = join(dir, LOCK_FILE);
  const other = readLock(path);
  if (!other || other.run === RUN_MARK) return;
  if (other.host === hostname() && !running(other)) return;
  throw new Her2cnError(
    'output',
    `${dir}: another her2cn run (${other.command}, process ${other.pid}${other.host === hostname() ? '' : ` on host ${other.host}`}, since ${other.started}) is writing into this folder; wait for it to end or choose another --out (if no such run is alive, remove ${path})`,
    dir,
  );
}

/**
 * A command's whole output written into a folder at once: the folder made if
 * missing, locked against another run, the files written atomically; a
 * folder made for this run is not left behind empty when writing fails.
 */
export function writeFolderLocked(dir: string, command: string, files: [string, string | Uint8Array][]): void {
  let made: string | undefined;
  try {
    made = mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw writeFailure(e, dir);
  }
  try {
    const lock = lockFolder(dir, command, line => process.stderr.write(line + '\n'));
    try {
      writeFilesAtomic(dir, files);
    } finally {
      lock.release();
    }
  } catch (e) {
    removeMadeFolders(dir, made);
    throw e;
  }
}
