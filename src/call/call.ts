// The ERBB2 call for one tumour: per-probe log2 fold change against the
// panel of normals, gene-level summaries, chromosome-17 comparison, QC, and
// the call with the reasons behind it. Pure: depths in, result object out.
import type { ProbeCoverage } from '../coverage/engine.js';
import { canonicalContig } from '../panel/contigs.js';
import type { Probe } from '../panel/panel.js';
import { insertCorrection } from '../normalize/density.js';
import { erbb2Region, inWindow, isCentringProbe } from '../normalize/probes.js';
import { centringSet, correctGc, type GcFit, inferSex, log2Depths, recentre, round, type SexCall, sexOffset } from '../normalize/sample.js';
import type { PanelOfNormals } from '../pon/pon.js';
import { type Estimate, median, weightedMedianWithCi } from '../stats/robust.js';
import { check, DEFAULT_QC, MIN_ERBB2_PROBES, type QcCheck, type QcLimits } from './qc.js';

export type Call = 'amplified' | 'not_amplified' | 'no_call';

export interface CallInput {
  sample: string;
  probes: Probe[];
  depths: number[];
  gc: (number | undefined)[];
  /** The tumour library's median insert size (0: none, or unknown). */
  medianInsert: number;
  /** Set when the depths were read from a precomputed file (no reads seen): the file and its format. */
  precomputed?: { file: string; format: string };
  pon: PanelOfNormals;
  threshold: number;
  purity?: number;
  qc?: Partial<QcLimits>;
}

/** A probe's depth (as coverage measures it) and what the call made of it. */
export interface ProbeResult extends Omit<ProbeCoverage, 'reads'> {
  log2: number | null;
  weight: number;
  flags: string[];
}

export interface GeneResult {
  gene: string;
  chrom: string;
  start: number;
  end: number;
  log2: number | null;
  ci95: [number, number] | null;
  probes: number;
  probes_used: number;
  at_or_above_threshold: number;
}

export interface CallResult {
  sample: string;
  gene: 'ERBB2';
  call: Call;
  log2: number | null;
  ci95: [number, number] | null;
  fold_change: number | null;
  threshold: number;
  probes: { total: number; used: number; at_or_above_threshold: number; excluded: { name: string; reasons: string[] }[] };
  qc: { status: 'pass' | 'fail'; reasons: string[]; mapd: number | null; median_depth: number; checks: QcCheck[] };
  chr17: { log2: number | null; ci95: [number, number] | null; probes: number; erbb2_minus_chr17: number | null };
  amplicon: { neighbours: { gene: string; log2: number | null; at_or_above_threshold: boolean }[]; partial: PartialAmplicon | null };
  purity: number | null;
  tumor_copy_number: number | null;
  tumor_copy_number_ci95: [number, number] | null;
  sex: SexCall;
  normalization: {
    centre: { method: 'bulk centre'; first_pass: number; after_gc: number; probes: number };
    insert_size: { sample: number; used: number; normals: number; coefficient: number; largest_correction: number };
    gc_correction: GcFit | { skipped: string };
  };
  genes: GeneResult[];
  probe_results: ProbeResult[];
}

