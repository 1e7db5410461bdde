// Every result file is written under a temporary name in its final folder and
// renamed into place, so a reader never sees half a file and a failed or
// killed run leaves nothing that looks like a result.
import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { isMainThread, workerData } from 'node:worker_threads';
import { Her2cnError } from '../errors/errors.js';

/**
 * This run's mark on its temporary files: the process id and a random nonce
 * (ids repeat across containers). Worker threads take their process's mark
 * (given as `workerData.runMark`), so that no thread takes another's files
 * in flight for a dead run's leftovers.
 */
export const RUN_MARK: string =
  !isMainThread && typeof workerData?.runMark === 'string' ? workerData.runMark : `${process.pid}-${randomBytes(4).toString('hex')}`;
const RUN = RUN_MARK;

export function temporaryNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${RUN}.tmp`);
}

function backupNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${RUN}.bak`);
}

/**
 * Cleans up after runs of ours that were killed while writing into `dir`:
 * their temporary files are removed, and an earlier result a killed run had
 * set aside is put back if nothing has replaced it. Files of runs still alive
 * are left alone.
 */
export function recoverStale(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^\.(.+)\.(\d+)-[0-9a-f]+\.(tmp|bak)$/.exec(name);
    if (!m || name.includes(`.${RUN}.`)) continue;
    const pid = Number(m[2]);
    if (pid !== process.pid && alive(pid)) continue;
    const stale = join(dir, name);
    const target = join(dir, m[1]);
    if (m[3] === 'bak' && !existsSync(target)) renameSync(stale, target);
    else rmSync(stale, { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What each errno of a failed write means, and what to do. */
const WRITE_FAILURES: Record<string, string> = {
  ENOSPC: 'no space left on the device: free some space or choose another output folder',
  EDQUOT: 'disk quota exceeded: free some space or choose another output folder',
  EROFS: 'the file system is read-only: choose an output folder on a writable one',
  EACCES: 'permission denied: choose an output folder you can write in',
  EPERM: 'operation not permitted: choose an output folder you can write in',
  ENOTDIR: 'a part of the path is a file, not a folder: choose another output path',
  EEXIST: 'a file of that name is in the way: move it away or choose another output path',
  EISDIR: 'is a folder: choose another output path',
  EIO: 'input/output error (a failing disk or network file system?)',
  ENAMETOOLONG: 'the path is too long: choose a shorter output path',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files on the system',
};

/** Whether an error is a failure of the file system (a code like ENOSPC), rather than a bug. */
export function isFileSystemError(e: unknown): e is NodeJS.ErrnoException {
  return typeof (e as NodeJS.ErrnoException)?.code === 'string' && /^E[A-Z]+$/.test((e as NodeJS.ErrnoException).code!);
}

/** A write the file system refused (a full disk, a read-only mount): a fault of the place, not of one result. */
export class WriteFailure extends Her2cnError {}

/** A file system's refusal to write as one line (the path named is the result's, never a temporary file's): `<path>: cannot write (ENOSPC: no space left on the device: …); nothing was written`. */
export function writeFailure(e: unknown, path: string, partial = 'nothing was written'): unknown {
  // Anything but a file system's refusal (a bug) is passed on as it is.
  if (!isFileSystemError(e)) return e;
  const err = e as NodeJS.ErrnoException;
  const code = err.code ?? 'error';
  const why = WRITE_FAILURES[code] ?? String(err.message ?? e).replace(/\s*\n\s*/g, ' ');
  return new WriteFailure('output', `${path}: cannot write (${code}: ${why}); ${partial}`, path);
}

export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const tmp = temporaryNameFor(path);
  let made: string | undefined;
  try {
    // Its folder is made if missing, as `call --out` makes its folder.
    made = mkdirSync(dirname(path), { recursive: true });
    recoverStale(dirname(path));
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    removeMadeFolders(dirname(path), made);
    throw writeFailure(e, path);
  }
}

/** After a failed write, the folders this write made (from `made` down to `dir`) are removed again if still empty. */
export function removeMadeFolders(dir: string, made: string | undefined): void {
  if (!made) return;
  const top = resolve(made);
  for (let at = resolve(dir); at.length >= top.length; at = dirname(at)) {
    try {
      rmdirSync(at);
    } catch {
      return;
    }
    if (at === top) return;
  }
}

/**
 * Writes several files into `dir` (created if missing) as one result: all
 * are written under temporary names first; earlier files of the same names
 * are set aside, the new ones renamed into place, and the earlier ones put
 * back if any step fails. A failed run leaves the folder as it was.
 */
export function writeFilesAtomic(dir: string, files: [string, string | Uint8Array][]): void {
  let made: string | undefined;
  try {
    made = mkdirSync(dir, { recursive: true });
    recoverStale(dir);
  } catch (e) {
    throw writeFailure(e, dir);
  }
  const targets = files.map(([name]) => join(dir, name));
  const tmps = targets.map(temporaryNameFor);
  const backups = targets.map(backupNameFor);
  const setAside: number[] = [];
  const placed: number[] = [];
  for (const t of targets) {
    // Only earlier result files are replaced: anything else of that name is the user's.
    if (existsSync(t) && !lstatSync(t).isFile()) throw new Her2cnError('output', `${t}: exists and is not a file; move it away or choose another --out`, t);
  }
  try {
    files.forEach(([, content], i) => writeFileSync(tmps[i], content));
    targets.forEach((t, i) => {
      if (existsSync(t)) {
        renameSync(t, backups[i]);
        setAside.push(i);
      }
    });
    targets.forEach((t, i) => {
      renameSync(tmps[i], t);
      placed.push(i);
    });
  } catch (e) {
    for (const i of placed) rmSync(targets[i], { force: true });
    for (const i of setAside) renameSync(backups[i], targets[i]);
    for (const t of tmps) rmSync(t, { force: true, recursive: false });
    removeMadeFolders(dir, made);
    throw writeFailure(e, dir, 'the folder is as it was');
  }
  for (const i of setAside) rmSync(backups[i], { force: true });
}
