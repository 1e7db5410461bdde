// The coverage engine: per-probe mean depth and read count from a BAM.
// For each chromosome, probes are grouped into clusters, the index gives the
// BGZF ranges holding their reads, and those ranges (merged, so each block is
// inflated once) are streamed record by record into per-cluster depth tracks.
// With several threads, each chromosome's records are cut into pieces at
// record starts the index names (or, in a deep stretch the index cannot cut,
// between BGZF blocks), counted in worker threads as soon as each chromosome
// is planned, and joined exactly: depth changes add up, and mates split
// across two pieces are settled as one pass would have settled them.
import { Worker } from 'node:worker_threads';
import { clusterProbes, type Panel, type ProbeCluster } from '../panel/panel.js';
import { resolveContig } from '../panel/contigs.js';
import { type BamInput, type Reference } from './bam.js';
import { blockSizeInFile, findBlockStart } from './bgzf-reader.js';
import { DEFAULT_FILTER, defaultThreads } from './defaults.js';
import { DepthTrack, type HeldMate, subtractShared } from './depth.js';
import { countPiece, emptyResult, emptyStats, MAX_INSERT, type CoverageStats, type Piece, type PieceResult, type ReadFilter, type ReadGroupFilter } from './piece.js';
import { mergeRanges, type VirtualRange } from './records.js';
import { Her2cnError } from '../errors/errors.js';

export type { CoverageStats, ReadFilter } from './piece.js';
export { DEFAULT_FILTER, defaultThreads };

export interface ProbeCoverage {
  chrom: string;
  start: number;
  end: number;
  name: string;
  gene: string;
  /** Mean per-base depth over the probe from passing reads. */
  depth: number;
  /** Passing reads whose alignment overlaps the probe. */
  reads: number;
}

export interface CoverageResult {
  probes: ProbeCoverage[];
  stats: CoverageStats;
  /** Median insert size of passing proper pairs on the probes (0 if none). */
  medianInsert: number;
  /** Their spread: interquartile range / 1.349, a robust SD (0 if none). */
  insertSpread: number;
  /** BAM only: how the reading was split: pieces counted, those cut at a BGZF block boundary, and those counted again because the scan for their first record missed it. */
  pieces?: { counted: number; fromBlockBoundaries: number; countedAgain: number };
}

export interface EngineOptions {
  /** For a BAM of several samples: count only these read groups. */
  readGroups?: ReadGroupFilter;
  /** Threads reading the BAM (default: the machine's cores, at most 8). */
  threads?: number;
  /** A BAM smaller than this (bytes) is read by one thread: starting workers would cost more. */
  minBytesForThreads?: number;
  /** Workers started beforehand (`startWorkers`), used if the reading is split, else stopped. */
  workers?: Worker[];
  /** Compressed bytes per piece of work when split (default: from the file's size); tests cut small files finely. */
  pieceBytes?: number;
}

const QUERY_GAP = 65_536;
/** Pieces each thread's share of the work (estimated from the file's size) is cut into... */
const PIECES_PER_THREAD = 8;
/** ...within these sizes (compressed bytes): a piece is about 15-120 ms of work. */
const MIN_PIECE_BYTES = 1 << 20;
const MAX_PIECE_BYTES = 8 << 20;

/** A BAM of 16 MB or more is read with threads: about 0.1 s of work for one thread, more than starting a worker costs. */
export const MIN_BYTES_FOR_THREADS = 16 << 20;

/**
 * Starts the worker threads a BAM of `fileSize` bytes may be split across,
 * so that they boot while the main thread reads the header and the index;
 * none for a BAM too small to be split.
 */
export function startWorkers(fileSize: number, threads: number | undefined): Worker[] {
  const n = Math.max(1, Math.floor(threads ?? defaultThreads()));
  if (n < 2 || fileSize < MIN_BYTES_FOR_THREADS) return [];
  return Array.from({ length: n }, () => {
    const worker = newWorker();
    // An error while it boots is kept for countInWorkers to report, not thrown with no one listening.
    worker.once('error', e => bootErrors.set(worker, e));
    return worker;
  });
}

