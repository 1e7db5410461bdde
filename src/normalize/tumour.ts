// A tumour's probe log2 fold changes: its log2 depth against the panel of
// normals, corrected for fragment length on crowded probes, centred on its
// diploid-like bulk with its GC trend removed, and placed relative to the
// copies a normal cell of its sex has. Pure: depths in, levels out.
import type { ProbeCoverage } from '../coverage/engine.js';
import type { Probe } from '../panel/panel.js';
import type { PanelOfNormals } from '../pon/pon.js';
import type { GcFit, Her2cnResult, SexCall } from '../result/schema.js';
import { round } from '../stats/round.js';
import { insertCorrection } from './density.js';
import { centringSet, correctGcQuadratic, gcFitSet, gcLevels, inferSex, log2Depths, measuredY, recentre, sexOffset } from './sample.js';
import { median } from '../stats/robust.js';

export interface TumourDepths {
  probes: Probe[];
  depths: number[];
  gc: (number | undefined)[];
  /** The library's median insert size (0: none, or unknown). */
  medianInsert: number;
  /** Its spread (robust SD; 0: none, or unknown). */
  insertSpread: number;
  pon: PanelOfNormals;
  /** Genome build of the coordinates, to place chromosome 17's centromere (its arms get levels of their own in the GC fit). */
  build?: string;
}

/** A probe's depth (as coverage measures it) and what normalization made of it (one row of the probe table). */
export interface ProbeResult extends Omit<ProbeCoverage, 'reads'> {
  log2: number | null;
  weight: number;
  flags: string[];
}

export interface NormalizedTumour {
  /** Probe log2 fold change; null where the probe is not used. */
  lfc: (number | null)[];
  /** Probe weights (the PoN's inverse variance; 0 where not used). */
  weights: number[];
  probeResults: ProbeResult[];
  sex: SexCall;
  /** The centring probes after GC correction (autosomes off chromosome 17). */
  centreSet: number[];
  normalization: Her2cnResult['normalization'];
  /** The GC correction applied at a GC fraction, relative to the centring probes' median GC (0 where none was made). */
  gcCorrectionAt: (gc: number) => number;
  /** The fragment-length correction subtracted from each probe (log2). */
  fragmentShift: number[];
}

/**
 * log2 depth minus the PoN's level, less the fragment-length effect of the
 * library's insert size on crowded probes (by the capture geometry, also
 * beyond the normals' inserts; none without proper pairs). Returns the residuals, the
 * insert size used and the largest shift applied.
 */
export function ponResidual(input: TumourDepths): { residual: number[]; insert: number; largestShift: number; shift: number[] } {
  const { probes, pon } = input;
  const raw = log2Depths(input.depths);
  const residual = raw.map((r, i) => (pon.probes.log2[i] === null ? NaN : r - pon.probes.log2[i]!));
  const effect = pon.insertEffect;
  // Inserts outside the normals' are extrapolated by the capture geometry,
  // which gives the spill at any length; held at the normals' longest, a
  // fresh tumour's longer fragments left crowded probes 0.07 high on average
  // (six 20x cohorts). reviewerNotes says when an insert lies well outside.
  // A library without proper pairs is taken as the normals' reference library: no correction.
  const reference = { median: effect.reference, spread: effect.referenceSpread };
  const library = input.medianInsert > 0 ? { median: input.medianInsert, spread: input.insertSpread } : reference;
  const insert = library.median;
  const shift = insertCorrection(probes, library, reference, effect);
  let largestShift = 0;
  for (let i = 0; i < residual.length; i++) {
    residual[i] -= shift[i];
    if (Math.abs(shift[i]) > Math.abs(largestShift)) largestShift = shift[i];
  }
  return { residual, insert, largestShift, shift };
}

