// Robust statistics for probe log2 ratios, built on simple-statistics: a
// biweight location with a bootstrap interval, a robust quadratic for GC bias,
// and the mode of a density for centring on a sample's diploid-like bulk.
import {
  kernelDensityEstimation,
  median,
  medianAbsoluteDeviation,
  quantile,
  weightedQuantile,
} from 'simple-statistics';
import { Random } from './random.js';

/** Scale of the MAD that estimates a normal distribution's standard deviation. */
export const MAD_TO_SD = 1.4826;

/** Median absolute deviation scaled to a standard deviation. */
export function robustSd(values: number[]): number {
  return values.length < 2 ? 0 : MAD_TO_SD * medianAbsoluteDeviation(values);
}

export { median };

/** Weighted median: the value where the cumulative weight reaches half. */
export function weightedMedian(values: number[], weights: number[]): number {
  return weightedQuantile(values, weights, 0.5);
}

export interface Estimate {
  value: number;
  ci95: [number, number];
}

/** Tuning of Tukey's biweight, in noise SDs: 95% of the mean's efficiency on normal data, no weight beyond it. */
export const BIWEIGHT_TUNING = 4.685;
/** At most this many steps towards the biweight's root. */
const BIWEIGHT_ITERATIONS = 200;
/** Newton's steps are taken once the reweighting step is under this share of the reach. */
const NEWTON_NEAR = 0.05;
/** Fewer probes than this are summarized by their weighted median: their MAD is too unsteady to set the biweight's reach. */
export const BIWEIGHT_MIN_PROBES = 8;

/**
 * Tukey's biweight location of `values` with prior `weights` (the PoN's
 * inverse-variance weights): the weighted mean with each value's weight
 * scaled by (1 - u²)², u its distance from the estimate in units of
 * BIWEIGHT_TUNING noise SDs, iterated from the weighted median. Near the
 * mean's efficiency where probes scatter normally (the median has about 64%
 * of it, so its error is about 1.25 times larger), yet a probe far off (a
 * failed capture, the other level of a partial amplicon) weighs nothing.
 * The noise SD is the values' own (the MAD about the weighted median), or
 * the sample's per-probe noise (from its MAPD) where that is smaller: a gene
 * split into two levels has its MAD widened by the split, and must not
 * widen its own reach so far that its level is pulled between the two. The
 * weighted median when the noise SD is 0, or the values fewer than
 * BIWEIGHT_MIN_PROBES (a MAD of a few is too unsteady to set the reach).
 */
export function biweightLocation(values: number[], weights: number[], noiseSd?: number): number {
  return located(values, weights, noiseSd).value;
}

/**
 * The biweight location and the SD it measured distances in: the values'
 * own robust SD (the MAD about the weighted median), or the sample's noise SD
 * where that is smaller; scale 0, and the weighted median, below
 * BIWEIGHT_MIN_PROBES values or without spread.
 */
function located(values: number[], weights: number[], noiseSd?: number): { value: number; scale: number } {
  const start = weightedMedian(values, weights);
  if (values.length < BIWEIGHT_MIN_PROBES) return { value: start, scale: 0 };
  const own = MAD_TO_SD * median(values.map(v => Math.abs(v - start)));
  const scale = noiseSd !== undefined && noiseSd < own ? noiseSd : own;
  return { value: scale > 0 ? biweightFrom(values, weights, values.length, start, scale) : start, scale };
}

/**
 * The biweight's root nearest `start` at a fixed scale over the first m
 * entries of `values` with weights `weights` (a resample's copies folded
 * into the weights): the estimate with sum w·ψ(u) = 0, ψ(u) = u(1 - u²)².
 * The plain reweighting step (the weighted mean of the current weights:
 * slow, never past the nearest root) until close, then Newton's (three or
 * four more). A step whose every weight vanishes keeps the estimate it
 * stepped from.
 */
