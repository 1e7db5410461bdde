// The validation a lab files: NGS calls against a reference (FISH, or IHC
// 3+), the 2x2 table with exact intervals, no-calls and discordant cases
// listed, a threshold sweep with ROC, the breakdown by IHC group, and the
// agreement of NGS log2 with FISH counts. Pure: rows in, report out.
import { round } from '../stats/round.js';
import { sampleCorrelation, sampleRankCorrelation } from 'simple-statistics';
import { type Metric, metric } from './metric.js';
import type { ResultRow } from './results.js';
import { isEquivocal } from '../clinical/ihc.js';
import { ihcBreakdown } from './ihc-breakdown.js';
import type { TruthRow } from './truth.js';
import { her2Category, workup } from '../clinical/workup.js';

export { type Metric, metric } from './metric.js';

/** Which of a result's answers is scored: the bulk call (log2 >= threshold) or the assessment. */
export type ScoredField = 'call' | 'assessment';

export interface ValidationOptions {
  reference: 'fish' | 'ihc';
  /** The field scored (default the call); an indeterminate assessment is listed, never put in the table. */
  on?: ScoredField;
  /** With --against ihc: leave the equivocal scores (2+, 1-2+ focal, 2-3+ focal) out instead of counting them negative. */
  excludeIhc2plus: boolean;
}

export interface Table {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

const r4 = (x: number) => round(x);

export function metrics(t: Table): Record<'sensitivity' | 'specificity' | 'ppv' | 'npv' | 'accuracy', Metric> {
  return {
    sensitivity: metric(t.tp, t.tp + t.fn),
    specificity: metric(t.tn, t.tn + t.fp),
    ppv: metric(t.tp, t.tp + t.fp),
    npv: metric(t.tn, t.tn + t.fn),
    accuracy: metric(t.tp + t.tn, t.tp + t.fp + t.fn + t.tn),
  };
}

/** The reference's verdict for a sample: true positive, false negative, or undefined when it has none. */
export function referencePositive(t: TruthRow, options: ValidationOptions): boolean | undefined {
  if (options.reference === 'fish') return t.fish === undefined ? undefined : t.fish === 'positive';
  if (t.ihc === undefined) return undefined;
  // The focal scores are equivocal like 2+ and leave with it.
  if (isEquivocal(t.ihc) && options.excludeIhc2plus) return undefined;
  return t.ihc === '3+';
}

export interface RocPoint {
  threshold: number;
  fpr: number;
  tpr: number;
}

export interface ThresholdRow extends Table {
  threshold: number;
  sensitivity: number | null;
  specificity: number | null;
}

function tableAt(scored: { log2: number; positive: boolean }[], threshold: number): Table {
  const t: Table = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const s of scored) {
    const called = s.log2 >= threshold;
    if (called && s.positive) t.tp++;
    else if (called) t.fp++;
    else if (s.positive) t.fn++;
    else t.tn++;
  }
  return t;
}

function rates(t: Table): { sensitivity: number | null; specificity: number | null } {
  return {
    sensitivity: t.tp + t.fn ? t.tp / (t.tp + t.fn) : null,
    specificity: t.tn + t.fp ? t.tn / (t.tn + t.fp) : null,
  };
}

/**
 * Threshold analysis against FISH on the samples with a log2 that passed QC:
 * a sweep over a fixed grid, the ROC curve with thresholds at midpoints
 * between observed log2 values, its AUC (trapezoids, equal to the
 * Mann-Whitney probability), the lowest threshold with no false positive and
 * the threshold maximizing Youden's J.
 */
