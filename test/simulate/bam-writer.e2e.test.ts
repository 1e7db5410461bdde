// Our BAM and BAI writer against samtools: it accepts the files, and index
// queries return exactly the records a full scan finds, as with the index
// samtools builds (against @gmod/bam: bam-writer.test.ts).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { samtools, TEST_DATA, tempDir, toolAvailable } from '../helpers.js';
import { overlapping, path, records, REFS, REGIONS } from './random-bam.js';

describe('BAM writer, read by samtools', () => {
  it.skipIf(!toolAvailable('samtools'))('samtools accepts the BAM and its BAI: quickcheck, idxstats, indexed region counts', () => {
    samtools(['quickcheck', path]);
    const idx = samtools(['idxstats', path]).trim().split('\n').map(l => l.split('\t'));
    for (const [refId, ref] of REFS.entries()) {
      const row = idx.find(r => r[0] === ref.name)!;
      expect(Number(row[2])).toBe(records.filter(r => r.refId === refId).length);
    }
    expect(Number(idx.find(r => r[0] === '*')![3])).toBe(5);
    for (const [refId, start, end] of REGIONS) {
      const n = Number(samtools(['view', '-c', path, `${REFS[refId].name}:${start + 1}-${end}`]).trim());
      expect(n).toBe(overlapping(refId, start, end).length);
    }
  });

  it.skipIf(!toolAvailable('samtools'))('our BAI of a test-data BAM answers region queries as the index samtools builds does', () => {
    const copy = join(tempDir(), 'T01.bam');
    samtools(['view', '-b', '-o', copy, join(TEST_DATA, 'T01.bam')]);
    // samtools rewrites the BAM (other block boundaries), so compare what the indexes answer
    samtools(['index', copy]);
    for (const region of ['chr17:39700000-39730000', 'chr1:1-248956422', 'chrX:5000000-150000000', 'chrY']) {
      const ours = samtools(['view', '-c', join(TEST_DATA, 'T01.bam'), region]);
      const theirs = samtools(['view', '-c', copy, region]);
      expect(ours).toBe(theirs);
    }
  });
});
