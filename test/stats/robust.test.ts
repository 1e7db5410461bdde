// The statistics behind normalization, on data with known answers.
import { describe, expect, it } from 'vitest';
import { partialAmplicon } from '../../src/call/partial.js';
import { gcFraction } from '../../src/panel/gc.js';
import { Random } from '../../src/stats/random.js';
import { sampleWithReplacement, weightedQuantile } from 'simple-statistics';
import { bulkCentre, robustQuadratic, weightedMedian, weightedMedianWithCi } from '../../src/stats/robust.js';

describe('robust statistics', () => {
  it('centres on the diploid bulk even when the median lies between levels', () => {
    const rng = new Random('centre');
    // 40% at 0, 35% gained (+0.6), 25% lost (-0.7): the median falls near the gains
    const values = [
      ...Array.from({ length: 400 }, () => rng.normal(0, 0.1)),
      ...Array.from({ length: 350 }, () => rng.normal(0.6, 0.1)),
      ...Array.from({ length: 250 }, () => rng.normal(-0.7, 0.1)),
    ];
    expect(Math.abs(bulkCentre(values))).toBeLessThan(0.05);
    // and equals the median for unimodal data
    const plain = Array.from({ length: 101 }, () => rng.normal(0.3, 0.3));
    expect(bulkCentre(plain)).toBe([...plain].sort((a, b) => a - b)[50]);
  });

  it('weighted median follows weights; its bootstrap interval covers the centre', () => {
    expect(weightedMedian([1, 2, 3], [1, 1, 5])).toBe(3);
    const rng = new Random('ci');
    const values = Array.from({ length: 50 }, () => rng.normal(2, 0.3));
    const e = weightedMedianWithCi(values, values.map(() => 1), 'x');
    expect(e.ci95[0]).toBeLessThan(2);
    expect(e.ci95[1]).toBeGreaterThan(2);
    expect(e.ci95[1] - e.ci95[0]).toBeLessThan(0.4);
    expect(weightedMedianWithCi(values, values.map(() => 1), 'x')).toEqual(e);
  });

  it('finds a partial amplicon as two runs of probes, and no step in a uniform gene', () => {
    const rng = new Random('partial');
    const probes = Array.from({ length: 40 }, (_, i) => ({ name: `p${i}`, log2: (i >= 25 ? 2.2 : 0) + rng.normal(0, 0.3) }));
    const split = partialAmplicon(probes, 1.3)!;
    expect(split.high).toMatchObject({ first: 'p25', last: 'p39', count: 15 });
    expect(split.low.count).toBe(25);
    const uniform = Array.from({ length: 40 }, (_, i) => ({ name: `p${i}`, log2: 1.1 + rng.normal(0, 0.3) }));
    expect(partialAmplicon(uniform, 1.3)).toBeUndefined();
  });

  it('computes GC over A, C, G, T only', () => {
    expect(gcFraction('GGCCAATT')).toBe(0.5);
    expect(gcFraction('ggcNNN')).toBe(1);
    expect(gcFraction('NNNN')).toBeUndefined();
  });
});

describe('the bootstrap interval of a weighted median', () => {
  /** The bootstrap as simple-statistics computes it: resample, then weightedQuantile of each resample. */
  function reference(values: number[], weights: number[], seed: string, rounds = 2000): [number, number] {
    const rng = new Random(`bootstrap ${seed}`);
    const indexes = values.map((_, i) => i);
    const estimates: number[] = [];
    for (let b = 0; b < rounds; b++) {
      const pick = sampleWithReplacement(indexes, indexes.length, () => rng.next());
      const w = pick.map(i => weights[i]);
      if (w.every(x => x === 0)) continue;
      estimates.push(weightedQuantile(pick.map(i => values[i]), w, 0.5));
    }
    estimates.sort((a, b) => a - b);
    const at = (p: number) => estimates[Math.min(estimates.length - 1, Math.max(0, Math.round(p * (estimates.length - 1))))];
    return [at(0.025), at(0.975)];
  }

  it('gives the numbers of resampling the values themselves, on genes of 2 to 60 probes, with ties and zero weights', () => {
    const rng = new Random('bootstrap equivalence');
    for (let t = 0; t < 60; t++) {
      const n = rng.int(2, 60);
      const values = Array.from({ length: n }, () => (rng.chance(0.2) ? 0.5 : rng.normal(0, 1)));
      const weights = Array.from({ length: n }, () => (rng.chance(0.1) ? 0 : rng.uniform(0.2, 2)));
      if (!weights.some(w => w > 0)) weights[0] = 1;
      expect(weightedMedianWithCi(values, weights, `gene ${t}`, 500).ci95).toEqual(reference(values, weights, `gene ${t}`, 500));
    }
  });
});

describe('the robust quadratic GC fit', () => {
  it('recovers a quadratic trend past the bulk of its data, despite outliers and a group at its own level', () => {
    const rng = new Random('quadratic');
    const truth = (g: number) => -1.5 * (g - 0.45) - 20 * (g - 0.45) ** 2;
    const x = Array.from({ length: 300 }, () => rng.uniform(0.3, 0.58));
    // a gained chromosome arm (+0.8) and a lost one (-0.6), each at its own level
    const group = x.map((_, i) => (i % 4 === 0 ? 1 : i % 7 === 0 ? 2 : 0));
    const y = x.map((g, i) => truth(g) + (group[i] === 1 ? 0.8 : group[i] === 2 ? -0.6 : 0) + rng.normal(0, 0.05) + (rng.chance(0.05) ? -2 : 0));
    const { curve } = robustQuadratic(x, y, group);
    // At ERBB2's GC (0.60), beyond most of the data: the curvature carried on, the gained level not taken for GC.
    for (const g of [0.35, 0.45, 0.55, 0.6]) expect(Math.abs(curve(g) - truth(g)), `GC ${g}`).toBeLessThan(0.04);
  });
});