export function thresholdAnalysis(scored: { log2: number; positive: boolean }[]) {
  const grid: ThresholdRow[] = [];
  for (let k = 0; k <= 30; k++) {
    const threshold = r4(k / 10);
    const t = tableAt(scored, threshold);
    grid.push({ threshold, ...t, ...rates(t) });
  }
  const positives = scored.filter(s => s.positive).length;
  const negatives = scored.length - positives;
  if (positives === 0 || negatives === 0) return { n: scored.length, positives, negatives, grid, roc: null, full_specificity: null, youden: null };
  const values = [...new Set(scored.map(s => s.log2))].sort((a, b) => a - b);
  const cuts = [values[0] - 1, ...values.slice(1).map((v, i) => (v + values[i]) / 2), values[values.length - 1] + 1];
  const points: RocPoint[] = cuts
    .map(c => {
      const t = tableAt(scored, c);
      return { threshold: r4(c), fpr: t.fp / negatives, tpr: t.tp / positives };
    })
    .sort((a, b) => a.fpr - b.fpr || a.tpr - b.tpr);
  let auc = 0;
  for (let i = 1; i < points.length; i++) auc += ((points[i].fpr - points[i - 1].fpr) * (points[i].tpr + points[i - 1].tpr)) / 2;
  const withJ = cuts.map(c => {
    const t = tableAt(scored, c);
    return { threshold: r4(c), j: t.tp / positives + t.tn / negatives - 1, ...t, ...rates(t) };
  });
  const full = withJ.filter(w => w.fp === 0).sort((a, b) => a.threshold - b.threshold)[0];
  const youden = [...withJ].sort((a, b) => b.j - a.j || a.threshold - b.threshold)[0];
  return {
    n: scored.length,
    positives,
    negatives,
    grid,
    roc: { auc, points: points.map(p => ({ threshold: p.threshold, fpr: r4(p.fpr), tpr: r4(p.tpr) })) },
    full_specificity: full ? { threshold: full.threshold, sensitivity: full.sensitivity, specificity: full.specificity } : null,
    youden: { threshold: youden.threshold, j: youden.j, sensitivity: youden.sensitivity, specificity: youden.specificity },
  };
}

function correlation(pairs: [number, number][]) {
  if (pairs.length < 3) return { n: pairs.length, pearson: null, spearman: null };
  const x = pairs.map(p => p[0]);
  const y = pairs.map(p => p[1]);
  const safe = (f: () => number) => {
    const v = f();
    return Number.isFinite(v) ? r4(v) : null;
  };
  return { n: pairs.length, pearson: safe(() => sampleCorrelation(x, y)), spearman: safe(() => sampleRankCorrelation(x, y)) };
}

/** What the scored field says of a result. */
export function verdict(r: ResultRow, on: ScoredField): ResultRow['assessment'] {
  return on === 'assessment' ? r.assessment : r.call;
}

/**
 * The 2x2 table of one scored field: no-calls and indeterminate results are
 * listed apart, never folded into it; indeterminate's rate is over the
 * samples with a reference value.
 */
export function scoreField(matched: ResultRow[], truthBySample: Map<string, TruthRow>, options: ValidationOptions, on: ScoredField) {
  const table: Table = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const noCalls: string[] = [];
  const indeterminate: string[] = [];
  const discordant = [];
  for (const r of matched) {
    const t = truthBySample.get(r.sample)!;
    const positive = referencePositive(t, options);
    if (positive === undefined) continue;
    const v = verdict(r, on);
    if (v === 'no_call') noCalls.push(r.sample);
    else if (v === 'indeterminate') indeterminate.push(r.sample);
    else {
      const called = v === 'amplified';
      if (called && positive) table.tp++;
      else if (called) table.fp++;
      else if (positive) table.fn++;
      else table.tn++;
      if (called !== positive) {
        const truthFields = { fish: t.fish ?? null, ihc: t.ihc ?? null, ratio: t.ratio ?? null, her2_per_cell: t.her2PerCell ?? null, fish_group: t.fishGroup ?? null };
        discordant.push({ sample: r.sample, call: r.call, assessment: r.assessment, log2: r.log2, ci95: r.ci95, qc_status: r.qcStatus, qc_reasons: r.qcReasons, ...truthFields });
      }
    }
  }
  const withReference = table.tp + table.fp + table.fn + table.tn + noCalls.length + indeterminate.length;
  return { scored_on: on, table, no_calls: noCalls, indeterminate, indeterminate_rate: metric(indeterminate.length, withReference), metrics: metrics(table), discordant };
}

