// Where the engine may cut a BAM's reads between threads when the index names
// no record start: the next BGZF block start near a file offset, and the
// first record starting in a block, found by scanning. Checked against every
// block of committed BAMs, walked here from the file's first byte.
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { findBlockStart } from '../../src/coverage/bgzf-reader.js';
import { scanRecordStart } from '../../src/coverage/records.js';
import { Random } from '../../src/stats/random.js';
import { TEST_DATA } from '../helpers.js';

interface Block {
  offset: number;
  data: Buffer;
  /** Offset in `data` of the first record starting in the block (-1 if none), and that record's chromosome. */
  firstRecord: number;
  refId: number;
}

/** Every BGZF block of a BAM with the first record starting in it, walking the uncompressed stream record by record. */
function blocksOf(path: string): Block[] {
  const file = readFileSync(path);
  const blocks: Block[] = [];
  for (let at = 0; at < file.length; ) {
    const size = file.readUInt16LE(at + 16) + 1;
    blocks.push({ offset: at, data: inflateRawSync(file.subarray(at + 18, at + size - 8)), firstRecord: -1, refId: -1 });
    at += size;
  }
  const stream = Buffer.concat(blocks.map(b => b.data));
  const starts: number[] = [];
  let b = 0;
  for (const block of blocks) starts.push((b += block.data.length) - block.data.length);
  // Header: magic, l_text, text, n_ref, then each reference's name and length.
  let p = 8 + stream.readInt32LE(4);
  const refs = stream.readInt32LE(p);
  p += 4;
  for (let i = 0; i < refs; i++) p += 8 + stream.readInt32LE(p);
  let k = 0;
  while (p < stream.length) {
    while (k + 1 < blocks.length && starts[k + 1] <= p) k++;
    if (blocks[k].firstRecord < 0) {
      blocks[k].firstRecord = p - starts[k];
      blocks[k].refId = stream.readInt32LE(p + 4);
    }
    p += 4 + stream.readInt32LE(p);
  }
  return blocks;
}

describe('cutting a BAM between BGZF blocks', () => {
  for (const sample of ['T02', 'T11', 'N03']) {
    const path = join(TEST_DATA, `${sample}.bam`);
    const blocks = blocksOf(path);

    it(`${sample}: the scan finds each block's first record, or nothing; never a wrong offset`, () => {
      let found = 0;
      let records = 0;
      for (const block of blocks) {
        if (block.firstRecord < 0 || block.refId < 0) continue;
        records++;
        const scanned = scanRecordStart(block.data, block.refId);
        if (scanned >= 0) {
          expect(scanned).toBe(block.firstRecord);
          found++;
        }
      }
      expect(records).toBeGreaterThan(5);
      expect(found).toBeGreaterThanOrEqual(records - 1);
    });

    it(`${sample}: the next block start after any offset is the next block`, () => {
      const fd = openSync(path, 'r');
      try {
        const size = readFileSync(path).length;
        const rng = new Random(`${sample} blocks`);
        for (let i = 0; i < 200; i++) {
          const near = rng.int(1, size - 2);
          const next = blocks.find(b => b.offset >= near);
          expect(findBlockStart(fd, size, near, size)).toBe(next ? next.offset : -1);
        }
      } finally {
        closeSync(fd);
      }
    });
  }

  it('finds no record in bytes that hold none', () => {
    const rng = new Random('noise');
    for (let i = 0; i < 50; i++) {
      const noise = Buffer.from(Array.from({ length: 65_536 }, () => rng.int(0, 255)));
      expect(scanRecordStart(noise, 16)).toBe(-1);
    }
  });
});
