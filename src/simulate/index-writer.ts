// BAM indexes built while the BAM is written: BAI (SAM/BAM specification,
// section 5.2) or CSI (CSIv1: min_shift 14, depth 5, whose bins are BAI's).
// Both hold, per reference, the UCSC binning scheme's chunks of virtual
// offsets and htslib's pseudo-bin 37450 with the reference's offset span and
// read counts. A BAI adds a linear index of 16 kb windows over the whole
// reference (about 1.5 MB for a GRCh38 header whatever the reads); a CSI has
// none, only each bin's smallest offset (loffset), and is BGZF-compressed.
import { writeFileSync } from 'node:fs';
import { BGZF_EOF, bgzfBlocks } from '../output/bgzf-writer.js';
import { reg2bin } from '../output/bins.js';

export { reg2bin };

const PSEUDO_BIN = 37450;
const MIN_SHIFT = 14;
const DEPTH = 5;

export type IndexFormat = 'bai' | 'csi';

/** The first 16 kb window a bin covers (htslib's hts_bin_bot for min_shift 14, depth 5). */
function firstWindow(bin: number): number {
  let level = 0;
  while (level < DEPTH && bin >= ((1 << (3 * (level + 1))) - 1) / 7) level += 1;
  return (bin - ((1 << (3 * level)) - 1) / 7) << (3 * (DEPTH - level));
}

interface Chunk {
  start: number;
  end: number;
}

interface ReferenceIndex {
  bins: Map<number, Chunk[]>;
  linear: number[];
  firstOffset: number;
  lastOffset: number;
  mapped: number;
  unmapped: number;
}

/** Collects records in file order and writes a BAI or a CSI for them. */
export class IndexBuilder {
  private readonly refs: (ReferenceIndex | undefined)[];
  private noCoordinate = 0;

  constructor(referenceCount: number) {
    this.refs = new Array(referenceCount).fill(undefined);
  }

  /** A record at [beg, end) on refId, stored between virtual offsets start and end. */
  add(refId: number, beg: number, end: number, unmapped: boolean, start: number, stop: number): void {
    if (refId < 0 || beg < 0) {
      this.noCoordinate += 1;
      return;
    }
    let ref = this.refs[refId];
    if (!ref) {
      ref = { bins: new Map(), linear: [], firstOffset: start, lastOffset: stop, mapped: 0, unmapped: 0 };
      this.refs[refId] = ref;
    }
    ref.lastOffset = stop;
    if (unmapped) ref.unmapped += 1;
    else ref.mapped += 1;
    const bin = reg2bin(beg, end);
    let chunks = ref.bins.get(bin);
    if (!chunks) {
      chunks = [];
      ref.bins.set(bin, chunks);
    }
    const last = chunks[chunks.length - 1];
    // Records written back to back in one bin form one chunk.
    if (last && last.end === start) last.end = stop;
    else chunks.push({ start, end: stop });
    for (let w = beg >> MIN_SHIFT; w <= (end - 1) >> MIN_SHIFT; w++) {
      if (ref.linear[w] === undefined) ref.linear[w] = start;
    }
  }

  /** The BAI: bins, pseudo-bin and linear index per reference. */
  encodeBai(): Buffer {
    const parts: Buffer[] = [];
    const head = Buffer.alloc(8);
    head.write('BAI\x01', 0, 'latin1');
    head.writeInt32LE(this.refs.length, 4);
    parts.push(head);
    for (const ref of this.refs) {
      if (!ref) {
        parts.push(Buffer.alloc(8)); // n_bin = 0, n_intv = 0
        continue;
      }
      parts.push(this.bins(ref, false));
      // A window no read starts in points at the previous window's offset.
      const linear: number[] = [];
      let previous = 0;
      for (let w = 0; w < ref.linear.length; w++) {
        previous = ref.linear[w] ?? previous;
        linear.push(previous);
      }
      const l = Buffer.alloc(4 + 8 * linear.length);
      l.writeInt32LE(linear.length, 0);
      linear.forEach((v, i) => l.writeBigUInt64LE(BigInt(v), 4 + 8 * i));
      parts.push(l);
    }
    parts.push(this.tail());
    return Buffer.concat(parts);
  }

