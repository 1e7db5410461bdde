// BAI queries from the index's bytes: every record overlapping a region lies
// in a range the query returns (records and truth from the writer's random
// BAM, record offsets from walking the file itself), and the ranges read no
// more than @gmod/bam's chunks for the same region.
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { BamFile } from '@gmod/bam';
import { describe, expect, it } from 'vitest';
import { parseBai } from '../../src/coverage/bai.js';
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

describe('parseBai', () => {
  const bai = parseBai(readFileSync(`${paths.bai}.bai`));
  const offsets = recordOffsets(paths.bai);
  const rng = new Random('bai regions');
  const regions: [number, number, number][] = [
    ...REGIONS,
    ...Array.from({ length: 40 }, (): [number, number, number] => {
      const refId = rng.int(0, 1);
      const start = rng.int(0, REFS[refId].length - 1);
      return [refId, start, start + rng.int(1, rng.chance(0.5) ? 300 : 200_000)];
    }),
  ];

  it('returns ranges holding every record that overlaps the region, sorted and disjoint', () => {
    expect(bai.refCount).toBe(REFS.length);
    for (const [refId, start, end] of regions) {
      const ranges = bai.ranges(refId, start, end);
      for (let i = 1; i < ranges.length; i++) expect(ranges[i].start).toBeGreaterThan(ranges[i - 1].end);
      const expected = overlapping(refId, start, end);
      for (const r of expected) expect(inside(ranges, offsets.get(r.name)!), `${r.name} in ${refId}:${start}-${end}`).toBe(true);
    }
  });

  it('reads no record that @gmod/bam would not read for the same region', async () => {
    const bam = new BamFile({ bamPath: paths.bai, baiPath: `${paths.bai}.bai` });
    await bam.getHeader();
    let fewer = 0;
    for (const [refId, start, end] of regions) {
      const ours = bai.ranges(refId, start, end);
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

  it('answers nothing for a reference it does not index or an empty region', () => {
    expect(bai.ranges(-1, 0, 100)).toEqual([]);
    expect(bai.ranges(REFS.length, 0, 100)).toEqual([]);
    expect(bai.ranges(0, 500, 500)).toEqual([]);
  });

  it('refuses bytes that are not a BAI, or one cut short, saying which', () => {
    const bytes = readFileSync(`${paths.bai}.bai`);
    expect(() => parseBai(readFileSync(`${paths.csi}.csi`))).toThrow(/not a BAI index/);
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
});
