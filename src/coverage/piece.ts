// Counting one piece of the work: a contiguous run of a chromosome's records
// (between two virtual offsets where records start), into depth tracks for
// the probe clusters those records overlap. A chromosome is one piece, or
// several when the work is split across threads; pieces join exactly (see
// engine.ts), so the result does not depend on the split.
import { CigarWalk, type DeferredMate, DepthCounter, DepthTrack, type HeldMate } from './depth.js';
import { visitRecords, type VirtualRange } from './records.js';
import type { LastBlock } from './bgzf-reader.js';
import { Her2cnError } from '../errors/errors.js';

export interface ReadFilter {
  /** Reads with mapping quality below this are skipped. */
  minMapq: number;
  /** Reads with any of these flag bits are skipped. */
  excludeFlags: number;
  /** Count bases where the two mates of a proper pair overlap once (default, as mosdepth) or twice. */
  countMateOverlapOnce?: boolean;
}

/** Which reads of a BAM holding several samples are counted: those of these read groups (RG tag) only. */
export interface ReadGroupFilter {
  readGroups: string[];
}

export interface CoverageStats {
  /** Records read from the BAM on the panel's chromosomes, up to the last probe of each. */
  records: number;
  /** Records overlapping a probe that passed the filters. */
  passing: number;
  /** Passing reads whose CIGAR skips reference bases (N: spliced, as an RNA aligner writes); those bases are not coverage. */
  spliced: number;
  /** Passing reads whose CIGAR (over 65,535 operations) was read from the CG tag. */
  longCigar: number;
  /** Records overlapping a probe skipped by the filters, by reason (the first reason that applies; another sample's read groups first). */
  skipped: { otherSample: number; mapq: number; unmapped: number; secondary: number; qcFail: number; duplicate: number; supplementary: number };
}

export function emptyStats(): CoverageStats {
  return { records: 0, passing: 0, spliced: 0, longCigar: 0, skipped: { otherSample: 0, mapq: 0, unmapped: 0, secondary: 0, qcFail: 0, duplicate: 0, supplementary: 0 } };
}

/** Insert sizes are binned up to this length; longer ones count in the last bin. */
export const MAX_INSERT = 2000;

export interface Piece {
  path: string;
  size: number;
  refId: number;
  refName: string;
  /** The chromosome's probe clusters, [start, end) each, in order. */
  clusterStarts: number[];
  clusterEnds: number[];
  /** Virtual-offset ranges to read, sorted and disjoint. */
  ranges: VirtualRange[];
  /** An earlier piece of this chromosome is counted separately. */
  continues: boolean;
  /** The first range starts at a BGZF block boundary, not at a record: its first record is found by scanning the block. */
  scanStart?: boolean;
  filter: ReadFilter;
  /** Set for a BAM of several samples: only these read groups are counted. */
  readGroups?: ReadGroupFilter;
}

export interface PieceResult {
  /** Tracks of the clusters this piece's reads touched. */
  tracks: { cluster: number; delta: Int32Array; starts: Int32Array; ends: Int32Array }[];
  stats: CoverageStats;
  inserts: Float64Array;
  /** Positions of the piece's first and last record on the chromosome (-1 if none). */
  firstPos: number;
  lastPos: number;
  /** Mates still held at the end, for the next piece. */
  held: [string, HeldMate][];
  deferred: DeferredMate[];
  /** Virtual offset of the first record read (-1 if none): for a piece that scanned for it, checked against the previous piece's `stop`. */
  first: number;
  /** Virtual offset of the first record after the piece's last range, where the reading got there; else -1. */
  stop: number;
  /** A scanned piece found no record start in its first block: nothing was counted. */
  scanFailed: boolean;
}

/**
 * Counts one piece. A piece cut at a block boundary whose reading fails in
 * any way (its scanned start may be a false one: bytes inside a record that
 * look like records) reports the scan as failed instead: the engine counts
 * it again from the record where the piece before it stopped, and meets
 * there any damage that is real.
 */
export function countPiece(fd: number, piece: Piece): PieceResult {
  if (!piece.scanStart) return countRecords(fd, piece);
  try {
    return countRecords(fd, piece);
  } catch {
    return { ...emptyResult(), scanFailed: true };
  }
}

