// The QC's spread measures (src/call/spread.ts) on a synthetic panel whose
// probe log2 are drawn, so each answer is known: Gaussian noise of a known
// SD gives ratios near 1; a distortion that follows the genes' GC raises the
// gene-level spread past a limit set as the PoN sets it (twice the largest of
// ten normals); arm-level changes and a partial amplicon do not.
import { describe, expect, it } from 'vitest';
import { windowSegments } from '../../src/call/segments.js';
import { erbb2ProbeSpread, geneLevelSpread, noiseSdFromMapd } from '../../src/call/spread.js';
import { mapd } from '../../src/call/qc.js';
import { erbb2Region } from '../../src/normalize/probes.js';
import type { Probe } from '../../src/panel/panel.js';
import { QC_LIMIT_MARGIN } from '../../src/pon/qc-limits.js';
import { Random } from '../../src/stats/random.js';

// Probe noise SD, as at clinical depth (MAPD about 0.2).
const SD = 0.15;

/**
 * Six chromosomes of eight 4-probe genes 15 Mb apart (10-115 Mb), chromosome 17
 * with three genes on 17p and eight on 17q (outside the amplicon window),
 * and ERBB2 (120 probes) with two 4-probe neighbours in the window. Each
 * gene has a GC fraction of its own, drawn in 0.40-0.65.
 */
function panel(): { probes: Probe[]; geneGc: Map<string, number> } {
  const rng = new Random('spread panel');
  const probes: Probe[] = [];
  const geneGc = new Map<string, number>();
  const gene = (chrom: string, name: string, start: number, n: number, step: number) => {
    geneGc.set(name, rng.uniform(0.4, 0.65));
    for (let k = 0; k < n; k++) probes.push({ chrom, start: start + k * step, end: start + k * step + 120, name: `${name}_p${k + 1}`, gene: name });
  };
  for (let c = 1; c <= 6; c++) for (let g = 0; g < 8; g++) gene(`chr${c}`, `G${c}_${g}`, 10_000_000 + g * 15_000_000, 4, 10_000);
  for (const [g, at] of [5, 10, 15].entries()) gene('chr17', `P${g}`, at * 1_000_000, 4, 10_000);
  gene('chr17', 'LEFT', 39_400_000, 4, 10_000);
  gene('chr17', 'ERBB2', 39_700_000, 120, 250);
  gene('chr17', 'RIGHT', 40_000_000, 4, 10_000);
  for (const [g, at] of [31, 44, 50, 55, 60, 65, 70, 75].entries()) gene('chr17', `Q${g}`, at * 1_000_000, 4, 10_000);
  return { probes, geneGc };
}

const { probes, geneGc } = panel();
const region = erbb2Region(probes)!;

function noise(seed: string, sd = SD): number[] {
  const rng = new Random(seed);
  return probes.map(() => rng.normal(0, sd));
}

const spreads = (lfc: number[], noiseSd = SD) => ({
  erbb2: erbb2ProbeSpread(probes, lfc, windowSegments(probes, lfc, region, noiseSd), noiseSd),
  genes: geneLevelSpread(probes, lfc, region, noiseSd, 'GRCh38'),
});

// The limits as `her2cn pon` sets them: the largest of ten normals, times the margin.
const normals = Array.from({ length: 10 }, (_, s) => spreads(noise(`normal ${s}`)));
const geneLimit = QC_LIMIT_MARGIN * Math.max(...normals.map(n => n.genes.value!));
const erbb2Limit = QC_LIMIT_MARGIN * Math.max(...normals.map(n => n.erbb2!));

describe('the spread measures on Gaussian noise', () => {
  it('give ratios near 1 when probes have the noise SD they are judged by', () => {
    // Over ten samples the typical value is 1 within the sampling error of a robust SD
    // (about 0.1 for 120 ERBB2 residuals, 0.15 for the 59 genes scored).
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(normals.map(n => n.erbb2!))).toBeGreaterThan(0.85);
    expect(mean(normals.map(n => n.erbb2!))).toBeLessThan(1.15);
    expect(mean(normals.map(n => n.genes.value!))).toBeGreaterThan(0.85);
    expect(mean(normals.map(n => n.genes.value!))).toBeLessThan(1.15);
    // Genes scored: the 6 x 8 backbone genes and chromosome 17's 11 off the window; not ERBB2 nor its neighbours.
    expect(normals[0].genes.genes.length).toBe(59);
    expect(normals[0].genes.genes.map(g => g.gene)).not.toContain('LEFT');
  });

  it('scale with the noise: twice the noise judged against the true SD gives about 2', () => {
    const lfc = noise('twice', 2 * SD);
    expect(erbb2ProbeSpread(probes, lfc, windowSegments(probes, lfc, region, 2 * SD), SD)!).toBeGreaterThan(1.6);
    expect(geneLevelSpread(probes, lfc, region, SD, 'GRCh38').value!).toBeGreaterThan(1.6);
    // ... and judged against its own noise (from its MAPD) about 1 again.
    const own = noiseSdFromMapd(mapd(probes, lfc, () => true))!;
    expect(own / (2 * SD)).toBeGreaterThan(0.85);
    expect(own / (2 * SD)).toBeLessThan(1.15);
  });

  it('MAPD of Gaussian noise is 0.6745 x sqrt(2) x its SD', () => {
    const rng = new Random('mapd');
    const many = Array.from({ length: 20_000 }, () => rng.normal(0, 0.3));
    const chain = many.map((_, i): Probe => ({ chrom: 'chr1', start: i * 1000, end: i * 1000 + 120, name: `p${i}`, gene: '-' }));
    expect(noiseSdFromMapd(mapd(chain, many, () => true))!).toBeCloseTo(0.3, 2);
  });
});

