// The one-line summary `call` and `batch` print on stdout, and the QC
// reasons they print on stderr.
import type { CallResult } from '../call/call.js';

/** The QC reasons and the assessment's reasons as `call` prints them on stderr. */
export function reasonLines(r: Pick<CallResult, 'sample' | 'qc' | 'assessment'>): string[] {
  return [...r.qc.reasons, ...r.assessment.reasons.map(reason => `assessment ${r.assessment.status}: ${reason}`)].map(reason => `her2cn: ${r.sample}: ${reason}`);
}

/** The summary line: the bulk call and its level first (the columns pipelines read), then the assessment. A no-call has no level: `log2=NA ci95=NA`. */
export function summaryLine(r: Pick<CallResult, 'sample' | 'call' | 'log2' | 'ci95' | 'probes' | 'qc' | 'assessment'>): string {
  // a result of an earlier version kept a no-call's measured level at the top; a script must not take it up
  const level = r.call === 'no_call' ? { log2: null, ci95: null } : r;
  const log2 = level.log2 === null ? 'NA' : level.log2.toFixed(2);
  const ci = level.ci95 ? `${level.ci95[0].toFixed(2)}..${level.ci95[1].toFixed(2)}` : 'NA';
  return [r.sample.replace(/[\t\r\n]/g, ' '), r.call, `log2=${log2}`, `ci95=${ci}`, `probes_at_or_above=${r.probes.at_or_above_threshold}/${r.probes.used}`, `qc=${r.qc.status}`, `assessment=${r.assessment.status}`].join('\t');
}
