// The panel of normals: for every probe, the normal log2 level (on a
// two-copy scale) and its spread across normals of the same assay, with
// what it was built from and for, so a call can refuse a mismatched PoN.
import { createHash } from 'node:crypto';
import { canonicalContig } from '../panel/contigs.js';
import type { Probe } from '../panel/panel.js';

export const PON_FORMAT = 'her2cn-pon';
export const PON_FORMAT_VERSION = 1;

export type ProbeFlag = 'low_coverage' | 'noisy' | 'no_coverage' | 'no_male_normals';

export interface NormalRecord {
  name: string;
  bam: string;
  sex: 'female' | 'male' | 'unknown';
  xLog2: number | null;
  yLog2: number | null;
  /** Median depth of the normal's centring probes. */
  medianDepth: number;
  /** Robust SD of its log2 against the other normals (leave-one-out median). */
  noise: number;
  /** Median insert size of its proper pairs on the probes. */
  medianInsert: number;
  /** Its ERBB2 gene-level log2 against the other normals (ideally 0). */
  erbb2Log2: number | null;
  /** The precomputed coverage format the depths came from (read filters not checked); absent for BAM and CRAM. */
  coverage?: string;
  used: boolean;
  reason?: string;
}

export interface PanelOfNormals {
  format: typeof PON_FORMAT;
  formatVersion: number;
  tool: { name: 'her2cn'; version: string };
  panel: { source: string; fingerprint: string; probes: number };
  /** Genome build of the normals' BAMs, from their header lengths. */
  build: string;
  filters: { minMapq: number; excludeFlags: number; countMateOverlapOnce: boolean };
  gcSource: 'panel' | 'fasta' | 'none';
  normals: NormalRecord[];
  /** Median of the used normals' median depths: the assay's typical depth. */
  medianDepth: number;
  /** Median of the probes' spreads. */
  typicalSpread: number;
  /**
   * Fragment-length effect on crowded probes: log2 gained per unit of
   * neighbour reach (normalize/density.ts) relative to the reach at the
   * normals' median insert size `reference`; `min` and `max` bound the
   * normals' inserts, beyond which no correction is extrapolated.
   */
  insertEffect: { reference: number; coefficient: number; min: number; max: number };
  /**
   * How far a gene-level ERBB2 log2 strays from 0 in a normal measured
   * against the other normals (RMS over used normals): the part of a call's
   * uncertainty that probe resampling cannot see (centring, GC fit, PoN).
   */
  geneLevelSd: number;
  probes: {
    chrom: string[];
    start: number[];
    end: number[];
    name: string[];
    gene: string[];
    gc: (number | null)[];
    /** Median normalized log2 of the used normals, two-copy scale. */
    log2: (number | null)[];
    /** Robust SD across the used normals. */
    spread: (number | null)[];
    /** Relative weight of the probe in gene summaries (0 = excluded). */
    weight: number[];
    /** Comma-separated ProbeFlag values, '' when none. */
    flags: string[];
  };
}

/**
 * A panel's identity: SHA-256 of its probe coordinates with chromosome names
 * stripped of 'chr', sorted. Independent of naming, order and probe names.
 */
export function panelFingerprint(probes: Probe[]): string {
  const lines = probes.map(p => `${canonicalContig(p.chrom)}:${p.start}-${p.end}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

export function ponProbes(pon: PanelOfNormals): Probe[] {
  const p = pon.probes;
  return p.chrom.map((chrom, i) => ({
    chrom,
    start: p.start[i],
    end: p.end[i],
    name: p.name[i],
    gene: p.gene[i],
    ...(p.gc[i] === null ? {} : { gc: p.gc[i]! }),
  }));
}
