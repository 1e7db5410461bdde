// One sample's per-probe depths with what the rest of the pipeline needs to
// know about its coverage input: its samples, build and references.
import { statSync } from 'node:fs';
import type { Probe } from '../panel/panel.js';
import { type BuildName, detectBuild, ERBB2_SPAN, erbb2ProbesOffGene } from '../panel/builds.js';
import { canonicalContig } from '../panel/contigs.js';
import { type BamInput, openBam, type Reference } from './bam.js';
import { computeCoverage, type CoverageStats, type EngineOptions, type ReadFilter, startWorkers } from './engine.js';
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
  /** Their spread (robust SD); 0 when none or unknown. */
  insertSpread: number;
  /** For a file of several samples: the read groups counted (those of the sample named), else undefined (all reads counted). */
  readGroupsCounted?: string[];
  /** Things the user should know about the reads (spliced reads, the read groups counted), without 'her2cn: warning: '. */
  warnings: string[];
}

/** How a sample's reads are chosen and judged. */
export interface SampleChoice {
  /** The sample named by the user (--sample, the samples table), if any. */
  sample?: string;
  /** How the user names a sample in this command, for the message when one must be chosen; undefined: no way (pon). */
  sampleOption?: string;
  /** Spliced reads (CIGAR N) beyond MAX_SPLICED_FRACTION: refused (call, pon) or only warned about (coverage). */
  spliced?: 'refuse' | 'warn';
}

/**
 * Above this fraction of spliced reads on the probes, the file is taken for
 * an RNA alignment: its depth over the probes measures expression and
 * splicing, not copy number. DNA aligners (BWA, Bowtie2, minimap2 in genomic
 * mode) write no N operations at all.
 */
export const MAX_SPLICED_FRACTION = 0.01;

/** The read groups of a file as samples: one entry per distinct SM (read groups without SM are listed by ID). */
export function readGroupSamples(readGroups: { id: string; sample?: string }[]): Map<string, string[]> {
  const bySample = new Map<string, string[]>();
  for (const rg of readGroups) {
    const key = rg.sample ?? `(read group ${rg.id} without SM)`;
    bySample.set(key, [...(bySample.get(key) ?? []), rg.id]);
  }
  return bySample;
}

/**
 * The read groups to count: all (undefined) for a file of one sample; for a
 * file of several, those of the sample named, else a refusal naming them.
 * her2cn never pools the reads of several samples.
 */
export function chooseReadGroups(path: string, what: string, readGroups: { id: string; sample?: string }[], choice: SampleChoice): { readGroups?: string[]; note?: string } {
  const bySample = readGroupSamples(readGroups);
  if (bySample.size <= 1) return {};
  const names = [...bySample.keys()];
  const listed = names.join(', ');
  if (choice.sample === undefined) {
    const how = choice.sampleOption
      ? `name the one to call with ${choice.sampleOption} (only its read groups are then counted), or split the ${what} by sample`
      : `give one ${what} per sample (split it by read group: 'samtools split')`;
    throw new Her2cnError('input', `${path}: read groups name ${names.length} samples (${listed}); her2cn never pools samples: ${how}`, path);
  }
  const ids = bySample.get(choice.sample);
  if (!ids) {
    throw new Her2cnError('input', `${path}: read groups name ${names.length} samples (${listed}) and none is ${choice.sample}; name one of them, or give the ${what} of ${choice.sample}`, path);
  }
  return {
    readGroups: ids,
    note: `${path}: the ${what} holds ${names.length} samples (${listed}); counting only the reads of ${choice.sample} (read group${ids.length > 1 ? 's' : ''} ${ids.join(', ')})`,
  };
}

/** Spliced reads: a note when a few, a refusal (or a warning, for coverage) when they are more than MAX_SPLICED_FRACTION. */
export function judgeReads(path: string, what: string, stats: CoverageStats, choice: SampleChoice, warnings: string[]): void {
  if (stats.spliced === 0) return;
  const share = stats.passing > 0 ? stats.spliced / stats.passing : 0;
  const pct = `${(100 * share).toFixed(share < 0.1 ? 1 : 0)}%`;
  const finding = `${stats.spliced} of ${stats.passing} reads on the probes (${pct}) are spliced (CIGAR N, as an RNA aligner writes); their skipped bases are not counted as coverage, as samtools and mosdepth do not`;
  if (share > MAX_SPLICED_FRACTION && choice.spliced === 'refuse') {
    throw new Her2cnError('input', `${path}: ${finding}: is it an RNA-seq ${what}? her2cn calls DNA capture libraries; give the DNA ${what}`, path);
  }
  warnings.push(`${path}: ${finding}${share > MAX_SPLICED_FRACTION ? `; is it an RNA-seq ${what}?` : ''}`);
}