const bootErrors = new WeakMap<Worker, Error>();

/**
 * A coverage worker with a small young generation: the 64 KB buffers of its
 * inflated blocks die young, and are freed sooner (at 20,000x depth two busy
 * workers peaked 100 MB lower, in the same time; bench/results.md).
 */
function newWorker(): Worker {
  return new Worker(new URL('./worker.js', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: 4 } });
}

// Long by design: the hot path (plan pieces, count on workers, join) kept in one place so its memory and order stay visible.
export async function computeCoverage(bam: BamInput, panel: Panel, filter: ReadFilter = DEFAULT_FILTER, options: EngineOptions = {}): Promise<CoverageResult> {
  const byChrom = clustersByChromosome(panel, bam.references, bam.path, 'BAM');
  const threads = Math.max(1, Math.floor(options.threads ?? defaultThreads()));
  const parallel = threads > 1 && bam.size >= (options.minBytesForThreads ?? MIN_BYTES_FOR_THREADS);
  // Pieces of a fraction of a thread's share keep every core busy to the end;
  // where the index names no record start for a long stretch (a deep
  // amplicon), the stretch is cut between BGZF blocks instead.
  const target = options.pieceBytes ?? Math.min(MAX_PIECE_BYTES, Math.max(MIN_PIECE_BYTES, bam.size / (threads * PIECES_PER_THREAD)));

  const stats = emptyStats();
  const inserts = new Float64Array(MAX_INSERT + 1);
  const depth = new Float64Array(panel.probes.length);
  const reads = new Float64Array(panel.probes.length);
  let countedAgain = 0;
  // The size of the BGZF block at a file offset (0 where none), read once: what a span ending inside it reads.
  const blockSizes = new Map<number, number>();
  const blockSize = (at: number): number => {
    let n = blockSizes.get(at);
    if (n === undefined) blockSizes.set(at, (n = blockSizeInFile(bam.fd, at)));
    return n;
  };

  // Plan: each chromosome's merged ranges, cut into pieces. With threads, the
  // pieces are queued for the workers as each chromosome is planned, so the
  // index is read while the first chromosomes are counted.
  const flat: Piece[] = [];
  /** The chromosome of each piece. */
  const joinOf: ChromosomeJoin[] = [];
  const queue = new PieceQueue();
  async function plan(): Promise<void> {
    for (const { refName, refId, clusters } of byChrom) {
      if (queue.finished) return; // the counting failed
      // One index query per run of clusters less than QUERY_GAP apart: each query
      // walks the chromosome's whole index, and the few off-target reads in the
      // gaps cost less to skip than thousands of queries.
      const ranges: VirtualRange[] = [];
      for (let i = 0; i < clusters.length; ) {
        let j = i;
        while (j + 1 < clusters.length && clusters[j + 1].start - clusters[j].end <= QUERY_GAP) j++;
        ranges.push(...(await bam.ranges(refName, clusters[i].start, clusters[j].end)));
        i = j + 1;
      }
      ranges.sort((a, b) => a.start - b.start);
      const piece: Piece = {
        path: bam.path,
        size: bam.size,
        refId,
        refName,
        clusterStarts: clusters.map(c => c.start),
        clusterEnds: clusters.map(c => c.end),
        ranges: mergeRanges(ranges),
        continues: false,
        filter,
        ...(options.readGroups ? { readGroups: options.readGroups } : {}),
      };
      // Every range an index query returns starts at a record: a place to cut.
      const cuts = ranges.map(r => r.start);
      const blocks = parallel ? blockCuts(bam.fd, bam.size, piece.ranges, cuts, target / 4) : [];
      const pieces = parallel ? cutPiece(piece, [...cuts.map(at => ({ at, scan: false })), ...blocks.map(at => ({ at, scan: true }))], target, blockSize) : [piece];
      const join = new ChromosomeJoin(bam.fd, piece, pieces, flat.length, stats, inserts, tracks => {
        clusters.forEach((cluster, k) => {
          if (tracks[k]) summarize(cluster, tracks[k], panel, depth, reads);
        });
      });
      for (const p of pieces) {
        joinOf.push(join);
        queue.push(flat.push(p) - 1);
      }
      // Let the workers' finished pieces be answered before planning the next chromosome.
      if (parallel) await new Promise(resolve => setImmediate(resolve));
    }
  }
  // Each result is joined as soon as the pieces before it on its chromosome
  // are, and a chromosome summarized once whole: the results held at once
  // are those of the pieces in flight, whatever the depth.
  const counted = (i: number, result: PieceResult) => {
    countedAgain += joinOf[i].add(i, result);
  };
  const started = options.workers ?? [];
  if (parallel) {
    const planned = plan().then(
      () => queue.close(),
      (e: unknown) => queue.fail(e),
    );
    await countInWorkers(queue, flat, threads, started, counted);
    await planned;
  } else {
    await Promise.all(started.map(w => w.terminate()));
    await plan();
    flat.forEach((p, i) => counted(i, countPiece(bam.fd, p)));
  }

  const probes = panel.probes.map((p, i) => ({
    chrom: p.chrom,
    start: p.start,
    end: p.end,
    name: p.name,
    gene: p.gene,
    depth: depth[i],
    reads: reads[i],
  }));
  const pieces = { counted: flat.length, fromBlockBoundaries: flat.filter(p => p.scanStart).length, countedAgain };
  return { probes, stats, medianInsert: histogramMedian(inserts), insertSpread: histogramSpread(inserts), pieces };
}

