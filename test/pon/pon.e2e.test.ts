// `her2cn pon` on the test-data normals (building and reading: pon.test.ts).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectRefused, runCli, TEST_DATA, tempDir } from '../helpers.js';

describe('her2cn pon', () => {
  it('builds the embedded PoN\'s equivalent from the test-data normals, and refuses two BAMs', () => {
    const dir = tempDir();
    const bams = ['N01', 'N02', 'N03', 'N04'].map(n => join(TEST_DATA, `${n}.bam`));
    const r = runCli(['pon', ...bams, '-o', join(dir, 'pon.json')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/4 of 4 normals used/);
    expect(r.stderr).toMatch(/her2cn: warning: only 4 normals used: probe spreads are imprecise below 10/);
    const out = join(dir, 'two');
    expectRefused(['pon', ...bams.slice(0, 2), '-o', join(out, 'pon.json')], /^her2cn: error: a panel of normals needs at least 3 normal BAMs, got 2$/, out);
  });
});
