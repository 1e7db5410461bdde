// From bulk log2 levels to copies per tumour cell, with both sources of
// doubt carried as distributions rather than as the corners of a box: the
// level's 95% interval (a two-piece normal around the estimate, so a skewed
// bootstrap interval keeps its shape) and the purity, taken as anywhere in
// its tolerance range with equal weight on the log scale. The corners of a
// box (purity at its lowest *and* the level at its 97.5th percentile *and*
// the CEP17-like level at its 2.5th) are far rarer than 2.5% together, so a
// box calls many tumours at a boundary indeterminate that the data decide.
import { errorFunction, probit } from 'simple-statistics';
import type { Estimate } from '../stats/robust.js';

/** Smallest CEP17-like copies used as a ratio's denominator (a deep loss makes ratios meaningless beyond it). */
export const MIN_CEP17_COPIES = 0.25;
/** Purities evaluated across the tolerance range (midpoints of equal steps in log purity). */
const PURITY_STEPS = 32;
/** Probability slices when integrating over one level's distribution. */
const LEVEL_STEPS = 128;
/** Slices of each level when finding the ratio's percentiles. */
const RATIO_STEPS = 64;
const Z975 = 1.959963984540054;

/** Tumour-cell copies from a bulk log2 ratio and purity p, diploid background: CN = (2R - 2(1 - p)) / p. */
export function tumourCopyNumber(log2: number, purity: number): number {
  const r = 2 ** log2;
  return Math.max(0, (2 * r - 2 * (1 - purity)) / purity);
}

/** The bulk log2 a tumour with `copies` per tumour cell shows at purity p (the inverse of tumourCopyNumber). */
export function bulkLog2(copies: number, purity: number): number {
  return Math.log2((purity * copies + 2 * (1 - purity)) / 2);
}

/** A pathologist's purity estimate is taken as good to this fraction: truth within [p / 1.25, p / 0.75]. */
export const PURITY_TOLERANCE = 0.25;

/** The purities a given estimate stands for: [p / (1 + t), p / (1 - t)], at most 1. */
export function purityRange(purity: number, tolerance = PURITY_TOLERANCE): [number, number] {
  return [purity / (1 + tolerance), Math.min(1, purity / (1 - tolerance))];
}

/** Purities spread evenly on the log scale across a range, each standing for an equal share of it. */
export function purityGrid(purities: readonly [number, number]): number[] {
  const [a, b] = purities.map(Math.log);
  if (!(b > a)) return [purities[0]];
  return Array.from({ length: PURITY_STEPS }, (_, k) => Math.exp(a + ((b - a) * (k + 0.5)) / PURITY_STEPS));
}

/**
 * A level's distribution: normal below the estimate with the spread its
 * lower 95% bound implies, normal above with the upper bound's, so that the
 * 2.5th, 50th and 97.5th percentiles are the interval and the estimate.
 */
export interface LevelDistribution {
  cdf(x: number): number;
  quantile(u: number): number;
}

const stdNormalCdf = (z: number) => 0.5 * (1 + errorFunction(z / Math.SQRT2));

export function levelDistribution(estimate: Estimate): LevelDistribution {
  const v = estimate.value;
  const below = Math.max(0, v - estimate.ci95[0]) / Z975;
  const above = Math.max(0, estimate.ci95[1] - v) / Z975;
  return {
    cdf(x) {
      const sd = x < v ? below : above;
      if (sd === 0) return x < v ? 0 : 1;
      return stdNormalCdf((x - v) / sd);
    },
    quantile(u) {
      if (u <= 0) return -Infinity;
      if (u >= 1) return Infinity;
      const z = probit(u);
      return v + z * (z < 0 ? below : above);
    },
  };
}

/** P(copies per tumour cell <= c) at one purity. */
function copiesCdf(level: LevelDistribution, c: number, purity: number): number {
  return c < 0 ? 0 : level.cdf(bulkLog2(c, purity));
}

/** The copies' 2.5th and 97.5th percentiles over the level's distribution and the purity range. */
export function copiesInterval(estimate: Estimate, purities: readonly [number, number]): [number, number] {
  const level = levelDistribution(estimate);
  const grid = purityGrid(purities);
  const cdf = (c: number) => grid.reduce((s, p) => s + copiesCdf(level, c, p), 0) / grid.length;
  return [quantileOf(cdf, 0.025, 0, false), quantileOf(cdf, 0.975, 0, false)];
}

