// Fragment length on crowded probes: the bait spill as the capture geometry
// gives it (checked against a count over every fragment start), the PoN's fit
// of its scale and minimum overlap, and no correction when the normals'
// inserts cannot measure it (so a PoN is never written that reading refuses).
import { describe, expect, it } from 'vitest';
import { baitSpill, coveredBases, type InsertSize, insertCorrection, librarySpill, type SpillModel } from '../../src/normalize/density.js';
import { fitFragmentLength, nearestToGeometry, type NormalLevels } from '../../src/pon/levels.js';
import { Random } from '../../src/stats/random.js';
import { centringSet, recentre } from '../../src/normalize/sample.js';
import type { Probe } from '../../src/panel/panel.js';

/**
 * Bases that fragments of length `insert` captured by `bait` (overlap ≥ m) put
 * on `probe`, per base of the probe at one fragment start per `insert` bases:
 * summed start by start, one start in the middle of each base (the overlap is
 * linear within a base, so this is the integral itself).
 */
function spillByCounting(bait: { start: number; end: number }, probe: { start: number; end: number }, insert: number, m: number): number {
  let bases = 0;
  for (let x = bait.start - insert + m + 0.5; x < bait.end - m; x++) {
    const from = Math.max(x, probe.start);
    const to = Math.min(x + insert, probe.end);
    if (to > from) bases += to - from;
  }
  return bases / (insert * (probe.end - probe.start));
}

describe('bait spill', () => {
  const probes = [
    { chrom: 'chr1', start: 1000, end: 1120 },
    { chrom: 'chr1', start: 1120, end: 1240 },
    { chrom: 'chr1', start: 1300, end: 1420 },
    { chrom: 'chr1', start: 90_000, end: 90_120 },
    { chrom: 'chr2', start: 90_050, end: 90_170 },
  ];

  it('equals a count over every fragment start, for abutting, near and far probes', () => {
    for (const [insert, m] of [[200, 20], [120, 0], [300, 50], [90, 30]]) {
      const spill = baitSpill(probes, insert, m);
      const counted = probes.map((p, i) => probes.reduce((s, q, j) => (j !== i && q.chrom === p.chrom ? s + spillByCounting(q, p, insert, m) : s), 0));
      spill.forEach((v, i) => expect(v).toBeCloseTo(counted[i], 9));
      expect(spill[1]).toBeGreaterThan(0);
      expect(spill[3]).toBe(0);
      expect(spill[4]).toBe(0);
    }
  });

  it('grows with the insert size and shrinks with the minimum overlap', () => {
    const middle = (insert: number, m: number) => baitSpill(probes, insert, m)[1];
    expect(middle(250, 20)).toBeGreaterThan(middle(150, 20));
    expect(middle(150, 20)).toBeGreaterThan(middle(100, 20));
    expect(middle(150, 40)).toBeLessThan(middle(150, 20));
    expect(baitSpill(probes, 0, 20)).toEqual([0, 0, 0, 0, 0]);
  });

  it('averages over the library\'s spread: a neighbour beyond the median fragment still gets the long ones\' reads', () => {
    // Probes 1 and 2 are 60 bases apart: fragments of 100 captured with a 20-base overlap reach 20 bases into the far one; a spread library's longer fragments reach further.
    const narrow = librarySpill(probes, { median: 100, spread: 0 }, 20);
    const wide = librarySpill(probes, { median: 100, spread: 40 }, 20);
    expect(narrow[2]).toBeCloseTo(baitSpill(probes, 100, 20)[2], 12);
    expect(wide[2]).toBeGreaterThan(narrow[2]);
    expect(librarySpill(probes, { median: 0, spread: 40 }, 20)).toEqual([0, 0, 0, 0, 0]);
  });

  it('integrates a window exactly where the coverage is piecewise linear', () => {
    // Fragment starts spread over [0, 100) (continuous), fragments of 50, counted over [0, 200): every start puts all 50 of its bases in.
    expect(coveredBases(0, 100, 50, 0, 200)).toBeCloseTo(100 * 50, 9);
    expect(coveredBases(0, 100, 50, 300, 400)).toBe(0);
    expect(coveredBases(10, 5, 50, 0, 200)).toBe(0);
  });
});