function biweightFrom(values: ArrayLike<number>, weights: ArrayLike<number>, m: number, start: number, scale: number): number {
  const reach = BIWEIGHT_TUNING * scale;
  const perReach = 1 / reach;
  let estimate = start;
  for (let iter = 0; iter < BIWEIGHT_ITERATIONS; iter++) {
    let weightSum = 0; // sum of w (1 - u²)²: the reweighting step's denominator
    let psiSum = 0; // sum of w ψ(u)
    let slopeSum = 0; // sum of w ψ'(u) = w (1 - u²)(1 - 5u²)
    for (let i = 0; i < m; i++) {
      const u = (values[i] - estimate) * perReach;
      if (u <= -1 || u >= 1) continue;
      const w = weights[i];
      const a = 1 - u * u;
      const wa = w * a;
      weightSum += wa * a;
      psiSum += wa * a * u;
      slopeSum += wa * (1 - 5 * u * u);
    }
    if (!(weightSum > 0)) break;
    // Newton's step only near the root (the reweighting step under NEWTON_NEAR of the reach), where it
    // is at most four times that step in the same direction: far from it, a longer step could carry
    // the estimate past the nearest root to another run of a split gene.
    const reweighting = (reach * psiSum) / weightSum;
    const newton = Math.abs(reweighting) < NEWTON_NEAR * reach && slopeSum >= 0.25 * weightSum;
    const step = newton ? (reach * psiSum) / slopeSum : reweighting;
    estimate += step;
    if (Math.abs(step) < 1e-7 * reach) break;
  }
  return estimate;
}

/**
 * Tukey's biweight location (biweightLocation) with a 95% percentile-bootstrap
 * interval: probes resampled with replacement `rounds` times, from a fixed
 * seed so the same data give the same interval. Each resample, kept as the
 * values drawn with their copies folded into their weights, is iterated
 * from the whole sample's estimate at the whole sample's scale (the usual
 * bootstrap of an M-estimate: the scale's own resampling noise is of second
 * order). Without a scale, the weighted median's interval (weightedMedianWithCi).
 */
export function biweightLocationWithCi(values: number[], weights: number[], seed: string, rounds = 2000, noiseSd?: number): Estimate {
  const { value, scale } = located(values, weights, noiseSd);
  if (!(scale > 0)) return weightedMedianWithCi(values, weights, seed, rounds);
  const n = values.length;
  const rng = new Random(`bootstrap ${seed}`);
  const counts = new Uint32Array(n);
  const drawn = new Float64Array(n);
  const drawnWeights = new Float64Array(n);
  const estimates = new Float64Array(rounds);
  let kept = 0;
  for (let b = 0; b < rounds; b++) {
    if (resample(rng, weights, counts) === 0) continue;
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (counts[i] === 0) continue;
      drawn[m] = values[i];
      drawnWeights[m++] = counts[i] * weights[i];
    }
    estimates[kept++] = biweightFrom(drawn, drawnWeights, m, value, scale);
  }
  if (kept === 0) return { value, ci95: [value, value] };
  const sorted = estimates.subarray(0, kept).sort();
  // The value at position `p * (kept - 1)` of the kept rounds' estimates in ascending order.
  const at = (p: number) => sorted[Math.min(kept - 1, Math.max(0, Math.round(p * (kept - 1))))];
  return { value, ci95: [at(0.025), at(0.975)] };
}

/**
 * Weighted median of `values` with a 95% percentile-bootstrap interval:
 * probes resampled with replacement `rounds` times, from a fixed seed so the
 * same data give the same interval. Each resample is kept as counts over the
 * values sorted once, and its weighted median read off them: the numbers of
 * resampling the values themselves (simple-statistics' sampleWithReplacement
 * and weightedQuantile, the same random draws), without a sort per round.
 * A round's median is always one of the values, so the rounds are tallied by
 * the value's rank and the percentiles read off the tally: the numbers of
 * sorting the rounds' medians, without the sort.
 */
export function weightedMedianWithCi(values: number[], weights: number[], seed: string, rounds = 2000): Estimate {
  const value = weightedMedian(values, weights);
  const n = values.length;
  if (n < 2) return { value, ci95: [value, value] };
  const rng = new Random(`bootstrap ${seed}`);
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
  const rank = new Uint32Array(n);
  order.forEach((i, r) => (rank[i] = r));
  const sortedWeights = Float64Array.from(order, i => weights[i]);
  const counts = new Uint32Array(n);
  const tally = new Uint32Array(n);
  let kept = 0;
  for (let b = 0; b < rounds; b++) {
    const total = resample(rng, weights, counts, rank);
    if (total === 0) continue;
    tally[countedMedianRank(sortedWeights, counts, total / 2)]++;
    kept++;
  }
  if (kept === 0) return { value, ci95: [value, value] };
  // The value at position `p * (kept - 1)` of the rounds' medians in ascending order.
  const at = (p: number) => {
    const position = Math.min(kept - 1, Math.max(0, Math.round(p * (kept - 1))));
    let seen = 0;
    for (let r = 0; r < n; r++) {
      seen += tally[r];
      if (seen > position) return values[order[r]];
    }
    return values[order[n - 1]];
  };
  return { value, ci95: [at(0.025), at(0.975)] };
}

