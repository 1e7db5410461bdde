// Where results go is checked before any work starts, and every failure to
// write becomes one line naming the file and the cause: a run must not read
// for minutes and then fail on a --out that is a file, a read-only mount or
// a full disk with a stack trace.
import { closeSync, lstatSync, openSync, rmSync, type Stats, statSync, writeSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { Her2cnError } from '../errors/errors.js';
import type { InputFiles } from '../util/input-files.js';
import { temporaryNameFor, writeFailure } from './files.js';

/** Creates and removes a small file in `folder`: a read-only mount, missing permission or a full disk shows here. */
function probeWrite(folder: string, shownAs: string): void {
  const probe = temporaryNameFor(join(folder, 'her2cn-write-check'));
  try {
    const fd = openSync(probe, 'wx');
    try {
      writeSync(fd, Buffer.alloc(4096));
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    rmSync(probe, { force: true });
    throw writeFailure(e, shownAs, 'nothing was run');
  }
  rmSync(probe, { force: true });
}

/** The nearest existing folder at or above `path` (where missing folders will be made), refusing a file on the way. */
function existingAncestor(path: string, shownAs: string, option: string): string {
  let at = resolve(path);
  for (;;) {
    let s: Stats | undefined;
    try {
      s = statSync(at);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw writeFailure(e, shownAs, 'nothing was run');
    }
    if (s) {
      if (s.isDirectory()) return at;
      const where = at === resolve(path) ? 'is' : `is below ${at}, which is`;
      throw new Her2cnError('output', `${shownAs}: ${where} ${s.isFile() ? 'a file' : 'not a folder'}, not a folder; choose another ${option}`, shownAs);
    }
    const up = dirname(at);
    if (up === at) return at;
    at = up;
  }
}

/**
 * Checks an output folder before any work: it is a folder (or can be made
 * as one) that can be written in. Nothing is created.
 */
export function checkOutputFolder(dir: string, option = '--out'): void {
  const folder = existingAncestor(dir, dir, option);
  probeWrite(folder, dir);
}

/**
 * Checks an output file before any work: if it exists it is a regular file
 * and not one of the inputs; its folder can be written in. A symbolic link
 * is refused, not replaced: the file is written under a temporary name and
 * renamed into place, which would put it where the link was and leave the
 * file the link points to as it was (and `-o /dev/stdout` redirected to a
 * file would replace /dev/stdout itself).
 */
export function checkOutputFile(path: string, inputs: InputFiles, option: string): void {
  const hint = /^\/dev\/std(out|err)$|^\/dev\/fd\/|^\/proc\/self\/fd\//.test(path) ? ' (to print the table, leave out -o)' : '';
  if (path.endsWith('/') || path.endsWith(sep)) throw new Her2cnError('usage', `${path}: names a folder (it ends with a slash); give ${option} a file name`, path);
  let s: Stats | undefined;
  try {
    s = lstatSync(path);
  } catch {
    // missing: the folder is checked below
  }
  if (s && hint) throw new Her2cnError('usage', `${path}: exists and is not a regular file; choose another ${option}${hint}`, path);
  if (s && !s.isFile() && !s.isSymbolicLink()) {
    throw new Her2cnError('usage', `${path}: exists and is ${s.isDirectory() ? 'a folder' : 'not a regular file'}; choose another ${option}`, path);
  }
  // An input under another name is named as such first; any other link is refused too.
  inputs.refuseOverwrite(path, option);
  if (s?.isSymbolicLink()) throw new Her2cnError('usage', `${path}: is a symbolic link; give ${option} the file itself, or another name`, path);
  checkOutputFolder(dirname(path), option);
}

/** Refuses output files (in a folder) that are inputs of the run. */
export function refuseOverwritingInputs(dir: string, names: string[], inputs: InputFiles, option = '--out'): void {
  for (const name of names) inputs.refuseOverwrite(join(dir, name), option);
}
