// Every result file is written under a temporary name in its final folder and
// renamed into place, so a reader never sees half a file and a failed or
// killed run leaves nothing that looks like a result.
import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** An output that cannot be written where asked. */
export class OutputError extends Error {}

export function temporaryNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
}

/**
 * Cleans up after a run of ours that was killed while writing `path`: its
 * temporary file is removed, and an earlier result it had set aside is put
 * back if nothing replaced it.
 */
export function recoverStale(path: string): void {
  const dir = dirname(path);
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = name.startsWith(prefix) ? /^(\d+)\.(tmp|bak)$/.exec(name.slice(prefix.length)) : null;
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    const stale = join(dir, name);
    if (m[2] === 'bak' && !existsSync(path)) renameSync(stale, path);
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

export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  recoverStale(path);
  const tmp = temporaryNameFor(path);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Writes several files into `dir` (created if missing) as one result: all
 * are written under temporary names first; earlier files of the same names
 * are set aside, the new ones renamed into place, and the earlier ones put
 * back if any step fails. A failed run leaves the folder as it was.
 */
export function writeFilesAtomic(dir: string, files: [string, string | Uint8Array][]): void {
  mkdirSync(dir, { recursive: true });
  for (const [name] of files) recoverStale(join(dir, name));
  const targets = files.map(([name]) => join(dir, name));
  const tmps = targets.map(temporaryNameFor);
  const backups = targets.map(t => temporaryNameFor(t).replace(/\.tmp$/, '.bak'));
  const setAside: number[] = [];
  const placed: number[] = [];
  for (const t of targets) {
    // Only earlier result files are replaced: anything else of that name is the user's.
    if (existsSync(t) && !lstatSync(t).isFile()) throw new OutputError(`${t}: exists and is not a file; move it away or choose another --out`);
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
    throw e;
  }
  for (const i of setAside) rmSync(backups[i], { force: true });
}