/**
 * One bootstrap resample of n probes, drawn with replacement: how often each
 * was drawn, in `counts` (at its `rank`, when given); returns the drawn
 * weights' total, summed in draw order.
 */
function resample(rng: Random, weights: number[], counts: Uint32Array, rank?: Uint32Array): number {
  const n = weights.length;
  counts.fill(0);
  let total = 0;
  for (let k = 0; k < n; k++) {
    const i = Math.floor(rng.next() * n);
    counts[rank ? rank[i] : i]++;
    total += weights[i];
  }
  return total;
}

/** The rank of the first value, in sorted order, at which the cumulative weight of the counted copies reaches `half`. */
function countedMedianRank(sortedWeights: Float64Array, counts: Uint32Array, half: number): number {
  let cumulative = 0;
  let last = counts.length - 1;
  for (let r = 0; r < counts.length; r++) {
    // Copies are added one at a time, as a resample's weights would be summed.
    for (let c = counts[r]; c > 0; c--) {
      cumulative += sortedWeights[r];
      if (cumulative >= half) return r;
    }
    if (counts[r] > 0) last = r;
  }
  return last;
}


/**
 * The highest peak of a Gaussian kernel density of `values`: the level most
 * probes share. Unlike the median it stays on the diploid-like bulk when many
 * arms are gained or lost.
 */
export function densityMode(values: number[]): number {
  if (values.length < 3) return median(values);
  const sd = robustSd(values) || 0.1;
  // Silverman's rule on the robust spread.
  const bandwidth = Math.max(0.02, 0.9 * sd * Math.pow(values.length, -0.2));
  const density = kernelDensityEstimation(values, 'gaussian', bandwidth);
  // The peak is searched between the 1st and 99th percentiles on at most 512 points.
  const lo = quantile(values, 0.01);
  const hi = quantile(values, 0.99);
  const step = Math.max(bandwidth / 10, (hi - lo) / 512);
  let best = median(values);
  let bestDensity = -1;
  for (let x = lo; x <= hi; x += step) {
    const d = density(x);
    if (d > bestDensity) {
      best = x;
      bestDensity = d;
    }
  }
  return best;
}

/**
 * The centre of the bulk of `values`: their median, unless the density mode
 * (the level most probes share) lies more than one robust SD (at least 0.2)
 * from it, as when arm-level gains and losses leave the median between
 * levels; then the median of the values within that distance of the mode,
 * repeated until it settles. The median is kept otherwise because it is the
 * more stable of the two on noisy probes.
 */
export function bulkCentre(values: number[]): number {
  if (values.length === 0) return 0;
  const halfWidth = Math.max(0.2, robustSd(values));
  const m = median(values);
  let centre = densityMode(values);
  if (Math.abs(centre - m) <= halfWidth) return m;
  for (let k = 0; k < 20; k++) {
    const near = values.filter(v => Math.abs(v - centre) <= halfWidth);
    if (near.length === 0) break;
    const next = median(near);
    if (Math.abs(next - centre) < 1e-9) break;
    centre = next;
  }
  return centre;
}

/**
 * A robust quadratic fit of y on x (iteratively reweighted least squares
 * with Tukey's bisquare, tuning 4.685 robust SDs), with a free offset for
 * each group of points labelled in `group` by the same positive number (its
 * level does not bend the curve; its spread in x still shapes it; 0: no
 * group). Returns the curve without the offsets. Unlike a smoother, which
 * holds its curve flat beyond the data, it carries the trend's curvature to
 * the edge of the data and a little past it. `prior`: each point's weight
 * before the bisquare's (an inverse variance; residuals are then judged
 * standardized); the call path fits unweighted, bench/level-noise.mjs weighs
 * (through correctGcQuadratic) to bound what weighting could gain.
 */