/**
 * The ratio's 2.5th and 97.5th percentiles over both levels' distributions
 * (independent) and the purity range: the ratio at equal-probability slices
 * of each level at each purity, every combination weighted alike.
 */
export function ratioInterval(erbb2: Estimate, cep17: Estimate, purities: readonly [number, number]): [number, number] {
  const e = levelDistribution(erbb2);
  const c = levelDistribution(cep17);
  const slices = Array.from({ length: RATIO_STEPS }, (_, k) => (k + 0.5) / RATIO_STEPS);
  const eLevels = slices.map(u => e.quantile(u));
  const cLevels = slices.map(u => c.quantile(u));
  const ratios = new Float64Array(purityGrid(purities).length * RATIO_STEPS * RATIO_STEPS);
  let n = 0;
  for (const p of purityGrid(purities)) {
    const denominators = cLevels.map(l => Math.max(MIN_CEP17_COPIES, tumourCopyNumber(l, p)));
    for (const l of eLevels) {
      const numerator = tumourCopyNumber(l, p);
      for (const d of denominators) ratios[n++] = numerator / d;
    }
  }
  ratios.sort();
  const at = (u: number) => ratios[Math.min(n - 1, Math.max(0, Math.round(u * n - 0.5)))];
  return [at(0.025), at(0.975)];
}

/** The x where a monotone cdf reaches u, by bisection (on the log scale for ratios). */
function quantileOf(cdf: (x: number) => number, u: number, min: number, logScale: boolean): number {
  let lo = logScale ? 1e-3 : min;
  let hi = 1000;
  if (cdf(lo) >= u) return lo;
  if (cdf(hi) < u) return hi;
  // To 1e-6 of the range's log, or 1e-6 copies: finer than the 4 decimals reported.
  for (let i = 0; i < (logScale ? 24 : 30); i++) {
    const mid = logScale ? Math.sqrt(lo * hi) : (lo + hi) / 2;
    if (cdf(mid) >= u) hi = mid;
    else lo = mid;
  }
  return logScale ? Math.sqrt(lo * hi) : (lo + hi) / 2;
}

export interface AmplificationRule {
  /** Copies that are positive whatever the ratio (ASCO/CAP group 3). */
  positiveCopies: number;
  /** Copies that are positive with a ratio of at least `ratio` (group 1). */
  ratioCopies: number;
  ratio: number;
}

/**
 * Probability that the tumour cells lie in the positive region
 * {copies >= positiveCopies} or {copies >= ratioCopies and ratio >= ratio},
 * averaged over the purity range. Without a CEP17-like reference the ratio is
 * unknown, and the two bounds of what it could be are returned: [as if the
 * ratio were never >= 2, as if it always were].
 */
export function amplificationProbability(
  erbb2: Estimate,
  cep17: Estimate | undefined,
  purities: readonly [number, number],
  rule: AmplificationRule,
): [number, number] {
  const e = levelDistribution(erbb2);
  const c = cep17 ? levelDistribution(cep17) : undefined;
  const grid = purityGrid(purities);
  let low = 0;
  let high = 0;
  for (const p of grid) {
    const aboveHigh = 1 - copiesCdf(e, rule.positiveCopies, p);
    const uFrom = e.cdf(bulkLog2(rule.ratioCopies, p));
    const uTo = e.cdf(bulkLog2(rule.positiveCopies, p));
    if (!c) {
      low += aboveHigh;
      high += aboveHigh + (uTo - uFrom);
      continue;
    }
    // ERBB2 between the two copy limits, its slice weighted by P(CEP17-like copies <= ERBB2 copies / ratio).
    let band = 0;
    const width = uTo - uFrom;
    if (width > 0) {
      const steps = Math.max(8, Math.ceil(LEVEL_STEPS * width));
      for (let k = 0; k < steps; k++) {
        const u = uFrom + (width * (k + 0.5)) / steps;
        const copies = tumourCopyNumber(e.quantile(u), p);
        band += (width / steps) * copiesCdf(c, copies / rule.ratio, p);
      }
    }
    low += aboveHigh + band;
    high += aboveHigh + band;
  }
  return [low / grid.length, high / grid.length];
}