/** By IHC group (the study's Figure 1) and IHC 0 by qualifier: FISH positivity and what the scored field says. */
function breakdownByIhc(matched: ResultRow[], truthBySample: Map<string, TruthRow>, on: ScoredField) {
  return ihcBreakdown(
    matched.map(r => {
      const t = truthBySample.get(r.sample)!;
      return { sample: r.sample, ihc: t.ihc, fish: t.fish, ngs: verdict(r, on) };
    }),
  );
}

// Long by design: the validation report's parts assembled in the order validation.json lists them.
export function validateCalls(results: ResultRow[], truth: TruthRow[], options: ValidationOptions) {
  const on = options.on ?? 'call';
  const truthBySample = new Map(truth.map(t => [t.sample, t]));
  const resultBySample = new Map(results.map(r => [r.sample, r]));
  const matched = results.filter(r => truthBySample.has(r.sample));
  const noReference: string[] = [];
  const samples = [];
  for (const r of matched) {
    const t = truthBySample.get(r.sample)!;
    const positive = referencePositive(t, options);
    const truthFields = { fish: t.fish ?? null, ihc: t.ihc ?? null, ratio: t.ratio ?? null, her2_per_cell: t.her2PerCell ?? null, fish_group: t.fishGroup ?? null };
    samples.push({
      sample: r.sample,
      call: r.call,
      assessment: r.assessment,
      log2: r.log2,
      ...truthFields,
      reference_positive: positive ?? null,
      her2_category: her2Category(t.ihc, t.fish).category,
      workup: workup(t.ihc, r.assessment).action,
    });
    if (positive === undefined) noReference.push(r.sample);
  }
  const main = scoreField(matched, truthBySample, options, on);
  const other = scoreField(matched, truthBySample, options, on === 'call' ? 'assessment' : 'call');

  const scored = matched.flatMap(r => {
    const t = truthBySample.get(r.sample)!;
    return r.qcStatus === 'pass' && r.log2 !== null && t.fish !== undefined ? [{ log2: r.log2, positive: t.fish === 'positive' }] : [];
  });

  const ihcGroups = breakdownByIhc(matched, truthBySample, on);

  const pairs = (key: 'ratio' | 'her2PerCell') =>
    matched.flatMap(r => {
      const v = truthBySample.get(r.sample)![key];
      return r.qcStatus === 'pass' && r.log2 !== null && v !== undefined ? [[r.log2, v] as [number, number]] : [];
    });

  return {
    reference: options.reference,
    reference_rule:
      options.reference === 'fish'
        ? 'FISH positive (ASCO/CAP group 1 or 3) vs negative'
        : options.excludeIhc2plus
          ? 'IHC 3+ positive; 0 and 1+ negative; 2+, 1-2+ focal and 2-3+ focal left out'
          : 'IHC 3+ positive; 0, 1+, 2+, 1-2+ focal and 2-3+ focal negative',
    n: matched.length,
    n_in_table: main.table.tp + main.table.fp + main.table.fn + main.table.tn,
    scored_on: on,
    table: main.table,
    no_calls: main.no_calls,
    indeterminate: main.indeterminate,
    indeterminate_rate: main.indeterminate_rate,
    no_reference: noReference,
    metrics: main.metrics,
    discordant: main.discordant,
    /** The other field's table, so a lab sees the bulk call and the assessment side by side. */
    other_field: other,
    unmatched: {
      results_only: results.filter(r => !truthBySample.has(r.sample)).map(r => r.sample),
      truth_only: truth.filter(t => !resultBySample.has(t.sample)).map(t => t.sample).sort(),
    },
    thresholds: thresholdAnalysis(scored),
    ihc_breakdown: ihcGroups.groups,
    ihc_zero_breakdown: ihcGroups.zero,
    agreement: { fish_ratio: correlation(pairs('ratio')), her2_per_cell: correlation(pairs('her2PerCell')) },
    samples,
  };
}

export type ValidationReport = ReturnType<typeof validateCalls>;
