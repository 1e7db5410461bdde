// The statistics behind normalization, on data with known answers.
import { describe, expect, it } from 'vitest';
import { partialAmplicon } from '../../src/call/partial.js';
import { gcFraction } from '../../src/panel/gc.js';
import { Random } from '../../src/stats/random.js';
import { median, sampleWithReplacement, standardDeviation, weightedQuantile } from 'simple-statistics';
import { biweightLocation, biweightLocationWithCi, bulkCentre, robustQuadratic, weightedMedian } from '../../src/stats/robust.js';

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

  it('weighted median follows weights', () => {
    expect(weightedMedian([1, 2, 3], [1, 1, 5])).toBe(3);
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

describe('the biweight location of a gene\'s probes', () => {
  /** Tukey's biweight written out plainly: weighted mean, weights w·(1 - u²)², u = (x - m) / (4.685 s), from `start` at scale s. */
  function biweight(values: number[], weights: number[], start: number, s: number): number {
    let m = start;
    for (let k = 0; k < 200; k++) {
      let sum = 0;
      let total = 0;
      values.forEach((x, i) => {
        const u = (x - m) / (4.685 * s);
        if (Math.abs(u) < 1) {
          sum += weights[i] * (1 - u * u) ** 2 * x;
          total += weights[i] * (1 - u * u) ** 2;
        }
      });
      if (total === 0) break;
      m = sum / total;
    }
    return m;
  }

  it('is near the mean on normal probes: its error is the mean\'s, where the median\'s is about 1.25 times larger', () => {
    const rng = new Random('biweight efficiency');
    const errors = { biweight: [] as number[], mean: [] as number[], median: [] as number[] };
    for (let t = 0; t < 2000; t++) {
      const values = Array.from({ length: 50 }, () => rng.normal(0, 0.2));
      const ones = values.map(() => 1);
      errors.biweight.push(biweightLocation(values, ones));
      errors.mean.push(values.reduce((a, b) => a + b, 0) / values.length);
      errors.median.push(median(values));
    }
    const sd = (e: number[]) => standardDeviation(e);
    // Theory: 0.2 / √50 = 0.0283 for the mean; 95% efficiency gives 1.026 times that, the median about 1.25.
    expect(sd(errors.mean)).toBeCloseTo(0.2 / Math.sqrt(50), 2);
    expect(sd(errors.biweight) / sd(errors.mean)).toBeGreaterThan(1);
    expect(sd(errors.biweight) / sd(errors.mean)).toBeLessThan(1.06);
    expect(sd(errors.median) / sd(errors.mean)).toBeGreaterThan(1.15);
  });

  it('gives no weight to probes far off (a failed capture, the other level of a partial amplicon) and follows the prior weights', () => {
    const rng = new Random('biweight outliers');
    const values = [...Array.from({ length: 30 }, () => rng.normal(1, 0.15)), ...Array.from({ length: 8 }, () => rng.normal(3.5, 0.15)), -4];
    const ones = values.map(() => 1);
    const kept = values.slice(0, 30);
    // Only the 30 probes of the main level count: the result is their own biweight, with the scale of all 39.
    const start = weightedMedian(values, ones);
    const scale = 1.4826 * median(values.map(v => Math.abs(v - start)));
    expect(biweightLocation(values, ones)).toBeCloseTo(biweight(values, ones, start, scale), 7);
    expect(Math.abs(biweightLocation(values, ones) - 1)).toBeLessThan(0.08);
    expect(biweight(values, ones, start, scale)).toBeCloseTo(biweight(kept, kept.map(() => 1), start, scale), 7);
    // A probe of weight 3 counts as three of weight 1.
    const tripled = [...values, values[0], values[0]];
    const w = values.map((_, i) => (i === 0 ? 3 : 1));
    expect(biweightLocation(values, w)).toBeCloseTo(biweightLocation(tripled, tripled.map(() => 1)), 2);
  });

  it('keeps a gene split into two levels at its majority\'s level when the sample\'s noise is given', () => {
    const rng = new Random('biweight split');
    // 33 probes at 2.2 and 20 at 0, noisy as a 20x sample's (SD 0.3): the split widens the gene's own MAD.
    const values = [...Array.from({ length: 33 }, () => rng.normal(2.2, 0.3)), ...Array.from({ length: 20 }, () => rng.normal(0, 0.3))];
    const ones = values.map(() => 1);
    const high = values.slice(0, 33);
    const own = biweightLocation(values, ones);
    const withNoise = biweightLocation(values, ones, 0.3);
    // Its own spread lets the low run pull the level down; the sample's noise (smaller) does not.
    expect(own).toBeLessThan(weightedMedian(high, high.map(() => 1)) - 0.1);
    expect(Math.abs(withNoise - 2.2)).toBeLessThan(0.15);
    // A noise larger than the gene's own spread changes nothing: the smaller of the two is taken.
    const plain = Array.from({ length: 40 }, () => rng.normal(0.5, 0.1));
    expect(biweightLocation(plain, plain.map(() => 1), 0.5)).toBe(biweightLocation(plain, plain.map(() => 1)));
    expect(biweightLocationWithCi(plain, plain.map(() => 1), 's', 200, 0.5)).toEqual(biweightLocationWithCi(plain, plain.map(() => 1), 's', 200));
  });

  it('does not step past the nearest level to the other run of a split gene', () => {
    // 30 probes near 2.3 and 23 near 0 (a 20x sample's noise, 0.322): the weighted median (1.80) lies
    // between the runs; the biweight must settle on the majority's run, not jump to the other.
    const values = [
      2.2, 2.75, 2.44, 2.17, 2.63, 2.22, 2.66, 1.8, 2.28, 2.23, 2.89, 1.97, 2.46, 1.78, 2.6, 2.02, 1.91, 2.15, 2.31, 2.34, 2.45, 1.79, 2.27, 2.51, 2.41, 2.3,
      1.65, 2.34, 2.53, 2.03, 0, 0.31, 0.04, -0.41, -0.32, -0.12, 0.55, -0.06, 0.06, -0.54, 0.16, 0.12, 0.55, -0.06, -0.15, -0.31, 0.19, -0.01, -0.05, 0.35,
      -0.2, -0.39, 0.41,
    ];
    const ones = values.map(() => 1);
    expect(weightedMedian(values, ones)).toBeCloseTo(1.8, 6);
    expect(biweightLocation(values, ones, 0.322)).toBeCloseTo(biweight(values, ones, 1.8, 0.322), 7);
    expect(biweightLocation(values, ones, 0.322)).toBeGreaterThan(2.2);
    const e = biweightLocationWithCi(values, ones, 'split', 2000, 0.322);
    expect(e.ci95[0]).toBeGreaterThan(2);
  });

  it('is the weighted median below eight probes or without spread', () => {
    expect(biweightLocation([1, 5], [1, 3])).toBe(5);
    expect(biweightLocation([0.1, 0.2, 0.9, 0.3, 0.25, 0.15, 0.22], [1, 1, 1, 1, 1, 1, 1])).toBe(0.22);
    expect(biweightLocation([2, 2, 2, 2], [1, 1, 1, 1])).toBe(2);
    expect(biweightLocationWithCi([2, 2, 2, 2], [1, 1, 1, 1], 'x')).toEqual({ value: 2, ci95: [2, 2] });
  });

  it('bootstraps the same numbers as resampling the probes and recomputing, on genes of 2 to 60 probes, with ties and zero weights', () => {
    const rng = new Random('bootstrap equivalence');
    for (let t = 0; t < 40; t++) {
      const n = rng.int(2, 60);
      const values = Array.from({ length: n }, () => (rng.chance(0.2) ? 0.5 : rng.normal(0, 1)));
      const weights = Array.from({ length: n }, () => (rng.chance(0.1) ? 0 : rng.uniform(0.2, 2)));
      if (!weights.some(w => w > 0)) weights[0] = 1;
      // The reference: simple-statistics' resampling with the same random draws, each resample's biweight from the whole sample's estimate and scale.
      const start = weightedQuantile(values, weights, 0.5);
      // Half the genes with the sample's noise given, smaller than their own SD (0.6 against about 1).
      const noise = t % 2 ? 0.6 : undefined;
      const own = n < 8 ? 0 : 1.4826 * median(values.map(v => Math.abs(v - start)));
      const scale = noise !== undefined && noise < own ? noise : own;
      const value = scale > 0 ? biweight(values, weights, start, scale) : start;
      const draw = new Random(`bootstrap gene ${t}`);
      const indexes = values.map((_, i) => i);
      const estimates: number[] = [];
      for (let b = 0; b < 300; b++) {
        const pick = sampleWithReplacement(indexes, n, () => draw.next());
        const w = pick.map(i => weights[i]);
        if (w.every(x => x === 0)) continue;
        const v = pick.map(i => values[i]);
        estimates.push(scale > 0 ? biweight(v, w, value, scale) : weightedQuantile(v, w, 0.5));
      }
      estimates.sort((a, b) => a - b);
      const at = (p: number) => estimates[Math.round(p * (estimates.length - 1))];
      const e = biweightLocationWithCi(values, weights, `gene ${t}`, 300, noise);
      expect(e.value).toBeCloseTo(value, 5);
      expect(e.ci95[0]).toBeCloseTo(at(0.025), 5);
      expect(e.ci95[1]).toBeCloseTo(at(0.975), 5);
    }
  });

  it('has an interval that holds the true level about 95% of the time, and the same interval for the same data', () => {
    const rng = new Random('biweight coverage');
    let held = 0;
    const genes = 300;
    for (let t = 0; t < genes; t++) {
      const values = Array.from({ length: 40 }, () => rng.normal(0.7, 0.25));
      const e = biweightLocationWithCi(values, values.map(() => 1), `coverage ${t}`, 400);
      if (e.ci95[0] <= 0.7 && 0.7 <= e.ci95[1]) held++;
      if (t === 0) expect(biweightLocationWithCi(values, values.map(() => 1), `coverage ${t}`, 400)).toEqual(e);
    }
    // Percentile bootstraps run a little narrow on 40 points: 91-97% is what 300 genes allow around that.
    expect(held / genes).toBeGreaterThan(0.9);
    expect(held / genes).toBeLessThan(0.98);
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

  it('given prior weights of 1, fits as without them; given inverse variances, leans on the precise points', () => {
    const rng = new Random('quadratic weights');
    const truth = (g: number) => 2 * (g - 0.45) - 10 * (g - 0.45) ** 2;
    const x = Array.from({ length: 400 }, () => rng.uniform(0.3, 0.62));
    // Every second point 5 times noisier (SD 0.25 against 0.05).
    const sd = x.map((_, i) => (i % 2 === 0 ? 0.05 : 0.25));
    const draws = 40;
    let plain = 0;
    let weighted = 0;
    for (let d = 0; d < draws; d++) {
      const y = x.map((g, i) => truth(g) + rng.normal(0, sd[i]));
      const unweighted = robustQuadratic(x, y).curve;
      const ones = robustQuadratic(x, y, undefined, 10, x.map(() => 1)).curve;
      for (const g of [0.3, 0.45, 0.6]) expect(ones(g)).toBe(unweighted(g));
      const inverse = robustQuadratic(x, y, undefined, 10, sd.map(s => 1 / s ** 2)).curve;
      plain += (unweighted(0.6) - truth(0.6)) ** 2;
      weighted += (inverse(0.6) - truth(0.6)) ** 2;
    }
    // Plain least squares would gain a factor sqrt(mean(1/sd²)⁻¹ / mean(sd²)) = 0.38 at the edge; the
    // unweighted bisquare already sets aside some of the noisy points' large residuals (0.61 here, seeded).
    expect(Math.sqrt(weighted / draws)).toBeLessThan(0.7 * Math.sqrt(plain / draws));
  });
});