/** Centres the residuals on the diploid-like bulk, removes the sample's GC trend and centres again (in place). */
export function centreAndCorrectGc(
  probes: Probe[],
  residual: number[],
  gc: (number | undefined)[],
  usable: (i: number) => boolean,
  build?: string,
): { firstCentre: number; secondCentre: number; centreSet: number[]; gcFit: GcFit | { skipped: string }; gcCorrectionAt: (gc: number) => number } {
  const firstCentre = recentre(residual, centringSet(probes, residual, usable), 'bulk');
  const gcValues = gc.map(g => (g === undefined ? NaN : g));
  const fitted = gcValues.every(g => !Number.isFinite(g)) ? undefined : correctGcQuadratic(residual, gcValues, gcFitSet(probes, usable), gcLevels(probes, build));
  const erbb2GcValues = probes.flatMap((p, i) => (p.gene === 'ERBB2' && Number.isFinite(gcValues[i]) ? [gcValues[i]] : []));
  const erbb2Gc = erbb2GcValues.length ? median(erbb2GcValues) : undefined;
  const gcFit: GcFit | { skipped: string } = !fitted
    ? { skipped: gcValues.every(g => !Number.isFinite(g)) ? 'no probe GC (give --fasta, or a panel with a gc column)' : 'fewer than 20 usable probes to fit' }
    : {
        trend: [0.35, 0.45, 0.55, 0.65].map(g => ({ gc: g, log2: round(fitted.curve(g)) })),
        probesUsed: fitted.probesUsed,
        method: 'robust quadratic',
        erbb2: erbb2Gc === undefined ? null : { gc: round(erbb2Gc, 3), log2: round(fitted.curve(erbb2Gc)) },
      };
  const centreSet = centringSet(probes, residual, usable);
  const secondCentre = recentre(residual, centreSet, 'bulk');
  return { firstCentre, secondCentre, centreSet, gcFit, gcCorrectionAt: fitted ? fitted.curve : () => 0 };
}

/** The median fragment-length correction over ERBB2's probes (0 without them). */
function erbb2Shift(probes: Probe[], shift: number[]): number {
  const v = probes.flatMap((p, i) => (p.gene === 'ERBB2' ? [shift[i]] : []));
  return v.length ? median(v) : 0;
}

export function normalizeTumour(input: TumourDepths): NormalizedTumour {
  const { probes, depths, pon } = input;
  const ponFlags = pon.probes.flags.map(f => (f ? f.split(',') : []));
  const { residual, insert, largestShift, shift } = ponResidual(input);
  const usable = (i: number) => ponFlags[i].length === 0 && Number.isFinite(residual[i]);
  const { firstCentre, secondCentre, centreSet, gcFit, gcCorrectionAt } = centreAndCorrectGc(probes, residual, input.gc, usable, input.build);

  // Sex, then log2 relative to the copies a normal cell of that sex has. Probes the
  // PoN has no level for (chrY without male normals) say nothing about sex.
  const sex = inferSex(probes, residual, i => pon.probes.log2[i] !== null);
  const lfc: (number | null)[] = [];
  const weights: number[] = [];
  const probeResults = probes.map((p, i): ProbeResult => {
    const flags = ponFlags[i].map(f => `pon_${f}`);
    if (depths[i] === 0) flags.push('zero_depth');
    const offset = sexOffset(p, sex.sex);
    if (Number.isNaN(offset)) flags.push('not_in_sex');
    const value = flags.length === 0 && Number.isFinite(residual[i]) ? residual[i] - offset : null;
    lfc.push(value);
    weights.push(value === null ? 0 : pon.probes.weight[i]);
    return { chrom: p.chrom, start: p.start, end: p.end, name: p.name, gene: p.gene, depth: depths[i], log2: value === null ? null : round(value), weight: weights[i], flags };
  });
  return {
    lfc,
    weights,
    probeResults,
    sex: measuredY(sex),
    centreSet,
    gcCorrectionAt,
    fragmentShift: shift,
    normalization: {
      centre: { method: 'bulk centre', first_pass: round(firstCentre), after_gc: round(secondCentre), probes: centreSet.length },
      insert_size: {
        sample: input.medianInsert,
        sample_spread: input.insertSpread,
        used: insert,
        normals: pon.insertEffect.reference,
        normals_spread: pon.insertEffect.referenceSpread,
        coefficient: pon.insertEffect.coefficient,
        min_overlap: pon.insertEffect.minOverlap,
        largest_correction: round(-largestShift),
        erbb2: round(-erbb2Shift(probes, shift)),
      },
      gc_correction: gcFit,
    },
  };
}