export function robustQuadratic(x: number[], y: number[], group?: number[], iterations = 10, prior?: ArrayLike<number>): { curve: (at: number) => number } {
  const n = x.length;
  const x0 = median(x);
  // A group gets its offset only when points outside it remain to hold the curve's own level.
  const labels = group && group.some(g => g === 0) ? [...new Set(group.filter(g => g !== 0))].sort((a, b) => a - b) : [];
  // Each point's row: the curve's three columns (d = x - x0, d²), and at most one
  // group column (its index, or -1), so the normal equations are built in O(n)
  // whatever the groups. Flat typed arrays: the PoN's fragment-length fit runs
  // this tens of thousands of times.
  const d1 = new Float64Array(n);
  const d2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = x[i] - x0;
    d1[i] = d;
    d2[i] = d * d;
  }
  const columnOf = new Map(labels.map((l, k) => [l, 3 + k]));
  const column = new Int32Array(n).fill(-1);
  if (group) for (let i = 0; i < n; i++) column[i] = columnOf.get(group[i]) ?? -1;
  const k = 3 + labels.length;
  const w = new Float64Array(n).fill(1);
  if (prior) w.set(prior);
  const residuals = new Array<number>(n);
  const a = new Float64Array(k * k);
  const b = new Float64Array(k);
  // The row's first column is the constant 1.
  const row = Float64Array.of(1, 0, 0);
  let beta: Float64Array | number[] = [median(y), ...new Array<number>(k - 1).fill(0)];
  for (let iter = 0; iter < iterations; iter++) {
    a.fill(0);
    b.fill(0);
    for (let i = 0; i < n; i++) {
      row[1] = d1[i];
      row[2] = d2[i];
      const wi = w[i];
      const g = column[i];
      const yi = y[i];
      for (let p = 0; p < 3; p++) {
        const rp = row[p];
        b[p] += wi * rp * yi;
        const ap = p * k;
        for (let q = 0; q < 3; q++) a[ap + q] += wi * rp * row[q];
        if (g >= 0) {
          a[ap + g] += wi * rp;
          a[g * k + p] += wi * rp;
        }
      }
      if (g >= 0) {
        a[g * k + g] += wi;
        b[g] += wi * yi;
      }
    }
    // A group whose every point the weights set aside keeps offset 0 instead of
    // making the system singular (which would stop at the fit it was rejected from).
    for (let p = 3; p < k; p++) a[p * k + p] += 1e-9;
    const solved = solveLinear(a, b, k);
    if (!solved) break;
    beta = solved;
    const [c0, c1, c2] = beta;
    for (let i = 0; i < n; i++) residuals[i] = y[i] - (c0 + d1[i] * c1 + d2[i] * c2 + (column[i] >= 0 ? beta[column[i]] : 0));
    // With prior weights (inverse variances), residuals are judged standardized.
    if (prior) for (let i = 0; i < n; i++) residuals[i] *= Math.sqrt(prior[i]);
    const scale = MAD_TO_SD * medianAbsoluteDeviation(residuals);
    if (!(scale > 0)) break;
    for (let i = 0; i < n; i++) {
      const u = residuals[i] / (4.685 * scale);
      const bisquare = Math.abs(u) < 1 ? (1 - u * u) ** 2 : 0;
      w[i] = prior ? prior[i] * bisquare : bisquare;
    }
  }
  const [c0, c1, c2] = beta;
  return { curve: at => c0 + c1 * (at - x0) + c2 * (at - x0) ** 2 };
}

/**
 * Solves a small linear system (`a` k × k by rows, `b`) by Gaussian
 * elimination with partial pivoting; undefined when it is singular. Leaves
 * `a` and `b` as they were.
 */
function solveLinear(a: Float64Array, b: Float64Array, n: number): Float64Array | undefined {
  const width = n + 1;
  const m = new Float64Array(n * width);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) m[i * width + j] = a[i * n + j];
    m[i * width + n] = b[i];
  }
  const rowOf = new Int32Array(n);
  for (let i = 0; i < n; i++) rowOf[i] = i * width;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[rowOf[r] + col]) > Math.abs(m[rowOf[pivot] + col])) pivot = r;
    if (!(Math.abs(m[rowOf[pivot] + col]) > 1e-12)) return undefined;
    const swap = rowOf[col];
    rowOf[col] = rowOf[pivot];
    rowOf[pivot] = swap;
    const top = rowOf[col];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const at = rowOf[r];
      const f = m[at + col] / m[top + col];
      for (let c = col; c <= n; c++) m[at + c] -= f * m[top + c];
    }
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = m[rowOf[i] + n] / m[rowOf[i] + i];
  return out;
}
