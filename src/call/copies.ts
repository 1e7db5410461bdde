// From bulk log2 levels to copies per tumour cell. The two sources of doubt
// are of different kinds and are carried differently. A level's error is
// random: its 95% interval is read as a distribution (a two-piece normal
// around the estimate, so a skewed bootstrap interval keeps its shape), and
// ERBB2's and the CEP17-like reference's are integrated together, so the
// answer does not rest on both at their far ends at once (the corner of a box
// of two intervals, far rarer than 2.5%). The purity's error is a bias of
// unknown size: a pathologist's estimate off by a factor up to the tolerance,
// the same for every probe, so every purity in the range is held possible and
// the worst one counts.
import { errorFunction, probit } from 'simple-statistics';
import type { Estimate } from '../stats/robust.js';
import { PURITY_TOLERANCE } from './limits.js';

export { PURITY_TOLERANCE };

/** Smallest CEP17-like copies used as a ratio's denominator (a deep loss makes ratios meaningless beyond it). */
export const MIN_CEP17_COPIES = 0.25;
/** Steps across the purity range, equal in log purity, both ends included. */
const PURITY_STEPS = 16;
/** Probability slices when integrating over one level's distribution. */
const LEVEL_STEPS = 128;
/** Slices of each level when finding the ratio's percentiles. */
const RATIO_STEPS = 64;
const Z975 = 1.959963984540054;

/** Tumour-cell copies from a bulk log2 ratio and purity p, against a two-copy baseline (the tumour's own average genome; normal cells diploid): CN = (2R - 2(1 - p)) / p. */
export function tumourCopyNumber(log2: number, purity: number): number {
  const r = 2 ** log2;
  return Math.max(0, (2 * r - 2 * (1 - purity)) / purity);
}

/** The bulk log2 a tumour with `copies` per tumour cell shows at purity p (the inverse of tumourCopyNumber). */
export function bulkLog2(copies: number, purity: number): number {
  return Math.log2((purity * copies + 2 * (1 - purity)) / 2);
}

/** The purities a given estimate stands for: [p / (1 + t), p / (1 - t)], at most 1. */
export function purityRange(purity: number, tolerance = PURITY_TOLERANCE): [number, number] {
  return [purity / (1 + tolerance), Math.min(1, purity / (1 - tolerance))];
}

/** Purities spread evenly on the log scale across a range, both ends included. */
export function purityGrid(purities: readonly [number, number]): number[] {
  const [a, b] = purities.map(Math.log);
  if (!(b > a)) return [purities[0]];
  return Array.from({ length: PURITY_STEPS + 1 }, (_, k) => (k === 0 ? purities[0] : k === PURITY_STEPS ? purities[1] : Math.exp(a + ((b - a) * k) / PURITY_STEPS)));
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

/**
 * The copies' 95% interval over every purity of the range: the level's
 * 2.5th percentile at the highest purity to its 97.5th at the lowest (copies
 * fall with the purity for a gain and rise for a loss, so both ends are
 * checked).
 */
export function copiesInterval(estimate: Estimate, purities: readonly [number, number]): [number, number] {
  const corners = [estimate.ci95[0], estimate.ci95[1]].flatMap(l => purities.map(p => tumourCopyNumber(l, p)));
  return [Math.min(...corners), Math.max(...corners)];
}

/**
 * The ratio's 95% interval over every purity of the range: at each purity,
 * the 2.5th and 97.5th percentiles of the ratio over both levels'
 * distributions (independent: equal-probability slices of each, every
 * combination weighted alike); then the lowest and highest of those.
 */
export function ratioInterval(erbb2: Estimate, cep17: Estimate, purities: readonly [number, number]): [number, number] {
  const e = levelDistribution(erbb2);
  const c = levelDistribution(cep17);
  const slices = Array.from({ length: RATIO_STEPS }, (_, k) => (k + 0.5) / RATIO_STEPS);
  const eLevels = slices.map(u => e.quantile(u));
  const cLevels = slices.map(u => c.quantile(u));
  const ratios = new Float64Array(RATIO_STEPS * RATIO_STEPS);
  const at = (u: number) => ratios[Math.min(ratios.length - 1, Math.max(0, Math.round(u * ratios.length - 0.5)))];
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of purityGrid(purities)) {
    const denominators = cLevels.map(l => Math.max(MIN_CEP17_COPIES, tumourCopyNumber(l, p)));
    let n = 0;
    for (const l of eLevels) {
      const numerator = tumourCopyNumber(l, p);
      for (const d of denominators) ratios[n++] = numerator / d;
    }
    ratios.sort();
    lo = Math.min(lo, at(0.025));
    hi = Math.max(hi, at(0.975));
  }
  return [lo, hi];
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
 * at every purity of the range: [its lowest, its highest]. Without a
 * CEP17-like reference the ratio is unknown, and the bounds also span what it
 * could be: the lowest as if the ratio were never >= 2, the highest as if it
 * always were.
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
  let low = 1;
  let high = 0;
  for (const p of grid) {
    const uFrom = e.cdf(bulkLog2(rule.ratioCopies, p));
    const uTo = e.cdf(bulkLog2(rule.positiveCopies, p));
    const aboveHigh = 1 - uTo;
    if (!c) {
      low = Math.min(low, aboveHigh);
      high = Math.max(high, aboveHigh + (uTo - uFrom));
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
    low = Math.min(low, aboveHigh + band);
    high = Math.max(high, aboveHigh + band);
  }
  return [low, high];
}
