// The committed test cohort: normals of both sexes (one of them a noisy FFPE
// normal) and tumours covering each case a caller must get right. Library
// properties are drawn from the seed; the biology of each tumour is written
// out here so that the truth table states it plainly.
import { type Amplicon, erbb2IntronBreak, type IhcScore, type LibraryModel, type SampleSpec, type Sex } from './model.js';
import { Random } from '../stats/random.js';

export interface CohortOptions {
  seed: string;
  /** Scales every sample's depth (1 = the committed cohort). */
  depthScale?: number;
}

/** A library: GC bias, duplicates, off-target fraction and inserts drawn per sample. */
export function drawLibrary(rng: Random, depth: number, ffpe: boolean, noisy = false): LibraryModel {
  return {
    depth: Number((depth * rng.uniform(0.75, 1.3)).toFixed(1)),
    gcSlope: Number(rng.normal(0, 1.5).toFixed(3)),
    gcCurve: Number((-rng.uniform(0, 8)).toFixed(3)),
    noiseCv: noisy ? 0.55 : ffpe ? 0.12 : 0.05,
    duplicateRate: Number(rng.uniform(0.1, 0.2).toFixed(3)),
    offTargetFraction: Number(rng.uniform(0.2, 0.25).toFixed(3)),
    insertMean: ffpe ? rng.int(140, 170) : rng.int(200, 250),
    insertSd: ffpe ? 45 : 40,
  };
}

/**
 * An FFPE-like library with strong GC bias and short fragments (degraded
 * DNA): GC slope 2.5-4.5 either way and curvature -10 to -20 (against 0 +- 1.5
 * and 0 to -8 for other libraries), inserts of 100-140 bp, FFPE's noise.
 */
export function drawStrongGcLibrary(rng: Random, depth: number): LibraryModel {
  const sign = rng.chance(0.5) ? 1 : -1;
  return {
    depth: Number((depth * rng.uniform(0.75, 1.3)).toFixed(1)),
    gcSlope: Number((sign * rng.uniform(2.5, 4.5)).toFixed(3)),
    gcCurve: Number((-rng.uniform(10, 20)).toFixed(3)),
    noiseCv: 0.12,
    duplicateRate: Number(rng.uniform(0.15, 0.3).toFixed(3)),
    offTargetFraction: Number(rng.uniform(0.2, 0.3).toFixed(3)),
    insertMean: rng.int(100, 140),
    insertSd: 30,
  };
}

export const ERBB2_ONLY = { start: 39_680_000, end: 39_735_000 }; // ERBB2 with PGAP3's 3' end and MIEN1
export const BLOCK_17Q12 = { start: 39_380_000, end: 39_880_000 }; // MED1 to ZPBP2
export const PARTIAL = { start: 39_716_000, end: 39_800_000 }; // ERBB2 exons 13-27, MIEN1, GRB7 (starts in intron 12)
/** ERBB2 exons 8-16 only: breakpoints in introns 7 and 16. */
export const PARTIAL_INTERNAL = { start: erbb2IntronBreak(7), end: erbb2IntronBreak(16) };
/** NEUROD2 to ERBB2 exon 12 (the gene's 5' half): breakpoint in intron 12. */
export const PARTIAL_5PRIME = { start: 39_590_000, end: erbb2IntronBreak(12) };
/** 17p lost up to the centromere, which stays (CEP17 unchanged). */
export const LOSS_17P = { chrom: 'chr17', start: 0, end: 22_700_000, copies: 1 };

interface TumourPlan {
  name: string;
  sex: Sex;
  purity: number;
  ihc: IhcScore;
  description: string;
  ffpe?: boolean;
  noisy?: boolean;
  depthFactor?: number;
  /** Whole chromosome 17 copies; default 2, or 4 with genome doubling. */
  chr17Copies?: number;
  amplicon?: Amplicon;
  segments?: SampleSpec['segments'];
  wgd?: boolean;
}

/** Arm-level gains and losses typical of breast cancer (1q, 8q gain; 8p, 16q, 17p, 13 loss...). */
export const ANEUPLOID = [
  { chrom: 'chr1', start: 125_000_000, end: 248_956_422, copies: 3 },
  { chrom: 'chr8', start: 0, end: 45_000_000, copies: 1 },
  { chrom: 'chr8', start: 45_000_000, end: 145_138_636, copies: 4 },
  { chrom: 'chr13', start: 0, end: 114_364_328, copies: 1 },
  { chrom: 'chr16', start: 38_000_000, end: 90_338_345, copies: 1 },
  { chrom: 'chr17', start: 0, end: 22_000_000, copies: 1 },
  { chrom: 'chr20', start: 0, end: 64_444_167, copies: 3 },
];

