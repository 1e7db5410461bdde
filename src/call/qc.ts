// The quality checks that decide whether a sample can be called at all.
// Each has a documented default: a command-line option, the panel of
// normals' limit (the spreads), or the range the method was validated on
// (the GC correction a call rests on).
import { canonicalContig } from '../panel/contigs.js';
import type { Probe } from '../panel/panel.js';
import { type ErbB2Region, inWindow, isCentringProbe } from '../normalize/probes.js';
import type { Her2cnResult, QcCheck } from '../result/schema.js';
import { median } from '../stats/robust.js';
import { round } from '../stats/round.js';

export type { QcCheck };

export interface QcLimits {
  /** Largest MAPD of probe log2 ratios (noise) at which a call is made. */
  maxMapd: number;
  /** Smallest median depth of the sample's centring probes. */
  minDepth: number;
  /** Smallest median depth as a fraction of the panel of normals' typical depth. */
  minRelativeDepth: number;
  /** Smallest fraction of the panel's ERBB2 probes that must be usable (and never fewer than 5). */
  minErbb2ProbeFraction: number;
}

export { DEFAULT_QC } from './limits.js';

export const MIN_ERBB2_PROBES = 5;

/**
 * The largest GC correction at ERBB2 (log2) a call may rest on: about the
 * largest on the validation benchmark (GC-biased FFPE libraries among its
 * tumours at clinical depth; up to 1.51 on the first 320, 1.59 on 480 with
 * today's fit), over which the level's error grew little with the
 * correction (today RMS 0.044 below 0.25, 0.071 from 1.25) and the
 * intervals held the truth. Beyond it the fitted trend is unvalidated.
 */
export const MAX_GC_CORRECTION = 1.5;


export function check(metric: string, value: number | null, limit: number, kind: 'max' | 'min'): QcCheck {
  const pass = value !== null && Number.isFinite(value) && (kind === 'max' ? value <= limit : value >= limit);
  return { metric, value, limit, kind, pass };
}

/** The sample's MAPD as the QC judges it: on the centring probes and chromosome 17's others outside the amplicon window. */
export function sampleMapd(probes: Probe[], lfc: (number | null)[], region: ErbB2Region): number | null {
  return mapd(probes, lfc, i => (isCentringProbe(probes[i]) || canonicalContig(probes[i].chrom) === '17') && !inWindow(probes[i], region));
}

/** Median absolute difference between neighbouring probes' log2 on the same chromosome. */
export function mapd(probes: Probe[], lfc: (number | null)[], include: (i: number) => boolean): number | null {
  const diffs: number[] = [];
  let previous = -1;
  for (let i = 0; i < probes.length; i++) {
    if (lfc[i] === null || !include(i)) continue;
    if (previous >= 0 && probes[previous].chrom === probes[i].chrom) diffs.push(Math.abs(lfc[i]! - lfc[previous]!));
    previous = i;
  }
  return diffs.length ? median(diffs) : null;
}

export interface QcInput {
  depths: number[];
  /** The sample's MAPD (`sampleMapd`); null when too few probes to measure it. */
  mapd: number | null;
  /** The centring probes (autosomes off chromosome 17) the depth is judged on. */
  centreSet: number[];
  erbb2Probes: number;
  erbb2ProbesUsed: number;
  normalsMedianDepth: number;
  limits: QcLimits;
  /**
   * The spreads MAPD does not see (spread.ts) and their limits from the
   * panel of normals; a check is made only where the PoN has a limit.
   */
  spreads?: { erbb2ProbeSpread: number | null; geneLevelSpread: number | null; limits: SpreadLimits };
  /**
   * The GC correction made at ERBB2's GC (log2), and whether the call rests
   * on it: the level before the correction lies on the other side of the
   * threshold. Absent when no GC correction was made.
   */
  gcCorrection?: { log2: number; decidesCall: boolean };
}

/** The largest spreads a call is made at (null: the check is not made). */
export interface SpreadLimits {
  erbb2ProbeSpread: number | null;
  geneLevelSpread: number | null;
}

