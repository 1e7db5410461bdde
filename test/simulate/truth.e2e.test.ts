// The simulator's truth, checked against numbers worked out from the biology
// (10 copies in a pure tumour are 5x the diploid depth), not from her2cn.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openBam } from '../../src/coverage/bam.js';
import { computeCoverage, DEFAULT_FILTER, type ProbeCoverage } from '../../src/coverage/engine.js';
import { readBed } from '../../src/panel/bed.js';
import { canonicalContig, isAutosome } from '../../src/panel/contigs.js';
import { cohort } from '../../src/simulate/cohort.js';
import { fishOf, type SampleSpec, truthOf } from '../../src/simulate/model.js';
import { writeSampleBam } from '../../src/simulate/write.js';
import { DEMO_PANEL, tempDir } from '../helpers.js';

const panel = readBed(DEMO_PANEL);
const dir = tempDir();

const LIBRARY: SampleSpec['library'] = {
  depth: 80,
  gcSlope: 0,
  gcCurve: 0,
  noiseCv: 0.03,
  duplicateRate: 0.15,
  offTargetFraction: 0.25,
  insertMean: 220,
  insertSd: 40,
};

function spec(name: string, over: Partial<SampleSpec> = {}): SampleSpec {
  return { name, role: 'normal', sex: 'female', library: LIBRARY, ffpe: false, purity: 0, chr17Copies: 2, segments: [], description: name, ...over };
}

