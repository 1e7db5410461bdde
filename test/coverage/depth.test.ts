// Counting rules on hand-made BAMs whose depth is worked out by hand:
// aligned bases only, clipped to the probe, filters, mate overlap once.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBam } from '../../src/coverage/bam.js';
import { computeCoverage, DEFAULT_FILTER, type ProbeCoverage } from '../../src/coverage/engine.js';
import { parseBed } from '../../src/panel/bed.js';
import { type AlignmentRecord, BamWriter } from '../../src/simulate/bam-writer.js';
import { tempDir } from '../helpers.js';

const PAIR_LEFT = 0x1 | 0x2 | 0x20 | 0x40;
const PAIR_RIGHT = 0x1 | 0x2 | 0x10 | 0x80;

function read(name: string, pos: number, cigar: [string, number][], flag = 0, extra: Partial<AlignmentRecord> = {}): AlignmentRecord {
  return { name, flag, refId: 0, pos, mapq: 60, cigar, nextRefId: -1, nextPos: -1, tlen: 0, ...extra };
}

function pair(name: string, left: number, leftCigar: [string, number][], right: number, rightCigar: [string, number][], extraFlag = 0): AlignmentRecord[] {
  return [
    read(name, left, leftCigar, PAIR_LEFT | extraFlag, { nextRefId: 0, nextPos: right, tlen: 200 }),
    read(name, right, rightCigar, PAIR_RIGHT | extraFlag, { nextRefId: 0, nextPos: left, tlen: -200 }),
  ];
}

async function coverage(records: AlignmentRecord[], bed: string, refName = 'chr17'): Promise<ProbeCoverage[]> {
  const dir = tempDir();
  const path = join(dir, 'x.bam');
  const w = new BamWriter(path, '@HD\tVN:1.6\tSO:coordinate\n', [{ name: refName, length: 200_000 }]);
  for (const r of [...records].sort((a, b) => a.pos - b.pos)) w.add(r);
  w.close();
  const bam = await openBam(path);
  try {
    return (await computeCoverage(bam, parseBed(bed, 'test.bed'), DEFAULT_FILTER)).probes;
  } finally {
    bam.close();
  }
}

const PROBE = 'chr17\t1000\t1120\tERBB2_p1\n';

