// Two quality measures that see what MAPD misses. MAPD compares
// neighbouring probes, so a distortion shared by nearby probes (a GC wave
// left after correction, a systematic capture bias) passes it unseen while
// it moves gene levels, ERBB2's among them. Both measures are ratios to the
// sample's own per-probe noise, so that depth does not move them; their
// limits come from the panel of normals (src/pon/qc-limits.ts).
import { chr17Arm } from '../panel/builds.js';
import { canonicalContig, isAutosome } from '../panel/contigs.js';
import type { Probe } from '../panel/panel.js';
import { type ErbB2Region, inWindow } from '../normalize/probes.js';
import { median, robustSd } from '../stats/robust.js';
import { round } from '../stats/round.js';
import { geneGroups } from './genes.js';
import { sampleMapd } from './qc.js';
import { type WindowSegments, windowSegments } from './segments.js';

/** MAPD = 0.6745 * sqrt(2) * SD for independent probes with normal noise: one probe's noise SD from the MAPD. */
export function noiseSdFromMapd(mapd: number | null): number | undefined {
  return mapd === null ? undefined : mapd / (0.6745 * Math.SQRT2);
}

/** Fewest usable ERBB2 probes the probe spread is measured on (as the QC's erbb2_probes_used floor). */
export const MIN_SPREAD_ERBB2_PROBES = 5;

/**
 * How far ERBB2's own probes scatter around their level, as a multiple of
 * the sample's per-probe noise: the robust SD (1.4826 x MAD) of each usable
 * ERBB2 probe's log2 minus the level (median) of the window segment it lies
 * in, over `noiseSd`. Measured around the segments, not one level, so a
 * partial amplicon (two levels within the gene, reported elsewhere) is not
 * scatter. About 1 when ERBB2's probes are as noisy as the sample's probes
 * elsewhere (below 1 where neighbouring probes share fragments); null when
 * fewer than MIN_SPREAD_ERBB2_PROBES are usable or the noise is unknown.
 */
export function erbb2ProbeSpread(probes: Probe[], lfc: (number | null)[], window: WindowSegments, noiseSd: number | undefined): number | null {
  if (noiseSd === undefined) return null;
  const residuals: number[] = [];
  for (const members of window.members) {
    const level = median(members.map(i => lfc[i]!));
    for (const i of members) if (probes[i].gene === 'ERBB2') residuals.push(lfc[i]! - level);
  }
  if (residuals.length < MIN_SPREAD_ERBB2_PROBES) return null;
  return ratio(robustSd(residuals), noiseSd);
}

/**
 * The finest noise a spread is judged against: 0.0001 log2, the resolution
 * results are written to (a MAPD rounds to 0 below it; only a sample made
 * without noise, in a test, has one).
 */
const NOISE_FLOOR = 1e-4;

/** A spread over the noise, the noise floored at NOISE_FLOOR. */
function ratio(spread: number, noiseSd: number): number {
  return spread / Math.max(noiseSd, NOISE_FLOOR);
}

/** Fewest usable probes for a gene to be scored, and for its reference. */
export const MIN_GENE_PROBES = 3;
export const MIN_REFERENCE_PROBES = 4;
/** Fewest scored genes for a gene-level spread: below, a robust SD of the z-scores says little. */
export const MIN_SPREAD_GENES = 5;
/**
 * How far along its chromosome a gene's reference reaches (either side of
 * the gene's midpoint): near enough to stay on the gene's arm for most genes
 * (arms are 15-150 Mb), so an arm-level gain or loss moves a gene and its
 * reference together; on chromosome 17, whose centromere her2cn places, the
 * reference never crosses it.
 */
export const GENE_REFERENCE_REACH = 20_000_000;

export interface GeneSpread {
  /** Robust SD of the genes' z-scores; null when fewer than MIN_SPREAD_GENES were scored or the noise is unknown. */
  value: number | null;
  /** Each scored gene's z-score. */
  genes: { gene: string; z: number }[];
}