describe('gene_level_spread', () => {
  it('rises past the limit when genes move by their GC (a GC wave left after correction)', () => {
    // Each gene moved by 4 log2 per unit of GC away from 0.5 (a gene at GC 0.6, as ERBB2,
    // 0.4 off), against a gene-level SE of about 0.1 (0.15 / sqrt(4), with its reference's).
    const lfc = noise('wave').map((v, i) => v + 4 * (geneGc.get(probes[i].gene)! - 0.5));
    const s = spreads(lfc);
    expect(s.genes.value!).toBeGreaterThan(geneLimit);
    // MAPD does not see it: neighbouring probes share their gene's shift.
    const plain = noise('wave');
    expect(mapd(probes, lfc, () => true)! / mapd(probes, plain, () => true)!).toBeLessThan(1.1);
  });

  it('stays within the limit through arm-level gains and losses, polysomy 17 and genome doubling', () => {
    const base = noise('arms');
    const gain = (i: number): number => {
      const p = probes[i];
      if (p.chrom === 'chr1' && p.start > 125_000_000) return 0.58; // 1q gain
      if (p.chrom === 'chr3') return -1; // chromosome 3 lost
      if (p.chrom === 'chr5' && p.start < 60_000_000) return -0.42; // 5p loss
      if (p.chrom === 'chr17') return p.start > 25_000_000 ? 1 : -0.5 + 1; // 17p loss on a polysomy 17 with a 17q gain
      return 0;
    };
    const arms = base.map((v, i) => v + gain(i));
    const before = spreads(base).genes.value!;
    const after = spreads(arms).genes.value!;
    expect(after).toBeLessThan(geneLimit);
    expect(Math.abs(after - before)).toBeLessThan(0.35);
    // Genome doubling and a sample-wide shift change nothing.
    expect(spreads(base.map(v => v + 1)).genes.value!).toBeCloseTo(before, 9);
  });

  it('is robust to one gene\'s focal change: biology, not distortion', () => {
    const base = noise('focal');
    const focal = base.map((v, i) => (probes[i].gene === 'G2_3' ? v + 3 : probes[i].gene === 'Q4' ? v - 2 : v));
    expect(spreads(focal).genes.value!).toBeLessThan(geneLimit);
    const z = spreads(focal).genes.genes.find(g => g.gene === 'G2_3')!.z;
    expect(z).toBeGreaterThan(10);
  });

  it('is not measured with fewer than 5 genes scored, nor without a noise', () => {
    const lfc: (number | null)[] = noise('few').map((v, i) => (probes[i].chrom === 'chr17' ? v : null));
    // chromosome 17 alone: 11 genes; with 17q's removed too, 3
    expect(geneLevelSpread(probes, lfc, region, SD, 'GRCh38').value).not.toBeNull();
    const p17 = lfc.map((v, i) => (probes[i].start < 25_000_000 ? v : null));
    expect(geneLevelSpread(probes, p17, region, SD, 'GRCh38').value).toBeNull();
    expect(geneLevelSpread(probes, lfc, region, undefined, 'GRCh38').value).toBeNull();
    // no noise and no departure at all: 0; a departure without noise is judged against 0.0001
    expect(geneLevelSpread(probes, probes.map(() => 0), region, 0, 'GRCh38').value).toBe(0);
    expect(geneLevelSpread(probes, noise('no noise'), region, 0, 'GRCh38').value!).toBeGreaterThan(100);
  });
});

describe('erbb2_probe_spread', () => {
  it('a two-level partial amplicon in ERBB2 is not scatter: measured around the segments', () => {
    const erbb2 = probes.flatMap((p, i) => (p.gene === 'ERBB2' ? [i] : []));
    const amplified = new Set(erbb2.slice(60));
    const lfc = noise('partial').map((v, i) => (amplified.has(i) ? v + 2.5 : v));
    const s = spreads(lfc);
    expect(s.erbb2!).toBeLessThan(1.3);
    expect(s.erbb2!).toBeLessThan(erbb2Limit);
    // Around one level for the whole gene, the same probes would scatter far more.
    const one = erbb2.map(i => lfc[i]);
    const med = [...one].sort((a, b) => a - b)[one.length >> 1];
    const mad = [...one.map(v => Math.abs(v - med))].sort((a, b) => a - b)[one.length >> 1];
    expect((1.4826 * mad) / SD).toBeGreaterThan(3);
  });

  it('rises past the limit when ERBB2\'s probes scatter beyond the sample\'s noise', () => {
    // Alternate probes up and down by 0.4 (a distortion by probe GC within the gene).
    let k = 0;
    const lfc = noise('scatter').map((v, i) => (probes[i].gene === 'ERBB2' ? v + (k++ % 2 ? 0.4 : -0.4) : v));
    expect(spreads(lfc).erbb2!).toBeGreaterThan(erbb2Limit);
  });

  it('is null with fewer than 5 usable ERBB2 probes or no noise to judge by', () => {
    let k = 0;
    const lfc = noise('few erbb2').map((v, i) => (probes[i].gene === 'ERBB2' && k++ >= 4 ? null : v));
    expect(erbb2ProbeSpread(probes, lfc, windowSegments(probes, lfc, region, SD), SD)).toBeNull();
    const full = noise('no noise');
    expect(erbb2ProbeSpread(probes, full, windowSegments(probes, full, region, SD), undefined)).toBeNull();
  });
});
