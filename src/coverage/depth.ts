// Per-base depth over a stretch of the genome, with mosdepth's conventions:
// only bases aligned to the reference (CIGAR M, =, X) count, deletions and
// reference skips (D, N) do not, soft and hard clips are off the reference;
// where the two mates of a proper pair overlap, each base is counted once.
import { ALIGNED, CONSUMES_REFERENCE, type RecordView } from './records.js';

/** Depth changes over [start, end): +1 where an aligned block begins, -1 where it ends. */
export class DepthTrack {
  readonly delta: Int32Array;
  /** Reads starting at each position (reads starting before `start` at 0). */
  readonly starts: Int32Array;
  /** Reads ending at each position (exclusive end; reads ending past `end` at the last slot). */
  readonly ends: Int32Array;

  constructor(readonly start: number, readonly end: number, arrays?: { delta: Int32Array; starts: Int32Array; ends: Int32Array }) {
    const n = end - start + 1;
    this.delta = arrays?.delta ?? new Int32Array(n);
    this.starts = arrays?.starts ?? new Int32Array(n);
    this.ends = arrays?.ends ?? new Int32Array(n);
  }

  /** Adds `by` over [from, to), clipped to the track. */
  add(from: number, to: number, by: number): void {
    const a = from > this.start ? from : this.start;
    const b = to < this.end ? to : this.end;
    if (a >= b) return;
    this.delta[a - this.start] += by;
    this.delta[b - this.start] -= by;
  }

  /** Counts a read spanning [from, to) on the reference. */
  countRead(from: number, to: number): void {
    this.starts[Math.min(Math.max(from, this.start), this.end) - this.start] += 1;
    this.ends[Math.min(Math.max(to, this.start), this.end) - this.start] += 1;
  }

  /** Adds another track's counts over the same stretch (work split across threads). */
  addTrack(other: DepthTrack): void {
    for (let i = 0; i < this.delta.length; i++) {
      this.delta[i] += other.delta[i];
      this.starts[i] += other.starts[i];
      this.ends[i] += other.ends[i];
    }
  }
}

/**
 * One pass over a record's CIGAR: its aligned blocks as [start, end) pairs
 * (adjacent blocks merged) and its reference end. One reused buffer, so
 * reading a deep region allocates nothing per read. A CIGAR too long for
 * BAM's CIGAR field is read from its CG tag, as samtools and mosdepth do.
 */
export class CigarWalk {
  blocks = new Int32Array(64);
  /** Entries used in `blocks` (two per block). */
  length = 0;
  /** Reference end: start plus the bases of M, D, N, =, X (at least 1). */
  end = 0;
  /** The CIGAR skips reference bases (N): a spliced alignment, as an RNA aligner writes. */
  spliced = false;
  /** The CIGAR was read from the CG tag (more than 65,535 operations). */
  long = false;

  walk(r: RecordView, pos: number): void {
    const cg = r.longCigar();
    const n = cg ? cg.count : r.cigarCount;
    if (2 * n > this.blocks.length) this.blocks = new Int32Array(2 * n);
    const blocks = this.blocks;
    const buf = r.buf;
    let used = 0;
    let at = pos;
    let spliced = false;
    for (let i = 0; i < n; i++) {
      const c = cg ? buf.readUInt32LE(cg.offset + 4 * i) : r.cigar(i);
      const op = c & 15;
      const len = c >>> 4;
      if ((ALIGNED >> op) & 1) {
        if (used > 0 && blocks[used - 1] === at) blocks[used - 1] = at + len;
        else {
          blocks[used++] = at;
          blocks[used++] = at + len;
        }
      } else if (op === 3 && len > 0) spliced = true;
      if ((CONSUMES_REFERENCE >> op) & 1) at += len;
    }
    this.length = used;
    this.end = at > pos ? at : pos + 1;
    this.spliced = spliced;
    this.long = cg !== undefined;
  }
}

/** A proper-pair mate held until its partner arrives: its aligned blocks as [start, end) pairs. */
export interface HeldMate {
  blocks: number[];
  matePos: number;
}

/**
 * A read that may be the partner of a mate held by the counter of an earlier
 * piece of the same chromosome (work split across threads): settled when the
 * pieces are joined, exactly as one counter would have settled it.
 */
