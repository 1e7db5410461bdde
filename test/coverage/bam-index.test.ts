// BAI and CSI queries from the index's bytes: every record overlapping a
// region lies in a range the query returns (records and truth from the
// writer's random BAM, record offsets from walking the file itself), and the
// ranges read no more than @gmod/bam's chunks for the same region.
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync, inflateRawSync } from 'node:zlib';
import { BamFile } from '@gmod/bam';
import { describe, expect, it } from 'vitest';
import { type BinnedIndex, parseBai, parseCsi } from '../../src/coverage/bam-index.js';
import type { IndexFormat } from '../../src/simulate/index-writer.js';
import type { VirtualRange } from '../../src/coverage/records.js';
import { Random } from '../../src/stats/random.js';
import { overlapping, paths, REFS, REGIONS } from '../simulate/random-bam.js';

/** Each record's name and virtual offset, found by inflating the BAM from its first byte. */
function recordOffsets(path: string): Map<string, number> {
  const file = readFileSync(path);
  const blocks: { offset: number; data: Buffer }[] = [];
  for (let at = 0; at < file.length; ) {
    const size = file.readUInt16LE(at + 16) + 1;
    blocks.push({ offset: at, data: inflateRawSync(file.subarray(at + 18, at + size - 8)) });
    at += size;
  }
  const stream = Buffer.concat(blocks.map(b => b.data));
  const blockAt: number[] = [];
  let u = 0;
  for (const b of blocks) {
    blockAt.push(u);
    u += b.data.length;
  }
  const virtualOffset = (pos: number) => {
    let k = blockAt.length - 1;
    while (blockAt[k] > pos) k--;
    return blocks[k].offset * 65536 + (pos - blockAt[k]);
  };
  let p = 8 + stream.readInt32LE(4);
  const nRef = stream.readInt32LE(p);
  p += 4;
  for (let r = 0; r < nRef; r++) p += 8 + stream.readInt32LE(p);
  const offsets = new Map<string, number>();
  while (p < stream.length) {
    const size = stream.readInt32LE(p);
    const nameLength = stream[p + 12];
    offsets.set(stream.toString('latin1', p + 36, p + 36 + nameLength - 1), virtualOffset(p));
    p += 4 + size;
  }
  return offsets;
}

const inside = (ranges: VirtualRange[], v: number) => ranges.some(r => v >= r.start && v < r.end);

const rng = new Random('bai regions');
const regions: [number, number, number][] = [
  ...REGIONS,
  ...Array.from({ length: 40 }, (): [number, number, number] => {
    const refId = rng.int(0, 1);
    const start = rng.int(0, REFS[refId].length - 1);
    return [refId, start, start + rng.int(1, rng.chance(0.5) ? 300 : 200_000)];
  }),
];
const indexOf = (format: IndexFormat): BinnedIndex =>
  format === 'bai' ? parseBai(readFileSync(`${paths.bai}.bai`)) : parseCsi(gunzipSync(readFileSync(`${paths.csi}.csi`)));

describe.each(['bai', 'csi'] as const)('the %s index', format => {
  const index = indexOf(format);
  const offsets = recordOffsets(paths[format]);

  it('returns ranges holding every record that overlaps the region, sorted and disjoint', () => {
    expect(index.refCount).toBe(REFS.length);
    for (const [refId, start, end] of regions) {
      const ranges = index.ranges(refId, start, end);
      for (let i = 1; i < ranges.length; i++) expect(ranges[i].start).toBeGreaterThan(ranges[i - 1].end);
      const expected = overlapping(refId, start, end);
      for (const r of expected) expect(inside(ranges, offsets.get(r.name)!), `${r.name} in ${refId}:${start}-${end}`).toBe(true);
    }
  });

  it('reads no record that @gmod/bam would not read for the same region, and fewer on some', async () => {
    const bam = new BamFile(format === 'bai' ? { bamPath: paths.bai, baiPath: `${paths.bai}.bai` } : { bamPath: paths.csi, csiPath: `${paths.csi}.csi` });
    await bam.getHeader();
    let fewer = 0;
    for (const [refId, start, end] of regions) {
      const ours = index.ranges(refId, start, end);
      const theirs = (await bam.blocksForRange(REFS[refId].name, start, end)).map(c => ({
        start: c.minv.blockPosition * 65536 + c.minv.dataPosition,
        end: c.maxv.blockPosition * 65536 + c.maxv.dataPosition,
      }));
      const read = (ranges: VirtualRange[]) => [...offsets.values()].filter(v => inside(ranges, v)).length;
      for (const v of offsets.values()) if (inside(ours, v)) expect(inside(theirs, v)).toBe(true);
      if (read(ours) < read(theirs)) fewer++;
    }
    // @gmod/bam joins chunks across small gaps; the gaps' records are not read here
    expect(fewer).toBeGreaterThan(0);
  });

  it('skips the chunks before the region where the index says where its records begin', () => {
    // A short region deep in chromosome 1: only a small part of the chromosome's records is read.
    const ranges = index.ranges(0, 4_000_000, 4_000_300);
    const read = [...offsets.values()].filter(v => inside(ranges, v)).length;
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(overlapping(0, 0, 5_000_000).length / 20);
  });
  it('answers nothing for a reference it does not index or an empty region', () => {
    expect(index.ranges(-1, 0, 100)).toEqual([]);
    expect(index.ranges(REFS.length, 0, 100)).toEqual([]);
    expect(index.ranges(0, 500, 500)).toEqual([]);
  });
});

