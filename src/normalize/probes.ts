// Which probes do what in normalization. The centre of a sample and its GC
// trend are measured on autosomes other than chromosome 17: chromosome 17 is
// what is being measured (polysomy, 17q12 amplicons, 17p loss), and on a
// small panel it can hold a large share of the probes.
import { canonicalContig, isAutosome } from '../panel/contigs.js';
import type { Probe } from '../panel/panel.js';

/** Half-width of the window around ERBB2 treated as the 17q12 amplicon region. */
export const AMPLICON_FLANK = 2_500_000;

export interface ErbB2Region {
  chrom: string;
  start: number;
  end: number;
  /** ERBB2 span +- AMPLICON_FLANK. */
  windowStart: number;
  windowEnd: number;
}

/** ERBB2's span on the panel (from its probes) and the amplicon window around it. */
export function erbb2Region(probes: Probe[]): ErbB2Region | undefined {
  const erbb2 = probes.filter(p => p.gene === 'ERBB2');
  if (erbb2.length === 0) return undefined;
  const chrom = erbb2[0].chrom;
  const start = Math.min(...erbb2.map(p => p.start));
  const end = Math.max(...erbb2.map(p => p.end));
  return { chrom, start, end, windowStart: start - AMPLICON_FLANK, windowEnd: end + AMPLICON_FLANK };
}

export function inWindow(p: Probe, region: ErbB2Region | undefined): boolean {
  return !!region && canonicalContig(p.chrom) === canonicalContig(region.chrom) && p.end > region.windowStart && p.start < region.windowEnd;
}

/** Probes that may set a sample's centre and GC trend: autosomal, not on chromosome 17. */
export function isCentringProbe(p: Probe): boolean {
  return isAutosome(p.chrom) && canonicalContig(p.chrom) !== '17';
}

export function isX(p: Probe): boolean {
  return canonicalContig(p.chrom) === 'X';
}

export function isY(p: Probe): boolean {
  return canonicalContig(p.chrom) === 'Y';
}
