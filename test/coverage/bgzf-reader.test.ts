// Reading a span of BGZF blocks: the blocks the reader yields are the file's,
// walked here from its first byte, whatever span it expected to read; a block
// kept from the span before is yielded from there, not read again. Each
// block's payload is a view of the reader's one buffer, copied here as it comes.
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflateBlocks, type LastBlock } from '../../src/coverage/bgzf-reader.js';
import { TEST_DATA } from '../helpers.js';

const BAM = join(TEST_DATA, 'T01.bam');

/** Every block of the file: its offset, total size and payload. */
function walk(path: string): { offset: number; size: number; data: Buffer }[] {
  const file = readFileSync(path);
  const out = [];
  for (let at = 0; at < file.length; ) {
    const size = file.readUInt16LE(at + 16) + 1;
    out.push({ offset: at, size, data: inflateRawSync(file.subarray(at + 18, at + size - 8)) });
    at += size;
  }
  return out;
}

describe('inflateBlocks', () => {
  const blocks = walk(BAM);
  const fileSize = readFileSync(BAM).length;

  it('yields every block of a BAM from any block on, whatever the span expected', () => {
    expect(blocks.length).toBeGreaterThan(5);
    const fd = openSync(BAM, 'r');
    try {
      for (const [k, expectedEnd] of [[0, 0], [2, blocks[3].offset + 65536], [4, fileSize]] as const) {
        const from = blocks[k].offset;
        const got = Array.from(inflateBlocks(fd, BAM, from, fileSize, Math.max(expectedEnd, from + 65536)), b => ({ offset: b.offset, data: Buffer.from(b.data) }));
        expect(got.map(b => b.offset)).toEqual(blocks.slice(k).map(b => b.offset));
        got.forEach((b, i) => expect(b.data.equals(blocks[k + i].data)).toBe(true));
      }
    } finally {
      closeSync(fd);
    }
  });

  it('keeps the block inflated last, and yields a kept block without reading it again', () => {
    const fd = openSync(BAM, 'r');
    try {
      const last: LastBlock = { offset: -1, size: 0 };
      const first = inflateBlocks(fd, BAM, blocks[1].offset, fileSize, blocks[1].offset + 65536, last);
      first.next();
      first.next();
      // The second block yielded is the one kept.
      expect(last.offset).toBe(blocks[2].offset);
      expect(last.size).toBe(blocks[2].size);
      expect(last.data!.equals(blocks[2].data)).toBe(true);
      // A span starting there gets the kept payload (the same object), then reads on from the block after.
      const kept = last.data;
      const next = inflateBlocks(fd, BAM, blocks[2].offset, fileSize, blocks[2].offset + 65536, last);
      expect(next.next().value!.data).toBe(kept);
      const after = next.next().value!;
      expect(after.offset).toBe(blocks[3].offset);
      expect(after.data.equals(blocks[3].data)).toBe(true);
    } finally {
      closeSync(fd);
    }
  });
});