describe('per-probe depth', () => {
  it('counts aligned bases clipped to the probe', async () => {
    const [p] = await coverage([read('a', 1000, [['M', 100]]), read('b', 1100, [['M', 100]])], PROBE);
    expect(p.depth).toBeCloseTo((100 + 20) / 120, 12);
    expect(p.reads).toBe(2);
  });

  it('does not count deletions or soft clips, but a read spanning the probe with a deletion still overlaps it', async () => {
    const probes = await coverage(
      [read('a', 1000, [['M', 50], ['D', 10], ['M', 50]]), read('b', 1000, [['S', 10], ['M', 90]])],
      'chr17\t1000\t1120\tA\nchr17\t1050\t1060\tB\n',
    );
    // a: [1000,1050) + [1060,1110) = 100 bases; b: [1000,1090) = 90 bases
    expect(probes[0].depth).toBeCloseTo(190 / 120, 12);
    // inside the deletion only b covers
    expect(probes[1].depth).toBeCloseTo(1, 12);
    expect(probes[1].reads).toBe(2);
  });

  it('skips unmapped, secondary, supplementary, QC-fail, duplicate and MAPQ < 20 reads', async () => {
    const M: [string, number][] = [['M', 120]];
    const [p] = await coverage(
      [
        read('ok', 1000, M),
        read('mapq20', 1000, M, 0, { mapq: 20 }),
        read('mapq19', 1000, M, 0, { mapq: 19 }),
        read('unmapped', 1000, [], 0x4),
        read('secondary', 1000, M, 0x100),
        read('qcfail', 1000, M, 0x200),
        read('dup', 1000, M, 0x400),
        read('supp', 1000, M, 0x800),
      ],
      PROBE,
    );
    expect(p.depth).toBeCloseTo(2, 12);
    expect(p.reads).toBe(2);
  });

  it('counts the overlap of a proper pair once', async () => {
    const [p] = await coverage(pair('f', 1000, [['M', 100]], 1050, [['M', 100]]), PROBE);
    // union [1000, 1150) covers the probe once
    expect(p.depth).toBeCloseTo(1, 12);
    expect(p.reads).toBe(2);
  });

  it('counts the overlap twice when the pair is not proper', async () => {
    const records = pair('f', 1000, [['M', 100]], 1050, [['M', 100]]).map(r => ({ ...r, flag: r.flag & ~0x2 }));
    const [p] = await coverage(records, PROBE);
    // [1000,1100) + [1050,1120) within the probe = 100 + 70
    expect(p.depth).toBeCloseTo(170 / 120, 12);
  });

  it('keeps full coverage of a read whose overlapping mate was filtered out', async () => {
    const [left, right] = pair('f', 1000, [['M', 100]], 1050, [['M', 100]]);
    const [p] = await coverage([left, { ...right, flag: right.flag | 0x400 }], PROBE);
    expect(p.depth).toBeCloseTo(100 / 120, 12);
  });

  it('subtracts only bases both mates align where the overlap holds a deletion', async () => {
    // left [1000,1100); right 20M10D80M at 1050 aligns [1050,1070) and [1080,1160)
    const [p, gap] = await coverage(pair('f', 1000, [['M', 100]], 1050, [['M', 20], ['D', 10], ['M', 80]]), PROBE + 'chr17\t1070\t1080\tgap\n');
    expect(p.depth).toBeCloseTo(1, 12); // every probe base covered once
    expect(gap.depth).toBeCloseTo(1, 12); // left mate only, inside right's deletion
  });

  it('counts fully overlapping mates of a short insert once', async () => {
    const [p] = await coverage(pair('f', 1010, [['M', 90]], 1010, [['M', 90]]), PROBE);
    expect(p.depth).toBeCloseTo(90 / 120, 12);
  });

  it('reads a "17" BAM with a "chr17" panel and a "chr17" BAM with a "17" panel', async () => {
    const records = [read('a', 1000, [['M', 100]]), ...pair('f', 1030, [['M', 60]], 1060, [['M', 60]])];
    const expected = (100 + 90) / 120;
    expect((await coverage(records, PROBE, '17'))[0].depth).toBeCloseTo(expected, 12);
    expect((await coverage(records, '17\t1000\t1120\tERBB2\n', 'chr17'))[0].depth).toBeCloseTo(expected, 12);
  });

  it('refuses a BAM that lacks a chromosome of the panel', async () => {
    await expect(coverage([read('a', 1000, [['M', 100]])], PROBE + 'chr9\t100\t220\tX\n')).rejects.toThrow(/has no chromosome chr9/);
  });

  it('refuses a panel whose probes lie past the end of the BAM\'s chromosome', async () => {
    await expect(coverage([read('a', 1000, [['M', 100]])], 'chr17\t300000\t300120\tX\n')).rejects.toThrow(/different genome builds/);
  });

  it('streams a deep region without holding its reads (1,000 overlapping pairs on one probe)', async () => {
    const records: AlignmentRecord[] = [];
    for (let i = 0; i < 1000; i++) records.push(...pair(`f${i}`, 990 + (i % 20), [['M', 100]], 1040 + (i % 20), [['M', 100]]));
    const [p] = await coverage(records, PROBE);
    // each pair covers [s, s+150) once, s = 990..1009: within the probe, 150 - (1000 - s) bases if s < 1000, else min(150, 1120 - s)
    let sum = 0;
    for (let i = 0; i < 1000; i++) {
      const s = 990 + (i % 20);
      sum += Math.min(s + 150, 1120) - Math.max(s, 1000);
    }
    expect(p.depth).toBeCloseTo(sum / 120, 9);
    expect(p.reads).toBe(2000);
  });
});
