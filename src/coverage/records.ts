// Walking BAM alignment records (SAM/BAM specification, section 4.2) between
// two virtual offsets. Coverage needs only the fixed-length fields, the read
// name and the CIGAR, so records are read in place through one reused view
// rather than decoded into an object each: at thousands-fold depth that is
// the difference between streaming and holding a region in memory.
import { type InflatedBlock, inflateBlocks, type LastBlock } from './bgzf-reader.js';
import { Her2cnError } from '../errors/errors.js';
import { reg2bin } from '../output/bins.js';

/** A window onto the record currently visited; valid only during the visit. */
export class RecordView {
  buf: Buffer = Buffer.alloc(0);
  /** Offset of the record's block_size field in `buf`. */
  at = 0;
  /** Virtual offset of the record. */
  voffset = 0;

  get refId(): number {
    return this.buf.readInt32LE(this.at + 4);
  }
  get pos(): number {
    return this.buf.readInt32LE(this.at + 8);
  }
  get mapq(): number {
    return this.buf[this.at + 13];
  }
  get flag(): number {
    return this.buf.readUInt16LE(this.at + 18);
  }
  get cigarCount(): number {
    return this.buf.readUInt16LE(this.at + 16);
  }
  get nextRefId(): number {
    return this.buf.readInt32LE(this.at + 24);
  }
  get nextPos(): number {
    return this.buf.readInt32LE(this.at + 28);
  }
  get tlen(): number {
    return this.buf.readInt32LE(this.at + 32);
  }
  private get nameLength(): number {
    return this.buf[this.at + 12];
  }
  /** The read name, without its NUL. */
  get name(): string {
    return this.buf.toString('latin1', this.at + 36, this.at + 36 + this.nameLength - 1);
  }
  /** CIGAR operation i as op | length << 4. */
  cigar(i: number): number {
    return this.buf.readUInt32LE(this.at + 36 + this.nameLength + 4 * i);
  }
  /** Bases in SEQ (l_seq). */
  get seqLength(): number {
    return this.buf.readInt32LE(this.at + 20);
  }
  /**
   * Offset in `buf` of the value of the aux field `tag` (its type byte), or
   * -1 when the record has none. Walks the fields after SEQ and QUAL; stops
   * at a malformed field rather than reading past the record.
   */
  findTag(tag: string): number {
    const b = this.buf;
    const end = this.at + 4 + b.readInt32LE(this.at);
    const l = this.seqLength;
    let p = this.at + 36 + this.nameLength + 4 * this.cigarCount + ((l + 1) >> 1) + l;
    const t0 = tag.charCodeAt(0);
    const t1 = tag.charCodeAt(1);
    while (p + 3 <= end) {
      const type = b[p + 2];
      if (b[p] === t0 && b[p + 1] === t1) return p + 2;
      let size: number;
      switch (type) {
        case 0x41: // A
        case 0x63: // c
        case 0x43: // C
          size = 1;
          break;
        case 0x73: // s
        case 0x53: // S
          size = 2;
          break;
        case 0x69: // i
        case 0x49: // I
        case 0x66: // f
          size = 4;
          break;
        case 0x5a: // Z
        case 0x48: {
          // H
          let q = p + 3;
          while (q < end && b[q] !== 0) q++;
          size = q + 1 - (p + 3);
          break;
        }
        case 0x42: {
          // B: subtype, count, values
          if (p + 8 > end) return -1;
          const width = ARRAY_WIDTH[String.fromCharCode(b[p + 3])];
          if (width === undefined) return -1;
          size = 5 + width * b.readUInt32LE(p + 4);
          break;
        }
        default:
          return -1;
      }
      p += 3 + size;
    }
    return -1;
  }
  /** The Z-type aux field `tag` as a string, or undefined. */
  stringTag(tag: string): string | undefined {
    const p = this.findTag(tag);
    if (p < 0 || this.buf[p] !== 0x5a) return undefined;
    const end = this.at + 4 + this.buf.readInt32LE(this.at);
    let q = p + 1;
    while (q < end && this.buf[q] !== 0) q++;
    return this.buf.toString('latin1', p + 1, q);
  }
  /**
   * A CIGAR of more than 65,535 operations, which BAM cannot hold in its
   * CIGAR field: the field then holds a placeholder, kSmN (k the read's
   * length, m its reference length), and the real operations are in the CG
   * tag (B:I array), as htslib writes and reads them (SAM/BAM specification
   * 4.2.2). Returns the offset in `buf` of the first real operation and
   * their number, or undefined for an ordinary record.
   */
  longCigar(): { offset: number; count: number } | undefined {
    const n = this.cigarCount;
    if (n === 0) return undefined;
    const first = this.cigar(0);
    if ((first & 15) !== 4 || first >>> 4 !== this.seqLength) return undefined;
    const p = this.findTag('CG');
    if (p < 0 || this.buf[p] !== 0x42 || this.buf[p + 1] !== 0x49) return undefined;
    const count = this.buf.readUInt32LE(p + 2);
    const end = this.at + 4 + this.buf.readInt32LE(this.at);
    if (p + 6 + 4 * count > end) return undefined;
    return { offset: p + 6, count };
  }
  /** Reference bases covered (M, D, N, =, X). */
  get referenceLength(): number {
    let n = 0;
    for (let i = 0, c = this.cigarCount; i < c; i++) {
      const op = this.cigar(i);
      if ((CONSUMES_REFERENCE >> (op & 15)) & 1) n += op >>> 4;
    }
    return n;
  }
}

