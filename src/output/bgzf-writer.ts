// BGZF (SAM/BAM specification, section 4.1): a series of gzip members of at
// most 64 KiB each, whose header carries the member's size in a 'BC' extra
// field, closed by an empty end-of-file member. Virtual offsets
// (compressed offset << 16 | offset within the block) are what BAI indexes.
import { closeSync, openSync, writeSync } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';
import { BGZF_EOF } from '../coverage/bgzf-reader.js';

/** htslib's block payload: small enough that a deflated block always fits 64 KiB. */
export const BGZF_BLOCK_SIZE = 0xff00;

export { BGZF_EOF };

export function bgzfBlock(payload: Uint8Array, level = 6): Buffer {
  const cdata = deflateRawSync(payload, { level });
  const total = 18 + cdata.length + 8;
  if (total > 65536) throw new Error(`BGZF block of ${payload.length} bytes does not fit 64 KiB`);
  const block = Buffer.alloc(total);
  block.set([0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, 0x42, 0x43, 2, 0], 0);
  block.writeUInt16LE(total - 1, 16);
  block.set(cdata, 18);
  block.writeUInt32LE(crc32(payload) >>> 0, 18 + cdata.length);
  block.writeUInt32LE(payload.length, 22 + cdata.length);
  return block;
}

/** Bytes held in memory as BGZF blocks of at most BGZF_BLOCK_SIZE each (no end-of-file block). */
export function bgzfBlocks(bytes: Uint8Array, level = 6): Buffer[] {
  const blocks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += BGZF_BLOCK_SIZE) blocks.push(bgzfBlock(bytes.subarray(at, at + BGZF_BLOCK_SIZE), level));
  return blocks;
}

/** Streams bytes into BGZF blocks on a file descriptor, tracking virtual offsets. */
export class BgzfWriter {
  private readonly fd: number;
  private readonly buffer = Buffer.alloc(BGZF_BLOCK_SIZE);
  private used = 0;
  private compressedOffset = 0;

  constructor(path: string, private readonly level = 9) {
    this.fd = openSync(path, 'w');
  }

  /** Virtual offset of the next byte written. */
  get virtualOffset(): number {
    return this.compressedOffset * 65536 + this.used;
  }

  /** Bytes written to the file so far (complete blocks only). */
  get compressedBytes(): number {
    return this.compressedOffset;
  }

  /** Starts a new block if `length` more bytes would not fit, so small records never straddle blocks. */
  reserve(length: number): void {
    if (this.used > 0 && this.used + length > BGZF_BLOCK_SIZE) this.flush();
  }

  write(bytes: Uint8Array): void {
    let offset = 0;
    while (offset < bytes.length) {
      const n = Math.min(bytes.length - offset, BGZF_BLOCK_SIZE - this.used);
      this.buffer.set(bytes.subarray(offset, offset + n), this.used);
      this.used += n;
      offset += n;
      if (this.used === BGZF_BLOCK_SIZE) this.flush();
    }
  }

  flush(): void {
    if (this.used === 0) return;
    const block = bgzfBlock(this.buffer.subarray(0, this.used), this.level);
    writeSync(this.fd, block);
    this.compressedOffset += block.length;
    this.used = 0;
  }

  close(): void {
    this.flush();
    writeSync(this.fd, BGZF_EOF);
    this.compressedOffset += BGZF_EOF.length;
    closeSync(this.fd);
  }
}
