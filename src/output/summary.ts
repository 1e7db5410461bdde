// The one-line summary `call` and `batch` print on stdout, and the QC
// reasons they print on stderr.
import type { CallResult } from '../call/call.js';

/** The QC reasons as `call` prints them on stderr. */
export function reasonLines(r: { sample: string; qc: { reasons: string[] } }): string[] {
  return r.qc.reasons.map(reason => `her2cn: ${r.sample}: ${reason}`);
}

/** The fields of a result the summary line shows: a CallResult, or the JSON written from it. */
export type SummaryFields = Pick<CallResult, 'sample' | 'call' | 'log2' | 'ci95'> & {
  probes: Pick<CallResult['probes'], 'at_or_above_threshold' | 'used'>;
  qc: Pick<CallResult['qc'], 'status'>;
};

export function summaryLine(r: SummaryFields): string {
  const log2 = r.log2 === null ? 'NA' : r.log2.toFixed(2);
  const ci = r.ci95 ? `${r.ci95[0].toFixed(2)}..${r.ci95[1].toFixed(2)}` : 'NA';
  return [r.sample.replace(/[\t\r\n]/g, ' '), r.call, `log2=${log2}`, `ci95=${ci}`, `probes_at_or_above=${r.probes.at_or_above_threshold}/${r.probes.used}`, `qc=${r.qc.status}`].join('\t');
}
