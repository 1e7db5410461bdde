// The ERBB2 call for one tumour, as named stages: normalize the probes
// against the panel of normals, summarize genes, segment the 17q12 window,
// check quality, make the bulk call (log2 >= threshold, the rule validated
// against FISH) and the assessment a pathologist acts on. Pure: depths in,
// result object out.
import type { Probe } from '../panel/panel.js';
import { canonicalContig } from '../panel/contigs.js';
import { erbb2Region, isCentringProbe } from '../normalize/probes.js';
import { normalizeTumour, type ProbeResult } from '../normalize/tumour.js';
import type { PanelOfNormals } from '../pon/pon.js';
import type { Call, Her2cnResult } from '../result/schema.js';
import { round } from '../stats/round.js';
import { assess, FOCAL_GAIN_LOG2 } from './assessment.js';
import { cep17Reference } from './cep17.js';
import { chr17RestProbes, correctionUncertainty, geneLevels, type LevelInputs, levelEstimate, roundedCi } from './genes.js';
import { reviewerNotes } from './notes.js';
import { PARTIAL_STEP, partialAmplicon } from './partial.js';
import { DEFAULT_QC, type QcLimits, qualityControl } from './qc.js';
import { partialOfSegments, segmentedPartial } from './segments.js';
import { sampleSpreads } from './spread.js';

export type { Call, ProbeResult };

export { DEFAULT_THRESHOLD, MIN_PURITY, THRESHOLD_RANGE } from './limits.js';

export interface CallInput {
  sample: string;
  probes: Probe[];
  depths: number[];
  gc: (number | undefined)[];
  /** The tumour library's median insert size (0: none, or unknown). */
  medianInsert: number;
  /** Its spread (robust SD; 0: none, or unknown). */
  insertSpread: number;
  /** Set when the depths were read from a precomputed file (no reads seen): the file and its format. */
  precomputed?: { file: string; format: string };
  /** Genome build of the coordinates (for the centromere); 'unknown' leaves out the CEP17-like reference. */
  build: string;
  pon: PanelOfNormals;
  threshold: number;
  purity?: number;
  /** How far (as a fraction) a given purity may be off; default PURITY_TOLERANCE. */
  purityTolerance?: number;
  qc?: Partial<QcLimits>;
}

/** What the call stage decides: the result document's call-derived keys, and every probe. */
export type CallResult = Pick<
  Her2cnResult,
  | 'sample' | 'gene' | 'call' | 'assessment' | 'log2' | 'ci95' | 'fold_change' | 'measured_for_review' | 'threshold' | 'probes' | 'qc' | 'chr17' | 'amplicon'
  | 'segments' | 'purity' | 'tumor_copy_number' | 'tumor_copy_number_ci95' | 'tumor' | 'sex' | 'normalization' | 'genes'
> & { probe_results: ProbeResult[] };

/** What `measured_for_review` says of itself, in every no-call's JSON. */
export const NOT_A_RESULT = 'measured on a sample that failed QC: for review only, not a result; do not report';

/** The bulk call: amplified when the gene-level log2 is at or above the threshold; no call when QC fails. */
export function bulkCall(qcPassed: boolean, log2: number | null, threshold: number): Call {
  return !qcPassed || log2 === null ? 'no_call' : log2 >= threshold ? 'amplified' : 'not_amplified';
}