// Crowded probes (150 bp apart, as tiled exons) whose spill changes with the insert size.
const tiled: Probe[] = Array.from({ length: 40 }, (_, i) => ({ chrom: 'chr1', start: 1000 + i * 150, end: 1120 + i * 150, name: `P${i}`, gene: 'G' }));

/** Libraries of these median inserts, each spread by a fifth of its median. */
const libraries = (medians: number[]): InsertSize[] => medians.map(median => ({ median, spread: median / 5 }));

/** Normals whose only deviation is a fragment-length effect of this model, for these libraries (the second one the reference). */
const normalsWith = (model: SpillModel, inserts: InsertSize[]): NormalLevels[] =>
  inserts.map(x => ({ values: insertCorrection(tiled, x, inserts[1], model), sex: { sex: 'female', xLog2: 0, yLog2: null } }));

/** 40 tiled probes and 10 isolated ones, all centring probes: each normal's median lies among the tiled, and moves with its inserts. */
const panel: Probe[] = [
  ...tiled,
  ...Array.from({ length: 10 }, (_, i) => ({ chrom: 'chr2', start: 1_000_000 + i * 100_000, end: 1_000_120 + i * 100_000, name: `I${i}`, gene: `I${i}` })),
];

/** Normals of `panel` whose only deviation is this model's effect (the third library the reference), each centred on its median as a normal is. */
const centredNormalsWith = (model: SpillModel, inserts: InsertSize[]): NormalLevels[] =>
  inserts.map(x => {
    const values = insertCorrection(panel, x, inserts[2], model);
    recentre(values, centringSet(panel, values), 'median');
    return { values, sex: { sex: 'female' as const, xLog2: 0, yLog2: null } };
  });

/** The PoN's fit with no GC column (nothing to remove after the correction). */
const fitted = (normals: NormalLevels[], inserts: InsertSize[], probes: Probe[]) => fitFragmentLength(normals, inserts, probes, 3, () => {}).fragment;

describe('fragment-length model of a panel of normals', () => {
  it('recovers the scale and the minimum overlap the normals follow', () => {
    const inserts = libraries([150, 200, 250]);
    const fit = fitted(normalsWith({ coefficient: 0.8, minOverlap: 30 }, inserts), inserts, tiled);
    expect(fit.minOverlap).toBe(30);
    expect(fit.coefficient).toBeCloseTo(0.8, 4);
  });

  it('recovers them when the normals are centred elsewhere than at the reference insert', () => {
    // A median of noisy normals is not the level at any one insert: every probe's centre shifted by its own amount.
    const inserts = libraries([140, 170, 200, 230, 260]);
    const normals = normalsWith({ coefficient: 1, minOverlap: 20 }, inserts).map(l => ({ ...l, values: l.values.map((v, i) => v - 0.03 * ((i % 7) - 3)) }));
    const fit = fitted(normals, inserts, tiled);
    expect(fit.minOverlap).toBe(20);
    expect(fit.coefficient).toBeCloseTo(1, 4);
  });

  it('recovers them where crowded probes are most of the panel, so that centring each normal takes up much of the effect', () => {
    const inserts = libraries([140, 170, 200, 230, 260]);
    const fit = fitFragmentLength(centredNormalsWith({ coefficient: 1, minOverlap: 20 }, inserts), inserts, panel, 3, () => {});
    expect(fit.fragment.minOverlap).toBe(20);
    expect(fit.fragment.coefficient).toBeCloseTo(1, 4);
    // Corrected, the normals agree on every probe.
    for (let i = 0; i < panel.length; i++) for (const l of fit.levels) expect(l.values[i]).toBeCloseTo(fit.levels[0].values[i], 6);
  });

  it('corrects nothing when normals without the effect are given', () => {
    const inserts = libraries([150, 200, 250]);
    const flat = inserts.map(() => ({ values: tiled.map(() => 0), sex: { sex: 'female' as const, xLog2: 0, yLog2: null } }));
    expect(fitted(flat, inserts, tiled).coefficient).toBeCloseTo(0, 4);
  });

  it('corrects nothing when the normals follow a scale beyond the bound a PoN may hold', () => {
    const inserts = libraries([200, 201, 202]);
    const fit = fitted(centredNormalsWith({ coefficient: 5, minOverlap: 0 }, inserts), inserts, panel);
    expect(fit.coefficient).toBe(0);
  });

  it('corrects nothing when the normals share one insert size, or follow a scale beyond the bound through noise', () => {
    const same = libraries([200, 200, 200]);
    const rng = new Random('same inserts');
    const noisy = same.map(() => ({ values: tiled.map(() => rng.normal(0, 0.03)), sex: { sex: 'female' as const, xLog2: 0, yLog2: null } }));
    expect(fitted(noisy, same, tiled).coefficient).toBe(0);
    const inserts = libraries([200, 201, 202]);
    const beyond = centredNormalsWith({ coefficient: 5, minOverlap: 0 }, inserts).map(l => ({ ...l, values: l.values.map(v => v + rng.normal(0, 0.01)) }));
    expect(fitted(beyond, inserts, panel).coefficient).toBe(0);
  });
});

