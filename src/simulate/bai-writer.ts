// BAI index (SAM/BAM specification, section 5.2): per reference, the
// UCSC binning scheme's chunks of virtual offsets, a 16 kb linear index, and
// htslib's pseudo-bin 37450 holding the reference's offset span and read counts.
import { writeFileSync } from 'node:fs';

const PSEUDO_BIN = 37450;
const LINEAR_SHIFT = 14;

/** Smallest UCSC bin containing [beg, end), 0-based half-open (specification 5.3). */
export function reg2bin(beg: number, end: number): number {
  end -= 1;
  if (beg >> 14 === end >> 14) return ((1 << 15) - 1) / 7 + (beg >> 14);
  if (beg >> 17 === end >> 17) return ((1 << 12) - 1) / 7 + (beg >> 17);
  if (beg >> 20 === end >> 20) return ((1 << 9) - 1) / 7 + (beg >> 20);
  if (beg >> 23 === end >> 23) return ((1 << 6) - 1) / 7 + (beg >> 23);
  if (beg >> 26 === end >> 26) return ((1 << 3) - 1) / 7 + (beg >> 26);
  return 0;
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

/** Collects records in file order and writes the BAI for them. */
export class BaiBuilder {
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
    for (let w = beg >> LINEAR_SHIFT; w <= (end - 1) >> LINEAR_SHIFT; w++) {
      if (ref.linear[w] === undefined) ref.linear[w] = start;
    }
  }

  encode(): Buffer {
    const parts: Buffer[] = [];
    const head = Buffer.alloc(8);
    head.write('BAI\x01', 0, 'latin1');
    head.writeInt32LE(this.refs.length, 4);
    parts.push(head);
    for (const ref of this.refs) {
      if (!ref) {
        const empty = Buffer.alloc(8); // n_bin = 0, n_intv = 0
        parts.push(empty);
        continue;
      }
      const bins = [...ref.bins.keys()].sort((a, b) => a - b);
      const nBin = Buffer.alloc(4);
      nBin.writeInt32LE(bins.length + 1, 0);
      parts.push(nBin);
      for (const bin of bins) {
        const chunks = mergeChunks(ref.bins.get(bin)!);
        const b = Buffer.alloc(8 + 16 * chunks.length);
        b.writeUInt32LE(bin, 0);
        b.writeInt32LE(chunks.length, 4);
        chunks.forEach((c, i) => {
          b.writeBigUInt64LE(BigInt(c.start), 8 + 16 * i);
          b.writeBigUInt64LE(BigInt(c.end), 16 + 16 * i);
        });
        parts.push(b);
      }
      const meta = Buffer.alloc(8 + 32);
      meta.writeUInt32LE(PSEUDO_BIN, 0);
      meta.writeInt32LE(2, 4);
      meta.writeBigUInt64LE(BigInt(ref.firstOffset), 8);
      meta.writeBigUInt64LE(BigInt(ref.lastOffset), 16);
      meta.writeBigUInt64LE(BigInt(ref.mapped), 24);
      meta.writeBigUInt64LE(BigInt(ref.unmapped), 32);
      parts.push(meta);
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
    const tail = Buffer.alloc(8);
    tail.writeBigUInt64LE(BigInt(this.noCoordinate), 0);
    parts.push(tail);
    return Buffer.concat(parts);
  }

  write(path: string): void {
    writeFileSync(path, this.encode());
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
