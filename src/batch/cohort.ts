// The cohort summary (cohort.tsv): one line per sample in the order of the
// samples table, built from each sample's result JSON (whether just computed
// or reused from an earlier run, the same bytes give the same line), or the
// error that stopped the sample.
import type { Her2cnResult } from '../result/schema.js';

export type CohortEntry =
  | { sample: string; bam: string; status: 'ok'; result: Her2cnResult }
  | { sample: string; bam: string; status: 'error'; error: string };

export const COHORT_COLUMNS = [
  'sample',
  'bam',
  'status',
  'assessment',
  'call',
  'log2',
  'ci95_low',
  'ci95_high',
  'probes_at_or_above',
  'probes_used',
  'qc_status',
  'qc_reasons',
  'assessment_reasons',
  'purity',
  'tumor_copy_number',
  'ihc',
  'her2_category',
  'workup',
  'error',
] as const;

/** A cell: tabs and line breaks would break the table, so they become spaces; no value is NA. */
function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return 'NA';
  return String(value).replace(/[\t\r\n]+/g, ' ');
}

export function cohortRow(e: CohortEntry): string[] {
  if (e.status === 'error') {
    return COHORT_COLUMNS.map(c => (c === 'sample' ? cell(e.sample) : c === 'bam' ? cell(e.bam) : c === 'status' ? 'error' : c === 'error' ? cell(e.error) : 'NA'));
  }
  const values = cohortValues(e);
  return COHORT_COLUMNS.map(c => cell(values[c]));
}

/** A called sample's values by column, before they are written: the MultiQC table reads the same ones. */
export function cohortValues(e: Extract<CohortEntry, { status: 'ok' }>): Record<(typeof COHORT_COLUMNS)[number], string | number | null> {
  const r = e.result;
  // A no-call has no level (NA), even in a result of an earlier version that kept the measured one at the top.
  const level = r.call === 'no_call' ? { log2: null, ci95: null } : r;
  const values: Record<(typeof COHORT_COLUMNS)[number], string | number | null> = {
    sample: e.sample,
    bam: e.bam,
    status: 'ok',
    assessment: r.assessment.status,
    call: r.call,
    log2: level.log2,
    ci95_low: level.ci95?.[0] ?? null,
    ci95_high: level.ci95?.[1] ?? null,
    probes_at_or_above: r.probes.at_or_above_threshold,
    probes_used: r.probes.used,
    qc_status: r.qc.status,
    qc_reasons: r.qc.reasons.join('; '),
    assessment_reasons: r.assessment.reasons.join('; '),
    purity: r.purity,
    tumor_copy_number: r.tumor_copy_number,
    ihc: r.ihc,
    her2_category: r.her2_category?.category ?? null,
    workup: r.workup?.action ?? null,
    error: null,
  };
  return values;
}

export function formatCohortTable(entries: CohortEntry[]): string {
  return [COHORT_COLUMNS.join('\t'), ...entries.map(e => cohortRow(e).join('\t'))].join('\n') + '\n';
}