describe('index bytes that are wrong', () => {
  it('a BAI that is not one, or one cut short, is refused saying which', () => {
    const bytes = readFileSync(`${paths.bai}.bai`);
    expect(() => parseBai(gunzipSync(readFileSync(`${paths.csi}.csi`)))).toThrow(/not a BAI index/);
    expect(() => parseBai(bytes.subarray(0, bytes.length - 9))).toThrow(/ends early/);
    expect(() => parseBai(bytes.subarray(0, 6))).toThrow(/ends early/);
    const negative = Buffer.from(bytes);
    negative.writeInt32LE(-3, 8);
    expect(() => parseBai(negative)).toThrow(/a negative number of bins \(-3\) at byte 8/);
    // a bin number past the scheme's (chromosome 1's first bin made 40,000): refused when queried
    const foreign = Buffer.from(bytes);
    foreign.writeUInt32LE(40_000, 12);
    expect(() => parseBai(foreign).ranges(0, 0, 1000)).toThrow(/bin 40000 is beyond the BAI binning scheme/);
  });

  it('a CSI that is not one, cut short, with a negative count, an unknown scheme or a foreign bin is refused saying which', () => {
    const bytes = gunzipSync(readFileSync(`${paths.csi}.csi`));
    expect(() => parseCsi(readFileSync(`${paths.bai}.bai`))).toThrow(/not a CSI index/);
    expect(() => parseCsi(bytes.subarray(0, bytes.length - 9))).toThrow(/ends early/);
    expect(() => parseCsi(bytes.subarray(0, 10))).toThrow(/ends early/);
    // the writer's CSI: magic, min_shift 14, depth 5, no auxiliary data, 2 references; the first's bin count at byte 20
    expect([bytes.readInt32LE(4), bytes.readInt32LE(8), bytes.readInt32LE(12), bytes.readInt32LE(16)]).toEqual([14, 5, 0, 2]);
    const negative = Buffer.from(bytes);
    negative.writeInt32LE(-2, 20);
    expect(() => parseCsi(negative)).toThrow(/a negative number of bins \(-2\) at byte 20/);
    const scheme = Buffer.from(bytes);
    scheme.writeInt32LE(40, 8);
    expect(() => parseCsi(scheme)).toThrow(/an unsupported binning scheme \(min_shift 14, depth 40\)/);
    // depth 11: positions fit, but the last bin's number would not fit 32 bits
    scheme.writeInt32LE(1, 4);
    scheme.writeInt32LE(11, 8);
    expect(() => parseCsi(scheme)).toThrow(/an unsupported binning scheme \(min_shift 1, depth 11\)/);
    const foreign = Buffer.from(bytes);
    foreign.writeUInt32LE(40_000, 24);
    expect(() => parseCsi(foreign).ranges(0, 0, 1000)).toThrow(/bin 40000 is beyond the CSI binning scheme/);
  });

  it('a CSI of another binning scheme (min_shift 12, depth 6, as samtools index -m 12 writes) is queried by its own bins', () => {
    // The writer's bins re-numbered into the finer scheme would be a different index; instead check the
    // scheme's arithmetic on a hand-made index: one chunk in the finest bin holding position 5,000.
    const minShift = 12;
    const depth = 6;
    const finest = (8 ** depth - 1) / 7 + Math.floor(5000 / 2 ** minShift);
    const b = Buffer.alloc(16 + 4 + 4 + 4 + 8 + 4 + 16);
    let at = 0;
    for (const v of [0x01495343, minShift, depth, 0, 1, 1]) at = b.writeInt32LE(v | 0, at);
    at = b.writeUInt32LE(finest, at);
    at = b.writeBigUInt64LE(BigInt(7 * 65536), at);
    at = b.writeInt32LE(1, at);
    at = b.writeBigUInt64LE(BigInt(7 * 65536), at);
    b.writeBigUInt64LE(BigInt(9 * 65536 + 12), at);
    const csi = parseCsi(gunzipSync(gzipSync(b)));
    expect(csi.ranges(0, 4_900, 5_100)).toEqual([{ start: 7 * 65536, end: 9 * 65536 + 12 }]);
    expect(csi.ranges(0, 9_000, 9_100)).toEqual([]);
  });
});