// Long by design: the stages in order and the result they assemble; each stage is its own module.
export function callErbb2(input: CallInput): CallResult {
  const { probes, pon, threshold } = input;
  const region = erbb2Region(probes);
  if (!region) throw new Error('the panel has no ERBB2 probes');
  if (!probes.some(isCentringProbe)) throw new Error('the panel has no probes on autosomes other than chromosome 17 to normalize against');

  const tumour = normalizeTumour(input);
  const { lfc, weights, probeResults } = tumour;
  const gcModel = correctionUncertainty(input.gc, tumour.gcCorrectionAt, tumour.fragmentShift);
  // The sample's noise from its MAPD, the 17q12 window's segments and the spreads MAPD does not see.
  // The noise sets how far from a gene's level its probes still count (stats/robust.ts).
  const { mapd, noiseSd, window, erbb2ProbeSpread, geneLevelSpread } = sampleSpreads(probes, lfc, region, input.build);
  const levelInputs: LevelInputs = { lfc, weights, assaySd: pon.geneLevelSd, correction: gcModel, noiseSd };
  const levels = geneLevels(probes, threshold, levelInputs);
  const erbb2Idx = levels.groups.get('ERBB2')!;
  const erbb2Gene = levels.genes.find(g => g.gene === 'ERBB2')!;
  const erbb2 = levels.estimates.get('ERBB2');
  const chr17Idx = chr17RestProbes(probes, region);
  const chr17 = levelEstimate(chr17Idx, 'chr17', levelInputs);
  const cep17 = cep17Reference(probes, input.build, levelInputs);
  // The level before the GC correction: the call rests on the correction when it lies on the other side of the threshold.
  const gcAtErbb2 = 'erbb2' in tumour.normalization.gc_correction ? tumour.normalization.gc_correction.erbb2 : null;
  const gcCorrection = gcAtErbb2 && erbb2 ? { log2: gcAtErbb2.log2, decidesCall: erbb2.value >= threshold !== erbb2.value + gcAtErbb2.log2 >= threshold } : undefined;
  const qc = qualityControl({
    depths: input.depths, mapd, centreSet: tumour.centreSet,
    erbb2Probes: erbb2Idx.length, erbb2ProbesUsed: erbb2Gene.probes_used, normalsMedianDepth: pon.medianDepth, limits: { ...DEFAULT_QC, ...input.qc },
    spreads: { erbb2ProbeSpread, geneLevelSpread, limits: pon.qcLimits },
    ...(gcCorrection ? { gcCorrection } : {}),
  });
  const qcPassed = qc.status === 'pass';
  const used = erbb2Idx.filter(i => lfc[i] !== null);
  // A partial amplicon, or a smaller step inside ERBB2 (a partial gain, what it means the assessment's to judge);
  // either must be a gain, its higher part above the rest of chromosome 17 too.
  const floor = chr17 ? chr17.value + FOCAL_GAIN_LOG2 : -Infinity;
  const split = segmentedPartial(probes, lfc, window, threshold, PARTIAL_STEP, floor);
  const gain = split ? undefined : segmentedPartial(probes, lfc, window, threshold, FOCAL_GAIN_LOG2, floor);
  // Recorded as two runs of the gene where they fit; an internal amplicon (three runs), or an amplified part
  // below the threshold at low purity, as segmentation found it, so the record agrees with the assessment.
  const partial = partialAmplicon(used.map(i => ({ name: probes[i].name, log2: lfc[i]! })), threshold) ?? (split && partialOfSegments(split, probes, lfc));
  qc.reasons.push(
    ...reviewerNotes({
      qcPassed, threshold, erbb2, chr17, partial, erbb2Probes: erbb2Idx, unusedErbb2Probes: erbb2Idx.filter(i => lfc[i] === null),
      probeResults, precomputed: input.precomputed, medianInsert: input.medianInsert, pon, sex: tumour.sex,
      gcAtErbb2,
    }),
  );

  const log2 = erbb2 ? erbb2.value : null;
  const { assessment, tumor } = assess({
    qcPassed, threshold, erbb2, cep17: cep17.estimate, cep17Probes: cep17.probes, cep17Note: cep17.note, chr17, purity: input.purity, purityTolerance: input.purityTolerance,
    partial: split && {
      estimate: levelEstimate(split.amplifiedProbes, 'ERBB2 amplified part', levelInputs),
      first: split.first, last: split.last, probes: split.amplifiedProbes.length, of: used.length,
    },
    partialGain: gain && {
      estimate: levelEstimate(gain.amplifiedProbes, 'ERBB2 gained part', levelInputs),
      rest: levelEstimate(gain.otherProbes, 'ERBB2 rest', levelInputs),
      first: gain.first, last: gain.last, probes: gain.amplifiedProbes.length, of: used.length,
    },
  });
  const level = {
    log2: log2 === null ? null : round(log2),
    ci95: roundedCi(erbb2),
    fold_change: log2 === null ? null : round(2 ** log2),
    erbb2_minus_chr17: log2 !== null && chr17 ? round(log2 - chr17.value) : null,
  };
  // Decided on the level as written, so a pipeline comparing the JSON's log2 with the threshold always agrees with the call
  // (1.29996 is written 1.3: amplified, not 'not amplified' beside a log2 of 1.3).
  const call = bulkCall(qcPassed, level.log2, threshold);
  // A no-call has no ERBB2 level: what was measured on a sample that failed
  // QC is kept apart, under a name no script takes for a result.
  const reported = call === 'no_call' ? { log2: null, ci95: null, fold_change: null, erbb2_minus_chr17: null } : level;
  return {
    sample: input.sample,
    gene: 'ERBB2',
    call,
    assessment,
    log2: reported.log2,
    ci95: reported.ci95,
    fold_change: reported.fold_change,
    ...(call === 'no_call' && level.log2 !== null && level.fold_change !== null
      ? { measured_for_review: { note: NOT_A_RESULT, log2: level.log2, ci95: level.ci95, fold_change: level.fold_change, erbb2_minus_chr17: level.erbb2_minus_chr17 } }
      : {}),
    threshold,
    probes: {
      total: erbb2Idx.length,
      used: erbb2Gene.probes_used,
      at_or_above_threshold: erbb2Gene.at_or_above_threshold,
      excluded: erbb2Idx.filter(i => lfc[i] === null).map(i => ({ name: probes[i].name, reasons: probeResults[i].flags })),
    },
    qc,
    chr17: {
      log2: chr17 ? round(chr17.value) : null,
      ci95: roundedCi(chr17),
      probes: chr17Idx.filter(i => lfc[i] !== null).length,
      erbb2_minus_chr17: reported.erbb2_minus_chr17,
    },
    amplicon: { neighbours: neighbours(levels.genes, region, threshold), partial: partial ?? null },
    segments: window.segments,
    purity: input.purity ?? null,
    tumor_copy_number: tumor ? tumor.erbb2_copies : null,
    tumor_copy_number_ci95: tumor ? tumor.erbb2_copies_ci95 : null,
    tumor,
    sex: tumour.sex,
    normalization: tumour.normalization,
    genes: levels.genes,
    probe_results: probeResults,
  };
}

/** Genes within 1.5 Mb of ERBB2 on its chromosome: the 17q12 amplicon's usual members. */
function neighbours(genes: Her2cnResult['genes'], region: { chrom: string; start: number; end: number }, threshold: number): Her2cnResult['amplicon']['neighbours'] {
  return genes
    .filter(g => g.gene !== 'ERBB2' && canonicalContig(g.chrom) === canonicalContig(region.chrom) && g.end > region.start - 1_500_000 && g.start < region.end + 1_500_000)
    .map(g => ({ gene: g.gene, log2: g.log2, at_or_above_threshold: g.log2 !== null && g.log2 >= threshold }));
}

