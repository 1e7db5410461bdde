// The first stages of a panel of normals: each normal on its own (log2,
// centred, on a two-copy scale by its sex), crowded probes corrected for its
// fragment length, and its GC trend removed against the other normals.
import type { Probe } from '../panel/panel.js';
import { goldenMinimum, librarySpill, MIN_OVERLAPS, SPILL_SCALE_MAX, spillCorrection, type InsertSize, type SpillModel } from '../normalize/density.js';
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
 * A function that removes each normal's own GC trend (in place), fitted as a tumour's is
 * (robust quadratic on the same probes, with the same levels of their own:
 * see gcLevels) against the median of all the normals: one shared target, so
 * every normal is brought to the same curve. (Against the median of the
 * *other* normals, each would be brought to a different one: where the
 * curves part most, at ERBB2's GC, two such medians differ by the gap
 * between neighbouring normals.) What does not depend on the normals' values
 * is worked out once per panel: the fragment-length fit removes the trends
 * some 200 times.
 */
export function gcTrendRemover(probes: Probe[], gc: (number | undefined)[], build?: string): (levels: NormalLevels[]) => void {
  const n = probes.length;
  const gcValues = gc.map(g => (g === undefined ? NaN : g));
  const levelOf = gcLevels(probes, build);
  const own = probes.map((_, i) => levelOf(i));
  const ownLevel = (i: number) => own[i];
  const fitCandidates = gcFitSet(probes, () => true);
  const centringCandidates = centringSet(probes, probes.map(() => 0));
  return levels => {
    const reference = probeMedians(levels.map(l => l.values), n);
    for (const l of levels) {
      const residual = l.values.map((v, i) => v - reference[i]);
      correctGcQuadratic(residual, gcValues, fitCandidates.filter(i => Number.isFinite(residual[i])), ownLevel);
      for (let i = 0; i < n; i++) l.values[i] = residual[i] + reference[i];
      recentre(l.values, centringCandidates.filter(i => Number.isFinite(l.values[i])), 'median');
    }
  };
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

/** χ² with two degrees of freedom at 95%: the models the normals cannot tell from the best fit (two parameters, scale and overlap). */
const INDISTINGUISHABLE_CHI2 = 5.991;

/** A model of the fragment-length fit and what it leaves: the crowded probes' sum of squared deviations and its degrees of freedom. */
export type TriedModel = SpillModel & { error: number; dof: number };

/** The model of the smallest sum of squares (the first, on a tie). */
function fittestOf<M extends TriedModel>(tried: M[]): M {
  return tried.reduce((a, b) => (b.error < a.error - 1e-12 ? b : a));
}

/**
 * Of the models tried, the one the capture geometry predicts (scale nearest
 * 1; then the smaller sum of squares) among those the normals cannot tell
 * from the best fit: a sum of squares within the χ² bound of the best's,
 * the noise taken from the best fit's residual variance (sum / degrees of
 * freedom). Scale and overlap trade off along a ridge, and on normals of a
 * few hundred reads per probe the noise picks a point on it (0.6 to 1.9 on
 * six 20x cohorts), which then misplaces the correction of a tumour whose
 * inserts lie outside the normals'. The best fit stands where the normals
 * tell every model from it (noise-free normals), and where they tell none
 * apart (inserts alike: nothing measured, and the geometry's scale alone
 * does not fix the overlap).
 */
export function nearestToGeometry<M extends TriedModel>(tried: M[]): M {
  const best = fittestOf(tried);
  if (!(best.dof > 0)) return best;
  const limit = best.error + (INDISTINGUISHABLE_CHI2 * best.error) / best.dof + 1e-12;
  const inside = tried.filter(t => t.error <= limit);
  const scaled = inside.filter(t => t.coefficient > 0);
  if (!scaled.length || inside.length === tried.length) return best;
  return scaled.reduce((a, b) => {
    const da = Math.abs(a.coefficient - 1);
    const db = Math.abs(b.coefficient - 1);
    return db < da - 1e-9 || (Math.abs(db - da) <= 1e-9 && b.error < a.error) ? b : a;
  });
}

/** The spill scales tried at each minimum overlap before the best is refined (each try runs every normal's GC fit; a coarser grid finds other points of the ridge along which scale and overlap trade off). */
const SCALE_STEP = 0.1;

/**
 * How crowded probes follow each normal's insert size, fitted across the
 * paired normals (at least `minNormals`), and the normals corrected for it.
 * `levels` are each normal on its own (`normalLevels`), before its GC trend
 * is removed. Each candidate model corrects every paired normal against the
 * reference library (the normals' median insert and spread), centres it
 * again and removes its GC trend (`removeGc`), as a tumour is corrected
 * before its own centring and GC fit; the model that leaves the crowded
 * probes most alike across the normals fits best. (Fitted instead to what is left
 * after centring and GC, the effect is mostly gone where crowded probes are
 * most of a panel: the centre and the GC trend rise and fall with the
 * inserts, and the scale came out at 0.12 on a 1,674-probe panel whose
 * capture follows 1.) Scales on a grid of SCALE_STEP up to SPILL_SCALE_MAX at
 * each minimum overlap; of those the normals cannot tell from the best, the
 * geometry's (`nearestToGeometry`), and where that is the best itself, its
 * scale refined by golden section. A best scale at the bound (normals whose
 * inserts barely differ cannot measure the effect) is no correction.
 */
export function fitFragmentLength(
  levels: NormalLevels[],
  inserts: InsertSize[],
  probes: Probe[],
  minNormals: number,
  removeGc: (levels: NormalLevels[]) => void,
): { levels: NormalLevels[]; fragment: FragmentEffect } {
  const n = probes.length;
  const paired = inserts.map((x, s) => (x.median > 0 ? s : -1)).filter(s => s >= 0);
  const reference: InsertSize = paired.length
    ? { median: median(paired.map(s => inserts[s].median)), spread: median(paired.map(s => inserts[s].spread)) }
    : { median: 0, spread: 0 };
  // The spills depend on the minimum overlap only: computed once for each.
  const spills = new Map<number, { normals: number[][]; reference: number[] }>();
  const spillsAt = (minOverlap: number) => {
    let x = spills.get(minOverlap);
    if (!x) spills.set(minOverlap, (x = { normals: paired.map(s => librarySpill(probes, inserts[s], minOverlap)), reference: librarySpill(probes, reference, minOverlap) }));
    return x;
  };
  const centring = centringSet(probes, probes.map(() => 0));
  /** Every normal through the pipeline with this model (scale 0: none). */
  const corrected = (model: SpillModel): NormalLevels[] => {
    const out = levels.map(l => ({ values: l.values.slice(), sex: l.sex }));
    if (model.coefficient > 0) {
      const { normals, reference: atReference } = spillsAt(model.minOverlap);
      const c = model.coefficient;
      paired.forEach((s, k) => {
        const correction = spillCorrection(normals[k], atReference, c);
        for (let i = 0; i < n; i++) out[s].values[i] -= correction[i];
        recentre(out[s].values, centring.filter(i => Number.isFinite(out[s].values[i])), 'median');
      });
    }
    removeGc(out);
    return out;
  };
  let model: SpillModel = { coefficient: 0, minOverlap: 0 };
  if (paired.length >= minNormals) {
    const widest = spillsAt(0).normals;
    const crowded = probes.map((_, i) => widest.some(x => x[i] !== widest[0][i]));
    /** Squared deviations of the crowded probes from their mean over the paired normals (|deviation| < 1), and their degrees of freedom. */
    const spread = (m: SpillModel): TriedModel => {
      const out = corrected(m);
      let error = 0;
      let dof = 0;
      for (let i = 0; i < n; i++) {
        if (!crowded[i]) continue;
        const v = paired.map(s => out[s].values[i]).filter(Number.isFinite);
        if (v.length < 2) continue;
        const mean = v.reduce((a, b) => a + b, 0) / v.length;
        let within = 0;
        for (const x of v) {
          if (Math.abs(x - mean) >= 1) continue;
          error += (x - mean) ** 2;
          within++;
        }
        dof += Math.max(0, within - 1);
      }
      return { ...m, error, dof };
    };
    const tried = [spread(model)];
    for (const minOverlap of MIN_OVERLAPS) {
      for (let k = 1; k * SCALE_STEP <= SPILL_SCALE_MAX + 1e-9; k++) tried.push(spread({ coefficient: k * SCALE_STEP, minOverlap }));
    }
    const fittest = fittestOf(tried);
    let best: SpillModel = fittest;
    const chosen = nearestToGeometry(tried);
    // A best fit at the bound is no correction (below), unless the geometry's own scale cannot be told from it.
    if (fittest.coefficient < INSERT_COEFFICIENT_BOUND - 1e-3 || chosen.coefficient === 1) {
      if (chosen !== fittest) best = chosen;
      else if (fittest.coefficient > 0) {
        const at = (c: number) => spread({ coefficient: c, minOverlap: fittest.minOverlap }).error;
        best = { ...fittest, coefficient: goldenMinimum(at, Math.max(0, fittest.coefficient - SCALE_STEP), Math.min(SPILL_SCALE_MAX, fittest.coefficient + SCALE_STEP)) };
      }
    }
    if (best.coefficient < INSERT_COEFFICIENT_BOUND - 1e-3) model = { coefficient: best.coefficient, minOverlap: best.minOverlap };
  }
  return {
    levels: corrected(model),
    fragment: {
      reference: reference.median,
      referenceSpread: reference.spread,
      min: paired.length ? Math.min(...paired.map(s => inserts[s].median)) : 0,
      max: paired.length ? Math.max(...paired.map(s => inserts[s].median)) : 0,
      ...model,
      unpaired: inserts.map((x, t) => (x.median > 0 ? -1 : t)).filter(t => t >= 0),
    },
  };
}
