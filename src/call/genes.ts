// Gene-level levels: each gene's biweight location of its own probes (never
// smoothed with neighbours) with a 95% interval, and the rest of
// chromosome 17 outside the amplicon window.
import { canonicalContig } from '../panel/contigs.js';
import type { Probe } from '../panel/panel.js';
import { type ErbB2Region, inWindow } from '../normalize/probes.js';
import type { GeneResult } from '../result/schema.js';
import { type Estimate, median, biweightLocationWithCi } from '../stats/robust.js';
import { round, roundInterval } from '../stats/round.js';

/** Where in a gene summary the probes of one gene go, sorted by panel order. */
export function geneGroups(probes: Probe[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  probes.forEach((p, i) => {
    if (p.gene === '-') return;
    const list = groups.get(p.gene) ?? [];
    list.push(i);
    groups.set(p.gene, list);
  });
  return groups;
}

/** What every level of one sample is measured from. */
export interface LevelInputs {
  /** Each probe's log2 (null: not usable). */
  lfc: (number | null)[];
  /** The PoN's probe weights. */
  weights: number[];
  /** The assay's gene-level SD, measured on the normals. */
  assaySd: number;
  /** The uncertainty of the sample's own corrections (default none). */
  correction?: Uncertainty;
  /** The sample's per-probe noise SD from its MAPD, when known (stats/robust.ts: the biweight's reach). */
  noiseSd?: number;
}

/**
 * Biweight location of the probes at `indexes` (stats/robust.ts) with a 95% interval that adds, in
 * quadrature to the probe bootstrap's half-widths, 1.96 times the assay's
 * gene-level SD measured on the normals and the uncertainty of the sample's
 * own corrections at these probes (what resampling probes cannot see).
 */
export function levelEstimate(indexes: number[], seed: string, inputs: LevelInputs): Estimate | undefined {
  const { lfc, weights, assaySd, correction = NO_UNCERTAINTY, noiseSd } = inputs;
  const use = indexes.filter(i => lfc[i] !== null && weights[i] > 0);
  if (use.length === 0) return undefined;
  const e = biweightLocationWithCi(
    use.map(i => lfc[i]!),
    use.map(i => weights[i]),
    seed,
    undefined,
    noiseSd,
  );
  const extra = (1.96 * assaySd) ** 2 + correction(use) ** 2;
  return {
    value: e.value,
    ci95: [e.value - Math.sqrt((e.value - e.ci95[0]) ** 2 + extra), e.value + Math.sqrt((e.ci95[1] - e.value) ** 2 + extra)],
  };
}

/** An extra half-width, in log2, for the probes at the given indexes. */
export type Uncertainty = (indexes: number[]) => number;
export const NO_UNCERTAINTY: Uncertainty = () => 0;

/**
 * Shares of the corrections made at a set of probes taken as their
 * uncertainty (half-widths added in quadrature to the probes' interval):
 * what resampling probes cannot see, since every probe of a gene shares its
 * GC and its crowding. First measured on the assessment benchmark
 * (bench/assessment-cohort.sh) as the error left after each correction;
 * with today's corrections, on four benchmark seeds (320 tumours), they give
 * ERBB2 intervals holding the truth for 95-100% of each seed's tumours,
 * where a fragment share of 0.15 gives 91-93% on two of them.
 */
export const GC_MODEL_SHARE = 0.15;
export const FRAGMENT_MODEL_SHARE = 0.35;

export function correctionUncertainty(gc: (number | undefined)[], correctionAt: (gc: number) => number, fragmentShift: number[]): Uncertainty {
  return indexes => {
    if (indexes.length === 0) return 0;
    const values = indexes.flatMap(i => (gc[i] === undefined ? [] : [gc[i]!]));
    const gcPart = values.length ? GC_MODEL_SHARE * Math.abs(correctionAt(median(values))) : 0;
    const fragmentPart = FRAGMENT_MODEL_SHARE * Math.abs(median(indexes.map(i => fragmentShift[i])));
    return Math.hypot(gcPart, fragmentPart);
  };
}

export const roundedCi = (e: Estimate | undefined): [number, number] | null => (e ? roundInterval(e.ci95) : null);

export interface GeneLevels {
  genes: GeneResult[];
  /** Unrounded estimates by gene, for decisions. */
  estimates: Map<string, Estimate | undefined>;
  groups: Map<string, number[]>;
}

export function geneLevels(probes: Probe[], threshold: number, inputs: LevelInputs): GeneLevels {
  const { lfc } = inputs;
  const groups = geneGroups(probes);
  const estimates = new Map<string, Estimate | undefined>();
  const genes = [...groups.entries()].map(([gene, idx]): GeneResult => {
    const e = levelEstimate(idx, gene, inputs);
    estimates.set(gene, e);
    return {
      gene,
      chrom: probes[idx[0]].chrom,
      start: Math.min(...idx.map(i => probes[i].start)),
      end: Math.max(...idx.map(i => probes[i].end)),
      log2: e ? round(e.value) : null,
      ci95: roundedCi(e),
      probes: idx.length,
      probes_used: idx.filter(i => lfc[i] !== null).length,
      at_or_above_threshold: idx.filter(i => lfc[i] !== null && lfc[i]! >= threshold).length,
    };
  });
  return { genes, estimates, groups };
}

/** Chromosome-17 probes outside the amplicon window around ERBB2. */
export function chr17RestProbes(probes: Probe[], region: ErbB2Region): number[] {
  return probes.flatMap((p, i) => (canonicalContig(p.chrom) === canonicalContig(region.chrom) && !inWindow(p, region) ? [i] : []));
}
