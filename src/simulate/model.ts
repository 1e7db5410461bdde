// The simulator's truth model: what each simulated sample is (sex, purity,
// copy-number changes in its tumour cells, library properties) and what that
// implies: every probe's bulk copy number, the ERBB2 log2 ratio a perfect
// caller would measure, and the FISH result the tumour would give.
import { readFileSync } from 'node:fs';
import { median } from 'simple-statistics';
import { ascoCapGroup, type FishGroup, fishPositive } from '../clinical/asco-cap.js';
import { canonicalContig, isAutosome } from '../panel/contigs.js';
import type { Probe } from '../panel/panel.js';
import type { IhcScore } from '../clinical/ihc.js';

export type Sex = 'female' | 'male';
// One IHC vocabulary for the whole project: a simulated tumour's score is
// written to truth.tsv and read back by validate, so it must be a score
// validate accepts, in the form it writes.
export type { IhcScore } from '../clinical/ihc.js';

/** A segment whose copy number in tumour cells is `copies`. */
export interface CopyNumberSegment {
  chrom: string;
  start: number;
  end: number;
  copies: number;
}

/**
 * What an amplicon covers, for the truth table: ERBB2 alone, the 17q12 block,
 * or part of ERBB2: `partial` its 3' exons 13-27 to GRB7, `partial-5prime`
 * from upstream genes to exon 12, `partial-internal` exons 8-16 only. A
 * partial amplicon still raises FISH's HER2 count to its copies (the probe
 * spans the whole gene) while the gene's other capture probes stay flat.
 */
export type AmpliconExtent = 'erbb2' | '17q12' | 'partial' | 'partial-5prime' | 'partial-internal';

/** A focal amplification on chromosome 17 carried by a fraction of tumour cells. */
export interface Amplicon {
  extent: AmpliconExtent;
  start: number;
  end: number;
  /** ERBB2 copies in an amplified tumour cell. */
  copies: number;
  /** Fraction of tumour cells carrying it (heterogeneity); 1 = homogeneous. */
  fraction: number;
}

export interface LibraryModel {
  /** Mean depth of a typical probe at two copies. */
  depth: number;
  /** GC bias: depth factor exp(slope * (gc - 0.45) + curve * (gc - 0.45)^2). */
  gcSlope: number;
  gcCurve: number;
  /** Coefficient of variation of extra per-probe noise (FFPE damage, uneven capture). */
  noiseCv: number;
  /** Fraction of read pairs that are PCR/optical duplicates. */
  duplicateRate: number;
  /** Fraction of read pairs that land off target. */
  offTargetFraction: number;
  insertMean: number;
  insertSd: number;
}

export interface SampleSpec {
  name: string;
  role: 'normal' | 'tumour';
  sex: Sex;
  library: LibraryModel;
  /** FFPE-like sample: shorter inserts, more noise. */
  ffpe: boolean;
  /** Tumour fraction of the cells sequenced; 0 for a normal. */
  purity: number;
  /**
   * Whole chromosome 17 copies in tumour cells (polysomy 3-6, monosomy 1), 2
   * if not changed (4 for a tumour with genome doubling: the value is the copy
   * number, not a change from the baseline).
   */
  chr17Copies: number;
  /** Arm- or segment-level changes in tumour cells (aneuploidy), as copy numbers; a later segment wins where two overlap. */
  segments: CopyNumberSegment[];
  amplicon?: Amplicon;
  /**
   * Whole-genome doubling: tumour cells carry twice a normal cell's copies
   * everywhere (4 on autosomes; chrX and chrY doubled too), and
   * `chr17Copies`, `segments` and `amplicon` state copy numbers on top of
   * that baseline.
   */
  wgd?: boolean;
  ihc?: IhcScore;
  /** One line saying what the sample is, for the truth table. */
  description: string;
}

export const ERBB2_GRCH38 = { chrom: 'chr17', start: 39687913, end: 39730426 };
/** CEP17 targets the chromosome-17 centromere (GRCh38 acen 22.7-27.4 Mb); an arm-level change of 17p or 17q leaves it alone. */
export const CHR17_CENTROMERE = 25_000_000;

/** ERBB2's exons (NM_004448.4, GRCh38, 0-based half-open), from panels/sources/erbb2-exons-grch38.tsv. */
let exons: { number: number; start: number; end: number }[] | undefined;
export function erbb2Exons(): { number: number; start: number; end: number }[] {
  if (!exons) {
    // From src/simulate/ (tests) and dist/simulate/ alike, panels/ is two folders up.
    const text = readFileSync(new URL('../../panels/sources/erbb2-exons-grch38.tsv', import.meta.url), 'utf8');
    exons = text
      .split('\n')
      .slice(1)
      .filter(l => l.trim() !== '')
      .map(l => l.split('\t'))
      .map(f => ({ number: Number(f[3]), start: Number(f[1]), end: Number(f[2]) }))
      .sort((a, b) => a.number - b.number);
  }
  return exons;
}

/** A breakpoint in the middle of the intron after ERBB2 exon `exon` (1-26). */
export function erbb2IntronBreak(exon: number): number {
  const all = erbb2Exons();
  const before = all.find(e => e.number === exon);
  const after = all.find(e => e.number === exon + 1);
  if (!before || !after) throw new Error(`ERBB2 has no intron after exon ${exon}`);
  return Math.floor((before.end + after.start) / 2);
}

