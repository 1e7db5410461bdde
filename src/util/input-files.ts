// Every file her2cn reads is checked before any work starts: it must exist
// and be a regular file. A folder cannot be read; a named pipe (FIFO), a
// socket or a device would block or be consumed by the first read, while
// her2cn reads some inputs twice (their content is hashed for resuming) and
// seeks in others (BAM, CRAM, indexes). The files read are remembered by
// identity (device and inode, through symlinks and hard links) so that no
// output can be written over one of them (output/location.ts).
import { type Stats, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Her2cnError } from '../errors/errors.js';

/** What a file that is not a regular file is, in words. */
function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/**
 * Refuses a path that is missing, unreadable, or not a regular file, with a
 * one-line error naming the file. `what` names the input ('BAM', 'panel
 * BED'); `cannot` is how a missing file is reported (as each reader words it).
 */
export function checkInputFile(path: string, what: string, cannot = `cannot read ${what}`): Stats {
  let s: Stats;
  try {
    s = statSync(path);
  } catch (e) {
    throw new Her2cnError('input', `${path}: ${cannot} (${(e as NodeJS.ErrnoException).code ?? String(e)})`, path);
  }
  if (s.isFile()) return s;
  if (s.isDirectory()) throw new Her2cnError('input', `${path}: is a folder, not a ${what} file; give the file itself`, path);
  throw new Her2cnError(
    'input',
    `${path}: is ${kindOf(s)}, not a regular file; her2cn reads a ${what} only from a file (it seeks in it or reads it twice): save it to a file first`,
    path,
  );
}

/** A file's identity (device and inode, following symlinks), or undefined if it does not exist. */
export function fileIdentity(path: string): string | undefined {
  try {
    const s = statSync(path, { bigint: true });
    return `${s.dev}:${s.ino}`;
  } catch {
    return undefined;
  }
}

/** The files a run reads, by identity: an output must never be one of them. */
export class InputFiles {
  private readonly byIdentity = new Map<string, { path: string; what: string }>();

  /** Remembers an existing file (a missing one cannot be written over: nothing to remember). */
  add(path: string | undefined, what: string): this {
    if (!path) return this;
    const id = fileIdentity(path);
    if (id && !this.byIdentity.has(id)) this.byIdentity.set(id, { path, what });
    return this;
  }

  /** The input a path is (the same file, by whatever name), if any. */
  find(path: string): { path: string; what: string } | undefined {
    const id = fileIdentity(path);
    return id ? this.byIdentity.get(id) : undefined;
  }

  /** Refuses to write `output` when it is one of the inputs. */
  refuseOverwrite(output: string, option: string): void {
    const input = this.find(output);
    if (!input) return;
    const same = resolve(input.path) === resolve(output) ? '' : ` (${input.path}, by another name)`;
    throw new Her2cnError(
      'usage',
      `${output}: is the ${input.what}${same} this run reads; her2cn never writes over its inputs: choose another ${option}`,
      output,
    );
  }
}

/** The index files that may sit beside a coverage input (BAI, CSI, CRAI, TBI), for `InputFiles`. */
export function companionFiles(path: string): string[] {
  const bare = path.replace(/\.(bam|cram)$/i, '');
  return [`${path}.bai`, `${path}.csi`, `${path}.crai`, `${path}.tbi`, `${bare}.bai`, `${bare}.crai`].filter(p => p !== path);
}

/** An indexed FASTA as an input: checked (with its .fai and .gzi when present), and never to be written over. */
export function checkFastaInput(path: string, inputs: InputFiles, what: string): void {
  checkInputFile(path, what, `cannot open the ${what}`);
  inputs.add(path, what);
  for (const index of [`${path}.fai`, `${path}.gzi`]) {
    if (fileIdentity(index) === undefined) continue;
    checkInputFile(index, `${what} index`);
    inputs.add(index, `${what} index`);
  }
}
