// Exact binomial intervals against published values and closed forms.
import { describe, expect, it } from 'vitest';
import { clopperPearson } from '../../src/validate/binomial.js';

describe('Clopper-Pearson 95% intervals', () => {
  it.each([
    [3, 3, 0.292, 1],
    [54, 54, 0.934, 1],
    [2, 3, 0.094, 0.992],
  ])('%i/%i gives %f to %f (published)', (x, n, lo, hi) => {
    const [l, h] = clopperPearson(x, n);
    expect(l).toBeCloseTo(lo, 3);
    expect(h).toBeCloseTo(hi, 3);
  });

  it('matches the closed forms at 0 and n: upper 1 - (alpha/2)^(1/n), lower (alpha/2)^(1/n)', () => {
    for (const n of [1, 5, 20, 57, 400]) {
      expect(clopperPearson(0, n)[1]).toBeCloseTo(1 - 0.025 ** (1 / n), 9);
      expect(clopperPearson(n, n)[0]).toBeCloseTo(0.025 ** (1 / n), 9);
    }
  });

  it('puts 2.5% of the binomial tail beyond each bound', () => {
    // direct product-form probabilities, independent of the implementation's log-space sums
    const pmf = (k: number, n: number, p: number) => {
      let c = 1;
      for (let i = 0; i < k; i++) c = (c * (n - i)) / (i + 1);
      return c * p ** k * (1 - p) ** (n - k);
    };
    for (const [x, n] of [[7, 8], [56, 57], [12, 40]]) {
      const [lo, hi] = clopperPearson(x, n);
      let upperTail = 0;
      for (let k = x; k <= n; k++) upperTail += pmf(k, n, lo);
      let lowerTail = 0;
      for (let k = 0; k <= x; k++) lowerTail += pmf(k, n, hi);
      expect(upperTail).toBeCloseTo(0.025, 8);
      expect(lowerTail).toBeCloseTo(0.025, 8);
    }
  });

  it('refuses impossible counts', () => {
    expect(() => clopperPearson(4, 3)).toThrow(RangeError);
    expect(() => clopperPearson(0, 0)).toThrow(RangeError);
  });
});