/** Copy number of a position in the sample's normal cells. */
export function normalCopies(sex: Sex, chrom: string): number {
  const c = canonicalContig(chrom);
  if (c === 'X') return sex === 'female' ? 2 : 1;
  if (c === 'Y') return sex === 'female' ? 0 : 1;
  return 2;
}

/** Copy number of a position in the sample's tumour cells before any stated change: a normal cell's, doubled by genome doubling. */
export function tumourBaseline(spec: SampleSpec, chrom: string): number {
  return normalCopies(spec.sex, chrom) * (spec.wgd ? 2 : 1);
}

/** Copy number of [start, end) in the sample's tumour cells, averaged over tumour cells. */
export function tumourCopies(spec: SampleSpec, chrom: string, start: number, end: number, withAmplicon = true): number {
  let cn = tumourBaseline(spec, chrom);
  if (canonicalContig(chrom) === '17') cn = spec.chr17Copies;
  for (const s of spec.segments) {
    if (canonicalContig(s.chrom) === canonicalContig(chrom) && s.start < end && start < s.end) cn = s.copies;
  }
  const a = spec.amplicon;
  if (withAmplicon && a && canonicalContig(chrom) === '17' && a.start < end && start < a.end) {
    cn = a.fraction * a.copies + (1 - a.fraction) * cn;
  }
  return cn;
}

/** Copy number of a probe in the DNA sequenced: tumour and normal cells mixed by purity. */
export function bulkCopies(spec: SampleSpec, probe: Probe): number {
  const normal = normalCopies(spec.sex, probe.chrom);
  if (spec.role === 'normal') return normal;
  return spec.purity * tumourCopies(spec, probe.chrom, probe.start, probe.end) + (1 - spec.purity) * normal;
}

/**
 * The copy number a caller centres on: the most common bulk copy number among
 * autosomal probes off chromosome 17 (the sample's diploid-like bulk; chromosome
 * 17 is what is being measured, and on a small panel it holds many probes).
 */
export function referenceCopies(spec: SampleSpec, probes: Probe[]): number {
  const counts = new Map<number, number>();
  for (const p of probes) {
    if (!isAutosome(p.chrom) || canonicalContig(p.chrom) === '17') continue;
    const cn = Number(bulkCopies(spec, p).toFixed(6));
    counts.set(cn, (counts.get(cn) ?? 0) + 1);
  }
  let best = 2;
  let bestCount = -1;
  for (const [cn, n] of [...counts].sort((a, b) => a[0] - b[0])) {
    if (n > bestCount) {
      best = cn;
      bestCount = n;
    }
  }
  return best;
}

export interface FishResult {
  her2PerCell: number;
  cep17PerCell: number;
  ratio: number;
  group: FishGroup;
  positive: boolean;
}

/** What dual-probe FISH would count in tumour nuclei (purity does not enter: FISH scores tumour cells). */
export function fishOf(spec: SampleSpec): FishResult {
  const her2 = tumourCopies(spec, 'chr17', ERBB2_GRCH38.start, ERBB2_GRCH38.end);
  const cep17 = tumourCopies(spec, 'chr17', CHR17_CENTROMERE, CHR17_CENTROMERE + 1, false);
  const her2PerCell = Number(her2.toFixed(2));
  const cep17PerCell = Number(cep17.toFixed(2));
  const ratio = Number((her2 / cep17).toFixed(2));
  const group = ascoCapGroup(her2PerCell, ratio);
  return { her2PerCell, cep17PerCell, ratio, group, positive: fishPositive(group) };
}

export interface SampleTruth {
  /** Per-probe expected log2 ratio against the sample's reference copy number. */
  probeLog2: number[];
  /** Median expected log2 over ERBB2 probes (what a robust gene-level summary should find). */
  erbb2Log2: number;
  /** ERBB2 probes inside the amplicon. */
  erbb2ProbesAmplified: number;
  erbb2Probes: number;
  /** Mean ERBB2 copy number of tumour cells. */
  tumourErbb2Copies: number;
  /** Median expected log2 of chromosome-17 probes outside 37-41 Mb. */
  chr17Log2: number;
  fish?: FishResult;
}

export function truthOf(spec: SampleSpec, probes: Probe[]): SampleTruth {
  const ref = referenceCopies(spec, probes);
  const probeLog2 = probes.map(p => {
    const bulk = bulkCopies(spec, p);
    return bulk > 0 ? Math.log2(bulk / (isAutosome(p.chrom) ? ref : normalCopies(spec.sex, p.chrom) || 1)) : -Infinity;
  });
  const erbb2 = probes.map((p, i) => [p, i] as const).filter(([p]) => p.gene === 'ERBB2');
  const a = spec.amplicon;
  const chr17 = probes
    .map((p, i) => [p, i] as const)
    .filter(([p]) => canonicalContig(p.chrom) === '17' && (p.end <= 37_000_000 || p.start >= 41_000_000));
  return {
    probeLog2,
    erbb2Log2: median(erbb2.map(([, i]) => probeLog2[i])),
    erbb2ProbesAmplified: a ? erbb2.filter(([p]) => a.start < p.end && p.start < a.end).length : 0,
    erbb2Probes: erbb2.length,
    tumourErbb2Copies: spec.role === 'tumour' ? tumourCopies(spec, 'chr17', ERBB2_GRCH38.start, ERBB2_GRCH38.end) : 2,
    chr17Log2: chr17.length ? median(chr17.map(([, i]) => probeLog2[i])) : 0,
    fish: spec.role === 'tumour' ? fishOf(spec) : undefined,
  };
}