const TUMOURS: TumourPlan[] = [
  { name: 'T01', sex: 'female', purity: 0.6, ihc: '3+', description: 'focal ERBB2 amplification, 12 copies',
    amplicon: { extent: 'erbb2', ...ERBB2_ONLY, copies: 12, fraction: 1 } },
  { name: 'T02', sex: 'female', purity: 0.5, ihc: '3+', description: 'whole 17q12 amplicon, 20 copies',
    amplicon: { extent: '17q12', ...BLOCK_17Q12, copies: 20, fraction: 1 } },
  { name: 'T03', sex: 'female', purity: 0.7, ihc: '1+', description: 'ERBB2 amplification with IHC 1+ (the patient a caller exists to find), 10 copies',
    amplicon: { extent: '17q12', ...BLOCK_17Q12, copies: 10, fraction: 1 } },
  { name: 'T04', sex: 'female', purity: 0.6, ihc: '3+', description: 'partial amplicon: ERBB2 exons 13-27 to GRB7, 14 copies',
    amplicon: { extent: 'partial', ...PARTIAL, copies: 14, fraction: 1 } },
  { name: 'T05', sex: 'female', purity: 0.7, ihc: '2+', description: 'heterogeneous: half of tumour cells amplified, 16 copies',
    amplicon: { extent: '17q12', ...BLOCK_17Q12, copies: 16, fraction: 0.5 } },
  { name: 'T06', sex: 'female', purity: 0.7, ihc: '2+', description: 'chromosome 17 polysomy, 4 copies, no amplification', chr17Copies: 4 },
  { name: 'T07', sex: 'male', purity: 0.6, ihc: '1+', description: 'chromosome 17 polysomy, 5 copies, no amplification', chr17Copies: 5 },
  { name: 'T08', sex: 'female', purity: 0.6, ihc: '1+', description: 'aneuploid genome (1q, 8q, 20 gain; 8p, 13, 16q, 17p loss), ERBB2 not amplified',
    segments: ANEUPLOID },
  { name: 'T09', sex: 'female', purity: 0.5, ihc: '3+', description: 'aneuploid genome with a 15-copy 17q12 amplicon', segments: ANEUPLOID,
    amplicon: { extent: '17q12', ...BLOCK_17Q12, copies: 15, fraction: 1 } },
  { name: 'T10', sex: 'male', purity: 0.5, ihc: '0', description: 'tumour without copy-number change at ERBB2' },
  { name: 'T11', sex: 'female', purity: 0.25, ihc: '3+', description: 'low purity (25%), 20-copy ERBB2 amplification', ffpe: true,
    amplicon: { extent: 'erbb2', ...ERBB2_ONLY, copies: 20, fraction: 1 } },
  { name: 'T12', sex: 'female', purity: 0.3, ihc: '2+', description: 'low-level amplification at low purity (8 copies, 30%): FISH positive, below the NGS cut-off',
    ffpe: true, amplicon: { extent: 'erbb2', ...ERBB2_ONLY, copies: 8, fraction: 1 } },
  { name: 'T13', sex: 'female', purity: 0.6, ihc: '3+', description: 'shallow, noisy FFPE library (QC must refuse a call); ERBB2 amplified, 12 copies',
    ffpe: true, noisy: true, depthFactor: 0.12, amplicon: { extent: 'erbb2', ...ERBB2_ONLY, copies: 12, fraction: 1 } },
  { name: 'T14', sex: 'female', purity: 0.2, ihc: '3+', description: 'low purity (20%), 10-copy ERBB2 amplification: FISH positive, bulk log2 below the NGS cut-off',
    ffpe: true, amplicon: { extent: 'erbb2', ...ERBB2_ONLY, copies: 10, fraction: 1 } },
  { name: 'T15', sex: 'female', purity: 0.7, ihc: '2+', description: 'heterogeneous: a third of tumour cells amplified (17q12, 14 copies), FISH 6 signals per nucleus',
    amplicon: { extent: '17q12', ...BLOCK_17Q12, copies: 14, fraction: 1 / 3 } },
  { name: 'T16', sex: 'female', purity: 0.6, ihc: '2+', description: 'internal partial amplicon: only ERBB2 exons 8-16 amplified, 16 copies (FISH positive, most ERBB2 probes flat)',
    amplicon: { extent: 'partial-internal', ...PARTIAL_INTERNAL, copies: 16, fraction: 1 } },
  { name: 'T17', sex: 'female', purity: 0.7, ihc: '0', description: '17p loss (one copy up to the centromere), ERBB2 not amplified', segments: [LOSS_17P] },
  { name: 'T18', sex: 'female', purity: 0.7, ihc: '1+', description: 'monosomy 17 with a focal ERBB2 gain to 3 copies: FISH ratio 3 with 3 HER2 signals, ASCO/CAP group 2 (negative)',
    chr17Copies: 1, amplicon: { extent: 'erbb2', ...ERBB2_ONLY, copies: 3, fraction: 1 } },
  { name: 'T19', sex: 'female', purity: 0.6, ihc: '3+', description: 'genome doubling (baseline 4 copies) with a 16-copy 17q12 amplicon', wgd: true,
    amplicon: { extent: '17q12', ...BLOCK_17Q12, copies: 16, fraction: 1 } },
  { name: 'T20', sex: 'male', purity: 0.7, ihc: '1+', description: 'genome doubling (baseline 4 copies, chrX and chrY 2), ERBB2 not amplified', wgd: true },
  { name: 'T21', sex: 'female', purity: 0.6, ihc: '2-3+ focal', description: 'IHC 2-3+ focal: 40% of tumour cells with a 20-copy ERBB2 amplicon (FISH positive)',
    amplicon: { extent: 'erbb2', ...ERBB2_ONLY, copies: 20, fraction: 0.4 } },
  { name: 'T22', sex: 'female', purity: 0.5, ihc: '1-2+ focal', description: 'IHC 1-2+ focal, no copy-number change at ERBB2 (FISH negative)' },
  { name: 'T23', sex: 'female', purity: 0.6, ihc: '0 (ultralow)', description: 'IHC 0 (ultralow), no copy-number change at ERBB2 (FISH negative)' },
  { name: 'T24', sex: 'female', purity: 0.6, ihc: '0 (null)', description: 'IHC 0 (null) with a 12-copy ERBB2 amplification (FISH positive: IHC and NGS disagree)',
    amplicon: { extent: 'erbb2', ...ERBB2_ONLY, copies: 12, fraction: 1 } },
];

