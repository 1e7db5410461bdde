// Segments of the 17q12 window around ERBB2 (the gene and its neighbours):
// where the amplicon starts and ends, and whether it covers all of ERBB2 or
// only part of it (any exons, internal ones included).
import type { Probe } from '../panel/panel.js';
import { type ErbB2Region, inWindow } from '../normalize/probes.js';
import type { PartialAmplicon, Segment } from '../result/schema.js';
import { median } from '../stats/robust.js';
import { round } from '../stats/round.js';
import { segment } from '../stats/segment.js';
import { PARTIAL_STEP } from './partial.js';

export interface WindowSegments {
  segments: Segment[];
  /** Probe indexes of each segment, in order. */
  members: number[][];
}

/** Segments of the usable probes in the amplicon window, in genomic order; each level is the median of its probes. */
export function windowSegments(probes: Probe[], lfc: (number | null)[], region: ErbB2Region, noiseSd?: number): WindowSegments {
  const idx = probes.flatMap((p, i) => (inWindow(p, region) && lfc[i] !== null ? [i] : [])).sort((a, b) => probes[a].start - probes[b].start || a - b);
  const values = idx.map(i => lfc[i]!);
  const ranges = segment(values, {}, noiseSd);
  const members = ranges.map(([s, e]) => idx.slice(s, e));
  const segments = members.map((m): Segment => ({
    chrom: probes[m[0]].chrom,
    start: Math.min(...m.map(i => probes[i].start)),
    end: Math.max(...m.map(i => probes[i].end)),
    probes: m.length,
    first_probe: probes[m[0]].name,
    last_probe: probes[m[m.length - 1]].name,
    log2: round(median(m.map(i => lfc[i]!))),
    erbb2_probes: m.filter(i => probes[i].gene === 'ERBB2').length,
  }));
  return { segments, members };
}

export interface SegmentedPartial {
  /** ERBB2's probes in segments at or above the threshold, and in those below it. */
  amplifiedProbes: number[];
  otherProbes: number[];
  /** The amplified part's first and last probe names. */
  first: string;
  last: string;
}

/**
 * A partial amplicon seen by segmentation: ERBB2's usable probes fall in a
 * higher part and a lower part at least `minStep` apart (by default
 * PARTIAL_STEP, a two-fold step inside one gene; so a gene sitting at the
 * threshold is not cut in two). The higher part is every segment at or
 * above the threshold, or at least `minStep` above ERBB2's lowest segment:
 * at low purity an amplified part may stay below the bulk threshold and
 * still be the tumour cells' amplicon. With a smaller `minStep` (a partial
 * gain) the part is a candidate whose copies the assessment judges. Either
 * must be a gain: the higher part's level at least `floor` (the caller's
 * reference, the rest of chromosome 17 plus a step), since a loss of some of
 * ERBB2's exons leaves the rest of the gene higher without gaining anything.
 */
export function segmentedPartial(
  probes: Probe[],
  lfc: (number | null)[],
  window: WindowSegments,
  threshold: number,
  minStep = PARTIAL_STEP,
  floor = -Infinity,
): SegmentedPartial | undefined {
  const parts = window.segments
    .map((s, k) => ({ level: s.log2, erbb2: window.members[k].filter(i => probes[i].gene === 'ERBB2') }))
    .filter(p => p.erbb2.length > 0);
  if (parts.length < 2) return undefined;
  const lowest = Math.min(...parts.map(p => p.level));
  const amplified: number[] = [];
  const other: number[] = [];
  for (const p of parts) (p.level >= threshold || p.level >= lowest + minStep ? amplified : other).push(...p.erbb2);
  if (amplified.length === 0 || other.length === 0) return undefined;
  const level = (idx: number[]) => median(idx.map(i => lfc[i]!));
  const high = level(amplified);
  if (high - level(other) < minStep || high < floor) return undefined;
  return { amplifiedProbes: amplified, otherProbes: other, first: probes[amplified[0]].name, last: probes[amplified[amplified.length - 1]].name };
}

/**
 * The split segmentation found, as `amplicon.partial` records a partial
 * amplicon: the higher part and the rest of ERBB2's usable probes, each with
 * its first and last probe in genomic order and its median log2. For an
 * internal amplicon the rest lies on both sides of the higher part.
 */
export function partialOfSegments(split: SegmentedPartial, probes: Probe[], lfc: (number | null)[]): PartialAmplicon {
  const part = (idx: number[]) => ({ first: probes[idx[0]].name, last: probes[idx[idx.length - 1]].name, count: idx.length, log2: round(median(idx.map(i => lfc[i]!))) });
  return { high: part(split.amplifiedProbes), low: part(split.otherProbes) };
}
