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
    expect(summaryLine(amplified)).toMatch(/^T02\tamplified\tlog2=2\.52\tci95=2\.30\.\.2\.72\t/);
  });

  it('in cohort.tsv: NA for log2 and its interval', () => {
    const row = cohortRow({ sample: 'T02', bam: 'T02.bam', status: 'ok', result: earlierNoCall });
    expect([column(row, 'call'), column(row, 'log2'), column(row, 'ci95_low'), column(row, 'ci95_high')]).toEqual(['no_call', 'NA', 'NA', 'NA']);
    const called = cohortRow({ sample: 'T02', bam: 'T02.bam', status: 'ok', result: amplified });
    expect([column(called, 'log2'), column(called, 'ci95_low'), column(called, 'ci95_high')]).toEqual(['2.5235', '2.2998', '2.7173']);
  });
});