const NORMALS: { name: string; sex: Sex; ffpe: boolean; noisy?: boolean }[] = [
  { name: 'N01', sex: 'female', ffpe: false },
  { name: 'N02', sex: 'female', ffpe: false },
  { name: 'N03', sex: 'female', ffpe: true },
  { name: 'N04', sex: 'female', ffpe: false },
  { name: 'N05', sex: 'female', ffpe: true },
  { name: 'N06', sex: 'male', ffpe: false },
  { name: 'N07', sex: 'male', ffpe: false },
  { name: 'N08', sex: 'male', ffpe: true },
  { name: 'N09', sex: 'male', ffpe: false },
  { name: 'N10', sex: 'female', ffpe: true, noisy: true },
];

export const COHORT_DEPTH = 20;

export function cohort(options: CohortOptions): SampleSpec[] {
  const scale = options.depthScale ?? 1;
  const specs: SampleSpec[] = [];
  for (const n of NORMALS) {
    const rng = new Random(`${options.seed} library ${n.name}`);
    specs.push({
      name: n.name,
      role: 'normal',
      sex: n.sex,
      library: drawLibrary(rng, COHORT_DEPTH * scale, n.ffpe, n.noisy),
      ffpe: n.ffpe,
      purity: 0,
      chr17Copies: 2,
      segments: [],
      description: n.noisy ? 'normal, noisy FFPE library' : n.ffpe ? 'normal, FFPE' : 'normal',
    });
  }
  for (const t of TUMOURS) {
    const rng = new Random(`${options.seed} library ${t.name}`);
    const ffpe = t.ffpe ?? false;
    specs.push({
      name: t.name,
      role: 'tumour',
      sex: t.sex,
      library: drawLibrary(rng, COHORT_DEPTH * scale * (t.depthFactor ?? 1), ffpe, t.noisy),
      ffpe,
      purity: t.purity,
      chr17Copies: t.chr17Copies ?? (t.wgd ? 4 : 2),
      segments: t.segments ?? [],
      amplicon: t.amplicon,
      ...(t.wgd ? { wgd: true } : {}),
      ihc: t.ihc,
      description: t.description,
    });
  }
  return specs;
}
