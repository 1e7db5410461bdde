// Circular binary segmentation (Olshen et al. 2004, as in DNAcopy) of probe
// log2 values in genomic order: recursively find the arc of probes whose
// mean differs most from the rest, keep it when its t-statistic clears a
// Bonferroni-corrected bar, and split there. The noise is estimated once,
// robustly, from neighbouring differences, so an amplicon does not inflate it.
import { median } from 'simple-statistics';
import { MAD_TO_SD } from './robust.js';

export interface SegmentOptions {
  /** Fewest probes in a segment. */
  minProbes: number;
  /** Family-wise false split rate per search, Bonferroni-corrected over the arcs tried. */
  alpha: number;
  /** Smallest difference of means, in log2, worth a split. */
  minStep: number;
}

export const DEFAULT_SEGMENT_OPTIONS: SegmentOptions = { minProbes: 3, alpha: 0.001, minStep: 0.2 };

/** Half-open index ranges [start, end) of the segments, in order, covering all values. */
export type SegmentRange = [number, number];

/** Robust SD of single values from neighbouring differences (MAD / sqrt 2). */
export function neighbourSd(values: number[]): number {
  if (values.length < 3) return 0;
  const diffs = values.slice(1).map((v, i) => v - values[i]);
  const centre = median(diffs);
  return (MAD_TO_SD * median(diffs.map(d => Math.abs(d - centre)))) / Math.SQRT2;
}

/** Upper-tail normal quantile (Acklam's rational approximation; ample for a split bar). */
export function normalQuantileUpper(p: number): number {
  const q = Math.min(Math.max(p, 1e-300), 0.5);
  const t = Math.sqrt(-2 * Math.log(q));
  // Abramowitz & Stegun 26.2.23.
  return t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
}

/**
 * `sd` is the noise of one probe's value; by default it is estimated from
 * neighbouring differences, which understates it where neighbouring probes
 * share fragments (a tiled gene): give it from independent probes when known.
 */
export function segment(values: number[], options: Partial<SegmentOptions> = {}, sd = neighbourSd(values)): SegmentRange[] {
  const o = { ...DEFAULT_SEGMENT_OPTIONS, ...options };
  values = smoothOutliers(values, sd);
  const out: SegmentRange[] = [];
  const split = (start: number, end: number) => {
    const best = bestArc(values, start, end, o.minProbes);
    const n = end - start;
    const arcs = Math.max(1, (n * (n - 1)) / 2);
    const bar = normalQuantileUpper(o.alpha / 2 / arcs);
    if (!best || sd === 0 || Math.abs(best.step) < o.minStep || best.t / sd < bar) {
      out.push([start, end]);
      return;
    }
    const cuts = [start, best.i, best.j, end].filter((c, k, a) => k === 0 || c !== a[k - 1]);
    for (let k = 0; k + 1 < cuts.length; k++) split(cuts[k], cuts[k + 1]);
  };
  if (values.length > 0) split(0, values.length);
  return out;
}

/**
 * Single-probe outliers pulled in before searching for splits, as DNAcopy's
 * smooth.CNA does: a value farther than 4 SD from every neighbour within two
 * probes is moved to 2 SD from the median of its window, so one aberrant
 * probe cannot make a segment of its own or drag an arc's mean.
 */
export function smoothOutliers(values: number[], sd: number, region = 2): number[] {
  if (!(sd > 0)) return values;
  return values.map((v, i) => {
    const window = values.slice(Math.max(0, i - region), Math.min(values.length, i + region + 1));
    const others = window.filter((_, k) => k !== i - Math.max(0, i - region));
    if (others.length === 0 || others.some(w => Math.abs(v - w) <= 4 * sd)) return v;
    const m = median(window);
    return v > m ? m + 2 * sd : m - 2 * sd;
  });
}

/**
 * The arc [i, j) inside [start, end) (the rest being [start, i) and [j, end),
 * either possibly empty) whose mean differs most from the rest's, measured as
 * |difference| / sqrt(1/k + 1/(n-k)) in units of log2 (divide by the SD for t).
 * Every piece it would leave has at least `minProbes` probes.
 */
function bestArc(values: number[], start: number, end: number, minProbes: number): { i: number; j: number; t: number; step: number } | undefined {
  const n = end - start;
  if (n < 2 * minProbes) return undefined;
  const cum = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) cum[k + 1] = cum[k] + values[start + k];
  const total = cum[n];
  let best: { i: number; j: number; t: number; step: number } | undefined;
  for (let a = 0; a < n; a++) {
    for (let b = a + minProbes; b <= n; b++) {
      const k = b - a;
      if (n - k < minProbes) continue;
      // The pieces left outside must each be empty or large enough.
      if ((a > 0 && a < minProbes) || (b < n && n - b < minProbes)) continue;
      const inside = (cum[b] - cum[a]) / k;
      const outside = (total - (cum[b] - cum[a])) / (n - k);
      const step = inside - outside;
      const t = Math.abs(step) / Math.sqrt(1 / k + 1 / (n - k));
      if (!best || t > best.t) best = { i: start + a, j: start + b, t, step };
    }
  }
  return best;
}
