// The block inflater: every block of the committed BAMs inflates to what
// Node's inflateRawSync gives, through the zlib handle and through the
// portable path; damage gives zlib's error, and the next block inflates.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BlockInflater } from '../../src/coverage/inflate.js';
import { TEST_DATA } from '../helpers.js';

/** The deflate data of every BGZF block of a file. */
function deflateData(path: string): Buffer[] {
  const file = readFileSync(path);
  const out = [];
  for (let at = 0; at < file.length; ) {
    const size = file.readUInt16LE(at + 16) + 1;
    out.push(file.subarray(at + 18, at + size - 8));
    at += size;
  }
  return out;
}

const inflaters = [
  ['the zlib handle', () => new BlockInflater(), true],
  ['inflateRawSync', () => BlockInflater.portable(), false],
] as const;

describe.each(inflaters)('BlockInflater through %s', (_, make, throughHandle) => {
  it('inflates every block of the committed BAMs as inflateRawSync does, into one reused buffer', () => {
    const inflater = make();
    const output = Buffer.alloc(65537);
    const bams = readdirSync(TEST_DATA).filter(f => f.endsWith('.bam')).sort();
    expect(bams.length).toBeGreaterThan(10);
    let blocks = 0;
    for (const bam of bams.slice(0, 6)) {
      for (const data of deflateData(join(TEST_DATA, bam))) {
        const n = inflater.inflate(data, output);
        const expected = inflateRawSync(data);
        expect(n).toBe(expected.length);
        expect(output.subarray(0, n).equals(expected)).toBe(true);
        blocks++;
      }
    }
    expect(blocks).toBeGreaterThan(50);
    // On the Node this project supports, the fast path is taken: a Node that changed zlib's internals fails here (its users still get the portable path).
    expect(inflater.throughHandle).toBe(throughHandle);
  });

  it("throws zlib's error for damaged or cut data, and inflates the next block", () => {
    const inflater = make();
    const output = Buffer.alloc(65537);
    const text = Buffer.from('ACGT'.repeat(5000));
    const good = deflateRawSync(text);
    const damaged = Buffer.from(good);
    damaged[3] ^= 0xff;
    damaged[4] ^= 0x55;
    expect(() => inflater.inflate(damaged, output)).toThrow(/invalid|incorrect/);
    expect(inflater.inflate(good, output)).toBe(text.length);
    expect(() => inflater.inflate(good.subarray(0, good.length - 4), output)).toThrow(/unexpected end of file/);
    expect(inflater.inflate(good, output)).toBe(text.length);
    expect(output.subarray(0, text.length).equals(text)).toBe(true);
  });

  it('stops at the end of the output: a block inflating to more than it holds is cut, for the caller to refuse', () => {
    const inflater = make();
    const output = Buffer.alloc(65537);
    const big = Buffer.alloc(70_000, 7);
    expect(inflater.inflate(deflateRawSync(big), output)).toBe(65537);
  });
});