export interface DeferredMate {
  name: string;
  blocks: number[];
  /** Indexes of the clusters (tracks) the read overlaps. */
  clusters: number[];
  /** The read was itself held (it starts where its mate does, and no mate was held here). */
  held: boolean;
}

/**
 * Adds reads to depth tracks. Proper pairs whose mates overlap are corrected
 * as mosdepth does: the leftmost mate is held by name; when its partner
 * arrives, positions where both have aligned bases are counted once.
 * (mosdepth, when both CIGARs are a single operation, subtracts the whole
 * span from the second mate's start to the first mate's end even if the
 * second mate ends earlier; we subtract only bases both mates cover.)
 */
export class DepthCounter {
  readonly held = new Map<string, HeldMate>();
  readonly deferred: DeferredMate[] = [];
  private sinceSweep = 0;
  private firstPos = -1;

  /**
   * With `correctMateOverlap` false, overlapping mates count twice (samtools
   * bedcov's convention). `continues` says an earlier piece of the chromosome
   * was counted separately, so reads whose mate may be held there are deferred.
   */
  constructor(private readonly correctMateOverlap = true, private readonly continues = false) {}

  /** Adds one passing read (walked into `cigar`) to the first `count` of `tracks`, those it overlaps (clusters `clusters`). */
  add(r: RecordView, cigar: CigarWalk, tracks: DepthTrack[], clusters: number[], count: number): void {
    const pos = r.pos;
    const end = cigar.end;
    const blocks = cigar.blocks;
    const used = cigar.length;
    for (let t = 0; t < count; t++) {
      const track = tracks[t];
      for (let i = 0; i < used; i += 2) track.add(blocks[i], blocks[i + 1], 1);
      track.countRead(pos, end);
    }

    const flag = r.flag;
    if (!this.correctMateOverlap || (flag & 0x2) === 0 || (flag & 0x800) !== 0) return;
    // A mate on another chromosome, or one still to come, cannot be held: nothing to look up.
    if (r.nextRefId !== r.refId) return;
    if (this.firstPos < 0) this.firstPos = pos;
    const matePos = r.nextPos;
    if (matePos > pos) {
      if (end > matePos) this.held.set(r.name, { blocks: copyBlocks(blocks, used), matePos });
    } else {
      const name = r.name;
      const mate = this.held.get(name);
      if (mate) {
        this.held.delete(name);
        for (let t = 0; t < count; t++) subtractShared(mate.blocks, mate.blocks.length, blocks, used, tracks[t]);
      } else if (matePos === pos && end > matePos) {
        // Mates starting together: the first to arrive is held.
        this.held.set(name, { blocks: copyBlocks(blocks, used), matePos });
        if (this.continues && pos === this.firstPos) this.deferred.push({ name, blocks: copyBlocks(blocks, used), clusters: clusters.slice(0, count), held: true });
      } else if (this.continues && matePos <= this.firstPos) {
        this.deferred.push({ name, blocks: copyBlocks(blocks, used), clusters: clusters.slice(0, count), held: false });
      }
    }
    if (++this.sinceSweep >= 4096) this.sweep(pos);
  }

  /**
   * Forgets held mates whose partner can no longer come: records arrive in
   * position order, so a partner due at a position already passed was
   * filtered out. Keeps memory bounded at any depth.
   */
  sweep(pos: number): void {
    this.sinceSweep = 0;
    for (const [name, mate] of this.held) if (mate.matePos < pos) this.held.delete(name);
  }
}

/** A plain array: cheaper than a typed array for the one or two blocks of a held read. */
function copyBlocks(blocks: Int32Array, used: number): number[] {
  const out = new Array<number>(used);
  for (let i = 0; i < used; i++) out[i] = blocks[i];
  return out;
}

/** Removes one count wherever intervals of `a` and `b` (each sorted, disjoint [start, end) pairs) intersect. */
export function subtractShared(a: ArrayLike<number>, aLength: number, b: ArrayLike<number>, bLength: number, track: DepthTrack): void {
  let i = 0;
  let j = 0;
  while (i < aLength && j < bLength) {
    const from = Math.max(a[i], b[j]);
    const to = Math.min(a[i + 1], b[j + 1]);
    if (from < to) track.add(from, to, -1);
    if (a[i + 1] < b[j + 1]) i += 2;
    else j += 2;
  }
}