/**
 * How far the other genes' levels stray from what their sampling error
 * allows. Genes scored: at least MIN_GENE_PROBES usable probes, on an
 * autosome, outside the amplicon window around ERBB2. Each gene's mean probe
 * log2 is set against the median of its reference, the other usable probes
 * (autosomal, outside the window, of other genes) within
 * GENE_REFERENCE_REACH on its chromosome and arm, which copy-number biology
 * moves with it (arm gains and losses, polysomy, genome doubling, an
 * aneuploid background); its z-score is that difference over its sampling
 * SE, noiseSd * sqrt(1/n + (pi/2)/m) for n probes of the gene and a median of
 * m reference probes. Independent probe noise gives z-scores of SD 1; a
 * distortion that moves genes by more than their probes' noise allows (genes
 * shifted by their GC) widens them. The summary is robust (1.4826 x MAD of
 * the z-scores), not their RMS: a gene's focal gain or loss is biology, and
 * one such gene among a dozen would carry an RMS past any useful limit
 * (a z of 10 alone gives an RMS near 3), while the MAD moves only when many
 * genes stray, as they do when a distortion follows their GC. Genes, not
 * probes, are scored because a distortion shared by a gene's probes is what
 * moves a gene level and what MAPD, comparing neighbouring probes, misses.
 */
export function geneLevelSpread(probes: Probe[], lfc: (number | null)[], region: ErbB2Region, noiseSd: number | undefined, build: string): GeneSpread {
  if (noiseSd === undefined) return { value: null, genes: [] };
  const usable = (i: number) => lfc[i] !== null && isAutosome(probes[i].chrom) && !inWindow(probes[i], region);
  const mid = (p: Probe) => (p.start + p.end) / 2;
  // Which side of the centromere: only chromosome 17's is placed.
  const arm = (p: Probe, at = mid(p)) => chr17Arm(p.chrom, at, build);
  const byChrom = new Map<string, number[]>();
  probes.forEach((p, i) => {
    if (!usable(i)) return;
    const c = canonicalContig(p.chrom);
    const list = byChrom.get(c) ?? [];
    list.push(i);
    byChrom.set(c, list);
  });
  // Each gene's departure from its reference over sqrt(1/n + (pi/2)/m): its z-score is this over the noise.
  const scored: { gene: string; departure: number }[] = [];
  for (const [gene, idx] of geneGroups(probes)) {
    const own = idx.filter(usable);
    if (own.length < MIN_GENE_PROBES) continue;
    const first = probes[own[0]];
    const centre = median(own.map(i => mid(probes[i])));
    const reference = (byChrom.get(canonicalContig(first.chrom)) ?? []).filter(
      i => probes[i].gene !== gene && Math.abs(mid(probes[i]) - centre) <= GENE_REFERENCE_REACH && arm(probes[i]) === arm(first, centre),
    );
    if (reference.length < MIN_REFERENCE_PROBES) continue;
    const level = own.reduce((a, i) => a + lfc[i]!, 0) / own.length;
    const se = Math.sqrt(1 / own.length + Math.PI / 2 / reference.length);
    scored.push({ gene, departure: (level - median(reference.map(i => lfc[i]!))) / se });
  }
  const genes = scored.map(g => ({ gene: g.gene, z: ratio(g.departure, noiseSd) }));
  return { value: scored.length < MIN_SPREAD_GENES ? null : ratio(robustSd(scored.map(g => g.departure)), noiseSd), genes };
}

/** A sample's MAPD, the 17q12 window's segments (judged against its probe noise) and its two spreads. */
export interface SampleSpreads {
  mapd: number | null;
  /** One probe's noise SD from the MAPD (undefined without one). */
  noiseSd: number | undefined;
  window: WindowSegments;
  erbb2ProbeSpread: number | null;
  geneLevelSpread: number | null;
}

/**
 * The sample's probe noise from its MAPD (as the QC reports it, rounded),
 * the window's segments judged against it, and the two spreads: measured
 * alike on a tumour by the call and on each normal by the PoN's limits.
 */
export function sampleSpreads(probes: Probe[], lfc: (number | null)[], region: ErbB2Region, build: string): SampleSpreads {
  const mapd = sampleMapd(probes, lfc, region);
  const noiseSd = noiseSdFromMapd(mapd === null ? null : round(mapd));
  const window = windowSegments(probes, lfc, region, noiseSd);
  return {
    mapd,
    noiseSd,
    window,
    erbb2ProbeSpread: erbb2ProbeSpread(probes, lfc, window, noiseSd),
    geneLevelSpread: geneLevelSpread(probes, lfc, region, noiseSd, build).value,
  };
}
