// Sample-level normalization, the same for normals and tumours: log2 of
// depth, centred on the sample's diploid-like bulk, with the sample's own GC
// trend removed.
import type { Probe } from '../panel/panel.js';
import { bulkCentre, median, robustQuadratic } from '../stats/robust.js';
import { round } from '../stats/round.js';
import { erbb2Region, inWindow, isCentringProbe, isX, isY } from './probes.js';
import { canonicalContig } from '../panel/contigs.js';
import { chr17Arm } from '../panel/builds.js';
import type { SexCall } from '../result/schema.js';
export type { SexCall };

/** log2 of mean depth; NaN where the probe has no coverage. */
export function log2Depths(depths: number[]): number[] {
  return depths.map(d => (d > 0 ? Math.log2(d) : NaN));
}

/** Indexes of probes usable for centring: centring probes with a finite value and `usable`. */
export function centringSet(probes: Probe[], values: number[], usable: (i: number) => boolean = () => true): number[] {
  const out: number[] = [];
  probes.forEach((p, i) => {
    if (isCentringProbe(p) && Number.isFinite(values[i]) && usable(i)) out.push(i);
  });
  return out;
}

export type CentreMethod = 'median' | 'bulk';

/** Subtracts the centre (median, or the bulk centre: see stats/robust.ts) of the values at `set`; returns the centre. */
export function recentre(values: number[], set: number[], method: CentreMethod): number {
  const v = set.map(i => values[i]);
  const centre = v.length === 0 ? 0 : method === 'bulk' ? bulkCentre(v) : median(v);
  for (let i = 0; i < values.length; i++) values[i] -= centre;
  return centre;
}

/**
 * Removes the trend of `values` against probe GC, fitted as a robust
 * quadratic on the probes in `set` (bisquare weights: an amplicon or a loss
 * among them is down-weighted, not cut at a fixed distance, so a steep trend
 * keeps its high-GC tail; LOWESS would hold the curve flat beyond the data,
 * where a panel's most GC-rich genes, ERBB2 among them, often lie). Probes
 * to which `ownLevel` gives the same positive number share a level of their
 * own (a chromosome or arm gained or lost as a whole must not pass for GC
 * bias; 0: the curve's own level). `prior` weighs each probe (an inverse
 * variance; see robustQuadratic): unweighted on the call path. Returns the
 * fitted curve, relative to its value at the median GC of the probes on its
 * own level.
 */
export function correctGcQuadratic(
  values: number[],
  gc: number[],
  set: number[],
  ownLevel?: (i: number) => number,
  prior?: (i: number) => number,
): { curve: (g: number) => number; probesUsed: number } | undefined {
  const fitSet = set.filter(i => Number.isFinite(gc[i]) && Number.isFinite(values[i]));
  if (fitSet.length < 20) return undefined;
  const { curve } = robustQuadratic(
    fitSet.map(i => gc[i]),
    fitSet.map(i => values[i]),
    ownLevel ? fitSet.map(ownLevel) : undefined,
    10,
    prior ? fitSet.map(prior) : undefined,
  );
  for (let i = 0; i < values.length; i++) if (Number.isFinite(gc[i])) values[i] -= curve(gc[i]);
  // Relative to the probes on the curve's own level (those that centre the sample), where there are any.
  const own = ownLevel ? fitSet.filter(i => ownLevel(i) === 0) : fitSet;
  const atMedian = curve(median((own.length ? own : fitSet).map(i => gc[i])));
  return { curve: g => curve(g) - atMedian, probesUsed: fitSet.length };
}

/**
 * The probes a sample's GC trend is fitted on: every usable probe but
 * ERBB2's, that is the centring probes and chromosome 17's others, which
 * reach the GC-rich end where ERBB2 lies (its neighbours in the amplicon
 * window most of all). Normals and tumours are fitted alike, so the panel
 * of normals' ERBB2 level is not left with the extrapolation a fit on the
 * GC-poorer backbone alone would make.
 */
export function gcFitSet(probes: Probe[], usable: (i: number) => boolean): number[] {
  return probes.flatMap((p, i) => (usable(i) && p.gene !== 'ERBB2' && (isCentringProbe(p) || canonicalContig(p.chrom) === '17') ? [i] : []));
}

/**
 * The levels of their own that groups of probes get in the GC fit (0: the
 * curve's own level): each gene of the amplicon window around ERBB2, so an
 * amplicon over them (a 17q12 amplicon, or a gain ending inside the window)
 * lifts their levels and not the curve, while the spread of GC within each
 * gene still shapes it; and elsewhere each arm of chromosome 17, so a
 * polysomy 17 or a 17p loss is not taken for GC bias (17p's genes are
 * GC-poorer than 17q's). Without a known build chromosome 17 outside the
 * window is one level. (ERBB2 has a level too, though it is never fitted.)
 */
export function gcLevels(probes: Probe[], build?: string): (i: number) => number {
  const region = erbb2Region(probes);
  const windowGenes = [...new Set(probes.filter(p => inWindow(p, region)).map(p => p.gene))].sort();
  return i => {
    const p = probes[i];
    if (canonicalContig(p.chrom) !== '17') return 0;
    if (inWindow(p, region)) return 3 + windowGenes.indexOf(p.gene);
    return chr17Arm(p.chrom, (p.start + p.end) / 2, build) === 'p' ? 1 : 2;
  };
}

export type Sex = SexCall['sex'];

/** Lowest log2 assigned to an uncovered probe when judging chrY. */
const NO_COVERAGE = -10;

/**
 * Sex from chrX and chrY probes: one X copy sits near -1 and two near 0;
 * chrY probes are covered in males and (nearly) empty in females.
 */
export function inferSex(probes: Probe[], values: number[], include: (i: number) => boolean = () => true): SexCall {
  const x = probes.flatMap((p, i) => (isX(p) && include(i) ? [Number.isFinite(values[i]) ? values[i] : NO_COVERAGE] : []));
  const y = probes.flatMap((p, i) => (isY(p) && include(i) ? [Number.isFinite(values[i]) ? values[i] : NO_COVERAGE] : []));
  const xLog2 = x.length ? median(x) : null;
  const yLog2 = y.length ? median(y) : null;
  let sex: Sex = 'unknown';
  if (xLog2 !== null) {
    const oneX = xLog2 < -0.5;
    if (yLog2 === null) sex = oneX ? 'male' : 'female';
    else if (oneX && yLog2 > -3) sex = 'male';
    else if (!oneX && yLog2 <= -3) sex = 'female';
  }
  return { sex, xLog2: xLog2 === null ? null : round(xLog2), yLog2: yLog2 === null ? null : round(yLog2) };
}

/**
 * The sex call as a result reports it: a chrY level at the no-coverage floor
 * is no measurement (most chrY probes had no reads: no Y), so it is null
 * rather than the floor's stand-in value.
 */
export function measuredY(sex: SexCall): SexCall {
  return sex.yLog2 !== null && sex.yLog2 <= NO_COVERAGE ? { ...sex, yLog2: null } : sex;
}

/**
 * log2 of the copies a normal cell of this sex has, relative to two: 0 on
 * autosomes, -1 on a male's X and Y; NaN where the sex has no copy (female Y).
 */
export function sexOffset(p: Probe, sex: Sex): number {
  if (isY(p)) return sex === 'male' ? -1 : NaN;
  if (isX(p)) return sex === 'male' ? -1 : 0;
  return 0;
}