/**
 * The panel's probe clusters by chromosome, with the alignment file's name
 * and index of that chromosome; refuses a file lacking one of the panel's
 * chromosomes, or whose chromosome is shorter than the panel's probes.
 */
export function clustersByChromosome(
  panel: Panel,
  references: Reference[],
  path: string,
  kind: 'BAM' | 'CRAM',
): { refName: string; refId: number; clusters: ProbeCluster[] }[] {
  const refNames = references.map(r => r.name);
  const byChrom = new Map<string, ProbeCluster[]>();
  for (const c of clusterProbes(panel.probes)) {
    const list = byChrom.get(c.chrom) ?? [];
    list.push(c);
    byChrom.set(c.chrom, list);
  }
  const missing = [...byChrom.keys()].filter(c => resolveContig(c, refNames) === undefined);
  if (missing.length > 0) {
    throw new Her2cnError('input', 
      `${path}: has no chromosome ${missing.join(', ')} that the panel ${panel.source} needs; is the ${kind} aligned to the panel's genome build?`,
    );
  }
  return [...byChrom].map(([chrom, clusters]) => {
    const refName = resolveContig(chrom, refNames)!;
    const refId = refNames.indexOf(refName);
    const refLength = references[refId].length;
    const last = clusters[clusters.length - 1];
    if (last.end > refLength) {
      throw new Her2cnError('input', 
        `${path}: ${refName} is ${refLength} bp long but the panel ${panel.source} has probes up to ${last.end}; panel and ${kind} are from different genome builds`,
      );
    }
    return { refName, refId, clusters };
  });
}

/**
 * The compressed bytes a span of virtual offsets reads: from its first block
 * to the end of the block it ends in (a span ending inside a block reads that
 * whole block). An index that names each bin's records gives many spans
 * inside one block each; counted by block positions alone, each would weigh
 * a byte and a chromosome never reach a piece's size.
 */
function compressedBytes(span: VirtualRange, blockSize: (at: number) => number): number {
  const from = Math.floor(span.start / 65536);
  const last = Math.floor(span.end / 65536);
  return last - from + (span.end % 65536 > 0 ? blockSize(last) : 0);
}

