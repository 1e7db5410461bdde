// The panel of normals' stages on small inputs worked out by hand.
import { describe, expect, it } from 'vitest';
import {
  coverageProblem,
  DUPLICATE_MIN_CORRELATION,
  GENE_OUTLIER_MIN_LOG2,
  geneOutliers,
  identicalDepths,
  nearIdenticalPairs,
  outlierReason,
} from '../../src/pon/integrity.js';
import { erbb2Errors, GENE_LEVEL_SD_FLOOR, normalRecords } from '../../src/pon/judge.js';
import { gcTrendRemover, normalLevels, probeMedians } from '../../src/pon/levels.js';
import { probeReference } from '../../src/pon/reference.js';
import type { Probe } from '../../src/panel/panel.js';
import { Random } from '../../src/stats/random.js';

const probe = (chrom: string, start: number, gene: string): Probe => ({ chrom, start, end: start + 120, name: `${gene}_${start}`, gene });

describe('panel of normals stages', () => {
  it('takes probe medians over the finite values only', () => {
    expect(probeMedians([[1, NaN, 3], [3, NaN, 5], [2, 7, NaN]], 3)).toEqual([2, 7, 4]);
  });

  it('puts a male normal\'s chrX on the two-copy scale', () => {
    const probes = [...Array.from({ length: 20 }, (_, i) => probe(`chr${1 + (i % 5)}`, 1_000_000 * (i + 1), `g${i}`)), ...Array.from({ length: 6 }, (_, i) => probe('chrX', 10_000_000 * (i + 1), 'x'))];
    // 100x on autosomes, 50x on chrX: one X, so raised by 1 to the two-copy scale.
    const [male] = normalLevels([probes.map(p => (p.chrom === 'chrX' ? 50 : 100))], probes);
    expect(male.sex.sex).toBe('male');
    probes.forEach((_, i) => expect(male.values[i]).toBeCloseTo(0, 9));
  });

  it("removes each normal's GC trend where ERBB2 lies, beyond the backbone's GC range", () => {
    // Backbone probes at GC 0.30-0.55, chromosome 17's genes at 0.40-0.65,
    // ERBB2's at 0.55-0.66 (as on a real panel). Each normal has its own GC
    // curve, quadratic in log space, and noise; after the stage every
    // normal's ERBB2 probes must sit on the other normals' median within the
    // noise. The LOWESS on the backbone this stage had before (held flat beyond
    // it, against the other normals' median) left 0.05-0.40 on seven of the eight.
    const rng = new Random('pon gc');
    const backbone = Array.from({ length: 132 }, (_, i) => ({ ...probe(`chr${1 + (i % 22)}`, 1_000_000 * (i + 1), `bb${i % 22}`), gc: 0.3 + 0.25 * rng.next() }));
    const chr17 = Array.from({ length: 40 }, (_, i) => ({ ...probe('chr17', i < 20 ? 1_000_000 * (i + 1) : 45_000_000 + 500_000 * i, `c17g${i >> 2}`), gc: 0.4 + 0.25 * rng.next() }));
    const erbb2 = Array.from({ length: 50 }, (_, i) => ({ ...probe('chr17', 39_700_000 + 800 * i, 'ERBB2'), gc: 0.55 + 0.11 * rng.next() }));
    const probes = [...backbone, ...chr17, ...erbb2];
    const curves = Array.from({ length: 8 }, () => ({ slope: rng.normal(0, 2.5), curve: -rng.uniform(0, 15) }));
    const levels = curves.map(c => ({
      values: probes.map(p => (c.slope * (p.gc - 0.45) + c.curve * (p.gc - 0.45) ** 2) / Math.LN2 + rng.normal(0, 0.05)),
      sex: { sex: 'female' as const, xLog2: null, yLog2: null },
    }));
    const erbb2Mean = (values: number[], reference: number[]) => {
      const d = probes.flatMap((p, i) => (p.gene === 'ERBB2' ? [values[i] - reference[i]] : []));
      return d.reduce((a, b) => a + b, 0) / d.length;
    };
    const before = levels.map((l, s) => Math.abs(erbb2Mean(l.values, probeMedians(levels.filter((_, t) => t !== s).map(o => o.values), probes.length))));
    expect(Math.max(...before)).toBeGreaterThan(0.3);
    gcTrendRemover(probes, probes.map(p => p.gc), 'GRCh38')(levels);
    levels.forEach((l, s) => {
      expect(Math.abs(erbb2Mean(l.values, probeMedians(levels.filter((_, t) => t !== s).map(o => o.values), probes.length)))).toBeLessThan(0.05);
    });
  });

  it('flags probes no normal covers, poorly captured probes and noisy probes, and weighs the rest by inverse variance', () => {
    const rng = new Random('pon reference');
    const probes = Array.from({ length: 30 }, (_, i) => probe('chr1', 1000 * i, `g${i}`));
    const used = Array.from({ length: 8 }, () => probes.map(() => rng.normal(0, 0.1)));
    for (const u of used) {
      u[0] = NaN; // no coverage
      u[1] = -4 + rng.normal(0, 0.1); // 1/16 of the typical probe
      u[2] = rng.normal(0, 1); // ten times the typical spread
    }
    const ref = probeReference(used, probes, 0);
    expect(ref.flags[0]).toEqual(['no_coverage']);
    expect(ref.flags[1]).toEqual(['low_coverage']);
    expect(ref.flags[2]).toEqual(['noisy']);
    expect(ref.weight.slice(0, 3)).toEqual([0, 0, 0]);
    expect(ref.typicalSpread).toBeGreaterThan(0.06);
    expect(ref.typicalSpread).toBeLessThan(0.14);
    // weights are normalized to a median of 1
    const w = ref.weight.filter(x => x > 0).sort((a, b) => a - b);
    expect(w[Math.floor(w.length / 2)]).toBeCloseTo(1, 1);
  });

  it('leaves out a normal three times noisier than the others, saying why', () => {
    const rng = new Random('pon judge');
    const probes = Array.from({ length: 60 }, (_, i) => probe(`chr${1 + (i % 6)}`, 1_000_000 * (i + 1), `g${i}`));
    const levels = Array.from({ length: 6 }, (_, s) => ({ values: probes.map(() => rng.normal(0, s === 5 ? 0.3 : 0.1)), sex: { sex: 'female' as const, xLog2: null, yLog2: null } }));
    const normals = levels.map((_, s) => ({ name: `N${s}`, bam: `N${s}.bam`, build: 'GRCh38', depths: probes.map(() => 100), medianInsert: 200, insertSpread: 40 }));
    const records = normalRecords(normals, levels, probes, 2);
    expect(records.map(r => r.used)).toEqual([true, true, true, true, true, false]);
    expect(records[5].reason).toMatch(/^noisy: robust SD of log2 against the other normals/);
  });

  it("measures the assay's gene-level SD as what the normals' ERBB2 levels share, not their probes' sampling noise", () => {
    // ERBB2's 50 probes with independent noise (SD 0.1 or 0.3: a median of
    // 50 such values scatters by sqrt(pi/2) * SD / sqrt(50), 0.018 or 0.053,
    // which a tumour's own probe bootstrap already carries), plus an offset
    // shared by all of a normal's ERBB2 probes, SD `shared`: the gene-level SD
    // must be the offsets' own RMS, whatever the probe noise. 200 normals, so
    // that the estimate is tight; the backbone is quiet (SD 0.02), so that
    // each normal's centring, an error its ERBB2 probes also share, stays small.
    const probes = [
      ...Array.from({ length: 120 }, (_, i) => probe(`chr${1 + (i % 6)}`, 1_000_000 * (i + 1), `b${i % 6}`)),
      ...Array.from({ length: 50 }, (_, i) => probe('chr17', 39_700_000 + 800 * i, 'ERBB2')),
    ];
    const measured = (shared: number, noise: number, count: number) => {
      const rng = new Random(`assay sd ${shared} ${noise} ${count}`);
      const offsets: number[] = [];
      const levels = Array.from({ length: count }, () => {
        const offset = rng.normal(0, shared);
        offsets.push(offset);
        return { values: probes.map(p => (p.gene === 'ERBB2' ? rng.normal(0, noise) + offset : rng.normal(0, 0.02))), sex: { sex: 'female' as const, xLog2: null, yLog2: null } };
      });
      const normals = levels.map((_, s) => ({ name: `N${s}`, bam: `N${s}.bam`, build: 'GRCh38', depths: probes.map(() => 100), medianInsert: 200, insertSpread: 40 }));
      const result = erbb2Errors(normalRecords(normals, levels, probes, 2), levels, probes);
      // The offsets' RMS as drawn: the truth the SD should find.
      return { ...result, truth: Math.sqrt(offsets.reduce((a, o) => a + o * o, 0) / offsets.length) };
    };
    for (const noise of [0.1, 0.3]) {
      const some = measured(0.06, noise, 200);
      expect(some.atFloor).toBe(false);
      expect(Math.abs(some.sd - some.truth)).toBeLessThan(0.015);
      expect(some.rms).toBeGreaterThan(some.truth + (noise > 0.2 ? 0.015 : 0));
    }
    // No shared error: the sampling explains every normal's error, and the
    // SD is kept at its floor, half the whole RMS, never 0.
    const none = measured(0, 0.2, 200);
    expect(none.rms).toBeGreaterThan(0.03);
    expect(none.atFloor).toBe(true);
    expect(none.sd).toBeCloseTo(GENE_LEVEL_SD_FLOOR * none.rms, 12);
    // Three normals agreeing by chance cannot take it to 0 either.
    const few = measured(0, 0.2, 3);
    expect(few.sd).toBeGreaterThan(0);
  });
});