/** The checks, pass or fail, and a sentence for each failed one. */
export function qualityControl(input: QcInput): Her2cnResult['qc'] {
  const { limits } = input;
  const noise = input.mapd;
  const medianDepth = median(input.centreSet.map(i => input.depths[i]).concat(input.centreSet.length ? [] : [0]));
  const minErbb2 = Math.max(MIN_ERBB2_PROBES, Math.ceil(limits.minErbb2ProbeFraction * input.erbb2Probes));
  const checks = [
    check('mapd', noise === null ? null : round(noise), limits.maxMapd, 'max'),
    check('median_depth', round(medianDepth, 2), limits.minDepth, 'min'),
    check('median_depth_vs_normals', input.normalsMedianDepth > 0 ? round(medianDepth / input.normalsMedianDepth) : null, limits.minRelativeDepth, 'min'),
    check('erbb2_probes_used', input.erbb2ProbesUsed, minErbb2, 'min'),
    ...spreadChecks(input.spreads),
    ...gcCheck(input.gcCorrection),
  ];
  const failed = checks.filter(c => !c.pass);
  return {
    status: failed.length ? 'fail' : 'pass',
    reasons: failed.map(c => qcReason(c, input.normalsMedianDepth)),
    mapd: noise === null ? null : round(noise),
    median_depth: round(medianDepth, 2),
    checks,
  };
}

function spreadChecks(spreads: QcInput['spreads']): QcCheck[] {
  if (!spreads) return [];
  const { limits } = spreads;
  const value = (x: number | null) => (x === null ? null : round(x, 2));
  return [
    ...(limits.erbb2ProbeSpread === null ? [] : [check('erbb2_probe_spread', value(spreads.erbb2ProbeSpread), limits.erbb2ProbeSpread, 'max')]),
    ...(limits.geneLevelSpread === null ? [] : [check('gene_level_spread', value(spreads.geneLevelSpread), limits.geneLevelSpread, 'max')]),
  ];
}

/** The GC correction the call rests on (0 when the call is the same without it), against the largest validated. */
function gcCheck(gc: QcInput['gcCorrection']): QcCheck[] {
  if (!gc) return [];
  return [check('gc_correction_erbb2', gc.decidesCall ? round(Math.abs(gc.log2), 2) : 0, MAX_GC_CORRECTION, 'max')];
}

function qcReason(c: QcCheck, ponDepth: number): string {
  const v = c.value === null ? 'not measurable' : String(c.value);
  switch (c.metric) {
    case 'mapd':
      return `noise too high: MAPD ${v} > ${c.limit} (probe-to-probe variation makes the ERBB2 level unreliable)`;
    case 'median_depth':
      return `coverage too low: median probe depth ${v}x < ${c.limit}x`;
    case 'median_depth_vs_normals':
      return `coverage too low: median depth is ${v} of the normals' ${ponDepth}x, below ${c.limit}`;
    case 'erbb2_probes_used':
      return `too few usable ERBB2 probes: ${v} < ${c.limit}`;
    case 'erbb2_probe_spread':
      return `ERBB2's probes scatter too much: ${v} times the sample's probe noise around their segments' levels > ${c.limit}, the normals' largest with a margin (a capture or GC distortion at ERBB2 makes its level unreliable)`;
    case 'gc_correction_erbb2':
      return `the call rests on a GC correction beyond the validated range: ERBB2's GC correction of ${v} log2 moves it across the threshold, and corrections above ${c.limit} were never validated (a GC bias this strong makes the fitted trend at ERBB2's GC an extrapolation)`;
    case 'gene_level_spread':
      return `gene levels stray too far: the genes off the amplicon depart from their chromosome arms by ${v} times what their probes' noise allows > ${c.limit}, the normals' largest with a margin (a GC wave or systematic distortion that MAPD does not see can move ERBB2's level too)`;
    default:
      return `${c.metric} ${v} outside limit ${c.limit}`;
  }
}
