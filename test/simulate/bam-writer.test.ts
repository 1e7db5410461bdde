// Our BAM and BAI writer against the readers users have: @gmod/bam and
// samtools. Index queries must return exactly the records a full scan finds.
import { BamFile } from '@gmod/bam';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type AlignmentRecord, BamWriter, referenceLength } from '../../src/simulate/bam-writer.js';
import { BGZF_EOF } from '../../src/simulate/bgzf-writer.js';
import { Random } from '../../src/stats/random.js';
import { samtools, TEST_DATA, tempDir, toolAvailable } from '../helpers.js';

const REFS = [
  { name: 'chr1', length: 5_000_000 },
  { name: 'chr17', length: 3_000_000 },
];

/** Random sorted records, including long ones spanning bins and unplaced ones at the end. */
function randomRecords(n: number, seed: string): AlignmentRecord[] {
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

function write(records: AlignmentRecord[]): string {
  const path = join(tempDir(), 'random.bam');
  const w = new BamWriter(path, '@HD\tVN:1.6\tSO:coordinate\n@RG\tID:x\tSM:x\n', REFS);
  for (const r of records) w.add(r);
  w.close();
  return path;
}

const records = randomRecords(20_000, 'writer');
const path = write(records);
const REGIONS: [number, number, number][] = [
  [0, 0, 5_000_000],
  [0, 1_000_000, 1_000_500],
  [0, 4_999_000, 5_000_000],
  [1, 16_383, 16_385],
  [1, 2_000_000, 2_200_000],
  [1, 0, 100],
];

function overlapping(refId: number, start: number, end: number): AlignmentRecord[] {
  return records.filter(r => r.refId === refId && r.pos < end && r.pos + Math.max(1, referenceLength(r.cigar)) > start);
}

describe('BAM writer', () => {
  it('ends with the BGZF end-of-file block and every block inflates', () => {
    const bytes = readFileSync(path);
    expect(bytes.subarray(bytes.length - 28)).toEqual(Buffer.from(BGZF_EOF));
    let at = 0;
    let total = 0;
    while (at < bytes.length) {
      const size = bytes.readUInt16LE(at + 16) + 1;
      total += inflateRawSync(bytes.subarray(at + 18, at + size - 8)).length;
      at += size;
    }
    expect(at).toBe(bytes.length);
    expect(total).toBeGreaterThan(20_000 * 40);
  });

  it('@gmod/bam reads back every field, and index queries match a full scan', async () => {
    const bam = new BamFile({ bamPath: path, baiPath: `${path}.bai` });
    const header = await bam.getHeader();
    expect(header.find(h => h.tag === 'RG')?.data.find(d => d.tag === 'SM')?.value).toBe('x');
    for (const [refId, start, end] of REGIONS) {
      const got = await bam.getRecordsForRange(REFS[refId].name, start, end);
      const want = overlapping(refId, start, end);
      expect(got.map(r => r.name).sort()).toEqual(want.map(r => r.name).sort());
      for (const g of got.slice(0, 50)) {
        const w = records.find(r => r.name === g.name)!;
        expect([g.start, g.flags, g.mq ?? 255, g.CIGAR]).toEqual([w.pos, w.flag, w.mapq, w.cigar.map(([op, n]) => `${n}${op}`).join('')]);
      }
    }
  });

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

  it('refuses records out of coordinate order', () => {
    const w = new BamWriter(join(tempDir(), 'unsorted.bam'), '', REFS);
    w.add(records[10]);
    expect(() => w.add(records[0])).toThrow(/out of coordinate order/);
  });
});
