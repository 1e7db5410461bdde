// `her2cn call` as pipelines use it: the contract's files and keys, exit
// codes, a VCF bcftools accepts that tells the three outcomes apart, and
// byte-identical reruns.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PANEL, runCli, skipWithout, TEST_DATA, tempDir, toolAvailable } from '../helpers.js';

const out = tempDir('her2cn-call-');
const json = (sample: string) => JSON.parse(readFileSync(join(out, `${sample}.her2cn.json`), 'utf8'));
const stdout: Record<string, string> = {};

beforeAll(() => {
  for (const s of ['T01', 'T10', 'T13', 'T04']) {
    // T04 also with its VCF bgzipped and indexed
    const r = runCli(['call', join(TEST_DATA, `${s}.bam`), '--out', out, ...(s === 'T04' ? ['--vcf-gz'] : [])]);
    expect(r.status, r.stderr).toBe(0);
    stdout[s] = r.stdout;
  }
}, 60_000);

describe('her2cn call with the embedded panel and PoN', () => {
  it('writes the contract\'s files per sample and one summary line on stdout', () => {
    expect(readdirSync(out).sort()).toEqual(
      ['T01', 'T04', 'T10', 'T13']
        .flatMap(s => [`${s}.her2cn.json`, `${s}.her2cn.vcf`, `${s}.probes.tsv`, `${s}.plot.svg`, `${s}.plot.png`, `${s}.report.html`])
        .concat('T04.her2cn.vcf.gz', 'T04.her2cn.vcf.gz.tbi')
        .sort(),
    );
    expect(stdout.T01.trim().split('\n')).toHaveLength(1);
    expect(stdout.T01).toMatch(/^T01\tamplified\tlog2=\d\.\d\d\tci95=/);
  });

  it('fills the contract\'s JSON keys', () => {
    const d = json('T01');
    for (const key of ['sample', 'gene', 'call', 'log2', 'ci95', 'fold_change', 'threshold', 'probes', 'qc', 'chr17', 'purity', 'tumor_copy_number', 'genes', 'version']) {
      expect(d, key).toHaveProperty(key);
    }
    expect(d.gene).toBe('ERBB2');
    expect(d.fold_change).toBeCloseTo(2 ** d.log2, 3);
    expect(d.probes).toMatchObject({ total: 53, used: 53 });
    expect(d.probes.at_or_above_threshold).toBe(53);
    expect(d.qc.status).toBe('pass');
    expect(typeof d.qc.mapd).toBe('number');
    expect(typeof d.qc.median_depth).toBe('number');
    expect(d.chr17.erbb2_minus_chr17).toBeCloseTo(d.log2 - d.chr17.log2, 3);
    expect(d.genes.map((g: { gene: string }) => g.gene)).toContain('GRB7');
    expect(d.amplicon.neighbours.find((g: { gene: string }) => g.gene === 'MIEN1').at_or_above_threshold).toBe(true);
  });

  it('refuses a call on the shallow, noisy tumour with reasons, exit 0', () => {
    const d = json('T13');
    expect(d.call).toBe('no_call');
    expect(d.qc.status).toBe('fail');
    expect(d.qc.reasons.join(' ')).toMatch(/noise too high.*coverage too low/);
  });

  it('writes a per-probe table with the contract\'s columns', () => {
    const lines = readFileSync(join(out, 'T04.probes.tsv'), 'utf8').trim().split('\n');
    expect(lines[0].split('\t').slice(0, 8)).toEqual(['chrom', 'start', 'end', 'gene', 'depth', 'log2', 'weight', 'flags']);
    expect(lines).toHaveLength(312);
  });

  it('purity gives the tumour-cell copy number CN = (2R - 2(1 - p)) / p', () => {
    const dir = tempDir();
    const r = runCli(['call', join(TEST_DATA, 'T01.bam'), '--purity', '0.6', '--out', dir, '--json']);
    expect(r.status).toBe(0);
    const d = JSON.parse(r.stdout);
    const R = 2 ** d.log2;
    expect(d.tumor_copy_number).toBeCloseTo((2 * R - 2 * 0.4) / 0.6, 3);
    // the simulated T01 has 12 copies at 60% purity
    expect(d.tumor_copy_number).toBeGreaterThan(9);
    expect(d.tumor_copy_number).toBeLessThan(15);
  });

  it('reruns byte for byte', () => {
    const dir = tempDir();
    runCli(['call', join(TEST_DATA, 'T01.bam'), '--out', dir]);
    for (const f of ['T01.her2cn.json', 'T01.her2cn.vcf', 'T01.probes.tsv', 'T01.plot.svg', 'T01.report.html']) {
      expect(readFileSync(join(dir, f), 'utf8')).toBe(readFileSync(join(out, f), 'utf8'));
    }
  });

  it.each([
    [['--purity', '0'], /--purity/],
    [['--purity', '1.5'], /--purity/],
    [['--threshold', 'high'], /--threshold/],
    [['--ihc', '4+'], /--ihc/],
  ])('treats %j as a usage error and writes nothing', (args, message) => {
    const dir = tempDir();
    const r = runCli(['call', join(TEST_DATA, 'T01.bam'), '--out', dir, ...(args as string[])]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('fails with one line, leaving earlier results untouched, when the output folder cannot be written', () => {
    const dir = tempDir();
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, 'a file where the output folder should be');
    const r = runCli(['call', join(TEST_DATA, 'T01.bam'), '--out', join(blocker, 'out')]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n').filter(l => l.startsWith('her2cn: error'))).toHaveLength(1);
    expect(r.stderr).toMatch(/not-a-folder/);
    expect(readdirSync(dir)).toEqual(['not-a-folder']);
    // a result folder whose files cannot all be replaced keeps the earlier results and no temporary files
    const earlier = tempDir();
    expect(runCli(['call', join(TEST_DATA, 'T10.bam'), '--out', earlier, '--sample', 'T01']).status).toBe(0);
    const before = readFileSync(join(earlier, 'T01.her2cn.json'), 'utf8');
    rmSync(join(earlier, 'T01.probes.tsv'));
    mkdirSync(join(earlier, 'T01.probes.tsv', 'blocked'), { recursive: true });
    const blocked = runCli(['call', join(TEST_DATA, 'T01.bam'), '--out', earlier]);
    expect(blocked.status).toBe(1);
    expect(blocked.stderr).toMatch(/T01.probes.tsv: exists and is not a file/);
    expect(readdirSync(earlier).filter(f => f.includes('.tmp') || f.includes('.bak'))).toEqual([]);
    expect(readdirSync(join(earlier, 'T01.probes.tsv'))).toEqual(['blocked']);
    expect(readFileSync(join(earlier, 'T01.her2cn.vcf'), 'utf8')).toMatch(/\t0\/0:PASS:not_amplified:/);
    expect(before).toMatch(/"call": "not_amplified"/);
  });

  it('says when the cut-off is not the validated one, and survives control characters in a sample name', () => {
    const dir = tempDir();
    const r = runCli(['call', join(TEST_DATA, 'T01.bam'), '--threshold', '1.8', '--sample', 'A\x01B', '--out', dir]);
    expect(r.status, r.stderr).toBe(0);
    const html = readFileSync(join(dir, 'A_B.report.html'), 'utf8');
    expect(html).toMatch(/a cut-off set for this run \(the cut-off validated against FISH in the published cohort is 1\.3\)/);
    expect(html).not.toMatch(/\x01/);
  });

  it('keeps each stderr line one line for a sample name with a line break, and warns of a duplicate probe line in --panel as coverage and pon do', () => {
    const dir = tempDir();
    const bed = join(dir, 'dup.bed');
    const lines = readFileSync(DEMO_PANEL, 'utf8').trimEnd().split('\n');
    const erbb2 = lines.find(l => l.split('\t')[3]?.startsWith('ERBB2_'))!;
    writeFileSync(bed, [...lines, erbb2, ''].join('\n'));
    const r = runCli(['call', join(TEST_DATA, 'T13.bam'), '--panel', bed, '--sample', 'a\nb', '--out', dir]);
    expect(r.status, r.stderr).toBe(0);
    // every line of stderr is one of her2cn's (a sample's line break does not start a line of its own)
    for (const line of r.stderr.trimEnd().split('\n')) expect(line).toMatch(/^her2cn: /);
    expect(r.stderr).toMatch(new RegExp(`^her2cn: warning: .*dup\\.bed line ${lines.length + 1}: duplicate probe ${erbb2.split('\t')[3]}`, 'm'));
    expect(r.stderr).toMatch(/^her2cn: a b: /m);
    expect(r.stdout).toMatch(/^a b\tno_call\t/);
  });

  it('refuses a panel of normals built for another panel', () => {
    const dir = tempDir();
    const bed = join(dir, 'other.bed');
    writeFileSync(bed, 'chr17\t39700063\t39700183\tERBB2_1\nchr17\t39710063\t39710183\tERBB2_2\n');
    const r = runCli(['call', join(TEST_DATA, 'T01.bam'), '--panel', bed, '--out', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/built for another panel/);
    expect(existsSync(join(dir, 'T01.her2cn.json'))).toBe(false);
  });
});

describe.skipIf(!toolAvailable('bcftools'))('the VCF, read by bcftools', () => {
  const query = (sample: string) =>
    execFileSync('bcftools', ['query', '-f', '%CHROM\t%POS\t%ALT\t%FILTER\t[%CALL]\t%INFO/END\t[%PROBES_AMP]\t[%GT]\t[%FT]\n', join(out, `${sample}.her2cn.vcf`)], {
      encoding: 'utf8',
    }).trim();

  it('is accepted by bcftools view without warnings', () => {
    for (const s of ['T01', 'T10', 'T13']) {
      const r = execFileSync('bcftools', ['view', '-H', join(out, `${s}.her2cn.vcf`)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(r.trim().split('\n')).toHaveLength(1);
      const stderr = execFileSync('sh', ['-c', `bcftools view ${join(out, `${s}.her2cn.vcf`)} 2>&1 >/dev/null`], { encoding: 'utf8' });
      expect(stderr).toBe('');
    }
  });

  it('tells amplified, assessed-not-amplified and not-assessed apart, in the sample\'s genotype and QC (the site\'s FILTER is PASS)', () => {
    expect(query('T01')).toMatch(/^chr17\t\d+\t<DUP>\tPASS\tamplified\t\d+\t53\t0\/1\tPASS$/);
    expect(query('T10')).toMatch(/^chr17\t\d+\t\.\tPASS\tnot_amplified\t\d+\t0\t0\/0\tPASS$/);
    expect(query('T13')).toMatch(/^chr17\t\d+\t\.\tPASS\tno_call\t\d+\t\d+\t\.\/\.\tQC_FAIL;HIGH_NOISE;LOW_DEPTH$/);
  });

  it('with --vcf-gz, is also written bgzipped, with the index tabix makes of it, and found by region', ({ skip }) => {
    skipWithout(skip, 'tabix');
    const gz = join(out, 'T04.her2cn.vcf.gz');
    expect(gunzipSync(readFileSync(gz)).equals(readFileSync(join(out, 'T04.her2cn.vcf')))).toBe(true);
    const theirs = join(tempDir(), 'T04.her2cn.vcf.gz');
    copyFileSync(gz, theirs);
    execFileSync('tabix', ['-p', 'vcf', theirs]);
    expect(gunzipSync(readFileSync(`${gz}.tbi`)).equals(gunzipSync(readFileSync(`${theirs}.tbi`)))).toBe(true);
    const found = (region: string) => execFileSync('bcftools', ['view', '-H', '-r', region, gz], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(found('chr17:39710000')).toMatch(/^chr17\t39700007\t/);
    expect(found('chr17:39800000-39900000')).toBe('');
    expect(found('chr1')).toBe('');
  });

  it('spans the ERBB2 probes', () => {
    const [, pos, , , , end] = query('T01').split('\t');
    expect(Number(pos)).toBe(39700007);
    expect(Number(end)).toBeGreaterThan(39728658 - 1);
  });
});
