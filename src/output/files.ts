// Every result file is written under a temporary name in its final folder and
// renamed into place, so a reader never sees half a file and a failed or
// killed run leaves nothing that looks like a result.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function temporaryNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
}

export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const tmp = temporaryNameFor(path);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