/** A place a chromosome's ranges may be cut: a record start the index names, or a BGZF block start (`scan`: its first record is found by scanning). */
interface Cut {
  at: number;
  scan: boolean;
}

/** Cuts a chromosome's ranges into pieces of about `target` compressed bytes. */
function cutPiece(piece: Piece, cuts: Cut[], target: number, blockSize: (at: number) => number): Piece[] {
  const out: Piece[] = [];
  let current: VirtualRange[] = [];
  let size = 0;
  let scanStart = false;
  // A record start the index names is preferred to a block start at the same offset.
  const sortedCuts = cuts.sort((a, b) => a.at - b.at || Number(a.scan) - Number(b.scan)).filter((c, i, all) => i === 0 || c.at !== all[i - 1].at);
  let c = 0;
  const close = (nextScan: boolean) => {
    if (current.length > 0) out.push({ ...piece, ranges: current, continues: out.length > 0, scanStart });
    current = [];
    size = 0;
    scanStart = nextScan;
  };
  for (const range of piece.ranges) {
    let start = range.start;
    // Cut inside this range where it has grown past the target.
    while (c < sortedCuts.length && sortedCuts[c].at <= start) c++;
    while (c < sortedCuts.length && sortedCuts[c].at < range.end) {
      const cut = sortedCuts[c++];
      if (size + compressedBytes({ start, end: cut.at }, blockSize) >= target) {
        current.push({ start, end: cut.at });
        close(cut.scan);
        start = cut.at;
      }
    }
    current.push({ start, end: range.end });
    size += compressedBytes({ start, end: range.end }, blockSize);
    if (size >= target) close(false);
  }
  close(false);
  return out;
}

/**
 * BGZF block starts (as virtual offsets) inside the ranges, about every
 * `spacing` compressed bytes, where the record starts the index names
 * (`recordCuts`, in file order as the ranges are) are further apart than that.
 */
function blockCuts(fd: number, fileSize: number, ranges: VirtualRange[], recordCuts: number[], spacing: number): number[] {
  const known = recordCuts.map(v => Math.floor(v / 65536));
  const out: number[] = [];
  let k = 0; // ranges and known cuts are both in file order
  for (const r of ranges) {
    const from = Math.floor(r.start / 65536);
    const to = Math.floor(r.end / 65536);
    while (k < known.length && known[k] <= from) k++;
    const marks = [from];
    for (; k < known.length && known[k] < to; k++) marks.push(known[k]);
    marks.push(to);
    for (let i = 1; i < marks.length; i++) {
      for (let near = marks[i - 1] + spacing; near < marks[i] - spacing / 2; near += spacing) {
        const block = findBlockStart(fd, fileSize, Math.floor(near), marks[i]);
        if (block > 0) out.push(block * 65536);
      }
    }
  }
  return out;
}

/**
 * Adds up a chromosome's pieces in order, as their results arrive, into one
 * track per cluster; settles mates split between pieces; hands the tracks
 * on (`done`) once every piece is in.
 */
class ChromosomeJoin {
  private readonly tracks: (DepthTrack | undefined)[];
  /** Results that came before the piece ahead of them, by the piece's place on the chromosome. */
  private readonly waiting = new Map<number, PieceResult>();
  private next = 0;
  private lastPos = -1;
  /** Where the last joined piece stopped reading (see PieceResult.stop). */
  private stop = -1;
  private readonly carry = new Map<string, HeldMate>();

  constructor(
    private readonly fd: number,
    private readonly piece: Piece,
    private readonly pieces: Piece[],
    /** The index of the chromosome's first piece in the engine's list. */
    private readonly first: number,
    private readonly stats: CoverageStats,
    private readonly inserts: Float64Array,
    private readonly done: (tracks: (DepthTrack | undefined)[]) => void,
  ) {
    this.tracks = new Array(piece.clusterStarts.length);
  }

