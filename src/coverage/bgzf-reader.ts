// Reading a span of BGZF blocks (SAM/BAM specification, section 4.1) with
// Node's native inflate, in bounded slices of the file: the compressed span of
// a deep region can be far larger than we want to hold at once.
import { readSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { Her2cnError } from '../errors/errors.js';
import { BlockInflater } from './inflate.js';

/** The empty block that ends every complete BGZF file (SAM/BAM specification, 4.1.2). */
export const BGZF_EOF = Uint8Array.from([
  0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, 0x42, 0x43, 2, 0, 0x1b, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0,
]);

export interface InflatedBlock {
  /** File offset of the block's first byte. */
  offset: number;
  /** The block's uncompressed payload: a view of the reader's buffer, valid until the next block is asked for. */
  data: Buffer;
}

// Slices of 256 KiB, read into one buffer reused for the whole span: fresh
// 4 MiB slices left each worker's garbage collector that much more to free
// (the 817 MB benchmark tumour on two threads peaked at 310 MB, now 210).
// A short span (a shallow sample's probes) gets a buffer of its own size: at
// least 256 KiB for each of a panel's hundreds of spans made a shallow call
// spend more time reading and collecting than counting.
const READ_SLICE = 1 << 18;
const MIN_SLICE = 1 << 17;
/** The largest BGZF block (SAM/BAM specification, 4.1): a slice must hold one. */
const MAX_BLOCK = 1 << 16;

/**
 * The block inflated last, kept for the next span of the same file: the
 * index's ranges for neighbouring probes end and begin in one block, which
 * a shallow sample would otherwise read and inflate once per range.
 */
export interface LastBlock {
  offset: number;
  size: number;
  data?: Buffer;
  /** The buffer the blocks of these spans are inflated into, the kept one's payload a view of it. */
  output?: Buffer;
}

/** This thread's inflater, reused for every block. */
const inflater = new BlockInflater();

/**
 * Yields the blocks from file offset `from` to the end of the file, inflated
 * and checked, until the caller stops. The file is read in slices; the first
 * reaches `expectedEnd`, where the caller expects to stop. Given `last`, a
 * block it holds is not read again, and each block inflated is kept there.
 * Every block is inflated into one buffer (`last`'s, if given): a block's
 * payload is overwritten by the next one's, so a caller copies what it keeps.
 */
export function* inflateBlocks(fd: number, path: string, from: number, fileSize: number, expectedEnd: number, last?: LastBlock): Generator<InflatedBlock> {
  // One byte more than a block may hold, so a block inflating to more is caught by its size check.
  const output = last ? (last.output ??= Buffer.allocUnsafe(MAX_BLOCK + 1)) : Buffer.allocUnsafe(MAX_BLOCK + 1);
  const buffer = Buffer.allocUnsafe(Math.max(0, Math.min(READ_SLICE, Math.max(MAX_BLOCK, expectedEnd - from), fileSize - from)));
  let slice: Buffer = buffer.subarray(0, 0);
  let sliceStart = from;
  let offset = from;
  while (offset < fileSize) {
    if (last?.data && last.offset === offset) {
      yield { offset, data: last.data };
      offset += last.size;
      continue;
    }
    let at = offset - sliceStart;
    if (at + 18 > slice.length || at + blockSizeAt(slice, at, path, offset) > slice.length) {
      // The first slice read reaches the expected end; a slice past it reads ahead.
      const want = slice.length === 0 ? expectedEnd - offset : Math.max(expectedEnd - offset, MIN_SLICE);
      slice = readSlice(fd, buffer, offset, Math.min(want, buffer.length, fileSize - offset));
      sliceStart = offset;
      at = 0;
      if (slice.length < 18) throw new Her2cnError('input', `${path}: file ends inside a BGZF block header at byte ${offset} (truncated file?)`, path);
    }
    const size = blockSizeAt(slice, at, path, offset);
    if (at + size > slice.length) {
      throw new Her2cnError('input', `${path}: file ends inside the BGZF block at byte ${offset} (truncated file?)`, path);
    }
    const xlen = slice.readUInt16LE(at + 10);
    const cdata = slice.subarray(at + 12 + xlen, at + size - 8);
    const expectedCrc = slice.readUInt32LE(at + size - 8);
    const isize = slice.readUInt32LE(at + size - 4);
    // The block kept in `last` is about to be overwritten.
    if (last) last.offset = -1;
    let data: Buffer;
    try {
      data = output.subarray(0, inflater.inflate(cdata, output));
    } catch (e) {
      throw new Her2cnError('input', `${path}: corrupted BGZF block at byte ${offset} (${(e as Error).message})`, path);
    }
    if (data.length !== isize || (crc32(data) >>> 0) !== expectedCrc) {
      throw new Her2cnError('input', `${path}: corrupted BGZF block at byte ${offset} (size or CRC32 check failed)`, path);
    }
    if (last) {
      last.offset = offset;
      last.size = size;
      last.data = data;
    }
    yield { offset, data };
    offset += size;
  }
}

/** Reads `length` bytes at `position` into the start of `b` (the blocks inflated from the last slice are copies, not views of it). */
function readSlice(fd: number, b: Buffer, position: number, length: number): Buffer {
  let got = 0;
  while (got < length) {
    const n = readSync(fd, b, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return b.subarray(0, got);
}

/** Total size of the BGZF block at `at`, from its 'BC' extra subfield; 0 if not enough bytes to tell. */
function blockSizeAt(b: Buffer, at: number, path: string, fileOffset: number): number {
  if (at + 18 > b.length) return Number.MAX_SAFE_INTEGER;
  if (b[at] !== 0x1f || b[at + 1] !== 0x8b || b[at + 2] !== 8 || (b[at + 3] & 4) === 0) {
    throw new Her2cnError('input', `${path}: no BGZF block at byte ${fileOffset} (corrupted, or the index belongs to another file: re-index with 'samtools index')`, path);
  }
  const xlen = b.readUInt16LE(at + 10);
  if (at + 12 + xlen > b.length) return Number.MAX_SAFE_INTEGER;
  for (let p = at + 12; p + 4 <= at + 12 + xlen; ) {
    const slen = b.readUInt16LE(p + 2);
    if (b[p] === 66 && b[p + 1] === 67 && slen === 2) return b.readUInt16LE(p + 4) + 1;
    p += 4 + slen;
  }
  throw new Her2cnError('input', `${path}: gzip block without a BGZF size field at byte ${fileOffset} (plain gzip, not BGZF?)`, path);
}

/** Scratch space of findBlockStart: a block's largest size and a header. */
const window = Buffer.alloc(65_536 + 18);
const nextHeader = Buffer.alloc(18);

/**
 * The offset of the first BGZF block that starts at or after `near` and
 * before `limit`, found by looking for a block header (gzip magic, the 'BC'
 * size field) followed by a second header where the first block's size says
 * the next begins (or the file's end); -1 if there is none. Blocks hold at
 * most 64 KiB, so one lies within that of any offset. Used to cut a deep
 * stretch of reads between blocks where the index names no record.
 */
export function findBlockStart(fd: number, fileSize: number, near: number, limit: number): number {
  const end = Math.min(limit, fileSize);
  if (near >= end) return -1;
  const length = readSync(fd, window, 0, Math.min(window.length, fileSize - near), near);
  for (let at = 0; at + 18 <= length && near + at < end; at++) {
    const size = headerSize(window, at);
    if (size === 0) continue;
    const next = near + at + size;
    if (next === fileSize) return near + at;
    if (next + 18 <= fileSize && blockSizeInFile(fd, next) > 0) return near + at;
  }
  return -1;
}

/** The total size of the BGZF block at file offset `at`, from its header alone, or 0 if there is none there. */
export function blockSizeInFile(fd: number, at: number): number {
  return readSync(fd, nextHeader, 0, 18, at) === 18 ? headerSize(nextHeader, 0) : 0;
}

/** The total size of a BGZF block whose header is at `at`, or 0 if there is none there. */
function headerSize(b: Buffer, at: number): number {
  if (b[at] !== 0x1f || b[at + 1] !== 0x8b || b[at + 2] !== 8 || (b[at + 3] & 4) === 0) return 0;
  const xlen = b.readUInt16LE(at + 10);
  for (let p = at + 12; p + 6 <= at + 12 + xlen && p + 6 <= b.length; ) {
    const slen = b.readUInt16LE(p + 2);
    if (b[p] === 66 && b[p + 1] === 67 && slen === 2) return b.readUInt16LE(p + 4) + 1;
    p += 4 + slen;
  }
  return 0;
}
