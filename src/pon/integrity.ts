// The panel of normals' guards against its own inputs: a normal without
// usable coverage, the same library given twice (identical or near-identical
// profiles) and a normal whose copy number is not normal (a tumour, a
// contaminated normal, a constitutional gain or loss). Each threshold is set
// against what independent normals of the same run show, so it follows the
// assay's own noise; the reasoning is beside each constant and in
// docs/method.md (section 2).
import type { Probe } from '../panel/panel.js';
import { isAutosome } from '../panel/contigs.js';
import { isCentringProbe } from '../normalize/probes.js';
import { centringSet, recentre } from '../normalize/sample.js';
import { median, robustSd } from '../stats/robust.js';
import { normalNoise } from './judge.js';
import { type NormalLevels, probeMedians } from './levels.js';

/**
 * Why a normal's depths cannot be normalized, or undefined. Its centre is
 * the median depth of its centring probes, so it needs reads on at least
 * half of them; a normal without is of another assay, failed, or empty.
 */
export function coverageProblem(depths: number[], probes: Probe[]): string | undefined {
  const centring = probes.flatMap((p, i) => (isCentringProbe(p) ? [i] : []));
  const covered = centring.filter(i => depths[i] > 0).length;
  if (!depths.some(d => d > 0)) return `no usable coverage: no reads on any of the panel's ${probes.length} probes`;
  if (median(centring.map(i => depths[i])) === 0) {
    return `no usable coverage: reads on only ${covered} of the ${centring.length} probes it is normalized on (autosomes other than chromosome 17)`;
  }
  return undefined;
}

/** Groups (of two or more indexes) of normals whose depths are identical at every probe. */
export function identicalDepths(depths: number[][]): number[][] {
  const groups = new Map<string, number[]>();
  depths.forEach((d, s) => {
    const key = d.join(',');
    groups.set(key, [...(groups.get(key) ?? []), s]);
  });
  return [...groups.values()].filter(g => g.length > 1);
}

/**
 * Two libraries are near-identical when their probe log2 residuals (each
 * against the median of the other normals, on centring probes where both lie
 * within 1, so a shared copy-number change does not count) correlate far
 * above what the run's other pairs show. Independent libraries correlate
 * about 0 (slightly below: each is part of the other's reference), with a
 * sampling SD of about 1/sqrt(probes) — on the demo panel's 126 centring
 * probes the ten test normals' 45 pairs give a median of -0.08, a robust SD
 * of 0.14 and at most 0.14 (limit 0.61); the same library read twice
 * correlates near 1, and a subset of its reads about sqrt(the fraction kept):
 * 80% and 50% of N01's reads beside nine normals give 0.91 and 0.72 (limits
 * 0.71 and 0.62). The limit is the
 * pairs' median plus DUPLICATE_SDS robust SDs, and never below
 * DUPLICATE_MIN_CORRELATION, so neither a small panel's noisy correlations
 * nor a large panel's tiny ones refuse independent libraries.
 */
export const DUPLICATE_SDS = 5;
/** A correlation of 0.5 shares a quarter of the variance: far more than independent libraries of one assay share. */
export const DUPLICATE_MIN_CORRELATION = 0.5;
/** Below this many probes a correlation says little (its sampling SD is above 0.2): no pair is judged. */
export const DUPLICATE_MIN_PROBES = 25;

export interface NearIdentical {
  pairs: { a: number; b: number; correlation: number }[];
  /** The median and robust SD of all pairs' correlations, and the limit set from them. */
  typical: number;
  spread: number;
  limit: number;
}

export function nearIdenticalPairs(levels: NormalLevels[], probes: Probe[]): NearIdentical {
  const n = probes.length;
  const residuals = levels.map((l, s) => {
    const others = probeMedians(levels.filter((_, t) => t !== s).map(o => o.values), n);
    return l.values.map((v, i) => v - others[i]);
  });
  const centring = probes.flatMap((p, i) => (isCentringProbe(p) ? [i] : []));
  const all: { a: number; b: number; correlation: number }[] = [];
  for (let a = 0; a < levels.length; a++) {
    for (let b = a + 1; b < levels.length; b++) {
      const idx = centring.filter(i => Math.abs(residuals[a][i]) < 1 && Math.abs(residuals[b][i]) < 1);
      if (idx.length < DUPLICATE_MIN_PROBES) continue;
      const c = pearson(idx.map(i => residuals[a][i]), idx.map(i => residuals[b][i]));
      if (Number.isFinite(c)) all.push({ a, b, correlation: c });
    }
  }
  if (all.length === 0) return { pairs: [], typical: NaN, spread: NaN, limit: NaN };
  const correlations = all.map(p => p.correlation);
  const typical = median(correlations);
  const spread = robustSd(correlations);
  const limit = Math.max(DUPLICATE_MIN_CORRELATION, typical + DUPLICATE_SDS * spread);
  return { pairs: all.filter(p => p.correlation > limit), typical, spread, limit };
}