// Long by design: the inner loop over records, kept whole for speed (no per-record calls).
function countRecords(fd: number, piece: Piece): PieceResult {
  const { refId, refName, clusterStarts, clusterEnds, filter, path } = piece;
  const keep = piece.readGroups ? new Set(piece.readGroups.readGroups) : undefined;
  const stats = emptyStats();
  const inserts = new Float64Array(MAX_INSERT + 1);
  const tracks = new Map<number, DepthTrack>();
  const track = (k: number) => {
    let t = tracks.get(k);
    if (!t) tracks.set(k, (t = new DepthTrack(clusterStarts[k], clusterEnds[k])));
    return t;
  };
  const counter = new DepthCounter(filter.countMateOverlapOnce ?? true, piece.continues);
  const cigar = new CigarWalk();
  const overlapping: DepthTrack[] = [];
  const overlappingIds: number[] = [];
  const stopAt = clusterEnds[clusterEnds.length - 1];
  let next = 0; // first cluster that may still overlap the reads to come
  let firstPos = -1;
  let lastPos = -1;
  let first = -1;
  let stop = -1;
  const lastBlock: LastBlock = { offset: -1, size: 0 };
  for (const [i, range] of piece.ranges.entries()) {
    const visited = visitRecords(fd, path, piece.size, range, r => {
      const rid = r.refId;
      if (rid !== refId) return rid >= 0 && rid < refId;
      const pos = r.pos;
      if (pos >= stopAt) return false;
      if (pos < lastPos) {
        throw new Her2cnError('input', `${path}: records are not coordinate-sorted (${refName}:${pos + 1} after ${lastPos + 1}); sort with 'samtools sort'`, path);
      }
      if (firstPos < 0) firstPos = pos;
      lastPos = pos;
      stats.records += 1;
      while (next < clusterEnds.length && clusterEnds[next] <= pos) next++;
      cigar.walk(r, pos);
      const end = cigar.end;
      if (clusterStarts[next] >= end) return true;
      let count = 0;
      for (let k = next; k < clusterStarts.length && clusterStarts[k] < end; k++) {
        overlapping[count] = track(k);
        overlappingIds[count++] = k;
      }
      const flag = r.flag;
      if (keep && !keep.has(r.stringTag('RG') ?? '')) {
        stats.skipped.otherSample++;
        return true;
      }
      if (filteredOut(flag, r.mapq, filter, stats)) return true;
      stats.passing += 1;
      if (cigar.spliced) stats.spliced += 1;
      if (cigar.long) stats.longCigar += 1;
      counter.add(r, cigar, overlapping, overlappingIds, count);
      // One insert size per proper pair: its first read's |TLEN|.
      if ((flag & 0x42) === 0x42) {
        const t = Math.abs(r.tlen);
        if (t > 0) inserts[t < MAX_INSERT ? t : MAX_INSERT] += 1;
      }
      return true;
    }, i === 0 && piece.scanStart ? refId : undefined, lastBlock);
    if (visited.scanFailed) return { ...emptyResult(), scanFailed: true };
    if (i === 0) first = visited.first;
    stop = visited.stop;
  }
  return {
    tracks: [...tracks].map(([cluster, t]) => ({ cluster, delta: t.delta, starts: t.starts, ends: t.ends })),
    stats,
    inserts,
    firstPos,
    lastPos,
    held: [...counter.held],
    deferred: counter.deferred,
    first,
    stop,
    scanFailed: false,
  };
}

/** The result of a piece with no records. */
export function emptyResult(): PieceResult {
  return { tracks: [], stats: emptyStats(), inserts: new Float64Array(MAX_INSERT + 1), firstPos: -1, lastPos: -1, held: [], deferred: [], first: -1, stop: -1, scanFailed: false };
}

/** Whether a read fails the filters; counted in `stats` by its first reason. */
export function filteredOut(flag: number, mapq: number, filter: ReadFilter, stats: CoverageStats): boolean {
  const bad = flag & filter.excludeFlags;
  if (bad) {
    const s = stats.skipped;
    if (bad & 0x4) s.unmapped++;
    else if (bad & 0x100) s.secondary++;
    else if (bad & 0x800) s.supplementary++;
    else if (bad & 0x200) s.qcFail++;
    else if (bad & 0x400) s.duplicate++;
    return true;
  }
  if (mapq < filter.minMapq) {
    stats.skipped.mapq++;
    return true;
  }
  return false;
}
