// The one-line summary `call` and `batch` print on stdout, and the QC
// reasons they print on stderr.
import type { CallResult } from '../call/call.js';
import { fixed } from '../stats/round.js';

/** A sample name as one line of text: tabs and line breaks (possible in `call --sample`) become spaces. */
export function sampleOnOneLine(sample: string): string {
  return sample.replace(/[\t\r\n]/g, ' ');
}

/** The QC reasons and the assessment's reasons as `call` prints them on stderr. */
export function reasonLines(r: Pick<CallResult, 'sample' | 'qc' | 'assessment'>): string[] {
  const sample = sampleOnOneLine(r.sample);
  return [...r.qc.reasons, ...r.assessment.reasons.map(reason => `assessment ${r.assessment.status}: ${reason}`)].map(reason => `her2cn: ${sample}: ${reason}`);
}

/** The summary line: the bulk call and its level first (the columns pipelines read), then the assessment. A no-call has no level: `log2=NA ci95=NA`. */
export function summaryLine(r: Pick<CallResult, 'sample' | 'call' | 'log2' | 'ci95' | 'probes' | 'qc' | 'assessment'>): string {
  // a result of an earlier version kept a no-call's measured level at the top; a script must not take it up
  const level = r.call === 'no_call' ? { log2: null, ci95: null } : r;
  const log2 = level.log2 === null ? 'NA' : fixed(level.log2, 2);
  const ci = level.ci95 ? `${fixed(level.ci95[0], 2)}..${fixed(level.ci95[1], 2)}` : 'NA';
  return [sampleOnOneLine(r.sample), r.call, `log2=${log2}`, `ci95=${ci}`, `probes_at_or_above=${r.probes.at_or_above_threshold}/${r.probes.used}`, `qc=${r.qc.status}`, `assessment=${r.assessment.status}`].join('\t');
}

/** The summary line of a sample that has no result (batch): its name, `error`, and NA in every other column. */
export function failedSummaryLine(sample: string): string {
  return [sampleOnOneLine(sample), 'error', 'log2=NA', 'ci95=NA', 'probes_at_or_above=NA', 'qc=NA', 'assessment=NA'].join('\t');
}
