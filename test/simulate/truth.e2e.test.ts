// The simulator's truth, checked against numbers worked out from the biology
// (10 copies in a pure tumour are 5x the diploid depth), not from her2cn.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openBam } from '../../src/coverage/bam.js';
import { computeCoverage, DEFAULT_FILTER, type ProbeCoverage } from '../../src/coverage/engine.js';
import { readBed } from '../../src/panel/bed.js';
import { canonicalContig, isAutosome } from '../../src/panel/contigs.js';
import { Random } from '../../src/stats/random.js';
import { cohort, drawStrongGcLibrary, PARTIAL_INTERNAL } from '../../src/simulate/cohort.js';
import { bulkCopies, fishOf, type SampleSpec, truthOf, tumourCopies } from '../../src/simulate/model.js';
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

  it('low purity: FISH counts tumour nuclei, the bulk dilutes them below the cut-off', () => {
    // T14: 10 copies at 20% purity: FISH 10 / 2 = 5 (group 1); bulk (0.2 * 10 + 0.8 * 2) / 2 = 1.8
    expect(fishOf(byName.get('T14')!)).toMatchObject({ her2PerCell: 10, cep17PerCell: 2, ratio: 5, group: 1, positive: true });
    expect(truth('T14').erbb2Log2).toBeCloseTo(Math.log2(1.8), 9);
    expect(truth('T14').erbb2Log2).toBeLessThan(1.3);
  });

  it('heterogeneous: a third of tumour cells at 14 copies, the rest at 2, average 6 HER2 signals', () => {
    // 14 / 3 + 2 * 2 / 3 = 18 / 3 = 6; ratio 6 / 2 = 3 (group 1); bulk (0.7 * 6 + 0.3 * 2) / 2 = 2.4
    expect(fishOf(byName.get('T15')!)).toMatchObject({ her2PerCell: 6, cep17PerCell: 2, ratio: 3, group: 1, positive: true });
    expect(truth('T15').erbb2Log2).toBeCloseTo(Math.log2(2.4), 9);
  });

  it('internal partial amplicon: ERBB2 exons 8-16 only, 13 of 53 probes, FISH counts the amplified copies', () => {
    // breakpoints mid-intron: exon 7 ends 39,710,481 and exon 8 starts 39,711,927; exon 16 ends 39,719,834 and exon 17 starts 39,723,318
    expect(PARTIAL_INTERNAL).toEqual({ start: 39_711_204, end: 39_721_576 });
    // the demo panel tiles exons 8-16 with 1 + 2 + 1 + 1 + 2 + 2 + 1 + 2 + 1 = 13 probes
    const t = truth('T16');
    expect(t.erbb2ProbesAmplified).toBe(13);
    expect(t.erbb2Probes).toBe(53);
    // 40 of 53 probes flat: the gene's median is not raised
    expect(t.erbb2Log2).toBeCloseTo(0, 9);
    expect(fishOf(byName.get('T16')!)).toMatchObject({ her2PerCell: 16, cep17PerCell: 2, ratio: 8, group: 1, positive: true });
  });

  it('17p loss leaves the centromere, CEP17 and ERBB2 at 2 copies', () => {
    const s = byName.get('T17')!;
    expect(tumourCopies(s, 'chr17', 7_668_000, 7_669_000)).toBe(1); // TP53 on 17p
    expect(fishOf(s)).toMatchObject({ her2PerCell: 2, cep17PerCell: 2, ratio: 1, group: 5, positive: false });
    // an arm-level 17q change leaves CEP17 alone too: 17q at 3 copies gives ratio 1.5
    const q = { ...s, segments: [{ chrom: 'chr17', start: 27_400_000, end: 83_257_441, copies: 3 }] };
    expect(fishOf(q)).toMatchObject({ her2PerCell: 3, cep17PerCell: 2, ratio: 1.5, group: 5 });
  });

  it('monosomy 17 with a focal ERBB2 gain: HER2 3, CEP17 1, ratio 3, group 2, FISH negative', () => {
    expect(fishOf(byName.get('T18')!)).toMatchObject({ her2PerCell: 3, cep17PerCell: 1, ratio: 3, group: 2, positive: false });
    // 70% purity: ERBB2 (0.7 * 3 + 0.3 * 2) / 2 = 1.35, the rest of 17 (0.7 * 1 + 0.3 * 2) / 2 = 0.65
    expect(truth('T18').erbb2Log2).toBeCloseTo(Math.log2(1.35), 9);
    expect(truth('T18').chr17Log2).toBeCloseTo(Math.log2(0.65), 9);
  });

  it('genome doubling: tumour cells at 4 copies everywhere (a male\'s chrX and chrY at 2), changes stated on top', () => {
    const t20 = byName.get('T20')!;
    expect(tumourCopies(t20, 'chr1', 1_000_000, 1_001_000)).toBe(4);
    expect(tumourCopies(t20, 'chr17', 39_700_000, 39_701_000)).toBe(4);
    expect(tumourCopies(t20, 'chrX', 70_000_000, 70_001_000)).toBe(2);
    expect(tumourCopies(t20, 'chrY', 10_000_000, 10_001_000)).toBe(2);
    // bulk at 70% purity: 0.7 * 4 + 0.3 * 2 = 3.4 everywhere on the autosomes, so ERBB2 is level with the rest
    expect(bulkCopies(t20, panel.probes.find(p => p.chrom === 'chr1')!)).toBeCloseTo(3.4, 9);
    expect(truth('T20').erbb2Log2).toBeCloseTo(0, 9);
    expect(fishOf(t20)).toMatchObject({ her2PerCell: 4, cep17PerCell: 4, ratio: 1, group: 4, positive: false });
    // T19: 16 copies on baseline 4 at 60% purity: ratio 16 / 4 = 4; bulk 0.6 * 16 + 0.4 * 2 = 10.4 against 0.6 * 4 + 0.4 * 2 = 3.2
    expect(fishOf(byName.get('T19')!)).toMatchObject({ her2PerCell: 16, cep17PerCell: 4, ratio: 4, group: 1, positive: true });
    expect(truth('T19').erbb2Log2).toBeCloseTo(Math.log2(3.25), 9);
  });
});

describe('FFPE library with strong GC bias', () => {
  it('draws steep GC slopes, deep curvature and 100-140 bp inserts', () => {
    for (let k = 0; k < 50; k++) {
      const lib = drawStrongGcLibrary(new Random(`strong gc ${k}`), 300);
      expect(Math.abs(lib.gcSlope)).toBeGreaterThanOrEqual(2.5);
      expect(Math.abs(lib.gcSlope)).toBeLessThanOrEqual(4.5);
      expect(lib.gcCurve).toBeLessThanOrEqual(-10);
      expect(lib.gcCurve).toBeGreaterThanOrEqual(-20);
      expect(lib.insertMean).toBeGreaterThanOrEqual(100);
      expect(lib.insertMean).toBeLessThanOrEqual(140);
    }
  });
});