describe('panel of normals integrity stages', () => {
  const female = { sex: 'female' as const, xLog2: null, yLog2: null };
  // 200 centring probes on chr1-chr6, and a 20-probe gene G and a 4-probe gene H on chr17.
  const probes = [
    ...Array.from({ length: 200 }, (_, i) => probe(`chr${1 + (i % 6)}`, 1_000_000 * (i + 1), `b${i % 6}`)),
    ...Array.from({ length: 20 }, (_, i) => probe('chr17', 39_700_000 + 1000 * i, 'G')),
    ...Array.from({ length: 4 }, (_, i) => probe('chr17', 7_000_000 + 1000 * i, 'H')),
  ];
  const independent = (rng: Random, count: number, sd = 0.3) => Array.from({ length: count }, () => ({ values: probes.map(() => rng.normal(0, sd)), sex: female }));

  it('finds no usable coverage without reads, or without reads on most centring probes', () => {
    expect(coverageProblem(probes.map(() => 0), probes)).toBe("no usable coverage: no reads on any of the panel's 224 probes");
    expect(coverageProblem(probes.map((p, i) => (i < 101 ? 0 : 20)), probes)).toBe('no usable coverage: reads on only 99 of the 200 probes it is normalized on (autosomes other than chromosome 17)');
    expect(coverageProblem(probes.map((p, i) => (i < 100 ? 0 : 20)), probes)).toBeUndefined();
  });

  it('groups normals with identical depths', () => {
    expect(identicalDepths([[1, 2], [3, 4], [1, 2], [1, 2.5], [3, 4]])).toEqual([[0, 2], [1, 4]]);
    expect(identicalDepths([[1, 2], [2, 1]])).toEqual([]);
  });

  it('passes independent normals, ten or three', () => {
    const rng = new Random('independent');
    expect(nearIdenticalPairs(independent(rng, 10), probes).pairs).toEqual([]);
    const three = nearIdenticalPairs(independent(rng, 3), probes);
    expect(three.pairs).toEqual([]);
    // three independent normals' leave-one-out residuals correlate about -0.5
    expect(three.typical).toBeCloseTo(-0.5, 0);
    expect(three.limit).toBe(DUPLICATE_MIN_CORRELATION);
  });

  it('finds a library read twice (its second reading 90% the same) among ten, and among three', () => {
    const rng = new Random('twice');
    for (const count of [10, 3]) {
      const levels = independent(rng, count);
      levels[count - 1] = { values: levels[0].values.map(v => 0.95 * v + rng.normal(0, 0.1)), sex: female };
      const found = nearIdenticalPairs(levels, probes);
      expect(found.pairs.map(p => [p.a, p.b])).toEqual([[0, count - 1]]);
      expect(found.pairs[0].correlation).toBeGreaterThan(found.limit);
    }
  });

  it('finds a normal with a gained gene, among six and among three, and no other', () => {
    const rng = new Random('gain');
    for (const count of [6, 3]) {
      const levels = independent(rng, count);
      probes.forEach((p, i) => {
        if (p.gene === 'G') levels[1].values[i] += 1;
      });
      const outliers = geneOutliers(levels, probes);
      expect(outliers.map(o => o.map(x => x.gene))).toEqual(levels.map((_, s) => (s === 1 ? ['G'] : [])));
      expect(outliers[1][0].log2).toBeGreaterThan(0.7);
      expect(outliers[1][0].limit).toBeGreaterThanOrEqual(GENE_OUTLIER_MIN_LOG2);
      expect(outlierReason(outliers[1])).toMatch(/^copy-number outlier against the normals' median: G log2 \+0\.\d\d \(limit ±0\.\d\d\); a tumour or a contaminated normal\?$/);
    }
  });

  it('does not call a 4-probe gene an outlier for a shift its noise explains', () => {
    const rng = new Random('small shifts');
    const levels = independent(rng, 8);
    // 4 probes of SD 0.3 (a little more against the others): their median's SE is about 0.21, the limit about 1
    probes.forEach((p, i) => p.gene === 'H' && (levels[2].values[i] += 0.5));
    expect(geneOutliers(levels, probes).every(o => o.length === 0)).toBe(true);
  });

  it('calls no gene shift below 0.5 an outlier, however precise the normals', () => {
    const rng = new Random('precise');
    const levels = independent(rng, 8, 0.03);
    probes.forEach((p, i) => p.gene === 'G' && ((levels[3].values[i] += 0.45), (levels[4].values[i] += 0.55)));
    const outliers = geneOutliers(levels, probes);
    expect(outliers.map(o => o.map(x => `${x.gene} ${x.limit}`))).toEqual(levels.map((_, s) => (s === 4 ? [`G ${GENE_OUTLIER_MIN_LOG2}`] : [])));
  });
});
