// The PoN's fragment-length coefficient: fitted when the normals' inserts can
// measure it, no correction when the fit is beyond any plausible size (normals
// whose inserts barely differ), so a PoN is never written that reading refuses.
import { describe, expect, it } from 'vitest';
import { insertCorrection } from '../../src/normalize/density.js';
import { correctFragmentLength, type NormalLevels } from '../../src/pon/levels.js';
import { INSERT_COEFFICIENT_BOUND } from '../../src/pon/schema.js';
import type { Probe } from '../../src/panel/panel.js';

// Crowded probes (150 bp apart, as tiled exons) whose reach changes with the insert size.
const probes: Probe[] = Array.from({ length: 40 }, (_, i) => ({ chrom: 'chr1', start: 1000 + i * 150, end: 1120 + i * 150, name: `P${i}`, gene: 'G' }));

/** Normals whose only deviation is a fragment-length effect of size c, at these inserts (the middle one the reference). */
const normalsWith = (c: number, inserts: number[]): NormalLevels[] =>
  inserts.map(x => ({ values: insertCorrection(probes, x, inserts[1], c), sex: { sex: 'female', xLog2: 0, yLog2: null } }));

describe('fragment-length coefficient of a panel of normals', () => {
  it('recovers a plausible effect', () => {
    const fit = correctFragmentLength(normalsWith(0.5, [150, 200, 250]), [150, 200, 250], probes, 3);
    expect(fit.coefficient).toBeCloseTo(0.5, 6);
  });

  it('corrects nothing when the fit is beyond the bound a PoN may hold', () => {
    const inserts = [200, 201, 202];
    const fit = correctFragmentLength(normalsWith(2 * INSERT_COEFFICIENT_BOUND, inserts), inserts, probes, 3);
    expect(fit.coefficient).toBe(0);
  });
});
