// Circular binary segmentation on probes with known breakpoints.
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/stats/random.js';
import { neighbourSd, segment, smoothOutliers } from '../../src/stats/segment.js';

const noisy = (rng: Random, levels: [number, number][], sd: number) => levels.flatMap(([n, v]) => Array.from({ length: n }, () => v + rng.normal(0, sd)));

describe('segmentation', () => {
  it('finds an internal amplicon (an arc) and its edges', () => {
    const rng = new Random('cbs arc');
    const values = noisy(rng, [[40, 0], [16, 2.2], [60, 0]], 0.3);
    expect(segment(values)).toEqual([[0, 40], [40, 56], [56, 116]]);
  });

  it('finds a single change point', () => {
    const rng = new Random('cbs step');
    expect(segment(noisy(rng, [[20, 0.1], [33, 2]], 0.3))).toEqual([[0, 20], [20, 53]]);
  });

  it('leaves pure noise whole in at least 97 of 100 trials', () => {
    const rng = new Random('cbs null');
    let whole = 0;
    for (let t = 0; t < 100; t++) if (segment(noisy(rng, [[120, 0]], 0.3)).length === 1) whole++;
    expect(whole).toBeGreaterThanOrEqual(97);
  });

  it('does not make a segment of one outlying probe', () => {
    const rng = new Random('cbs outlier');
    const values = noisy(rng, [[50, 0]], 0.2);
    values[25] = 3;
    expect(segment(values)).toEqual([[0, 50]]);
    expect(smoothOutliers(values, 0.2)[25]).toBeLessThan(0.6);
  });

  it('estimates the noise from neighbouring differences despite a step', () => {
    const rng = new Random('cbs sd');
    expect(neighbourSd(noisy(rng, [[200, 0], [200, 3]], 0.25))).toBeCloseTo(0.25, 1);
  });
});