export async function measureBam(path: string, probes: Probe[], panelSource: string, filter: ReadFilter, engine: EngineOptions = {}, choice: SampleChoice = {}): Promise<MeasuredSample> {
  // Worker threads boot while the header and index are read (on a BAM large enough to be split).
  const workers = startWorkers(fileSize(path), engine.threads);
  let bam: BamInput;
  try {
    bam = await openBam(path);
  } catch (e) {
    await Promise.all(workers.map(w => w.terminate()));
    throw e;
  }
  try {
    checkPanelBuild(probes, panelSource, path, detectBuild(bam.references));
    const chosen = chooseReadGroups(path, 'BAM', bam.readGroups, choice);
    const warnings = chosen.note ? [chosen.note] : [];
    const result = await computeCoverage(bam, { source: panelSource, probes, warnings: [] }, filter, { ...engine, workers, ...(chosen.readGroups ? { readGroups: { readGroups: chosen.readGroups } } : {}) });
    judgeReads(path, 'BAM', result.stats, choice, warnings);
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
      insertSpread: result.insertSpread,
      ...(chosen.readGroups ? { readGroupsCounted: chosen.readGroups } : {}),
      warnings,
    };
  } finally {
    bam.close();
    // Stopped here too when the run ended before the reading was split (a refused panel, a BAM too small).
    await Promise.all(workers.map(w => w.terminate()));
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * Refuses a panel whose ERBB2 probes are not on ERBB2: probes named ERBB2
 * off chromosome 17 are misnamed (whatever the build); probes that all lie
 * on ERBB2 in another build than the input's tell a panel of another build;
 * others are misnamed or misplaced, and said so.
 */
export function checkPanelBuild(probes: Probe[], panelSource: string, path: string, build: string, what = 'BAM'): void {
  const erbb2 = probes.filter(p => p.gene === 'ERBB2');
  const where = (p: Probe) => `${p.name} at ${p.chrom}:${p.start + 1}-${p.end}`;
  const offChromosome = erbb2.filter(p => canonicalContig(p.chrom) !== '17');
  if (offChromosome.length > 0) {
    throw new Her2cnError(
      'input',
      `${panelSource}: ${offChromosome.length} probe${offChromosome.length > 1 ? 's' : ''} named as ERBB2 ${offChromosome.length > 1 ? 'lie' : 'lies'} off chromosome 17 (first: ${where(offChromosome[0])}), but ERBB2 is on chromosome 17: fix ${offChromosome.length > 1 ? 'their names' : 'its name'} in the BED's name column (or the --gene-pattern)`,
      panelSource,
    );
  }
  const off = erbb2ProbesOffGene(probes, build);
  if (off === 0) return;
  const other = (Object.keys(ERBB2_SPAN) as BuildName[]).find(b => b !== build && erbb2ProbesOffGene(probes, b) === 0);
  if (other && off === erbb2.length) {
    throw new Her2cnError('input',
      `${path}: the ${what} is aligned to ${build} but ${off} ERBB2 probes of the panel ${panelSource} are not on ERBB2 in ${build}; panel and ${what} are from different genome builds (the probes lie on ERBB2 in ${other})`,
    );
  }
  const span = ERBB2_SPAN[build as BuildName];
  const first = erbb2.find(p => p.end <= span.start || p.start >= span.end)!;
  throw new Her2cnError(
    'input',
    `${panelSource}: ${off} of the ${erbb2.length} probes named as ERBB2 ${off > 1 ? 'lie' : 'lies'} outside ERBB2 (${span.chrom}:${(span.start + 1).toLocaleString('en-US')}-${span.end.toLocaleString('en-US')} in ${build}, the build of ${path}) (first: ${where(first)}): fix their names in the BED's name column, or check the panel's build`,
    panelSource,
  );
}

/** File name endings of coverage inputs, stripped to make a sample name. */
const INPUT_SUFFIX = /\.(bam|cram|regions\.bed\.gz|bw|bigwig)$/i;

/** The sample name: given, else the read groups' single SM, else the file name without its coverage suffix. */
export function sampleName(given: string | undefined, measured: MeasuredSample): { name: string; warning?: string } {
  const fromFile = measured.input.replace(/^.*[\\/]/, '').replace(INPUT_SUFFIX, '');
  const sm = measured.readGroupSamples;
  const what = measured.source.format === 'cram' ? 'CRAM' : 'BAM';
  if (given !== undefined) {
    if (sm.length === 1 && !sm.includes(given)) {
      return { name: given, warning: `${measured.input}: --sample ${given.replace(/[\t\r\n]/g, ' ')} differs from the ${what}'s read-group sample ${sm.join(', ')}; is it the right ${what}?` };
    }
    return { name: given };
  }
  if (sm.length === 1) return { name: sm[0] };
  if (sm.length > 1) return { name: fromFile, warning: `${measured.input}: read groups name several samples (${sm.join(', ')}); using the file name ${fromFile}` };
  return { name: fromFile };
}
