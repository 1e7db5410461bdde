// A BAM of random records written by our writer, and the records a region
// query must return, for the writer's tests (bam-writer.test.ts against
// @gmod/bam, bam-writer.e2e.test.ts against samtools).
import { join } from 'node:path';
import { type AlignmentRecord, BamWriter, referenceLength } from '../../src/simulate/bam-writer.js';
import type { IndexFormat } from '../../src/simulate/index-writer.js';
import { Random } from '../../src/stats/random.js';
import { tempDir } from '../helpers.js';

export const REFS = [
  { name: 'chr1', length: 5_000_000 },
  { name: 'chr17', length: 3_000_000 },
];

/** Random sorted records, including long ones spanning bins and unplaced ones at the end. */
export function randomRecords(n: number, seed: string): AlignmentRecord[] {
  const rng = new Random(seed);
  const records: AlignmentRecord[] = [];
  for (let i = 0; i < n; i++) {
    const refId = rng.chance(0.5) ? 0 : 1;
    const long = rng.chance(0.02);
    const len = long ? rng.int(20_000, 70_000) : rng.int(30, 150);
    const pos = rng.int(0, REFS[refId].length - len - 1);
    const cigar: [string, number][] = long ? [['M', 50], ['N', len - 100], ['M', 50]] : [['M', len]];
    records.push({ name: `r${i}`, flag: rng.chance(0.1) ? 0x400 : 0, refId, pos, mapq: rng.int(0, 60), cigar, nextRefId: -1, nextPos: -1, tlen: 0, tags: { RG: 'x' } });
  }
  records.sort((a, b) => a.refId - b.refId || a.pos - b.pos);
  for (let i = 0; i < 5; i++) records.push({ name: `u${i}`, flag: 0x4, refId: -1, pos: -1, mapq: 0, cigar: [], nextRefId: -1, nextPos: -1, tlen: 0 });
  return records;
}

export function write(records: AlignmentRecord[], index: IndexFormat): string {
  const path = join(tempDir(), 'random.bam');
  const w = new BamWriter(path, '@HD\tVN:1.6\tSO:coordinate\n@RG\tID:x\tSM:x\n', REFS, { index });
  for (const r of records) w.add(r);
  w.close();
  return path;
}

export const records = randomRecords(20_000, 'writer');
/** The same BAM, in a folder of its own with each kind of index the writer makes. */
export const paths: Record<IndexFormat, string> = { csi: write(records, 'csi'), bai: write(records, 'bai') };
export const INDEX_FORMATS = ['csi', 'bai'] as const;
export const REGIONS: [number, number, number][] = [
  [0, 0, 5_000_000],
  [0, 1_000_000, 1_000_500],
  [0, 4_999_000, 5_000_000],
  [1, 16_383, 16_385],
  [1, 2_000_000, 2_200_000],
  [1, 0, 100],
];

export function overlapping(refId: number, start: number, end: number): AlignmentRecord[] {
  return records.filter(r => r.refId === refId && r.pos < end && r.pos + Math.max(1, referenceLength(r.cigar)) > start);
}