async function simulate(s: SampleSpec, filter = DEFAULT_FILTER): Promise<ProbeCoverage[]> {
  const path = join(dir, `${s.name}.bam`);
  writeSampleBam(s, panel.probes, path, 'truth test', { level: 1 });
  const bam = await openBam(path);
  try {
    return (await computeCoverage(bam, panel, filter)).probes;
  } finally {
    bam.close();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Library size: median depth of autosomal probes off chromosome 17. */
function librarySize(probes: ProbeCoverage[]): number {
  return median(probes.filter(p => isAutosome(p.chrom) && canonicalContig(p.chrom) !== '17').map(p => p.depth));
}

describe('simulated depth follows copy number', () => {
  let normal: ProbeCoverage[];
  let tumour: ProbeCoverage[];
  let male: ProbeCoverage[];
  beforeAll(async () => {
    normal = await simulate(spec('normalF'));
    tumour = await simulate(
      spec('pure10', { role: 'tumour', purity: 1, amplicon: { extent: 'erbb2', start: 39_680_000, end: 39_735_000, copies: 10, fraction: 1 } }),
    );
    male = await simulate(spec('normalM', { sex: 'male' }));
  });

  it('a pure tumour with 10 ERBB2 copies has ERBB2 depth about 5x a normal\'s after library-size scaling', () => {
    const scaleT = librarySize(tumour);
    const scaleN = librarySize(normal);
    const ratios = tumour.map((p, i) => p.depth / scaleT / (normal[i].depth / scaleN));
    const erbb2 = ratios.filter((_, i) => tumour[i].gene === 'ERBB2');
    expect(erbb2.length).toBe(53);
    expect(median(erbb2)).toBeGreaterThan(5 * 0.92);
    expect(median(erbb2)).toBeLessThan(5 * 1.08);
    // and probes far from the amplicon stay at 1
    const backbone = ratios.filter((_, i) => tumour[i].gene.endsWith('-backbone') && isAutosome(tumour[i].chrom));
    expect(median(backbone)).toBeGreaterThan(0.95);
    expect(median(backbone)).toBeLessThan(1.05);
  });

  it('a male has half the chrX depth of a female and chrY reads only in the male', () => {
    const x = (probes: ProbeCoverage[]) => median(probes.filter(p => p.chrom === 'chrX').map(p => p.depth)) / librarySize(probes);
    const y = (probes: ProbeCoverage[]) => median(probes.filter(p => p.chrom === 'chrY').map(p => p.depth)) / librarySize(probes);
    expect(x(male) / x(normal)).toBeGreaterThan(0.4);
    expect(x(male) / x(normal)).toBeLessThan(0.6);
    expect(y(normal)).toBe(0);
    expect(y(male)).toBeGreaterThan(0.35);
  });

  it('duplicates are in the BAM at the simulated rate and excluded from depth', async () => {
    const withDuplicates = await simulate(spec('normalF'), { ...DEFAULT_FILTER, excludeFlags: DEFAULT_FILTER.excludeFlags & ~0x400 });
    const total = (ps: ProbeCoverage[]) => ps.reduce((s, p) => s + p.depth, 0);
    // each fragment has Poisson(d / (1 - d)) duplicate copies, so counting them multiplies depth by 1 / (1 - d)
    const expected = 1 / (1 - LIBRARY.duplicateRate);
    expect(total(withDuplicates) / total(normal)).toBeGreaterThan(expected - 0.02);
    expect(total(withDuplicates) / total(normal)).toBeLessThan(expected + 0.02);
  });

  it('GC bias tilts depth with probe GC', async () => {
    const tilted = await simulate(spec('normalF', { library: { ...LIBRARY, gcSlope: 4 } }));
    // log ratio to the untilted sample against GC: slope 4 in natural log units
    const xs: number[] = [];
    const ys: number[] = [];
    tilted.forEach((p, i) => {
      if (isAutosome(p.chrom) && p.depth > 0 && normal[i].depth > 0) {
        xs.push(panel.probes[i].gc!);
        ys.push(Math.log(p.depth / normal[i].depth));
      }
    });
    const mx = xs.reduce((a, b) => a + b) / xs.length;
    const my = ys.reduce((a, b) => a + b) / ys.length;
    const slope = xs.reduce((s, x, i) => s + (x - mx) * (ys[i] - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
    expect(slope).toBeGreaterThan(3.2);
    expect(slope).toBeLessThan(4.8);
  });
});

describe('truth of the committed cohort', () => {
  const specs = cohort({ seed: 'her2cn test-data v1' });
  const byName = new Map(specs.map(s => [s.name, s]));
  const truth = (name: string) => truthOf(byName.get(name)!, panel.probes);

  it('computes bulk ERBB2 log2 from purity and copy number', () => {
    // T01: purity 0.6, 12 copies: (0.6 * 12 + 0.4 * 2) / 2 = 4
    expect(truth('T01').erbb2Log2).toBeCloseTo(2, 9);
    // T05: 70% purity, half the tumour cells at 16 copies: tumour mean 9, bulk (0.7 * 9 + 0.3 * 2) / 2
    expect(truth('T05').erbb2Log2).toBeCloseTo(Math.log2((0.7 * 9 + 0.6) / 2), 9);
    // T12: 30% purity, 8 copies: FISH positive, bulk log2 below 1.3
    expect(truth('T12').erbb2Log2).toBeCloseTo(Math.log2((0.3 * 8 + 0.7 * 2) / 2), 9);
  });

  it('gives polysomy 17 a raised chromosome 17 and ERBB2 together, and a FISH ratio of 1', () => {
    const t = truth('T06');
    const level = Math.log2((0.7 * 4 + 0.3 * 2) / 2);
    expect(t.erbb2Log2).toBeCloseTo(level, 9);
    expect(t.chr17Log2).toBeCloseTo(level, 9);
    expect(fishOf(byName.get('T06')!)).toMatchObject({ her2PerCell: 4, cep17PerCell: 4, ratio: 1, group: 4, positive: false });
  });

  it('assigns ASCO/CAP groups from signals per tumour nucleus', () => {
    expect(fishOf(byName.get('T01')!)).toMatchObject({ her2PerCell: 12, cep17PerCell: 2, ratio: 6, group: 1, positive: true });
    expect(fishOf(byName.get('T10')!)).toMatchObject({ ratio: 1, group: 5, positive: false });
    expect(fishOf(byName.get('T07')!)).toMatchObject({ her2PerCell: 5, cep17PerCell: 5, group: 4, positive: false });
  });

  it('marks the partial amplicon: only ERBB2 exons 13-27 amplified', () => {
    const t = truth('T04');
    const amplified = panel.probes.filter(p => p.gene === 'ERBB2' && Number(/_ex(\d+)_/.exec(p.name)![1]) >= 13).length;
    expect(t.erbb2ProbesAmplified).toBe(amplified);
    expect(amplified).toBeLessThan(t.erbb2Probes);
  });

  it('centres an aneuploid tumour on its diploid bulk', () => {
    expect(truth('T08').erbb2Log2).toBeCloseTo(0, 9);
  });
});
