// Our BAM writer and its indexes (CSI, BAI) against the reader her2cn uses,
// @gmod/bam: index queries must return exactly the records a full scan finds
// (against samtools: bam-writer.e2e.test.ts).
import { BamFile } from '@gmod/bam';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BamWriter } from '../../src/simulate/bam-writer.js';
import { BGZF_EOF } from '../../src/output/bgzf-writer.js';
import { tempDir } from '../helpers.js';
import { INDEX_FORMATS, overlapping, paths, records, REFS, REGIONS } from './random-bam.js';

describe('BAM writer', () => {
  it('ends with the BGZF end-of-file block and every block inflates', () => {
    const bytes = readFileSync(paths.csi);
    // the index written beside it changes nothing in the BAM
    expect(readFileSync(paths.bai).equals(bytes)).toBe(true);
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

  it('writes only the index asked for, and removes one of the other kind left beside the BAM', () => {
    expect(readdirSync(dirname(paths.csi))).toEqual(['random.bam', 'random.bam.csi']);
    expect(readdirSync(dirname(paths.bai))).toEqual(['random.bam', 'random.bam.bai']);
    const path = join(tempDir(), 'again.bam');
    for (const index of ['bai', 'csi', false] as const) {
      const w = new BamWriter(path, '', REFS, { index });
      w.add(records[0]);
      w.close();
      expect(readdirSync(dirname(path)).sort(), String(index)).toEqual(index ? ['again.bam', `again.bam.${index}`] : ['again.bam']);
    }
  });

  it.each(INDEX_FORMATS)('@gmod/bam reads back every field, and queries with the %s match a full scan', async format => {
    const path = paths[format];
    const bam = new BamFile(format === 'csi' ? { bamPath: path, csiPath: `${path}.csi` } : { bamPath: path, baiPath: `${path}.bai` });
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

  it('refuses records out of coordinate order', () => {
    const w = new BamWriter(join(tempDir(), 'unsorted.bam'), '', REFS);
    w.add(records[10]);
    expect(() => w.add(records[0])).toThrow(/out of coordinate order/);
  });
});
