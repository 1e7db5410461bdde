// One BAM's per-probe depths with what the rest of the pipeline needs to
// know about the BAM: its samples, build and references.
import type { Probe } from '../panel/panel.js';
import { detectBuild, erbb2ProbesOffGene } from '../panel/builds.js';
import { BamInputError, openBam, type Reference } from './bam.js';
import { computeCoverage, type CoverageStats, type EngineOptions, type ReadFilter } from './engine.js';

export interface MeasuredSample {
  bam: string;
  depths: number[];
  readGroupSamples: string[];
  build: string;
  references: Reference[];
  stats: CoverageStats;
  medianInsert: number;
}

export async function measureBam(path: string, probes: Probe[], panelSource: string, filter: ReadFilter, engine: EngineOptions = {}): Promise<MeasuredSample> {
  const bam = await openBam(path);
  try {
    checkPanelBuild(probes, panelSource, path, detectBuild(bam.references));
    const result = await computeCoverage(bam, { source: panelSource, probes, warnings: [] }, filter, engine);
    return {
      bam: path,
      depths: result.probes.map(p => p.depth),
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

/** Refuses a panel whose ERBB2 probes are not on ERBB2 in the BAM's genome build. */
export function checkPanelBuild(probes: Probe[], panelSource: string, bamPath: string, build: string): void {
  const off = erbb2ProbesOffGene(probes, build);
  if (off > 0) {
    throw new BamInputError(
      `${bamPath}: the BAM is aligned to ${build} but ${off} ERBB2 probes of the panel ${panelSource} are not on ERBB2 in ${build}; panel and BAM are from different genome builds`,
    );
  }
}

/** The sample name: given, else the read groups' single SM, else the file name without .bam. */
export function sampleName(given: string | undefined, measured: MeasuredSample): { name: string; warning?: string } {
  const fromFile = measured.bam.replace(/^.*[\\/]/, '').replace(/\.bam$/i, '');
  const sm = measured.readGroupSamples;
  if (given !== undefined) {
    if (sm.length > 0 && !sm.includes(given)) {
      return { name: given, warning: `${measured.bam}: --sample ${given} differs from the BAM's read-group sample ${sm.join(', ')}; is it the right BAM?` };
    }
    return { name: given };
  }
  if (sm.length === 1) return { name: sm[0] };
  if (sm.length > 1) return { name: fromFile, warning: `${measured.bam}: read groups name several samples (${sm.join(', ')}); using the file name ${fromFile}` };
  return { name: fromFile };
}
