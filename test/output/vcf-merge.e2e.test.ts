// The VCFs of several tumours merged as a pipeline merges them (bcftools
// merge of the bgzipped, indexed files): one record whose samples keep their
// own genotype, QC (FT), call, assessment and copy number; bcftools query,
// +fill-tags and filter expressions on those fields. The committed cohort's
// calls (the shared fixture) are bgzipped as `call --vcf-gz` writes them.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bgzipVcf } from '../../src/output/vcf.js';
import { fixtures } from '../fixtures.js';
import { tempDir, toolAvailable } from '../helpers.js';

const GENOTYPE: Record<string, string> = { amplified: '0/1', not_amplified: '0/0', no_call: './.' };

interface Result {
  sample: string;
  call: string;
  assessment: { status: string };
  fold_change: number | null;
  log2: number | null;
}

describe.skipIf(!toolAvailable('bcftools'))('VCFs of the committed cohort, merged by bcftools', () => {
  const dir = tempDir('her2cn-vcf-merge-');
  const merged = join(dir, 'merged.vcf.gz');
  let results: Result[] = [];
  const bcftools = (...args: string[]) => execFileSync('bcftools', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const samplesWhere = (expression: string) => bcftools('query', '-i', expression, '-f', '[%SAMPLE\n]', merged).trim().split('\n').filter(Boolean);

  beforeAll(() => {
    const calls = fixtures().calls;
    const stems = readdirSync(calls).filter(f => f.endsWith('.her2cn.vcf')).map(f => f.slice(0, -'.her2cn.vcf'.length)).sort();
    results = stems.map(s => JSON.parse(readFileSync(join(calls, `${s}.her2cn.json`), 'utf8')));
    const files = stems.map(s => {
      const { gz, tbi } = bgzipVcf(readFileSync(join(calls, `${s}.her2cn.vcf`), 'utf8'));
      writeFileSync(join(dir, `${s}.her2cn.vcf.gz`), gz);
      writeFileSync(join(dir, `${s}.her2cn.vcf.gz.tbi`), tbi);
      return join(dir, `${s}.her2cn.vcf.gz`);
    });
    bcftools('merge', '-Oz', '-o', merged, ...files);
  });

  it('gives one record whose FILTER is PASS and whose samples keep their own GT, FT, call, assessment, CN and log2', () => {
    expect(results.length).toBeGreaterThanOrEqual(13);
    expect(new Set(results.map(r => r.call))).toEqual(new Set(['amplified', 'not_amplified', 'no_call']));
    expect(bcftools('view', '-H', merged).trim().split('\n')).toHaveLength(1);
    expect(bcftools('query', '-f', '%FILTER\t%ALT\n', merged)).toBe('PASS\t<DUP>\n');
    const rows = bcftools('query', '-f', '[%SAMPLE\t%GT\t%FT\t%CALL\t%ASSESSMENT\t%CN\t%LOG2\n]', merged).trim().split('\n').map(l => l.split('\t'));
    expect(rows.map(r => r[0])).toEqual(results.map(r => r.sample));
    rows.forEach(([, gt, ft, call, assessment, cn, log2], i) => {
      const r = results[i];
      expect([gt, call, assessment], r.sample).toEqual([GENOTYPE[r.call], r.call, r.assessment.status]);
      if (r.call === 'no_call') {
        expect(ft, r.sample).toMatch(/^QC_FAIL(;(HIGH_NOISE|LOW_DEPTH|FEW_PROBES|HIGH_SPREAD))+$/);
        expect([cn, log2], r.sample).toEqual(['.', '.']);
      } else {
        expect(ft, r.sample).toBe('PASS');
        expect(Number(cn), r.sample).toBeCloseTo(2 * r.fold_change!, 3);
        expect(Number(log2), r.sample).toBeCloseTo(r.log2!, 4);
      }
    });
  });

  it('+fill-tags counts the amplified alleles and the no-calls from GT', () => {
    const tags = bcftools('+fill-tags', merged, '--', '-t', 'AN,AC,F_MISSING');
    const info = tags.split('\n').find(l => l.startsWith('chr17\t'))!.split('\t')[7];
    const value = (k: string) => Number(new RegExp(`(?:^|;)${k}=([^;]+)`).exec(info)![1]);
    const count = (call: string) => results.filter(r => r.call === call).length;
    expect(value('AC')).toBe(count('amplified'));
    expect(value('AN')).toBe(2 * (results.length - count('no_call')));
    expect(value('F_MISSING')).toBeCloseTo(count('no_call') / results.length, 3);
  });

  it('filter expressions select samples by GT, FT, the call and the bulk copy number', () => {
    const where = (f: (r: Result) => boolean) => results.filter(f).map(r => r.sample);
    expect(samplesWhere('GT="alt" & FMT/FT="PASS"')).toEqual(where(r => r.call === 'amplified'));
    expect(samplesWhere('FMT/FT~"QC_FAIL"')).toEqual(where(r => r.call === 'no_call'));
    expect(samplesWhere('FMT/ASSESSMENT="indeterminate"')).toEqual(where(r => r.assessment.status === 'indeterminate'));
    expect(samplesWhere('FMT/CN>=6')).toEqual(where(r => r.fold_change !== null && r.call !== 'no_call' && 2 * r.fold_change >= 6));
    expect(bcftools('view', '-H', '-i', 'FMT/CALL="amplified"', merged).trim().split('\n')).toHaveLength(1);
    expect(bcftools('view', '-H', '-e', 'FMT/CALL="amplified"', merged)).toBe('');
  });
});
