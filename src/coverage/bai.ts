// Range queries of a BAI index (SAMv1 §5.2) read straight from its bytes.
// @gmod/bam builds an object for every chunk and virtual offset of a
// chromosome on its first query: a clinical BAM's index (3.3 MB, GRCh38, a
// 1,674-probe panel) cost about 0.5 s of main-thread CPU and garbage
// collection, competing with the counting threads for the cores. Here each
// chromosome's bins are located once (bin -> byte offset) and a query reads
// only the chunks of the bins that overlap it. CSI indexes stay with @gmod/bam.
import { mergeRanges, type VirtualRange } from './records.js';

const BAI_MAGIC = 0x01494142; // "BAI\1", little-endian
/** The pseudo-bin holding a reference's read counts, not chunks. */
const PSEUDO_BIN = 37450;
const LINEAR_SHIFT = 14;
/** The binning scheme addresses positions below 2^29. */
const MAX_POSITION = 2 ** 29;

export interface BaiIndex {
  readonly refCount: number;
  /**
   * The virtual-offset ranges of the chunks that may hold records overlapping
   * [start, end) of reference `refId`: chunks of every bin overlapping the
   * region that end after the linear index's first record for `start`,
   * sorted and merged where they overlap or touch.
   */
  ranges(refId: number, start: number, end: number): VirtualRange[];
}

interface RefIndex {
  /** bin -> byte offset of its chunk count (0: no such bin) */
  bins: Int32Array;
  /** byte offset of the linear index's first entry, and its number of entries */
  linearAt: number;
  linearCount: number;
}

/** Bins overlapping [beg, end) at each level, as [first, last] pairs (SAMv1 §5.3, reg2bins). */
function regionBins(beg: number, end: number): [number, number][] {
  const b = Math.min(Math.max(beg, 0), MAX_POSITION);
  const e = Math.min(end, MAX_POSITION) - 1;
  return [
    [0, 0],
    [1 + (b >> 26), 1 + (e >> 26)],
    [9 + (b >> 23), 9 + (e >> 23)],
    [73 + (b >> 20), 73 + (e >> 20)],
    [585 + (b >> 17), 585 + (e >> 17)],
    [4681 + (b >> 14), 4681 + (e >> 14)],
  ];
}

/** Parses the index's layout (not its chunks); throws an Error saying what is wrong with the bytes. */
export function parseBai(bytes: Uint8Array): BaiIndex {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (at: number, n: number) => {
    if (at + n > bytes.length) throw new Error(`ends early (${bytes.length} bytes; needed ${at + n})`);
  };
  const count = (at: number, what: string) => {
    const n = view.getInt32(at, true);
    if (n < 0) throw new Error(`a negative number of ${what} (${n}) at byte ${at}`);
    return n;
  };
  need(0, 8);
  if (view.getUint32(0, true) !== BAI_MAGIC) throw new Error('not a BAI index (no BAI\\1 magic)');
  const refCount = count(4, 'references');
  // First pass: where each reference's part begins.
  const starts: number[] = [];
  let at = 8;
  for (let r = 0; r < refCount; r++) {
    starts.push(at);
    need(at, 4);
    const binCount = count(at, 'bins');
    at += 4;
    for (let i = 0; i < binCount; i++) {
      need(at, 8);
      at += 8 + 16 * count(at + 4, 'chunks');
    }
    need(at, 4);
    at += 4 + 8 * count(at, 'linear index entries');
  }
  need(at, 0);
  const refs = new Map<number, RefIndex>();
  const refIndex = (refId: number): RefIndex => {
    let ref = refs.get(refId);
    if (!ref) {
      // Indexed by bin number: a chromosome of a panel BAM has thousands of bins.
      const bins = new Int32Array(PSEUDO_BIN);
      let p = starts[refId];
      const binCount = view.getInt32(p, true);
      p += 4;
      for (let i = 0; i < binCount; i++) {
        const bin = view.getUint32(p, true);
        const chunks = view.getInt32(p + 4, true);
        if (bin < PSEUDO_BIN) bins[bin] = p + 4;
        else if (bin > PSEUDO_BIN) throw new Error(`bin ${bin} is beyond the BAI binning scheme (too long a chromosome for BAI: use CSI)`);
        p += 8 + 16 * chunks;
      }
      ref = { bins, linearAt: p + 4, linearCount: view.getInt32(p, true) };
      refs.set(refId, ref);
    }
    return ref;
  };
  // A virtual offset as one number, block position * 65536 + offset in the
  // block: exact while the block position is below 2^37 (128 GiB).
  const virtualOffset = (p: number) => view.getUint32(p + 4, true) * 2 ** 32 + view.getUint32(p, true);

  return {
    refCount,
    ranges(refId, start, end) {
      if (refId < 0 || refId >= refCount || end <= start) return [];
      const ref = refIndex(refId);
      const window = Math.min(Math.max(start, 0) >> LINEAR_SHIFT, ref.linearCount - 1);
      const lowest = window < 0 ? 0 : virtualOffset(ref.linearAt + 8 * window);
      const chunks: VirtualRange[] = [];
      for (const [first, last] of regionBins(start, end)) {
        for (let bin = first; bin <= last; bin++) {
          const p = ref.bins[bin];
          if (p === 0) continue;
          const count = view.getInt32(p, true);
          for (let c = 0, q = p + 4; c < count; c++, q += 16) {
            const chunkEnd = virtualOffset(q + 8);
            if (chunkEnd > lowest) chunks.push({ start: virtualOffset(q), end: chunkEnd });
          }
        }
      }
      return mergeRanges(chunks.sort((a, b) => a.start - b.start));
    },
  };
}
