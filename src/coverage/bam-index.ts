// Range queries of a BAM's BAI or CSI index (SAMv1 section 5.2, CSIv1) read
// straight from its bytes. Both index a reference's records by bins of a
// binning scheme (BAI: 16 kb windows, 6 levels; CSI: any window and number
// of levels) with chunks of virtual offsets; a BAI adds a linear index of
// each window's first record, a CSI each bin's (loffset). @gmod/bam builds
// an object for every chunk and virtual offset of a chromosome on its first
// query (a clinical BAM's 3.3 MB BAI: about 0.5 s of main-thread CPU and
// garbage collection) and loads its WebAssembly inflater to open an index or
// header (about 0.1 s for every BAM opened). Here each chromosome's bins are
// located once (bin -> byte offset) and a query reads only the chunks of the
// bins that overlap it.
import { mergeRanges, type VirtualRange } from './records.js';

const BAI_MAGIC = 0x01494142; // "BAI\1", little-endian
const CSI_MAGIC = 0x01495343; // "CSI\1"
/** BAI's scheme: 16 kb windows (2^14), bins on 6 levels (depth 5), positions below 2^29. */
const BAI_SCHEME: Scheme = { minShift: 14, depth: 5 };

export interface BinnedIndex {
  readonly refCount: number;
  /**
   * The virtual-offset ranges of the chunks that may hold records overlapping
   * [start, end) of reference `refId`: chunks of every bin overlapping the
   * region that end after the first record the index places at or before
   * `start` (BAI: its linear index; CSI: the loffset of start's bin), sorted
   * and merged where they overlap or touch.
   */
  ranges(refId: number, start: number, end: number): VirtualRange[];
}

interface Scheme {
  minShift: number;
  depth: number;
}

/** The first bin of level `level` (htslib's hts_bin_first): (8^level - 1) / 7. */
const firstBin = (level: number) => (8 ** level - 1) / 7;
/** The scheme's last bin: the finest level's last. */
const lastBin = (s: Scheme) => firstBin(s.depth + 1) - 1;
/** The pseudo-bin holding a reference's read counts, not chunks (htslib's META_BIN: two past the last bin). */
const pseudoBin = (s: Scheme) => lastBin(s) + 2;

/** Bins overlapping [beg, end) at each level, as [first, last] pairs (SAMv1 5.3 reg2bins, CSIv1 for any scheme). */
function regionBins(beg: number, end: number, s: Scheme): [number, number][] {
  const limit = 2 ** (s.minShift + 3 * s.depth);
  const b = Math.min(Math.max(beg, 0), limit - 1);
  const e = Math.min(end, limit) - 1;
  const out: [number, number][] = [];
  for (let level = 0; level <= s.depth; level++) {
    const width = 2 ** (s.minShift + 3 * (s.depth - level));
    out.push([firstBin(level) + Math.floor(b / width), firstBin(level) + Math.floor(e / width)]);
  }
  return out;
}

/** Reads counts and offsets of an index's bytes, each read checked against the end. */
function reader(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (at: number, n: number) => {
    if (at + n > bytes.length) throw new Error(`ends early (${bytes.length} bytes; needed ${at + n})`);
  };
  const count = (at: number, what: string) => {
    need(at, 4);
    const n = view.getInt32(at, true);
    if (n < 0) throw new Error(`a negative number of ${what} (${n}) at byte ${at}`);
    return n;
  };
  // A virtual offset as one number, block position * 65536 + offset in the
  // block: exact while the block position is below 2^37 (128 GiB).
  const virtualOffset = (p: number) => view.getUint32(p + 4, true) * 2 ** 32 + view.getUint32(p, true);
  return { view, need, count, virtualOffset };
}

interface RefBins {
  /** bin -> byte offset of its chunk count */
  chunksAt: Map<number, number>;
  /** The smallest virtual offset a query starting at `start` must read from. */
  lowest(start: number): number;
}

/** The query shared by both formats: the chunks of the region's bins that end after the lowest offset. */
function binnedIndex(refCount: number, scheme: Scheme, refBins: (refId: number) => RefBins, r: ReturnType<typeof reader>): BinnedIndex {
  const refs = new Map<number, RefBins>();
  return {
    refCount,
    ranges(refId, start, end) {
      if (refId < 0 || refId >= refCount || end <= start) return [];
      let ref = refs.get(refId);
      if (!ref) refs.set(refId, (ref = refBins(refId)));
      const lowest = ref.lowest(start);
      const chunks: VirtualRange[] = [];
      for (const [first, last] of regionBins(start, end, scheme)) {
        for (let bin = first; bin <= last; bin++) {
          const p = ref.chunksAt.get(bin);
          if (p === undefined) continue;
          const n = r.view.getInt32(p, true);
          for (let c = 0, q = p + 4; c < n; c++, q += 16) {
            const chunkEnd = r.virtualOffset(q + 8);
            if (chunkEnd > lowest) chunks.push({ start: r.virtualOffset(q), end: chunkEnd });
          }
        }
      }
      return mergeRanges(chunks.sort((a, b) => a.start - b.start));
    },
  };
}

