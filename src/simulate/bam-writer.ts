// BAM encoding (SAM/BAM specification, section 4.2) of coordinate-sorted
// records, written through BGZF with its index (CSI, or BAI) built alongside.
// Written to temporary names and renamed at the end, so a killed run leaves no
// BAM behind.
import { renameSync, rmSync } from 'node:fs';
import { IndexBuilder, type IndexFormat, reg2bin } from './index-writer.js';
import type { BaseSource } from './bases.js';
import { BgzfWriter } from '../output/bgzf-writer.js';

export const CIGAR_OPS = 'MIDNSHP=X';

export interface Reference {
  name: string;
  length: number;
}

/** One alignment record. `cigar` holds [op, length] pairs, op one of MIDNSHP=X. */
export interface AlignmentRecord {
  name: string;
  flag: number;
  refId: number;
  pos: number;
  mapq: number;
  cigar: [string, number][];
  nextRefId: number;
  nextPos: number;
  tlen: number;
  /** SEQ: empty for '*' (the sequence is not stored). */
  seq?: string;
  /** Z-type tags, e.g. { RG: 'S1' }. */
  tags?: Record<string, string>;
}

/** Bases of the reference an alignment covers (M, D, N, =, X). */
export function referenceLength(cigar: [string, number][]): number {
  let n = 0;
  for (const [op, len] of cigar) if ('MDN=X'.includes(op)) n += len;
  return n;
}

const SEQ_CODES = '=ACMGRSVTWYHKDBN';

/** Read bases an alignment holds in SEQ (M, I, S, =, X); hard clips are not stored. */
export function queryLength(cigar: [string, number][]): number {
  let n = 0;
  for (const [op, len] of cigar) if ('MIS=X'.includes(op)) n += len;
  return n;
}

/** The record's BAM bytes (SEQ from `r.seq`, QUAL absent). */
export function encodeRecord(r: AlignmentRecord): Buffer {
  const b = Buffer.alloc(recordSize(r, r.seq?.length ?? 0));
  encodeRecordInto(r, b, 0);
  return b;
}

/** Bytes of the record with `seqLength` bases, its block_size field included. */
function recordSize(r: AlignmentRecord, seqLength: number): number {
  let tags = 0;
  for (const key in r.tags ?? {}) tags += 4 + r.tags![key].length;
  return 4 + 32 + r.name.length + 1 + 4 * r.cigar.length + ((seqLength + 1) >> 1) + seqLength + tags;
}

/**
 * Writes the record into `b` at `at` (which must have room for it); SEQ and
 * QUAL come from `bases` when given (`seqLength` of them), else SEQ from
 * `r.seq` with QUAL absent. Returns the bytes written.
 */
export function encodeRecordInto(r: AlignmentRecord, b: Buffer, at: number, bases?: { source: BaseSource; length: number }): number {
  const seq = bases ? '' : (r.seq ?? '');
  const seqLength = bases ? bases.length : seq.length;
  const total = recordSize(r, seqLength);
  const refLen = referenceLength(r.cigar);
  const end = r.pos + Math.max(refLen, 1);
  b.writeInt32LE(total - 4, at);
  b.writeInt32LE(r.refId, at + 4);
  b.writeInt32LE(r.pos, at + 8);
  b.writeUInt8(r.name.length + 1, at + 12);
  b.writeUInt8(r.mapq, at + 13);
  b.writeUInt16LE(r.refId < 0 ? 4680 : reg2bin(r.pos, end), at + 14);
  b.writeUInt16LE(r.cigar.length, at + 16);
  b.writeUInt16LE(r.flag, at + 18);
  b.writeInt32LE(seqLength, at + 20);
  b.writeInt32LE(r.nextRefId, at + 24);
  b.writeInt32LE(r.nextPos, at + 28);
  b.writeInt32LE(r.tlen, at + 32);
  let o = at + 36;
  o += b.write(r.name, o, 'latin1');
  b[o++] = 0;
  for (const [op, len] of r.cigar) {
    b.writeUInt32LE(((len << 4) | CIGAR_OPS.indexOf(op)) >>> 0, o);
    o += 4;
  }
  if (bases) {
    o += bases.source.write(b, o, Math.max(r.refId, 0), Math.max(r.pos, 0), seqLength);
  } else {
    for (let i = 0; i < seq.length; i += 2) {
      const hi = SEQ_CODES.indexOf(seq[i]);
      const lo = i + 1 < seq.length ? SEQ_CODES.indexOf(seq[i + 1]) : 0;
      b.writeUInt8((hi << 4) | lo, o++);
    }
    b.fill(0xff, o, o + seq.length); // QUAL absent
    o += seq.length;
  }
  for (const key in r.tags ?? {}) {
    o += b.write(`${key}Z${r.tags![key]}`, o, 'latin1');
    b[o++] = 0;
  }
  return o - at;
}