  /** The CSI (min_shift 14, depth 5, no aux data), BGZF-compressed as htslib writes it. */
  encodeCsi(): Buffer {
    const parts: Buffer[] = [];
    const head = Buffer.alloc(20);
    head.write('CSI\x01', 0, 'latin1');
    head.writeInt32LE(MIN_SHIFT, 4);
    head.writeInt32LE(DEPTH, 8);
    head.writeInt32LE(0, 12); // l_aux
    head.writeInt32LE(this.refs.length, 16);
    parts.push(head);
    for (const ref of this.refs) parts.push(ref ? this.bins(ref, true) : Buffer.alloc(4));
    parts.push(this.tail());
    const raw = Buffer.concat(parts);
    return Buffer.concat([...bgzfBlocks(raw), Buffer.from(BGZF_EOF)]);
  }

  /** Writes the index in the format `path` names: `.csi` a CSI, anything else a BAI. */
  write(path: string, format: IndexFormat = path.endsWith('.csi') ? 'csi' : 'bai'): void {
    writeFileSync(path, format === 'csi' ? this.encodeCsi() : this.encodeBai());
  }

  /**
   * n_bin and the bins of one reference, then the pseudo-bin. A CSI bin also
   * carries loffset, the offset of the first record overlapping the bin's
   * first 16 kb window (htslib's rule; before the reference's first record,
   * that record's offset): where a query starting in the bin may begin.
   */
  private bins(ref: ReferenceIndex, csi: boolean): Buffer {
    const parts: Buffer[] = [];
    const bins = [...ref.bins.keys()].sort((a, b) => a - b);
    const nBin = Buffer.alloc(4);
    nBin.writeInt32LE(bins.length + 1, 0);
    parts.push(nBin);
    const loffset = (bin: number): number => {
      const w = firstWindow(bin);
      for (let i = Math.min(w, ref.linear.length - 1); i >= 0; i--) if (ref.linear[i] !== undefined) return ref.linear[i];
      return ref.firstOffset;
    };
    const extra = csi ? 8 : 0;
    for (const bin of bins) {
      const chunks = mergeChunks(ref.bins.get(bin)!);
      const b = Buffer.alloc(8 + extra + 16 * chunks.length);
      b.writeUInt32LE(bin, 0);
      if (csi) b.writeBigUInt64LE(BigInt(loffset(bin)), 4);
      b.writeInt32LE(chunks.length, 4 + extra);
      chunks.forEach((c, i) => {
        b.writeBigUInt64LE(BigInt(c.start), 8 + extra + 16 * i);
        b.writeBigUInt64LE(BigInt(c.end), 16 + extra + 16 * i);
      });
      parts.push(b);
    }
    const meta = Buffer.alloc(8 + extra + 32);
    meta.writeUInt32LE(PSEUDO_BIN, 0);
    meta.writeInt32LE(2, 4 + extra);
    meta.writeBigUInt64LE(BigInt(ref.firstOffset), 8 + extra);
    meta.writeBigUInt64LE(BigInt(ref.lastOffset), 16 + extra);
    meta.writeBigUInt64LE(BigInt(ref.mapped), 24 + extra);
    meta.writeBigUInt64LE(BigInt(ref.unmapped), 32 + extra);
    parts.push(meta);
    return Buffer.concat(parts);
  }

  private tail(): Buffer {
    const tail = Buffer.alloc(8);
    tail.writeBigUInt64LE(BigInt(this.noCoordinate), 0);
    return tail;
  }
}

/** Chunks of one bin that touch the same BGZF block are read together anyway: merge them (as htslib does). */
function mergeChunks(chunks: Chunk[]): Chunk[] {
  const out: Chunk[] = [];
  for (const c of chunks) {
    const last = out[out.length - 1];
    if (last && Math.floor(last.end / 65536) >= Math.floor(c.start / 65536)) last.end = Math.max(last.end, c.end);
    else out.push({ ...c });
  }
  return out;
}