/** Where in a gene summary the probes of one gene go, sorted by panel order. */
function geneGroups(probes: Probe[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  probes.forEach((p, i) => {
    if (p.gene === '-') return;
    const list = groups.get(p.gene) ?? [];
    list.push(i);
    groups.set(p.gene, list);
  });
  return groups;
}

/**
 * Weighted median of a gene's probes with a 95% interval that adds, in
 * quadrature to the probe bootstrap's half-widths, 1.96 times the assay's
 * gene-level SD measured on the normals (what resampling probes cannot see).
 */
function estimate(indexes: number[], lfc: (number | null)[], weights: number[], seed: string, assaySd: number): Estimate | undefined {
  const use = indexes.filter(i => lfc[i] !== null && weights[i] > 0);
  if (use.length === 0) return undefined;
  const e = weightedMedianWithCi(
    use.map(i => lfc[i]!),
    use.map(i => weights[i]),
    seed,
  );
  const extra = (1.96 * assaySd) ** 2;
  return {
    value: e.value,
    ci95: [e.value - Math.sqrt((e.value - e.ci95[0]) ** 2 + extra), e.value + Math.sqrt((e.ci95[1] - e.value) ** 2 + extra)],
  };
}

const r4 = (x: number) => round(x, 4);
const ci = (e: Estimate | undefined): [number, number] | null => (e ? [r4(e.ci95[0]), r4(e.ci95[1])] : null);

/** Median absolute difference between neighbouring probes' log2 on the same chromosome. */
export function mapd(probes: Probe[], lfc: (number | null)[], include: (i: number) => boolean): number | null {
  const diffs: number[] = [];
  let previous = -1;
  for (let i = 0; i < probes.length; i++) {
    if (lfc[i] === null || !include(i)) continue;
    if (previous >= 0 && probes[previous].chrom === probes[i].chrom) diffs.push(Math.abs(lfc[i]! - lfc[previous]!));
    previous = i;
  }
  return diffs.length ? median(diffs) : null;
}

export interface PartialAmplicon {
  high: { first: string; last: string; count: number; log2: number };
  low: { first: string; last: string; count: number; log2: number };
}

/** Smallest step between the two parts of ERBB2, in log2, that counts as a partial amplicon. */
export const PARTIAL_STEP = 1;

/**
 * A partial amplicon: ERBB2's probes (in genomic order) split into the two
 * runs, each of at least 3 probes, that best fit two levels (least absolute
 * deviations from each run's median), when the runs' medians differ by at
 * least PARTIAL_STEP and one is at or above the threshold, the other below.
 */
export function partialAmplicon(probes: { name: string; log2: number }[], threshold: number): PartialAmplicon | undefined {
  const cost = (values: number[], m: number) => values.reduce((s, v) => s + Math.abs(v - m), 0);
  let best: { k: number; left: number; right: number; cost: number } | undefined;
  for (let k = 3; k <= probes.length - 3; k++) {
    const l = probes.slice(0, k).map(p => p.log2);
    const r = probes.slice(k).map(p => p.log2);
    const left = median(l);
    const right = median(r);
    const c = cost(l, left) + cost(r, right);
    if (!best || c < best.cost) best = { k, left, right, cost: c };
  }
  if (!best || Math.abs(best.left - best.right) < PARTIAL_STEP) return undefined;
  if (Math.max(best.left, best.right) < threshold || Math.min(best.left, best.right) >= threshold) return undefined;
  const part = (from: number, to: number, log2: number) => ({ first: probes[from].name, last: probes[to - 1].name, count: to - from, log2: r4(log2) });
  const leftPart = part(0, best.k, best.left);
  const rightPart = part(best.k, probes.length, best.right);
  return best.left > best.right ? { high: leftPart, low: rightPart } : { high: rightPart, low: leftPart };
}

/** Tumour-cell copy number from a bulk log2 ratio and purity p, diploid background: CN = (2R - 2(1 - p)) / p. */
export function tumourCopyNumber(log2: number, purity: number): number {
  const r = 2 ** log2;
  return Math.max(0, (2 * r - 2 * (1 - purity)) / purity);
}

export function callErbb2(input: CallInput): CallResult {
  const { probes, depths, pon, threshold } = input;
  const limits = { ...DEFAULT_QC, ...input.qc };
  const n = probes.length;
  const region = erbb2Region(probes);
  if (!region) throw new Error('the panel has no ERBB2 probes');
  if (!probes.some(isCentringProbe)) throw new Error('the panel has no probes on autosomes other than chromosome 17 to normalize against');

  // Probe log2 against the panel of normals, on the PoN's two-copy scale.
  const raw = log2Depths(depths);
  const ponFlags = pon.probes.flags.map(f => (f ? f.split(',') : []));
  const residual = raw.map((r, i) => (pon.probes.log2[i] === null ? NaN : r - pon.probes.log2[i]!));
  // Crowded probes follow the library's fragment length (normalize/density.ts).
  // No correction without proper pairs (single-end data); never extrapolated beyond the normals' inserts.
  const insert = input.medianInsert > 0 ? Math.min(pon.insertEffect.max, Math.max(pon.insertEffect.min, input.medianInsert)) : pon.insertEffect.reference;
  const insertShift = insertCorrection(probes, insert, pon.insertEffect.reference, pon.insertEffect.coefficient);
  let largestShift = 0;
  for (let i = 0; i < n; i++) {
    residual[i] -= insertShift[i];
    if (Math.abs(insertShift[i]) > Math.abs(largestShift)) largestShift = insertShift[i];
  }
  const usable = (i: number) => ponFlags[i].length === 0 && Number.isFinite(residual[i]);

  // Centre on the diploid-like bulk, remove the sample's GC trend, centre again.
  const firstCentre = recentre(residual, centringSet(probes, residual, usable), 'bulk');
  let gcFit: GcFit | { skipped: string };
  const gcValues = input.gc.map(g => (g === undefined ? NaN : g));
  if (gcValues.every(g => !Number.isFinite(g))) {
    gcFit = { skipped: 'no probe GC (give --fasta, or a panel with a gc column)' };
  } else {
    gcFit = correctGc(residual, gcValues, centringSet(probes, residual, usable)) ?? { skipped: 'fewer than 20 usable probes to fit' };
  }
  const centreSet = centringSet(probes, residual, usable);
  const secondCentre = recentre(residual, centreSet, 'bulk');

  // Sex, then log2 relative to the copies a normal cell of that sex has. Probes the
  // PoN has no level for (chrY without male normals) say nothing about sex.
  const sex = inferSex(probes, residual, i => pon.probes.log2[i] !== null);
  const probeResults: ProbeResult[] = [];
  const lfc: (number | null)[] = [];
  const weights: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = probes[i];
    const flags = [...ponFlags[i].map(f => `pon_${f}`)];
    if (depths[i] === 0) flags.push('zero_depth');
    const offset = sexOffset(p, sex.sex);
    if (Number.isNaN(offset)) flags.push('not_in_sex');
    const value = flags.length === 0 && Number.isFinite(residual[i]) ? residual[i] - offset : null;
    lfc.push(value);
    weights.push(value === null ? 0 : pon.probes.weight[i]);
    probeResults.push({
      chrom: p.chrom,
      start: p.start,
      end: p.end,
      name: p.name,
      gene: p.gene,
      depth: depths[i],
      log2: value === null ? null : r4(value),
      weight: value === null ? 0 : pon.probes.weight[i],
      flags,
    });
  }

  // Gene-level summaries: weighted median of each gene's own probes, never smoothed with neighbours.
  const groups = geneGroups(probes);
  const genes: GeneResult[] = [...groups.entries()].map(([gene, idx]) => {
    const e = estimate(idx, lfc, weights, gene, pon.geneLevelSd);
    return {
      gene,
      chrom: probes[idx[0]].chrom,
      start: Math.min(...idx.map(i => probes[i].start)),
      end: Math.max(...idx.map(i => probes[i].end)),
      log2: e ? r4(e.value) : null,
      ci95: ci(e),
      probes: idx.length,
      probes_used: idx.filter(i => lfc[i] !== null).length,
      at_or_above_threshold: idx.filter(i => lfc[i] !== null && lfc[i]! >= threshold).length,
    };
  });
  const erbb2 = genes.find(g => g.gene === 'ERBB2')!;
  const erbb2Idx = groups.get('ERBB2')!;
  const erbb2Estimate = estimate(erbb2Idx, lfc, weights, 'ERBB2', pon.geneLevelSd);

  // The rest of chromosome 17, outside the amplicon window.
  const chr17Idx = probes.flatMap((p, i) => (canonicalContig(p.chrom) === canonicalContig(region.chrom) && !inWindow(p, region) ? [i] : []));
  const chr17 = estimate(chr17Idx, lfc, weights, 'chr17', pon.geneLevelSd);

  // QC.
  const noise = mapd(probes, lfc, i => (isCentringProbe(probes[i]) || canonicalContig(probes[i].chrom) === '17') && !inWindow(probes[i], region));
  const medianDepth = median(centreSet.map(i => depths[i]).concat(centreSet.length ? [] : [0]));
  const minErbb2 = Math.max(MIN_ERBB2_PROBES, Math.ceil(limits.minErbb2ProbeFraction * erbb2Idx.length));
  const checks = [
    check('mapd', noise === null ? null : r4(noise), limits.maxMapd, 'max'),
    check('median_depth', round(medianDepth, 2), limits.minDepth, 'min'),
    check('median_depth_vs_normals', pon.medianDepth > 0 ? r4(medianDepth / pon.medianDepth) : null, limits.minRelativeDepth, 'min'),
    check('erbb2_probes_used', erbb2.probes_used, minErbb2, 'min'),
  ];
  const reasons: string[] = [];
  const failed = checks.filter(c => !c.pass);
  for (const c of failed) reasons.push(qcReason(c, pon.medianDepth));
  const status: 'pass' | 'fail' = failed.length ? 'fail' : 'pass';

  // Flags that do not stop a call but a reviewer must see.
  const log2 = erbb2Estimate ? erbb2Estimate.value : null;
  // Flags about the ERBB2 level only where a level is reported.
  if (status === 'pass' && erbb2Estimate && log2 !== null && erbb2Estimate.ci95[0] < threshold && erbb2Estimate.ci95[1] >= threshold) {
    reasons.push(`ERBB2 log2 ${log2.toFixed(2)} has a 95% interval (${erbb2Estimate.ci95[0].toFixed(2)} to ${erbb2Estimate.ci95[1].toFixed(2)}) that crosses the ${threshold} threshold: borderline, consider FISH`);
  }
  const above = erbb2.at_or_above_threshold;
  const split = partialAmplicon(erbb2Idx.filter(i => lfc[i] !== null).map(i => ({ name: probes[i].name, log2: lfc[i]! })), threshold);
  if (split && status === 'pass') {
    reasons.push(
      `partial amplicon: ${split.high.count} ERBB2 probes (${split.high.first} to ${split.high.last}) at log2 ${split.high.log2.toFixed(2)}, ` +
        `${split.low.count} (${split.low.first} to ${split.low.last}) at ${split.low.log2.toFixed(2)}`,
    );
  }
  const chr17Log2 = chr17 ? chr17.value : null;
  if (status === 'pass' && log2 !== null && chr17Log2 !== null && log2 >= threshold && log2 - chr17Log2 < 1) {
    reasons.push(`ERBB2 is only ${(log2 - chr17Log2).toFixed(2)} above the rest of chromosome 17 (log2 ${chr17Log2.toFixed(2)}): the gain may be of the whole chromosome (polysomy) rather than a focal amplification`);
  }
  const lost = erbb2Idx.filter(i => lfc[i] === null);
  if (lost.length > 0) {
    reasons.push(`${lost.length} of ${erbb2Idx.length} ERBB2 probes not used: ${lost.map(i => `${probes[i].name} (${probeResults[i].flags.join(', ')})`).join('; ')}`);
  }
  if (input.precomputed) {
    const f = pon.filters;
    reasons.push(
      `coverage came from a precomputed ${input.precomputed.format} file (${input.precomputed.file}), not from reads: the read filters could not be checked; ` +
        `it must have been made like the panel of normals' (MAPQ >= ${f.minMapq}, SAM flags ${f.excludeFlags} excluded, overlapping mates counted once)`,
    );
    if (pon.insertEffect.coefficient !== 0) reasons.push('precomputed coverage has no insert sizes: the fragment-length correction of crowded probes was not applied');
  } else if (input.medianInsert === 0 && pon.insertEffect.coefficient !== 0) {
    reasons.push('no proper pairs with an insert size (single-end data?): the fragment-length correction of crowded probes was not applied');
  }
  if (sex.sex === 'unknown') reasons.push(`sex not inferred (chrX log2 ${sex.xLog2}, chrY log2 ${sex.yLog2}); chrX taken as two copies`);

  const call: Call = status === 'fail' || log2 === null ? 'no_call' : log2 >= threshold ? 'amplified' : 'not_amplified';
  const neighbours = genes
    .filter(g => g.gene !== 'ERBB2' && canonicalContig(g.chrom) === canonicalContig(region.chrom) && g.end > region.start - 1_500_000 && g.start < region.end + 1_500_000)
    .map(g => ({ gene: g.gene, log2: g.log2, at_or_above_threshold: g.log2 !== null && g.log2 >= threshold }));

  const purity = input.purity ?? null;
  const cn = purity !== null && log2 !== null ? r4(tumourCopyNumber(log2, purity)) : null;
  const cnCi: [number, number] | null =
    purity !== null && erbb2Estimate ? [r4(tumourCopyNumber(erbb2Estimate.ci95[0], purity)), r4(tumourCopyNumber(erbb2Estimate.ci95[1], purity))] : null;

  return {
    sample: input.sample,
    gene: 'ERBB2',
    call,
    log2: log2 === null ? null : r4(log2),
    ci95: ci(erbb2Estimate),
    fold_change: log2 === null ? null : r4(2 ** log2),
    threshold,
    probes: {
      total: erbb2Idx.length,
      used: erbb2.probes_used,
      at_or_above_threshold: above,
      excluded: lost.map(i => ({ name: probes[i].name, reasons: probeResults[i].flags })),
    },
    qc: { status, reasons, mapd: noise === null ? null : r4(noise), median_depth: round(medianDepth, 2), checks },
    chr17: {
      log2: chr17Log2 === null ? null : r4(chr17Log2),
      ci95: ci(chr17),
      probes: chr17Idx.filter(i => lfc[i] !== null).length,
      erbb2_minus_chr17: log2 !== null && chr17Log2 !== null ? r4(log2 - chr17Log2) : null,
    },
    amplicon: { neighbours, partial: split ?? null },
    purity,
    tumor_copy_number: cn,
    tumor_copy_number_ci95: cnCi,
    sex,
    normalization: {
      centre: { method: 'bulk centre', first_pass: r4(firstCentre), after_gc: r4(secondCentre), probes: centreSet.length },
      insert_size: {
        sample: input.medianInsert,
        used: insert,
        normals: pon.insertEffect.reference,
        coefficient: pon.insertEffect.coefficient,
        largest_correction: r4(-largestShift),
      },
      gc_correction: gcFit,
    },
    genes,
    probe_results: probeResults,
  };
}

function qcReason(c: QcCheck, ponDepth: number): string {
  const v = c.value === null ? 'not measurable' : String(c.value);
  switch (c.metric) {
    case 'mapd':
      return `noise too high: MAPD ${v} > ${c.limit} (probe-to-probe variation makes the ERBB2 level unreliable)`;
    case 'median_depth':
      return `coverage too low: median probe depth ${v}x < ${c.limit}x`;
    case 'median_depth_vs_normals':
      return `coverage too low: median depth is ${v} of the normals' ${ponDepth}x, below ${c.limit}`;
    case 'erbb2_probes_used':
      return `too few usable ERBB2 probes: ${v} < ${c.limit}`;
    default:
      return `${c.metric} ${v} outside limit ${c.limit}`;
  }
}