  /** Takes the result of piece `index` (of the engine's list); returns how many pieces were counted again. */
  add(index: number, result: PieceResult): number {
    this.waiting.set(index - this.first, result);
    let again = 0;
    for (let r = this.waiting.get(this.next); r; r = this.waiting.get(this.next)) {
      this.waiting.delete(this.next);
      const piece = this.pieces[this.next];
      // A piece cut at a block boundary found its first record by scanning;
      // that record must be the one where the piece before stopped. Where it
      // is not (or the scan found none), the piece is counted again from that
      // record, so the result never depends on the scan.
      if (piece.scanStart && (r.scanFailed || r.first !== this.stop)) {
        again++;
        // The piece before stopped short of its end (past the last probe, or the file's end): nothing after it counts.
        r = this.stop < 0 ? emptyResult() : countPiece(this.fd, { ...piece, scanStart: false, ranges: [{ start: this.stop, end: piece.ranges[0].end }, ...piece.ranges.slice(1)] });
      }
      this.join(r);
      this.next++;
    }
    if (this.next === this.pieces.length) this.done(this.tracks);
    return again;
  }

  private join(r: PieceResult): void {
    const { piece, stats, inserts, tracks, carry } = this;
    if (r.firstPos >= 0 && r.firstPos < this.lastPos) {
      throw new Her2cnError('input', `${piece.path}: records are not coordinate-sorted (${piece.refName}:${r.firstPos + 1} after ${this.lastPos + 1}); sort with 'samtools sort'`, piece.path);
    }
    if (r.lastPos >= 0) this.lastPos = r.lastPos;
    this.stop = r.stop;
    stats.records += r.stats.records;
    stats.passing += r.stats.passing;
    stats.spliced += r.stats.spliced;
    stats.longCigar += r.stats.longCigar;
    for (const k of Object.keys(stats.skipped) as (keyof CoverageStats['skipped'])[]) stats.skipped[k] += r.stats.skipped[k];
    for (let i = 0; i < inserts.length; i++) inserts[i] += r.inserts[i];
    for (const t of r.tracks) {
      const own = new DepthTrack(piece.clusterStarts[t.cluster], piece.clusterEnds[t.cluster], t);
      const sum = tracks[t.cluster];
      if (sum) sum.addTrack(own);
      else tracks[t.cluster] = own;
    }
    const held = new Map(r.held);
    for (const d of r.deferred) {
      const mate = carry.get(d.name);
      if (!mate) continue;
      carry.delete(d.name);
      if (d.held) held.delete(d.name);
      for (const k of d.clusters) subtractShared(mate.blocks, mate.blocks.length, d.blocks, d.blocks.length, tracks[k]!);
    }
    // A mate whose partner was due before this piece's last record can no longer meet it.
    for (const [name, mate] of carry) if (mate.matePos < this.lastPos) carry.delete(name);
    for (const [name, mate] of held) carry.set(name, mate);
  }
}

/** Pieces planned and not yet taken (indexes into the engine's list), for the workers to take in order. */
class PieceQueue {
  private readonly ready: number[] = [];
  private readonly waiting: { resolve: (i: number | undefined) => void; reject: (e: unknown) => void }[] = [];
  private done = false;
  private failure: { error: unknown } | undefined;

  push(i: number): void {
    const w = this.waiting.shift();
    if (w) w.resolve(i);
    else this.ready.push(i);
  }

  /** No more pieces will come. */
  close(): void {
    this.done = true;
    for (const w of this.waiting.splice(0)) w.resolve(undefined);
  }

  /** Planning failed: every taker is told. */
  fail(error: unknown): void {
    this.failure = { error };
    this.done = true;
    for (const w of this.waiting.splice(0)) w.reject(error);
  }

  /** Closed, or failed (by the planning or the counting). */
  get finished(): boolean {
    return this.done;
  }

