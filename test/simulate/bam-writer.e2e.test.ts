// Our BAM writer and its indexes (CSI, BAI) against samtools: it accepts the
// files, and index queries return exactly the records a full scan finds, as
// with the index samtools builds (against @gmod/bam: bam-writer.test.ts).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBed } from '../../src/panel/bed.js';
import { cohort } from '../../src/simulate/cohort.js';
import { COMMITTED_SEED } from '../../src/simulate/seed.js';
import { writeSampleBam } from '../../src/simulate/write.js';
import { DEMO_PANEL, samtools, TEST_DATA, tempDir, toolAvailable } from '../helpers.js';
import { INDEX_FORMATS, overlapping, paths, records, REFS, REGIONS } from './random-bam.js';

describe.skipIf(!toolAvailable('samtools'))('BAM writer, read by samtools', () => {
  it.each(INDEX_FORMATS)('samtools accepts the BAM and its %s: quickcheck, idxstats, indexed region counts', format => {
    const path = paths[format];
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

  it('our CSI of a test-data BAM, and a BAI written for the same BAM, answer region queries as the index samtools builds does', () => {
    const copy = join(tempDir(), 'T01.bam');
    samtools(['view', '-b', '-o', copy, join(TEST_DATA, 'T01.bam')]);
    // samtools rewrites the BAM (other block boundaries), so compare what the indexes answer
    samtools(['index', copy]);
    const withBai = join(tempDir(), 'T01.bam');
    writeSampleBam(cohort({ seed: COMMITTED_SEED }).find(s => s.name === 'T01')!, readBed(DEMO_PANEL).probes, withBai, COMMITTED_SEED, { index: 'bai' });
    const regions = ['chr17:39700000-39730000', 'chr17', 'chr1:1-248956422', 'chr2:100000000-100200000', 'chr22:30000000-30000100', 'chrX:5000000-150000000', 'chrY', 'chrM'];
    for (const region of regions) {
      const theirs = samtools(['view', '-c', copy, region]);
      expect(samtools(['view', '-c', join(TEST_DATA, 'T01.bam'), region]), `CSI ${region}`).toBe(theirs);
      expect(samtools(['view', '-c', withBai, region]), `BAI ${region}`).toBe(theirs);
    }
    expect(samtools(['idxstats', join(TEST_DATA, 'T01.bam')])).toBe(samtools(['idxstats', copy]));
    expect(samtools(['idxstats', withBai])).toBe(samtools(['idxstats', copy]));
  });
});
