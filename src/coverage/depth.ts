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

  constructor(readonly start: number, readonly end: number) {
    const n = end - start + 1;
    this.delta = new Int32Array(n);
    this.starts = new Int32Array(n);
    this.ends = new Int32Array(n);
  }

  /** Adds `by` over [from, to), clipped to the track. */
  add(from: number, to: number, by: number): void {
    const a = Math.max(from, this.start);
    const b = Math.min(to, this.end);
    if (a >= b) return;
    this.delta[a - this.start] += by;
    this.delta[b - this.start] -= by;
  }

  /** Counts a read spanning [from, to) on the reference. */
  countRead(from: number, to: number): void {
    this.starts[Math.min(Math.max(from, this.start), this.end) - this.start] += 1;
    this.ends[Math.min(Math.max(to, this.start), this.end) - this.start] += 1;
  }
}

/** A proper-pair mate held until its partner arrives: its aligned blocks as [start, end) pairs. */
interface HeldMate {
  blocks: number[];
  matePos: number;
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
  private readonly held = new Map<string, HeldMate>();
  private sinceSweep = 0;

  /** With `correctMateOverlap` false, overlapping mates count twice (samtools bedcov's convention). */
  constructor(private readonly correctMateOverlap = true) {}

  /** Adds one passing read spanning [r.pos, end) to the tracks it overlaps. */
  add(r: RecordView, end: number, tracks: DepthTrack[]): void {
    const pos = r.pos;
    const blocks = alignedBlocks(r, pos);
    for (const track of tracks) {
      for (let i = 0; i < blocks.length; i += 2) track.add(blocks[i], blocks[i + 1], 1);
      track.countRead(pos, end);
    }

    const flag = r.flag;
    if (!this.correctMateOverlap || (flag & 0x2) === 0 || (flag & 0x800) !== 0) return;
    const matePos = r.nextPos;
    const name = r.name;
    if (r.nextRefId === r.refId && end > matePos && (pos < matePos || (pos === matePos && !this.held.has(name)))) {
      this.held.set(name, { blocks, matePos });
    } else {
      const mate = this.held.get(name);
      if (mate) {
        this.held.delete(name);
        for (const track of tracks) subtractShared(mate.blocks, blocks, track);
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

  /** Called between chromosomes. */
  reset(): void {
    this.held.clear();
  }
}

/** The [start, end) reference intervals where the read has aligned bases, adjacent blocks merged. */
function alignedBlocks(r: RecordView, pos: number): number[] {
  const out: number[] = [];
  let at = pos;
  for (let i = 0, n = r.cigarCount; i < n; i++) {
    const c = r.cigar(i);
    const op = c & 15;
    const len = c >>> 4;
    if ((ALIGNED >> op) & 1) {
      if (out.length > 0 && out[out.length - 1] === at) out[out.length - 1] = at + len;
      else out.push(at, at + len);
    }
    if ((CONSUMES_REFERENCE >> op) & 1) at += len;
  }
  return out;
}

/** Removes one count wherever intervals of `a` and `b` (each sorted, disjoint) intersect. */
function subtractShared(a: number[], b: number[], track: DepthTrack): void {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const from = Math.max(a[i], b[j]);
    const to = Math.min(a[i + 1], b[j + 1]);
    if (from < to) track.add(from, to, -1);
    if (a[i + 1] < b[j + 1]) i += 2;
    else j += 2;
  }
}