  /** The next piece, or undefined once all are taken. */
  take(): Promise<number | undefined> {
    if (this.failure) return Promise.reject(this.failure.error);
    if (this.ready.length > 0) return Promise.resolve(this.ready.shift());
    if (this.done) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }
}

/**
 * Counts the pieces put in `queue` (indexes into `pieces`, filled as they
 * are planned) in `threads` worker threads (those `started` first), each
 * taking the next piece as it finishes one; hands each result to `done`.
 */
async function countInWorkers(queue: PieceQueue, pieces: Piece[], threads: number, started: Worker[], done: (i: number, result: PieceResult) => void): Promise<void> {
  await Promise.all(started.slice(threads).map(w => w.terminate()));
  const workers = [...started.slice(0, threads), ...Array.from({ length: Math.max(0, threads - started.length) }, () => newWorker())];
  try {
    await Promise.all(
      workers.map(async worker => {
        const failed = new Promise<never>((_, reject) => {
          const bootError = bootErrors.get(worker);
          if (bootError) reject(bootError);
          worker.once('error', reject);
        });
        failed.catch(() => {});
        for (let i = await queue.take(); i !== undefined; i = await queue.take()) {
          const result = new Promise<PieceResult>((resolve, reject) => {
            worker.once('message', (m: { result?: PieceResult; error?: { message: string; input: boolean } }) => {
              if (m.error) reject(m.error.input ? new Her2cnError('input', m.error.message) : new Error(m.error.message));
              else resolve(m.result!);
            });
          });
          worker.postMessage(pieces[i]);
          done(i, await Promise.race([result, failed]));
        }
      }),
    );
  } catch (e) {
    queue.fail(e);
    throw e;
  } finally {
    await Promise.all(workers.map(w => w.terminate()));
  }
}

export function histogramMedian(counts: Float64Array): number {
  return histogramQuantile(counts, 0.5);
}

/** The smallest value at which the histogram's cumulative share reaches q (0 for an empty histogram). */
export function histogramQuantile(counts: Float64Array, q: number): number {
  const total = counts.reduce((a, b) => a + b, 0);
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i];
    if (seen >= q * total && total > 0) return i;
  }
  return 0;
}

/** A histogram's interquartile range over 1.349: the SD, were it normal, robust to a tail of chimeric pairs. */
export function histogramSpread(counts: Float64Array): number {
  return Math.round(((histogramQuantile(counts, 0.75) - histogramQuantile(counts, 0.25)) / 1.349) * 10) / 10;
}

/**
 * Turns a cluster's depth changes into each probe's mean depth and read
 * count, in one sweep along the track that stops at each probe's start and
 * end: memory grows with the number of probes, not with their length.
 */
export function summarize(cluster: ProbeCluster, track: DepthTrack, panel: Panel, depth: Float64Array, reads: Float64Array): void {
  // At each offset k of the track: the total depth over [start, start + k), the reads
  // starting before start + k, and the reads ending at or before start + k.
  const stops = [...new Set(cluster.probes.flatMap(index => [panel.probes[index].start - track.start, panel.probes[index].end - track.start]))].sort((x, y) => x - y);
  const at = new Map<number, { total: number; startsBefore: number; endsBy: number }>();
  let k = 0;
  let d = 0;
  let total = 0;
  let startsBefore = 0;
  let endsBy = track.ends[0];
  for (const stop of stops) {
    for (; k < stop; k++) {
      d += track.delta[k];
      total += d;
      startsBefore += track.starts[k];
      endsBy += track.ends[k + 1];
    }
    at.set(stop, { total, startsBefore, endsBy });
  }
  for (const index of cluster.probes) {
    const p = panel.probes[index];
    const a = at.get(p.start - track.start)!;
    const b = at.get(p.end - track.start)!;
    depth[index] = (b.total - a.total) / (p.end - p.start);
    reads[index] = b.startsBefore - a.endsBy;
  }
}
