// Crowded probes and fragment length. A bait captures the fragments that
// overlap it; their bases also land on baits close beside it, so where probes
// crowd (the exons of a tiled gene) depth follows the library's fragment
// length: long fresh-tissue fragments carry more of a neighbour's reads
// across a gap than short FFPE fragments do. Isolated probes are not
// affected. This is CNVkit's edge-gain model (Talevich et al. 2016) computed
// exactly for each pair of baits, with a minimum bait overlap for capture:
// her2cn measures each library's inserts (median and spread), computes each
// probe's *spill* (`baitSpill`: the bases its neighbours' fragments put on
// it, per base of its own; `librarySpill`: averaged over the inserts), and
// the panel of normals fits the spill's scale and the minimum overlap from
// how the normals' depths follow their inserts (pon/levels.ts); a tumour is
// corrected for the difference between its spill and the normals' reference
// library's.

/** Extra reach beyond the insert within which neighbours are looked for (bases). */
const NEIGHBOUR_WINDOW = 10_000;

/**
 * Integral over y in [lo, hi] of the number of fragment starts x in [a, b]
 * whose fragment [x, x + insert) covers y: the bases that fragments starting
 * uniformly (one per base) in [a, b] put on [lo, hi]. The count of starts
 * covering y is the convolution of two boxes, of widths b - a and insert: a
 * trapezoid rising from a with slope 1 to the smaller width s, flat to the
 * larger t, falling to 0 at a + s + t. Its integral from a, `trapezoidArea`,
 * is piecewise quadratic and computed in closed form (this runs for every
 * pair of neighbouring probes at every insert of a library's spread).
 */
export function coveredBases(a: number, b: number, insert: number, lo: number, hi: number): number {
  if (b < a || hi <= lo) return 0;
  const s = Math.min(b - a, insert);
  const t = Math.max(b - a, insert);
  return trapezoidArea(hi - a, s, t) - trapezoidArea(lo - a, s, t);
}

/** ∫₀ᵘ of the trapezoid rising to s over [0, s], flat to t, falling to 0 at s + t (s ≤ t). */
function trapezoidArea(u: number, s: number, t: number): number {
  if (u <= 0) return 0;
  if (u <= s) return (u * u) / 2;
  if (u <= t) return (s * s) / 2 + s * (u - s);
  if (u <= s + t) return (s * s) / 2 + s * (t - s) + (s + t) * (u - t) - (u * u - t * t) / 2;
  return s * t;
}

/**
 * For each probe (sorted by chromosome and start), at insert size `insert`:
 * the bases that fragments captured by the other probes put on it, per base
 * of its own coverage. A bait captures fragments overlapping it by at least
 * `minOverlap` bases, their starts spread evenly at one per `insert` bases of
 * the bait's own depth; a probe's own bases are its length. 0 for an
 * isolated probe; about 2 × insert / (2 × length) for a probe tiled between
 * two others.
 */
export function baitSpill(probes: { chrom: string; start: number; end: number }[], insert: number, minOverlap: number): number[] {
  if (!(insert > 0)) return probes.map(() => 0);
  return probes.map((p, i) => {
    const length = p.end - p.start;
    if (length <= 0) return 0;
    let bases = 0;
    const add = (q: { start: number; end: number }) => {
      bases += coveredBases(q.start - insert + minOverlap, q.end - minOverlap, insert, p.start, p.end);
    };
    for (let j = i - 1; j >= 0 && probes[j].chrom === p.chrom && probes[j].end > p.start - insert - NEIGHBOUR_WINDOW; j--) add(probes[j]);
    for (let j = i + 1; j < probes.length && probes[j].chrom === p.chrom && probes[j].start < p.end + insert; j++) add(probes[j]);
    return bases / (insert * length);
  });
}

/** A library's inserts: their median and spread (a robust SD; 0: taken as all of the median's length). */
export interface InsertSize {
  median: number;
  spread: number;
}

/** Points (in SDs) and weights of the normal distribution over which a library's spill is averaged. */
const SPREAD_NODES = [-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2].map(z => ({ z, w: Math.exp((-z * z) / 2) }));
/** No fragment in the average is shorter than this (bases). */
const SHORTEST_FRAGMENT = 50;

/**
 * The spill of a library whose inserts spread around their median: the
 * average of `baitSpill` over their distribution (taken as normal), since a
 * probe far from its neighbour gets the long fragments' reads even when the
 * median fragment falls short of it.
 */
export function librarySpill(probes: { chrom: string; start: number; end: number }[], insert: InsertSize, minOverlap: number): number[] {
  if (!(insert.median > 0)) return probes.map(() => 0);
  if (!(insert.spread > 0)) return baitSpill(probes, insert.median, minOverlap);
  const sum = probes.map(() => 0);
  let total = 0;
  for (const { z, w } of SPREAD_NODES) {
    const spill = baitSpill(probes, Math.max(SHORTEST_FRAGMENT, Math.round(insert.median + z * insert.spread)), minOverlap);
    for (let i = 0; i < sum.length; i++) sum[i] += w * spill[i];
    total += w;
  }
  return sum.map(s => s / total);
}

/** How a library's fragment length changes crowded probes' depth: the spill's scale and the minimum bait overlap, both fitted on the normals. */
export interface SpillModel {
  /** Scale of the spill (1: as the geometry predicts; 0: no correction). */
  coefficient: number;
  /** Minimum overlap (bases) between a fragment and the bait that captures it. */
  minOverlap: number;
}

/** log2 depth of each probe of a library with these inserts relative to an isolated probe's, as the model predicts. */
export function spillLog2(probes: { chrom: string; start: number; end: number }[], insert: InsertSize, model: SpillModel): number[] {
  return librarySpill(probes, insert, model.minOverlap).map(s => Math.log2(1 + model.coefficient * s));
}

/** The log2 to subtract from each probe of a library with these inserts, relative to a library with the `reference` inserts. */
export function insertCorrection(probes: { chrom: string; start: number; end: number }[], insert: InsertSize, reference: InsertSize, model: SpillModel): number[] {
  if (model.coefficient === 0 || (insert.median === reference.median && insert.spread === reference.spread)) return probes.map(() => 0);
  return spillCorrection(librarySpill(probes, insert, model.minOverlap), librarySpill(probes, reference, model.minOverlap), model.coefficient);
}

/** `insertCorrection` from the two libraries' spills (`librarySpill`, one minimum overlap) and the spill's scale. */
export function spillCorrection(spill: number[], referenceSpill: number[], coefficient: number): number[] {
  return spill.map((v, i) => Math.log2(1 + coefficient * v) - Math.log2(1 + coefficient * referenceSpill[i]));
}

/** Minimum overlaps tried in the fit (bases). */
export const MIN_OVERLAPS = [0, 10, 20, 30, 40, 50, 60, 70, 80];
/** Largest spill scale fitted: beyond twice the geometry's prediction, the normals cannot be measuring it. */
export const SPILL_SCALE_MAX = 2;

/** The minimum of a unimodal function on [lo, hi] by golden-section search (to 1e-6), the ends included. */
export function goldenMinimum(f: (x: number) => number, lo: number, hi: number): number {
  const r = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  let c = b - r * (b - a);
  let d = a + r * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > 1e-6) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - r * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + r * (b - a);
      fd = f(d);
    }
  }
  // The ends too (a minimum at a bound): each candidate evaluated once, the middle kept on ties.
  const candidates = [(a + b) / 2, lo, hi].map(x => ({ x, y: f(x) }));
  return candidates.reduce((m, c) => (c.y < m.y ? c : m)).x;
}