describe('the model chosen among those the normals cannot tell apart', () => {
  const model = (coefficient: number, minOverlap: number, error: number, dof = 100) => ({ coefficient, minOverlap, error, dof });

  it('takes the geometry’s scale of 1 when its sum of squares is within the χ² bound of the best', () => {
    // Best 10 on 100 degrees of freedom: the noise is 0.1 per degree, the bound 10 + 5.991 × 0.1 = 10.599.
    const tried = [model(0, 0, 30), model(0.6, 0, 10), model(1, 40, 10.5), model(1, 20, 10.55), model(1.3, 10, 10.2)];
    expect(nearestToGeometry(tried)).toEqual(model(1, 40, 10.5));
  });

  it('keeps the scale nearest 1 inside the bound when 1 itself lies beyond it', () => {
    const tried = [model(0.5, 0, 10), model(0.7, 10, 10.5), model(0.8, 10, 10.7), model(1, 20, 12)];
    expect(nearestToGeometry(tried).coefficient).toBe(0.7);
  });

  it('keeps the best fit of noise-free normals, and no correction when only it fits', () => {
    expect(nearestToGeometry([model(0.8, 30, 0), model(1, 20, 1e-6)]).coefficient).toBe(0.8);
    expect(nearestToGeometry([model(0, 0, 0), model(1, 20, 0.01)]).coefficient).toBe(0);
  });

  it('keeps the best fit where the normals tell no model apart, or measured nothing', () => {
    // Every model within the bound: the geometry's scale alone would not fix the overlap.
    expect(nearestToGeometry([model(0.3, 50, 10), model(1, 0, 10.1), model(1, 40, 10.2), model(0, 0, 10.3)]).coefficient).toBe(0.3);
    expect(nearestToGeometry([model(0.3, 50, 0, 0), model(1, 0, 0, 0)]).coefficient).toBe(0.3);
  });

  it('fits noisy normals that follow the geometry with its scale, and quiet normals that follow half of it with theirs', () => {
    const inserts = libraries([140, 170, 200, 230, 260]);
    const noisy = (m: SpillModel, seed: string, sd: number) => {
      const rng = new Random(seed);
      return normalsWith(m, inserts).map(l => ({ ...l, values: l.values.map(v => v + rng.normal(0, sd)) }));
    };
    // Noise of 0.03 on every probe: the best fit lands anywhere on the ridge where scale and overlap trade off
    // (on these four draws at scales 1.97, 0.76, 1.84 and 0.99, which misplace a 100- or 300-base library's probes by up to 0.27).
    const geometry = { coefficient: 1, minOverlap: 20 };
    for (const seed of ['a', 'b', 'c', 'd']) {
      const fit = fitted(noisy(geometry, seed, 0.03), inserts, tiled);
      expect(Math.abs(fit.coefficient - 1)).toBeLessThan(0.05);
      for (const x of [...inserts, ...libraries([100, 300])]) {
        const truth = insertCorrection(tiled, x, inserts[1], geometry);
        insertCorrection(tiled, x, inserts[1], fit).forEach((v, i) => expect(Math.abs(v - truth[i])).toBeLessThan(0.08));
      }
    }
    // Normals quiet enough to tell half the geometry's scale from all of it keep their own.
    expect(Math.abs(fitted(noisy({ coefficient: 0.5, minOverlap: 20 }, 'half', 0.005), inserts, tiled).coefficient - 0.5)).toBeLessThan(0.05);
  });
});
