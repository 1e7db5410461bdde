// `her2cn coverage` as a pipeline step sees it: output table, exit codes,
// one-line errors, nothing written on failure.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_PANEL, runCli, TEST_DATA, tempDir } from '../helpers.js';

const T01 = join(TEST_DATA, 'T01.bam');

describe('her2cn coverage', () => {
  it('writes one row per probe with chrom, start, end, name, gene, depth, reads', () => {
    const dir = tempDir();
    const out = join(dir, 'T01.coverage.tsv');
    const r = runCli(['coverage', T01, '-o', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/311 probes/);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('chrom\tstart\tend\tname\tgene\tdepth\treads');
    expect(lines).toHaveLength(312);
    const erbb2 = lines.slice(1).map(l => l.split('\t')).filter(f => f[4] === 'ERBB2');
    expect(erbb2).toHaveLength(53);
    expect(erbb2.every(f => Number(f[5]) > 0 && Number.isInteger(Number(f[6])))).toBe(true);
    expect(readdirSync(dir)).toEqual(['T01.coverage.tsv']);
  });

  it('makes the folders of -o when missing, for coverage and pon alike', () => {
    const dir = tempDir();
    const table = join(dir, 'new', 'deeper', 'T01.coverage.tsv');
    expect(runCli(['coverage', T01, '-o', table]).status).toBe(0);
    expect(readFileSync(table, 'utf8').split('\n')).toHaveLength(313);
    const pon = join(dir, 'pons', 'demo.pon.json');
    const normals = ['N01', 'N02', 'N03'].map(n => join(TEST_DATA, `${n}.bam`));
    const r = runCli(['pon', ...normals, '-o', pon]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(pon, 'utf8')).normals).toHaveLength(3);
  });

  it('prints the table on stdout without -o, identical to the file', () => {
    const dir = tempDir();
    const out = join(dir, 'a.tsv');
    runCli(['coverage', T01, '-o', out]);
    const r = runCli(['coverage', T01]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync(out, 'utf8'));
  });

  it('gives the same depths with a panel named 17 instead of chr17', () => {
    const dir = tempDir();
    const renamed = join(dir, 'panel-17.bed');
    writeFileSync(renamed, readFileSync(DEMO_PANEL, 'utf8').replace(/^chr/gm, ''));
    const a = runCli(['coverage', T01]).stdout.split('\n').map((l, i) => (i === 0 ? l : l.replace(/^chr/, '')));
    const b = runCli(['coverage', T01, '--panel', renamed]).stdout.split('\n');
    expect(b).toEqual(a);
  });

  it('applies --min-mapq: more reads at 0 than at the default 20 (the simulator puts MAPQ 0-15 reads on some probes)', () => {
    const total = (text: string) => text.trim().split('\n').slice(1).reduce((s, l) => s + Number(l.split('\t')[6]), 0);
    expect(total(runCli(['coverage', T01, '--min-mapq', '0']).stdout)).toBeGreaterThan(total(runCli(['coverage', T01]).stdout));
  });

  it('fails with one line naming a missing BAM, and writes nothing', () => {
    const dir = tempDir();
    const r = runCli(['coverage', join(dir, 'nope.bam'), '-o', join(dir, 'out.tsv')]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/nope.bam: cannot open BAM \(ENOENT\)/);
    expect(existsSync(join(dir, 'out.tsv'))).toBe(false);
  });

  it('fails on a BAM without index, naming what to do', () => {
    const dir = tempDir();
    const bam = join(dir, 'noindex.bam');
    writeFileSync(bam, readFileSync(T01));
    const r = runCli(['coverage', bam]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no index found .*samtools index/);
  });

  it('fails on a malformed panel with its line number', () => {
    const dir = tempDir();
    const bed = join(dir, 'bad.bed');
    writeFileSync(bed, 'chr17\t39700063\t39700183\tERBB2_1\nchr17\tx\t5\n');
    const r = runCli(['coverage', T01, '--panel', bed]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/bad.bed line 2: start and end must be whole numbers/);
  });

  it('treats a bad option value as a usage error (exit 2)', () => {
    const r = runCli(['coverage', T01, '--min-mapq', 'high']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--min-mapq/);
  });

  it('answers --help and --version', () => {
    expect(runCli(['--help']).stdout).toMatch(/coverage/);
    expect(runCli(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
