// <sample>.her2cn.json: the call and everything behind it. Keys fixed by the
// contract come first; numbers are rounded so reruns are byte-identical.
import type { CallResult } from '../call/call.js';
import type { PanelOfNormals } from '../pon/pon.js';
import type { Her2cnResult, Specimen } from '../result/schema.js';
import type { IhcScore } from '../clinical/ihc.js';
import { her2Category, workup } from '../clinical/workup.js';

export interface RunContext {
  version: string;
  /** The coverage input (BAM, CRAM, mosdepth regions, bigWig). */
  bam: string;
  /** Its format; precomputed depths were not counted from reads by her2cn. */
  coverage?: { format: string; precomputed: boolean; reference: string | null };
  panel: string;
  pon: string;
  fasta: string | null;
  build: string;
  readGroupSamples: string[];
  /** For a file of several samples: the read groups counted. */
  readGroupsCounted?: string[];
  ihc: IhcScore | null;
  /** The specimen as the laboratory identifies it; null when nothing was given. */
  specimen: Specimen | null;
  gcSource: string;
}

/** How each number was computed, for pipelines and for the report. */
export const METHODS = {
  log2: 'Tukey biweight location (from the weighted median; tuning 4.685 noise SDs, the smaller of the probes\' own robust SD and the sample\'s MAPD noise) of the ERBB2 probes\' log2 fold changes against the panel of normals (weights: inverse PoN variance)',
  ci95: '95% interval: percentile bootstrap over the gene\'s probes (2,000 resamples, fixed seed), each half-width combined in quadrature with 1.96 x the assay\'s gene-level SD (the normals\' leave-one-out ERBB2 log2, their RMS less what their probes\' own sampling noise explains, stored in the PoN) and with 15% of the GC correction and 35% of the fragment-length correction made at the gene',
  probe_log2: 'log2(probe depth) - PoN probe level, corrected for the sample\'s fragment length on crowded probes (the PoN\'s spill model), centred on the bulk of autosomal probes off chromosome 17 (their median, or the level most share when arm-level changes split them), sample GC trend removed by a robust quadratic fit, relative to the copies a normal cell of the sample\'s sex has',
  mapd: 'median absolute difference of log2 between neighbouring usable probes (autosomes and chromosome 17 outside the ERBB2 window)',
  median_depth: 'median mean depth of the usable centring probes (autosomes off chromosome 17, with reads and not flagged by the PoN)',
  chr17: 'biweight location of chromosome-17 probes more than 2.5 Mb from ERBB2',
  tumor_copy_number: 'CN = (2R - 2(1 - p)) / p with R = 2^log2 and p the given purity, counted against the tumour\'s own average genome taken as two copies (after whole-genome doubling FISH counts up to twice as many; the ERBB2/CEP17-like ratio is not affected)',
  workup: 'decision support: the IHC-first work-up of the published study (IHC 2+ and the focal scores 1-2+ and 2-3+ to FISH; IHC 0 (null, ultralow or unqualified), 1+ or 3+ checked against NGS\'s assessment, discordant cases to FISH); a no-call or indeterminate assessment is never concordant',
  depth: 'mean per-base depth of reads passing the filters, aligned bases only, overlapping mates counted once (mosdepth conventions)',
  assessment:
    'with purity: tumour-cell ERBB2 copies and ERBB2/CEP17-like ratio; the probability that the tumour cells lie in {copies >= 6} or {copies >= 4 and ratio >= 2} (ASCO/CAP 2018 groups 1 and 3), from the levels\' intervals read as distributions: amplified when at least 97.5% at every purity of the range, not amplified when at most 2.5%, indeterminate otherwise; a partial amplicon or a partial gain is judged on its higher part. Without purity: the bulk call, indeterminate when its interval crosses the threshold, part of ERBB2 lies in a segment of its own (a partial amplicon) and the gene\'s interval does not clear the threshold, ERBB2 is amplified but less than 1 above the CEP17-like reference, a partial gain is beyond its interval, ERBB2 lies at least 0.3 above the CEP17-like reference or the rest of chromosome 17 beyond both intervals (a focal gain), or ERBB2 is gained beyond its interval and the interval reaches +0.30 (6 copies in 12% tumour cells)',
  tumor:
    'copies per tumour cell CN = (2R - 2(1 - p)) / p relative to the tumour\'s own baseline taken as two copies (R = 2^log2 of ERBB2, or of the CEP17-like reference); intervals over the log2 95% interval and the purity range p / (1 + t) to p / (1 - t), t the purity tolerance (0.25 unless --purity-tolerance: a pathologist\'s estimate); ratio interval at each purity of the range; group from the point estimates; detection limit: the fewest copies this sample would assess as amplified at the given purity; deciding purity: while the whole gene\'s level alone leaves it indeterminate, the purities known exactly (grid 0.01) from which it is assessed not amplified and up to which amplified',
  cep17: 'CEP17-like reference: biweight location of the chromosome-17 probes on 17q within 7 Mb of the centromere (with 17p\'s side too only when 17q has fewer than 4); at least 4 probes',
  segments: 'circular binary segmentation of the usable probes within 2.5 Mb of ERBB2 (arcs of at least 3 probes, Bonferroni-corrected t-test at alpha 0.001 with the noise from MAPD, single-probe outliers pulled in as DNAcopy does); each level the median of its probes',
};

