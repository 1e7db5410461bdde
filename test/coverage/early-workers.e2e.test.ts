// The coverage worker threads start before a large BAM's header and index are
// read; whatever happens next, they are stopped and the command ends.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BGZF_EOF } from '../../src/coverage/bgzf-reader.js';
import { MIN_BYTES_FOR_THREADS } from '../../src/coverage/engine.js';
import { runCli, TEST_DATA, tempDir } from '../helpers.js';

/** T01.bam followed by `tail` (at least the size that starts workers), with its index. */
function largeT01(tail: Uint8Array, keepEof: boolean): string {
  const dir = tempDir();
  const bam = readFileSync(join(TEST_DATA, 'T01.bam'));
  const body = keepEof ? bam : bam.subarray(0, bam.length - BGZF_EOF.length);
  const path = join(dir, 'T01.bam');
  writeFileSync(path, Buffer.concat([body, tail, ...(keepEof ? [Buffer.from(BGZF_EOF)] : [])]));
  copyFileSync(join(TEST_DATA, 'T01.bam.csi'), `${path}.csi`);
  return path;
}

describe('worker threads started early', () => {
  it('count a large BAM whose probes need few of its blocks to the table of the plain BAM', () => {
    // Empty BGZF blocks after the records: a valid BAM past the size that starts workers, whose probes need only T01's blocks.
    const blocks = Math.ceil(MIN_BYTES_FOR_THREADS / BGZF_EOF.length);
    const padding = Buffer.alloc(blocks * BGZF_EOF.length);
    for (let i = 0; i < blocks; i++) padding.set(BGZF_EOF, i * BGZF_EOF.length);
    const path = largeT01(padding, true);
    const out = join(tempDir(), 'padded.tsv');
    const plain = join(tempDir(), 'plain.tsv');
    const r = runCli(['coverage', path, '--threads', '2', '-o', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(runCli(['coverage', join(TEST_DATA, 'T01.bam'), '--threads', '2', '-o', plain]).status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(plain, 'utf8'));
  });

  it('are stopped when the BAM is refused after they started: one-line error, exit 1, no hang', () => {
    const path = largeT01(Buffer.alloc(MIN_BYTES_FOR_THREADS), false);
    const started = Date.now();
    const r = runCli(['call', path, '--threads', '2', '--out', tempDir()], { timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(/T01\.bam: no BGZF end-of-file marker: the BAM is truncated/);
    // Workers left running would keep the process alive until the test's timeout.
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
