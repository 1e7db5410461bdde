// The first stages of a panel of normals: each normal on its own (log2,
// centred, on a two-copy scale by its sex), its GC trend removed against the
// other normals, and crowded probes corrected for its fragment length.
import type { Probe } from '../panel/panel.js';
import { fitInsertEffect, insertCorrection, type InsertSize } from '../normalize/density.js';
import { centringSet, correctGcQuadratic, gcFitSet, gcLevels, inferSex, log2Depths, recentre, type SexCall, sexOffset } from '../normalize/sample.js';
import { median } from '../stats/robust.js';
import { INSERT_COEFFICIENT_BOUND } from './format.js';

/** One normal's probe log2 on the two-copy scale, and its inferred sex. */
export interface NormalLevels {
  values: number[];
  sex: SexCall;
}

/** Median across samples at each probe, ignoring non-finite values (NaN where none). */
export function probeMedians(samples: number[][], n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = samples.map(s => s[i]).filter(Number.isFinite);
    out.push(v.length ? median(v) : NaN);
  }
  return out;
}

/** Each normal on its own: log2, centred on its median, sex inferred, raised to two copies on a male's X and Y. */
export function normalLevels(depths: number[][], probes: Probe[]): NormalLevels[] {
  return depths.map(d => {
    const values = log2Depths(d);
    recentre(values, centringSet(probes, values), 'median');
    const sex = inferSex(probes, values);
    for (let i = 0; i < probes.length; i++) values[i] -= sexOffset(probes[i], sex.sex === 'unknown' ? 'female' : sex.sex);
    return { values, sex };
  });
}

/**
 * Removes each normal's own GC trend (in place), fitted as a tumour's is
 * (robust quadratic on the same probes, with the same levels of their own:
 * see gcLevels) against the median of all the normals: one shared target, so
 * every normal is brought to the same curve. (Against the median of the
 * *other* normals, each would be brought to a different one: where the
 * curves part most, at ERBB2's GC, two such medians differ by the gap
 * between neighbouring normals.)
 */
export function removeGcTrends(levels: NormalLevels[], probes: Probe[], gc: (number | undefined)[], build?: string): void {
  const n = probes.length;
  const gcValues = gc.map(g => (g === undefined ? NaN : g));
  const reference = probeMedians(levels.map(l => l.values), n);
  const ownLevel = gcLevels(probes, build);
  for (const l of levels) {
    const residual = l.values.map((v, i) => v - reference[i]);
    correctGcQuadratic(residual, gcValues, gcFitSet(probes, i => Number.isFinite(residual[i])), ownLevel);
    for (let i = 0; i < n; i++) l.values[i] = residual[i] + reference[i];
    recentre(l.values, centringSet(probes, l.values), 'median');
  }
}

export interface FragmentEffect {
  /** The normals' median insert size, and the smallest and largest. */
  reference: number;
  min: number;
  max: number;
  /** The median of the normals' insert spreads: the reference library's spread. */
  referenceSpread: number;
  /** The bait spill's scale (normalize/density.ts); 0: no correction. */
  coefficient: number;
  /** The minimum bait overlap of a captured fragment (bases). */
  minOverlap: number;
  /** Normals without proper pairs (insert 0: single-end data): neither fitted nor corrected. */
  unpaired: number[];
}

/**
 * How crowded probes follow each normal's insert size, fitted across the
 * paired normals (at least `minNormals`), and each paired normal corrected for it (in place).
 */
export function correctFragmentLength(levels: NormalLevels[], inserts: InsertSize[], probes: Probe[], minNormals: number): FragmentEffect {
  const n = probes.length;
  const paired = inserts.map((x, s) => (x.median > 0 ? s : -1)).filter(s => s >= 0);
  const reference: InsertSize = paired.length
    ? { median: median(paired.map(s => inserts[s].median)), spread: median(paired.map(s => inserts[s].spread)) }
    : { median: 0, spread: 0 };
  const centre = probeMedians(levels.map(l => l.values), n);
  const fitted =
    paired.length >= minNormals
      ? fitInsertEffect(
          paired.map(s => levels[s].values.map((v, i) => v - centre[i])),
          paired.map(s => inserts[s]),
          probes,
        )
      : { coefficient: 0, minOverlap: 0 };
  // Normals whose inserts barely differ cannot measure the effect: a fit at the bound is no correction.
  const model = fitted.coefficient < INSERT_COEFFICIENT_BOUND - 1e-3 ? { coefficient: fitted.coefficient, minOverlap: fitted.minOverlap } : { coefficient: 0, minOverlap: 0 };
  for (const s of paired) {
    const correction = insertCorrection(probes, inserts[s], reference, model);
    for (let i = 0; i < n; i++) levels[s].values[i] -= correction[i];
  }
  return {
    reference: reference.median,
    referenceSpread: reference.spread,
    min: paired.length ? Math.min(...paired.map(s => inserts[s].median)) : 0,
    max: paired.length ? Math.max(...paired.map(s => inserts[s].median)) : 0,
    ...model,
    unpaired: inserts.map((x, t) => (x.median > 0 ? -1 : t)).filter(t => t >= 0),
  };
}