export function resultDocument(result: CallResult, pon: PanelOfNormals, ctx: RunContext): Her2cnResult {
  const erbb2Probes = result.probe_results
    .filter(p => p.gene === 'ERBB2')
    .map(p => ({ name: p.name, chrom: p.chrom, start: p.start, end: p.end, depth: Number(p.depth.toFixed(3)), log2: p.log2, weight: p.weight, flags: p.flags }));
  return {
    sample: result.sample,
    gene: result.gene,
    call: result.call,
    assessment: result.assessment,
    log2: result.log2,
    ci95: result.ci95,
    fold_change: result.fold_change,
    ...(result.measured_for_review ? { measured_for_review: result.measured_for_review } : {}),
    threshold: result.threshold,
    probes: result.probes,
    qc: result.qc,
    chr17: result.chr17,
    purity: result.purity,
    tumor_copy_number: result.tumor_copy_number,
    tumor_copy_number_ci95: result.tumor_copy_number_ci95,
    tumor: result.tumor,
    ihc: ctx.ihc,
    specimen: ctx.specimen,
    her2_category: ctx.ihc === null ? null : her2Category(ctx.ihc),
    workup: ctx.ihc === null ? null : workup(ctx.ihc, result.assessment.status),
    genes: result.genes,
    amplicon: result.amplicon,
    segments: result.segments,
    sex: result.sex,
    normalization: result.normalization,
    erbb2_probes: erbb2Probes,
    pon: {
      file: ctx.pon,
      fingerprint: pon.panel.fingerprint,
      normals_used: pon.normals.filter(n => n.used).length,
      normals_excluded: pon.normals.filter(n => !n.used).map(n => ({ name: n.name, reason: n.reason })),
      median_depth: pon.medianDepth,
      gene_level_sd: pon.geneLevelSd,
      built_with: pon.tool.version,
    },
    inputs: {
      bam: ctx.coverage?.precomputed ? null : ctx.bam,
      coverage: {
        file: ctx.bam,
        format: ctx.coverage?.format ?? 'bam',
        precomputed: ctx.coverage?.precomputed ?? false,
        read_filters_checked: !(ctx.coverage?.precomputed ?? false),
        reference: ctx.coverage?.reference ?? null,
      },
      panel: ctx.panel, fasta: ctx.fasta, build: ctx.build, read_group_samples: ctx.readGroupSamples,
      ...(ctx.readGroupsCounted ? { read_groups_counted: ctx.readGroupsCounted } : {}),
      gc_source: ctx.gcSource },
    filters: pon.filters,
    methods: METHODS,
    version: ctx.version,
  };
}

export function formatResultJson(doc: Her2cnResult): string {
  return JSON.stringify(doc, null, 2) + '\n';
}