/** Bytes per value of a B-type aux array, by subtype. */
const ARRAY_WIDTH: Record<string, number> = { c: 1, C: 1, s: 2, S: 2, i: 4, I: 4, f: 4 };

/** Bit set of the CIGAR ops M, D, N, =, X (codes 0, 2, 3, 7, 8). */
export const CONSUMES_REFERENCE = (1 << 0) | (1 << 2) | (1 << 3) | (1 << 7) | (1 << 8);
/** Bit set of the ops that put read bases on the reference: M, =, X. */
export const ALIGNED = (1 << 0) | (1 << 7) | (1 << 8);

export interface VirtualRange {
  /** Virtual offset of the first record. */
  start: number;
  /** Virtual offset past the last record (exclusive). */
  end: number;
}

/** Merges overlapping or touching virtual ranges (given sorted by start). */
export function mergeRanges(ranges: VirtualRange[]): VirtualRange[] {
  const out: VirtualRange[] = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

/** Where the reading of a range began and ended. */
export interface RangeVisit {
  /** Virtual offset of the first record visited (-1 if none). */
  first: number;
  /** Virtual offset of the first record at or after the range's end, when the reading got there (-1 if it stopped before, or at the file's end). */
  stop: number;
  /** The range began at a block boundary and no record start was found in that block. */
  scanFailed?: boolean;
}

/**
 * Calls `visit` for each record whose virtual offset lies in the range. `visit`
 * returns false to stop early (records are coordinate-sorted, so a caller stops
 * once past its region). With `scanRefId`, the range starts at a BGZF block
 * boundary, not at a record: the first record is found by scanning that
 * block for records of that chromosome (scanRecordStart); a block that
 * cannot be read there throws, and the engine counts the piece again from a
 * known record (piece.ts).
 */
// Long by design: the record loop and the assembling of records cut by block boundaries belong together.
export function visitRecords(
  fd: number,
  path: string,
  fileSize: number,
  range: VirtualRange,
  visit: (r: RecordView) => boolean,
  scanRefId?: number,
  last?: LastBlock,
): RangeVisit {
  const visited: RangeVisit = { first: -1, stop: -1 };
  const view = new RecordView();
  const firstBlock = Math.floor(range.start / 65536);
  const lastBlock = Math.floor(range.end / 65536);
  // A record that straddles blocks is assembled alone (not the blocks around it):
  // its bytes so far, how many it has in all (0 while its length is unknown), and its virtual offset.
  let pending = Buffer.alloc(0);
  let have = 0;
  let need = 0;
  let pendingVoffset = 0;
  for (const block of inflateBlocks(fd, path, firstBlock, fileSize, lastBlock + 65536, last) as Generator<InflatedBlock>) {
    const buf = block.data;
    let at = block.offset === firstBlock ? range.start % 65536 : 0;
    if (scanRefId !== undefined && block.offset === firstBlock) {
      at = scanRecordStart(buf, scanRefId);
      if (at < 0) return { ...visited, scanFailed: true };
    }
    if (have > 0) {
      if (pendingVoffset >= range.end) return { ...visited, stop: pendingVoffset };
      // Complete the record's length field, then the record.
      if (need === 0) {
        const take = Math.min(4 - have, buf.length);
        buf.copy(pending, have, 0, take);
        have += take;
        at = take;
        if (have < 4) continue;
        need = 4 + pending.readInt32LE(0);
        checkSize(need - 4, path, pendingVoffset);
        if (pending.length < need) pending = Buffer.concat([pending.subarray(0, have)], need);
      }
      const take = Math.min(need - have, buf.length - at);
      buf.copy(pending, have, at, at + take);
      have += take;
      at += take;
      if (have < need) continue;
      checkLayout(pending, 0, need - 4, path, pendingVoffset);
      view.buf = pending;
      view.at = 0;
      view.voffset = pendingVoffset;
      have = 0;
      need = 0;
      if (visited.first < 0) visited.first = pendingVoffset;
      if (!visit(view)) return visited;
    }
    while (true) {
      const voffset = block.offset * 65536 + at;
      if (voffset >= range.end) return { ...visited, stop: voffset };
      if (at + 4 > buf.length || at + 4 + buf.readInt32LE(at) > buf.length) break;
      const size = buf.readInt32LE(at);
      checkSize(size, path, voffset);
      checkLayout(buf, at, size, path, voffset);
      view.buf = buf;
      view.at = at;
      view.voffset = voffset;
      if (visited.first < 0) visited.first = voffset;
      if (!visit(view)) return visited;
      at += 4 + size;
    }
    if (at < buf.length) {
      // The next record continues in the next block.
      pendingVoffset = block.offset * 65536 + at;
      have = buf.length - at;
      need = 0;
      if (have >= 4) {
        need = 4 + buf.readInt32LE(at);
        checkSize(need - 4, path, pendingVoffset);
      }
      if (pending.length < Math.max(need, 4)) pending = Buffer.alloc(Math.max(need, 4, 2 * pending.length));
      buf.copy(pending, 0, at);
    }
  }
  if (have > 0) {
    throw new Her2cnError('input', `${path}: file ends inside a BAM record (truncated file?)`, path);
  }
  return visited;
}

/** No BAM record is this long (256 MiB): a larger block_size is damage, not a record to assemble. */
const MAX_RECORD = 1 << 28;

function checkSize(size: number, path: string, voffset: number): void {
  if (size < 32 || size > MAX_RECORD) throw new Her2cnError('input', `${path}: malformed BAM record at virtual offset ${voffset} (block_size ${size}): corrupted, or the index belongs to another file (re-index with 'samtools index')`, path);
}

/** The variable-length parts must fit inside the record, or reading them would run past it. */
function checkLayout(buf: Buffer, at: number, size: number, path: string, voffset: number): void {
  if (32 + buf[at + 12] + 4 * buf.readUInt16LE(at + 16) > size) {
    throw new Her2cnError('input', `${path}: malformed BAM record at virtual offset ${voffset} (name and CIGAR longer than the record): corrupted, or the index belongs to another file (re-index with 'samtools index')`, path);
  }
}

/** Records that must follow one another, well formed, before a scanned offset is taken for a record's start. */
const SCAN_CHAIN = 8;

/**
 * The offset in `buf` (an inflated BGZF block) of the first record that
 * starts in it, found by scanning, for work cut at a block boundary rather
 * than at a record the index names: the first offset from which SCAN_CHAIN
 * records in a row (or every record up to the block's end, at least two)
 * are well formed, on chromosome `refId`, in coordinate order, each with the
 * bin its position and CIGAR give (the check Hadoop-BAM's split guesser
 * makes). -1 if there is none. A false find cannot go unnoticed: the engine
 * checks it against the record where the reading of the block before stopped.
 */
export function scanRecordStart(buf: Buffer, refId: number): number {
  for (let c = 0; c + 36 <= buf.length; c++) {
    let at = c;
    let records = 0;
    let lastPos = -1;
    while (records < SCAN_CHAIN && at + 36 <= buf.length) {
      const size = plausibleRecord(buf, at, refId, lastPos);
      if (size < 0) break;
      records++;
      lastPos = buf.readInt32LE(at + 8);
      at += 4 + size;
    }
    // The chain ran into the block's end: a record cut by the boundary is not checked.
    const toEnd = at + 36 > buf.length && (at + 4 > buf.length || buf.readInt32LE(at) >= 32);
    if (records >= SCAN_CHAIN || (records >= 2 && toEnd)) return c;
  }
  return -1;
}

/** The size (block_size) of a well-formed record of `refId` at `at`, at or after `minPos`, wholly in `buf`; else -1. */
function plausibleRecord(buf: Buffer, at: number, refId: number, minPos: number): number {
  const size = buf.readInt32LE(at);
  if (size < 32 || at + 4 + size > buf.length || buf.readInt32LE(at + 4) !== refId) return -1;
  const pos = buf.readInt32LE(at + 8);
  const nameLength = buf[at + 12];
  const cigarCount = buf.readUInt16LE(at + 16);
  const seqLength = buf.readInt32LE(at + 20);
  const nextRefId = buf.readInt32LE(at + 24);
  if (pos < minPos || pos >= 1 << 29 || nameLength < 1 || seqLength < 0 || nextRefId < -1) return -1;
  if (32 + nameLength + 4 * cigarCount + ((seqLength + 1) >> 1) + seqLength > size) return -1;
  const name = at + 36;
  if (buf[name + nameLength - 1] !== 0) return -1;
  for (let i = 0; i < nameLength - 1; i++) if (buf[name + i] < 0x21 || buf[name + i] > 0x7e) return -1;
  let span = 0;
  for (let i = 0; i < cigarCount; i++) {
    const op = buf.readUInt32LE(name + nameLength + 4 * i);
    if ((op & 15) > 8) return -1;
    if ((CONSUMES_REFERENCE >> (op & 15)) & 1) span += op >>> 4;
  }
  const end = span > 0 && (buf.readUInt16LE(at + 18) & 4) === 0 ? pos + span : pos + 1;
  return buf.readUInt16LE(at + 14) === reg2bin(pos, end) ? size : -1;
}
