// The panel reader on BED files as vendors ship them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Her2cnError } from '../../src/errors/errors.js';
import { geneOf, parseBed, readBed } from '../../src/panel/bed.js';
import { resolveContig } from '../../src/panel/contigs.js';
import { clusterProbes } from '../../src/panel/panel.js';
import { DEMO_PANEL, tempDir } from '../helpers.js';

describe('gene of a probe name', () => {
  it.each([
    ['ERBB2_ex12_p1', 'ERBB2'],
    ['ERBB2;NM_004448;exon12', 'ERBB2'],
    ['ERBB2|12', 'ERBB2'],
    ['ERBB2,exon12', 'ERBB2'],
    ['ERBB2:12', 'ERBB2'],
    ['ERBB2', 'ERBB2'],
    ['chr1-backbone_p3', 'chr1-backbone'],
    ['', '-'],
  ])('%s -> %s', (name, gene) => {
    expect(geneOf(name)).toBe(gene);
  });

  it('takes a pattern for panels that name genes differently', () => {
    expect(geneOf('target_0012_gene=ERBB2_exon3', /gene=([A-Z0-9]+)/)).toBe('ERBB2');
    expect(geneOf('no gene here', /gene=([A-Z0-9]+)/)).toBe('-');
  });
});

describe('BED parsing', () => {
  it('accepts 3- to 6-column lines, track/browser/comment lines, CRLF, unsorted and overlapping probes', () => {
    const bed = [
      'browser position chr17:39700000-39730000',
      'track name=panel description="demo"',
      '# a comment',
      'chr17\t39700100\t39700220\tERBB2_ex1_p2\t0\t+',
      '17\t39700063\t39700183\tERBB2_ex1_p1',
      'chr1\t1000\t1120',
      'chr17\t39700063\t39700183\tERBB2_ex1_p1b\t0',
      'chrX\t5000\t5120\tchrX-backbone_p1\r',
      '',
    ].join('\n');
    const panel = parseBed(bed, 'vendor.bed');
    expect(panel.probes.map(p => [p.chrom, p.start, p.gene])).toEqual([
      ['chr1', 1000, '-'],
      ['17', 39700063, 'ERBB2'],
      ['chr17', 39700063, 'ERBB2'],
      ['chr17', 39700100, 'ERBB2'],
      ['chrX', 5000, 'chrX-backbone'],
    ]);
    expect(panel.probes[0].name).toBe('chr1:1001-1120');
  });

  it('reads a gc column named in a # header', () => {
    const panel = parseBed('#chrom\tstart\tend\tname\tscore\tstrand\tgc\nchr17\t10\t130\tA_1\t0\t+\t0.615\n', 'gc.bed');
    expect(panel.probes[0].gc).toBe(0.615);
  });

  it('drops an exact duplicate line with a warning', () => {
    const panel = parseBed('chr1\t10\t130\tA\nchr1\t10\t130\tA\n', 'dup.bed');
    expect(panel.probes).toHaveLength(1);
    expect(panel.warnings[0]).toMatch(/dup.bed line 2: duplicate probe A/);
  });

  it.each([
    ['chr1\t10\n', /line 1: expected at least 3 tab-separated columns/],
    ['chr1\t10\t130\tA\nchr1\tten\t130\tB\n', /line 2: start and end must be whole numbers/],
    ['chr1\t130\t10\tA\n', /line 1: end \(10\) must be greater than start \(130\)/],
    ['chr1\t-5\t10\tA\n', /line 1: start and end must be whole numbers/],
    ['#chrom\tstart\tend\tname\tgc\nchr1\t10\t130\tA\t1.7\n', /line 2: gc must be a fraction between 0 and 1/],
    ['', /no probes found/],
    ['track name=x\n# only comments\n', /no probes found/],
  ])('refuses %j with a line-numbered error', (text, message) => {
    expect(() => parseBed(text, 'bad.bed')).toThrow(Her2cnError);
    expect(() => parseBed(text, 'bad.bed')).toThrow(message);
  });

  it('names the file when it cannot be read', () => {
    expect(() => readBed(join(tempDir(), 'missing.bed'))).toThrow(/missing.bed: cannot read panel BED \(ENOENT\)/);
  });

  it('refuses an invalid gene pattern', () => {
    const path = join(tempDir(), 'p.bed');
    writeFileSync(path, 'chr1\t1\t121\tA\n');
    expect(() => readBed(path, { genePattern: '(' })).toThrow(/not a valid regular expression/);
  });
});

describe('contig naming', () => {
  it('matches chr17 and 17, chrM and MT', () => {
    expect(resolveContig('chr17', ['1', '17'])).toBe('17');
    expect(resolveContig('17', ['chr1', 'chr17'])).toBe('chr17');
    expect(resolveContig('chrM', ['MT'])).toBe('MT');
    expect(resolveContig('chr17', ['chr17', '17'])).toBe('chr17');
    expect(resolveContig('chr9', ['chr1'])).toBeUndefined();
  });
});

describe('the demo panel', () => {
  const panel = readBed(DEMO_PANEL);
  it('tiles all 27 ERBB2 exons with 120-nt probes and carries GC for every probe', () => {
    const erbb2 = panel.probes.filter(p => p.gene === 'ERBB2');
    const exons = new Set(erbb2.map(p => /_ex(\d+)_/.exec(p.name)![1]));
    expect(exons.size).toBe(27);
    expect(panel.probes.every(p => p.end - p.start === 120 && p.gc !== undefined)).toBe(true);
    // exon 1 of NM_004448.4 in GRCh38 is chr17:39700064-39700311 (1-based)
    expect(erbb2.some(p => p.start <= 39700063 + 60 && p.end >= 39700063)).toBe(true);
  });

  it('has 17q12 neighbours, other chromosome-17 genes, backbone on every autosome, chrX and chrY', () => {
    const genes = new Set(panel.probes.map(p => p.gene));
    for (const g of ['PGAP3', 'MIEN1', 'GRB7', 'STARD3', 'IKZF3', 'MED1', 'CDK12', 'TP53', 'NF1', 'BRCA1', 'RARA', 'TOP2A', 'MAP2K4']) expect(genes).toContain(g);
    const chroms = new Set(panel.probes.map(p => p.chrom));
    for (let c = 1; c <= 22; c++) expect(chroms).toContain(`chr${c}`);
    expect(chroms).toContain('chrX');
    expect(chroms).toContain('chrY');
  });

  it('clusters close probes so the reads between them are read once', () => {
    const clusters = clusterProbes(panel.probes);
    expect(clusters.length).toBeLessThan(panel.probes.length);
    expect(clusters.flatMap(c => c.probes)).toEqual(panel.probes.map((_, i) => i));
  });
});
