// Worker threads of one process share its mark on temporary files, so one
// thread's clean-up of dead runs' leftovers never takes another thread's
// files in flight (batch threads write into one folder at once).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers.js';

const FILES_JS = join(ROOT, 'dist', 'output', 'files.js');

/** Runs recoverStale(dir) on a worker thread given `runMark` (or none). */
function recoverOnThread(dir: string, runMark?: string): Promise<void> {
  const code = `import('${FILES_JS}').then(m => m.recoverStale(${JSON.stringify(dir)}));`;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: runMark ? { runMark } : {} });
    w.on('error', reject);
    w.on('exit', () => resolve());
  });
}

describe('temporary files and worker threads', () => {
  it('a thread given the process\'s mark leaves a sibling\'s file in flight alone; one with its own mark takes it for a dead run\'s', async () => {
    const { RUN_MARK } = await import(FILES_JS);
    expect(RUN_MARK).toMatch(new RegExp(`^${process.pid}-[0-9a-f]{8}$`));
    const dir = tempDir();
    const inFlight = join(dir, `.T01.her2cn.json.${RUN_MARK}.tmp`);
    writeFileSync(inFlight, 'being written');
    await recoverOnThread(dir, RUN_MARK);
    expect(existsSync(inFlight)).toBe(true);
    // without the shared mark, the same pid with another nonce looks like a dead run's leftover
    await recoverOnThread(dir);
    expect(existsSync(inFlight)).toBe(false);
  });
});
