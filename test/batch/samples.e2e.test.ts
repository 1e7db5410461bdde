// The samples table of `her2cn batch` is checked whole before any sample is
// called: a bad line is one error naming the file and line, exit 1, and
// nothing is written (the reader itself: samples.test.ts).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, TEST_DATA, tempDir } from '../helpers.js';

describe('her2cn batch refuses a bad table before calling anything', () => {
  const cases: [string, string, RegExp][] = [
    ['duplicate sample', `sample\tbam\nT01\t${join(TEST_DATA, 'T01.bam')}\nT01\t${join(TEST_DATA, 'T10.bam')}\n`, /samples\.tsv line 3: sample T01 appears twice/],
    ['bad purity', `sample\tbam\tpurity\nT01\t${join(TEST_DATA, 'T01.bam')}\t0.6\nT10\t${join(TEST_DATA, 'T10.bam')}\tabc\n`, /samples\.tsv line 3: purity must be/],
    ['bad ihc', `sample\tbam\tihc\nT01\t${join(TEST_DATA, 'T01.bam')}\t++\n`, /samples\.tsv line 2: ihc must be/],
    ['missing column', `sample\tfile\nT01\t${join(TEST_DATA, 'T01.bam')}\n`, /samples\.tsv line 1: no 'bam' column/],
    ['file name collision', `sample\tbam\nT 01\t${join(TEST_DATA, 'T01.bam')}\nT_01\t${join(TEST_DATA, 'T10.bam')}\n`, /samples\.tsv line 3: samples "T 01" \(line 2\) and "T_01" make one file name T_01/],
  ];
  for (const [what, table, message] of cases) {
    it(`${what}: exit 1, one line naming the table and line, nothing written`, () => {
      const dir = tempDir();
      writeFileSync(join(dir, 'samples.tsv'), table);
      const r = runCli(['batch', join(dir, 'samples.tsv'), '--out', join(dir, 'out')]);
      expect(r.status, r.stderr).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(new RegExp(`^her2cn: error: ${dir}/` + message.source));
      expect(existsSync(join(dir, 'out'))).toBe(false);
    });
  }

  it('a table that cannot be read: exit 1; a bad --jobs: exit 2', () => {
    const dir = tempDir();
    const r = runCli(['batch', join(dir, 'none.tsv'), '--out', join(dir, 'out')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^her2cn: error: .*none\.tsv: cannot read the samples table \(ENOENT\)\n$/);
    writeFileSync(join(dir, 'samples.tsv'), `sample\tbam\nT01\t${join(TEST_DATA, 'T01.bam')}\n`);
    for (const jobs of ['0', 'two', '-1']) {
      const u = runCli(['batch', join(dir, 'samples.tsv'), '--jobs', jobs, '--out', join(dir, 'out')]);
      expect(u.status, jobs).toBe(2);
    }
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