function pearson(x: number[], y: number[]): number {
  const mx = x.reduce((a, v) => a + v, 0) / x.length;
  const my = y.reduce((a, v) => a + v, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let k = 0; k < x.length; k++) {
    sxy += (x[k] - mx) * (y[k] - my);
    sxx += (x[k] - mx) ** 2;
    syy += (y[k] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * A normal is an outlier at a gene when its gene level (the median of its
 * probes' log2 against the normals' probe medians, centred on the centring
 * probes) lies beyond GENE_OUTLIER_SDS times the larger of
 *  - its sampling error: 1.2533 × its noise / sqrt(probes), the SE of a
 *    median of that many probes of its noise (its robust SD against the
 *    other normals' median, as judge.ts measures it), and
 *  - the gene's spread across the normals (robust SD of their gene levels),
 *    which adds whatever systematic error the assay has at the gene,
 * and beyond GENE_OUTLIER_MIN_LOG2 whatever the precision. Against the
 * median of all normals (itself included), one tumour among three normals
 * is still told from the two that agree. On the test data, the normals'
 * largest |level / sampling error| over 45 genes is 3.3; the HER2-positive
 * tumours' ERBB2 lies 10 to 41 sampling errors out (T12, 8 copies at 30%
 * purity: log2 0.68, 14 errors). Over the ten normals simulated with each
 * of 21 seeds, and 20 sets of 3 to 6 of them each, no normal was left out;
 * the nearest came to 0.92 of its limit (the noisy FFPE normal at a 4-probe
 * gene).
 */
export const GENE_OUTLIER_SDS = 5;
/**
 * The smallest gene offset called an outlier, however precise the normals:
 * a one-copy gain in a pure sample is log2 3/2 = 0.585 (a loss, −1), so 0.5
 * still catches any whole-copy change, while the offsets fragment length
 * and capture leave on an FFPE normal's crowded genes (up to 0.33 in the
 * simulated normals, ERBB2 in a short-insert normal) are not taken for one.
 */
export const GENE_OUTLIER_MIN_LOG2 = 0.5;
/** A gene level needs at least this many probes; fewer make the median a single probe's noise. */
export const GENE_OUTLIER_MIN_PROBES = 3;
/** The SE of a median of normal values is sqrt(pi/2) = 1.2533 times that of their mean. */
const MEDIAN_SE_FACTOR = Math.sqrt(Math.PI / 2);

export interface GeneOutlier {
  gene: string;
  log2: number;
  limit: number;
}

/** Per normal, its autosomal genes beyond their limits, most extreme first (empty when none). */
export function geneOutliers(levels: NormalLevels[], probes: Probe[]): GeneOutlier[][] {
  const n = probes.length;
  const centre = probeMedians(levels.map(l => l.values), n);
  const residuals = levels.map(l => {
    const r = l.values.map((v, i) => v - centre[i]);
    recentre(r, centringSet(probes, r), 'median');
    return r;
  });
  // Each normal's noise against the others (not against a median it is part of, which shrinks it).
  const noise = normalNoise(levels, probes);
  const genes = new Map<string, number[]>();
  probes.forEach((p, i) => {
    if (isAutosome(p.chrom)) genes.set(p.gene, [...(genes.get(p.gene) ?? []), i]);
  });
  const out: GeneOutlier[][] = levels.map(() => []);
  for (const [gene, idx] of genes) {
    const levelsAt = residuals.map(r => {
      const v = idx.map(i => r[i]).filter(Number.isFinite);
      return v.length >= GENE_OUTLIER_MIN_PROBES ? { log2: median(v), probes: v.length } : undefined;
    });
    const measured = levelsAt.filter(x => x !== undefined);
    if (measured.length < 3) continue;
    const spread = robustSd(measured.map(x => x.log2));
    levelsAt.forEach((x, s) => {
      if (!x) return;
      const sampling = (MEDIAN_SE_FACTOR * noise[s]) / Math.sqrt(x.probes);
      const limit = Math.max(GENE_OUTLIER_MIN_LOG2, GENE_OUTLIER_SDS * Math.max(sampling, spread));
      if (Math.abs(x.log2) > limit) out[s].push({ gene, log2: x.log2, limit });
    });
  }
  for (const o of out) o.sort((a, b) => Math.abs(b.log2) / b.limit - Math.abs(a.log2) / a.limit);
  return out;
}

/** The reason recorded for a normal left out as an outlier. */
export function outlierReason(outliers: GeneOutlier[]): string {
  const shown = outliers.slice(0, 3).map(o => `${o.gene} log2 ${o.log2 > 0 ? '+' : ''}${o.log2.toFixed(2)} (limit ±${o.limit.toFixed(2)})`);
  const more = outliers.length > 3 ? `, and ${outliers.length - 3} more genes` : '';
  return `copy-number outlier against the normals' median: ${shown.join(', ')}${more}; a tumour or a contaminated normal?`;
}
