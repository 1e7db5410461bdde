// her2cn_mqc.json, MultiQC's custom content for its General Statistics: the
// keys MultiQC reads, one column per value the brief of a QC table needs,
// samples sorted by name, a no-call without a level, the same bytes for the
// same results (MultiQC itself reads it in workflow/snakemake.e2e.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CohortEntry } from '../../src/batch/cohort.js';
import { formatMultiqc } from '../../src/output/multiqc.js';
import type { Her2cnResult } from '../../src/result/schema.js';
import { ROOT } from '../helpers.js';

const golden = (s: string): Her2cnResult => JSON.parse(readFileSync(join(ROOT, 'test', 'call', 'golden', `${s}.her2cn.json`), 'utf8'));
const ok = (sample: string, result: Her2cnResult): CohortEntry => ({ sample, bam: `${sample}.bam`, status: 'ok', result: { ...result, sample } });

describe('her2cn_mqc.json', () => {
  const t02 = golden('T02');
  const noCall: Her2cnResult = { ...golden('T04'), call: 'no_call', assessment: { ...golden('T04').assessment, status: 'no_call' }, qc: { ...golden('T04').qc, status: 'fail', mapd: 0.8512 } };
  const entries: CohortEntry[] = [ok('T10', t02), ok('12', noCall), { sample: 'B7', bam: 'B7.bam', status: 'error', error: 'B7.bam: no index' }, ok('A1', t02)];

  it('is MultiQC custom content for the General Statistics, its columns titled and formatted', () => {
    const doc = JSON.parse(formatMultiqc(entries, '9.9.9'));
    expect(doc).toMatchObject({ id: 'her2cn', section_name: 'her2cn', plot_type: 'generalstats' });
    expect(doc.description).toContain('her2cn 9.9.9');
    const columns = doc.pconfig.map((c: object) => Object.keys(c)[0]);
    expect(columns).toEqual(['her2cn_assessment', 'her2cn_log2', 'her2cn_mapd', 'her2cn_depth', 'her2cn_qc']);
    for (const c of doc.pconfig) expect(Object.values(c)[0]).toHaveProperty('title');
    expect(doc.pconfig[1].her2cn_log2.format).toBe('{:,.2f}');
    expect(doc.pconfig[2].her2cn_mapd.format).toBe('{:,.2f}');
  });

  it('gives every sample its row in sorted order; a no-call no level, an error its status only', () => {
    const text = formatMultiqc(entries, '9.9.9');
    const data = JSON.parse(text).data;
    // in the text itself: a JSON object would put the name "12" first whatever the order
    expect([...text.matchAll(/^ {4}"([^"]+)": \{$/gm)].map(m => m[1])).toEqual(['12', 'A1', 'B7', 'T10']);
    expect(data.T10).toEqual({ her2cn_assessment: t02.assessment.status, her2cn_log2: t02.log2, her2cn_mapd: t02.qc.mapd, her2cn_depth: t02.qc.median_depth, her2cn_qc: 'pass' });
    expect(data['12']).toEqual({ her2cn_assessment: 'no_call', her2cn_mapd: 0.8512, her2cn_depth: noCall.qc.median_depth, her2cn_qc: 'fail' });
    expect(noCall.log2).not.toBeNull();
    expect(data.B7).toEqual({ her2cn_assessment: 'error' });
  });

  it('is the same bytes whatever the order of the entries', () => {
    expect(formatMultiqc([...entries].reverse(), '9.9.9')).toBe(formatMultiqc(entries, '9.9.9'));
  });
});
