// Where a script reads a result (the summary line, cohort.tsv), a no-call
// prints no level, even from a result of an earlier version that kept the
// measured level at the top of its JSON.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COHORT_COLUMNS, cohortRow } from '../../src/batch/cohort.js';
import { summaryLine } from '../../src/output/summary.js';
import type { Her2cnResult } from '../../src/result/schema.js';
import { ROOT } from '../helpers.js';

const amplified: Her2cnResult = JSON.parse(readFileSync(join(ROOT, 'test', 'call', 'golden', 'T02.her2cn.json'), 'utf8'));
// as 0.1.0 wrote a no-call: the measured level at the top
const earlierNoCall: Her2cnResult = { ...amplified, call: 'no_call', qc: { ...amplified.qc, status: 'fail' }, assessment: { ...amplified.assessment, status: 'no_call' } };
const column = (row: string[], name: (typeof COHORT_COLUMNS)[number]) => row[COHORT_COLUMNS.indexOf(name)];

describe('a no-call prints no level', () => {
  it('on the summary line: log2=NA and ci95=NA', () => {
    expect(summaryLine(earlierNoCall)).toMatch(/^T02\tno_call\tlog2=NA\tci95=NA\tprobes_at_or_above=53\/53\tqc=fail\tassessment=no_call$/);
    // a called result prints its level, to two decimals
    const level = `log2=${amplified.log2!.toFixed(2)}\tci95=${amplified.ci95![0].toFixed(2)}..${amplified.ci95![1].toFixed(2)}\t`;
    expect(summaryLine(amplified)).toContain(`T02\tamplified\t${level}`);
  });

  it('in cohort.tsv: NA for log2 and its interval', () => {
    const row = cohortRow({ sample: 'T02', bam: 'T02.bam', status: 'ok', result: earlierNoCall });
    expect([column(row, 'call'), column(row, 'log2'), column(row, 'ci95_low'), column(row, 'ci95_high')]).toEqual(['no_call', 'NA', 'NA', 'NA']);
    const called = cohortRow({ sample: 'T02', bam: 'T02.bam', status: 'ok', result: amplified });
    expect([column(called, 'log2'), column(called, 'ci95_low'), column(called, 'ci95_high')]).toEqual([amplified.log2, ...amplified.ci95!].map(String));
  });
});
