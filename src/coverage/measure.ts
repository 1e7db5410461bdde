// One sample's per-probe depths with what the rest of the pipeline needs to
// know about its coverage input: its samples, build and references.
import type { Probe } from '../panel/panel.js';
import { detectBuild, erbb2ProbesOffGene } from '../panel/builds.js';
import { openBam, type Reference } from './bam.js';
import { computeCoverage, type CoverageStats, type EngineOptions, type ReadFilter } from './engine.js';
import { Her2cnError } from '../errors/errors.js';

/** Where depths came from: reads (BAM, CRAM) or a file of depths computed elsewhere. */
export type CoverageFormat = 'bam' | 'cram' | 'mosdepth_regions' | 'bigwig';

export interface CoverageSource {
  format: CoverageFormat;
  /**
   * Depths read from a precomputed file: her2cn did not see the reads, so
   * read filters could not be checked and there are no read counts, read
   * groups or insert sizes.
   */
  precomputed: boolean;
  /** CRAM: the reference FASTA checked against it, if any. */
  reference: string | null;
}

export interface MeasuredSample {
  /** The coverage input (BAM, CRAM, mosdepth regions.bed.gz or bigWig). */
  input: string;
  source: CoverageSource;
  depths: number[];
  /** Passing reads per probe; null for precomputed depths. */
  reads: number[] | null;
  readGroupSamples: string[];
  build: string;
  /** Chromosomes and lengths of the input's header; empty when it has none (mosdepth regions). */
  references: Reference[];
  /** Read statistics; null for precomputed depths. */
  stats: CoverageStats | null;
  /** Median insert size of proper pairs; 0 when none or unknown (precomputed depths). */
  medianInsert: number;
}

export async function measureBam(path: string, probes: Probe[], panelSource: string, filter: ReadFilter, engine: EngineOptions = {}): Promise<MeasuredSample> {
  const bam = await openBam(path);
  try {
    checkPanelBuild(probes, panelSource, path, detectBuild(bam.references));
    const result = await computeCoverage(bam, { source: panelSource, probes, warnings: [] }, filter, engine);
    return {
      input: path,
      source: { format: 'bam', precomputed: false, reference: null },
      depths: result.probes.map(p => p.depth),
      reads: result.probes.map(p => p.reads),
      readGroupSamples: [...new Set(bam.readGroups.map(rg => rg.sample).filter((s): s is string => !!s))].sort(),
      build: detectBuild(bam.references),
      references: bam.references,
      stats: result.stats,
      medianInsert: result.medianInsert,
    };
  } finally {
    bam.close();
  }
}

/** Refuses a panel whose ERBB2 probes are not on ERBB2 in the input's genome build. */
export function checkPanelBuild(probes: Probe[], panelSource: string, path: string, build: string, what = 'BAM'): void {
  const off = erbb2ProbesOffGene(probes, build);
  if (off > 0) {
    throw new Her2cnError('input', 
      `${path}: the ${what} is aligned to ${build} but ${off} ERBB2 probes of the panel ${panelSource} are not on ERBB2 in ${build}; panel and ${what} are from different genome builds`,
    );
  }
}

/** File name endings of coverage inputs, stripped to make a sample name. */
const INPUT_SUFFIX = /\.(bam|cram|regions\.bed\.gz|bw|bigwig)$/i;

/** The sample name: given, else the read groups' single SM, else the file name without its coverage suffix. */
export function sampleName(given: string | undefined, measured: MeasuredSample): { name: string; warning?: string } {
  const fromFile = measured.input.replace(/^.*[\\/]/, '').replace(INPUT_SUFFIX, '');
  const sm = measured.readGroupSamples;
  const what = measured.source.format === 'cram' ? 'CRAM' : 'BAM';
  if (given !== undefined) {
    if (sm.length > 0 && !sm.includes(given)) {
      return { name: given, warning: `${measured.input}: --sample ${given} differs from the ${what}'s read-group sample ${sm.join(', ')}; is it the right ${what}?` };
    }
    return { name: given };
  }
  if (sm.length === 1) return { name: sm[0] };
  if (sm.length > 1) return { name: fromFile, warning: `${measured.input}: read groups name several samples (${sm.join(', ')}); using the file name ${fromFile}` };
  return { name: fromFile };
}