export function encodeHeader(text: string, refs: Reference[]): Buffer {
  const textBytes = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  const head = Buffer.alloc(8);
  head.write('BAM\x01', 0, 'latin1');
  head.writeInt32LE(textBytes.length, 4);
  parts.push(head, textBytes);
  const n = Buffer.alloc(4);
  n.writeInt32LE(refs.length, 0);
  parts.push(n);
  for (const ref of refs) {
    const nameBytes = Buffer.from(ref.name + '\0', 'latin1');
    const b = Buffer.alloc(8 + nameBytes.length);
    b.writeInt32LE(nameBytes.length, 0);
    nameBytes.copy(b, 4);
    b.writeInt32LE(ref.length, 4 + nameBytes.length);
    parts.push(b);
  }
  return Buffer.concat(parts);
}

/**
 * Writes `path` and its index, `path.csi` (or `path.bai` with `index: 'bai'`;
 * none with `index: false`), from records given in coordinate order (unplaced
 * records last), and removes an index of the other kind left beside `path`,
 * which readers could take for this BAM's. Checks the order, since a
 * mis-sorted BAM would make every index query silently wrong.
 */
export class BamWriter {
  private readonly bgzf: BgzfWriter;
  private readonly indexBuilder: IndexBuilder;
  private lastRef = 0;
  private lastPos = -1;
  private readonly tmpBam: string;
  records = 0;

  constructor(
    private readonly path: string,
    headerText: string,
    refs: Reference[],
    options: { index?: boolean | IndexFormat; bases?: BaseSource; level?: number } = {},
  ) {
    this.tmpBam = `${path}.tmp`;
    this.index = options.index === true || options.index === undefined ? 'csi' : options.index;
    this.bases = options.bases;
    this.bgzf = new BgzfWriter(this.tmpBam, options.level);
    this.indexBuilder = new IndexBuilder(refs.length);
    this.bgzf.write(encodeHeader(headerText, refs));
    this.bgzf.flush();
  }

  private readonly index: IndexFormat | false;
  private readonly bases: BaseSource | undefined;
  private scratch = Buffer.alloc(1 << 16);

  add(r: AlignmentRecord): void {
    const ref = r.refId < 0 ? Number.MAX_SAFE_INTEGER : r.refId;
    if (ref < this.lastRef || (ref === this.lastRef && r.pos < this.lastPos)) {
      throw new Error(`record ${r.name} at ${r.refId}:${r.pos} is out of coordinate order`);
    }
    this.lastRef = ref;
    this.lastPos = r.pos;
    // Unmapped mates carry their read too; a hard-clipped supplementary only its aligned part.
    const bases = this.bases ? { source: this.bases, length: Math.min(r.cigar.length > 0 ? queryLength(r.cigar) : 150, 1024) } : undefined;
    const size = recordSize(r, bases ? bases.length : (r.seq?.length ?? 0));
    if (this.scratch.length < size) this.scratch = Buffer.alloc(2 * size);
    encodeRecordInto(r, this.scratch, 0, bases);
    this.bgzf.reserve(size);
    const start = this.bgzf.virtualOffset;
    this.bgzf.write(this.scratch.subarray(0, size));
    const stop = this.bgzf.virtualOffset;
    const end = r.pos + Math.max(referenceLength(r.cigar), 1);
    this.indexBuilder.add(r.refId, r.pos, end, (r.flag & 4) !== 0, start, stop);
    this.records += 1;
  }

  /** Finishes both files and moves them into place. */
  close(): void {
    this.bgzf.close();
    for (const format of ['bai', 'csi'] as const) {
      const index = `${this.path}.${format}`;
      if (format === this.index) {
        this.indexBuilder.write(`${index}.tmp`, format);
        renameSync(`${index}.tmp`, index);
      } else {
        rmSync(index, { force: true });
      }
    }
    renameSync(this.tmpBam, this.path);
  }
}