/** Walks a reference's bins (each: bin number, `extra` bytes, chunk count, chunks), checking every count against the bytes. */
function walkBins(r: ReturnType<typeof reader>, at: number, extra: number, scheme: Scheme, format: string, visit?: (bin: number, p: number) => void): number {
  const n = r.count(at, 'bins');
  at += 4;
  const last = lastBin(scheme);
  const pseudo = pseudoBin(scheme);
  for (let i = 0; i < n; i++) {
    r.need(at, 8 + extra);
    const bin = r.view.getUint32(at, true);
    if (visit && bin !== pseudo) {
      if (bin > last) throw new Error(`bin ${bin} is beyond the ${format} binning scheme${format === 'BAI' ? ' (too long a chromosome for BAI: use CSI)' : ''}`);
      visit(bin, at);
    }
    const chunks = r.count(at + 4 + extra, 'chunks');
    at += 8 + extra + 16 * chunks;
  }
  return at;
}

/** Parses a BAI's layout (not its chunks); throws an Error saying what is wrong with the bytes. */
export function parseBai(bytes: Uint8Array): BinnedIndex {
  const r = reader(bytes);
  r.need(0, 8);
  if (r.view.getUint32(0, true) !== BAI_MAGIC) throw new Error('not a BAI index (no BAI\\1 magic)');
  const refCount = r.count(4, 'references');
  // First pass: where each reference's part begins, every count checked.
  const starts: number[] = [];
  let at = 8;
  for (let ref = 0; ref < refCount; ref++) {
    starts.push(at);
    at = walkBins(r, at, 0, BAI_SCHEME, 'BAI');
    at += 4 + 8 * r.count(at, 'linear index entries');
  }
  r.need(at, 0);
  return binnedIndex(refCount, BAI_SCHEME, refId => {
    const chunksAt = new Map<number, number>();
    const linearAt = walkBins(r, starts[refId], 0, BAI_SCHEME, 'BAI', (bin, p) => chunksAt.set(bin, p + 4));
    const linearCount = r.view.getInt32(linearAt, true);
    return {
      chunksAt,
      lowest(start) {
        const window = Math.min(Math.max(start, 0) >> BAI_SCHEME.minShift, linearCount - 1);
        return window < 0 ? 0 : r.virtualOffset(linearAt + 4 + 8 * window);
      },
    };
  }, r);
}

/** Parses a CSI's layout from its decompressed bytes (the file is BGZF); throws an Error saying what is wrong. */
export function parseCsi(bytes: Uint8Array): BinnedIndex {
  const r = reader(bytes);
  r.need(0, 16);
  if (r.view.getUint32(0, true) !== CSI_MAGIC) throw new Error('not a CSI index (no CSI\\1 magic)');
  const scheme = { minShift: r.view.getInt32(4, true), depth: r.view.getInt32(8, true) };
  // htslib writes min_shift 14 and the depth the longest reference needs (5 up to 512 Mb).
  // Depth at most 10: the last bin's number must fit the format's 32 bits.
  if (scheme.minShift < 1 || scheme.depth < 0 || scheme.depth > 10 || scheme.minShift + 3 * scheme.depth > 44) {
    throw new Error(`an unsupported binning scheme (min_shift ${scheme.minShift}, depth ${scheme.depth})`);
  }
  let at = 16 + r.count(12, 'auxiliary bytes');
  const refCount = r.count(at, 'references');
  at += 4;
  const starts: number[] = [];
  for (let ref = 0; ref < refCount; ref++) {
    starts.push(at);
    at = walkBins(r, at, 8, scheme, 'CSI');
  }
  // An optional count of unplaced reads may follow.
  r.need(at, 0);
  return binnedIndex(refCount, scheme, refId => {
    const chunksAt = new Map<number, number>();
    const loffsetAt = new Map<number, number>();
    walkBins(r, starts[refId], 8, scheme, 'CSI', (bin, p) => {
      loffsetAt.set(bin, p + 4);
      chunksAt.set(bin, p + 12);
    });
    return {
      chunksAt,
      // htslib's rule (hts_itr_query): the loffset of start's bin on the
      // finest level, or, where that bin is absent, of the nearest bin to its
      // left under the same parent, else of its parent, and so on up. Every
      // record overlapping `start` overlaps that bin's first window or begins
      // after it, so it lies at or after the loffset.
      lowest(start) {
        let bin = firstBin(scheme.depth) + Math.floor(Math.max(start, 0) / 2 ** scheme.minShift);
        while (bin > 0 && !loffsetAt.has(bin)) {
          const parent = Math.floor((bin - 1) / 8);
          bin = bin > parent * 8 + 1 ? bin - 1 : parent;
        }
        const p = loffsetAt.get(bin);
        return p === undefined ? 0 : r.virtualOffset(p);
      },
    };
  }, r);
}
