// One sample through the pipeline: read its coverage, call ERBB2, format the
// six result files and write them atomically. `her2cn call` and the workers
// of `her2cn batch` both run it, so a batch result is the call's, byte for byte.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { callErbb2, type CallResult } from '../call/call.js';
import type { QcLimits } from '../call/qc.js';
import { formatName, measureInput } from '../coverage/input.js';
import { type CoverageFormat, sampleName } from '../coverage/measure.js';
import { Her2cnError } from '../errors/errors.js';
import { writeFilesAtomic } from '../output/files.js';
import { refuseOverwritingInputs } from '../output/location.js';
import type { InputFiles } from '../util/input-files.js';
import { safeFileStem } from '../output/names.js';
import { formatProbeTable } from '../output/probes-table.js';
import { formatResultJson, resultDocument } from '../output/result-json.js';
import { bgzipVcf, formatVcf } from '../output/vcf.js';
import { probePlotSvg } from '../output/plot.js';
import { reportHtml } from '../output/report.js';
import { type BuildName, CHROMOSOME_LENGTHS } from '../panel/builds.js';
import { resolveContig } from '../panel/contigs.js';
import type { Her2cnResult, Specimen } from '../result/schema.js';
import type { IhcScore } from '../clinical/ihc.js';
import type { Probe } from '../panel/panel.js';
import type { CallSetup } from './setup.js';
import { displayPath } from './shipped.js';

/** What one sample's call is run with. */
export interface SampleOptions {
  sample?: string;
  /** batch: an earlier run recorded writing this sample's files, so a damaged result among them is replaced, not refused. */
  ownResultFiles?: boolean;
  purity?: number;
  /** How far a given purity may be off, as a fraction (default 0.25). */
  purityTolerance?: number;
  /** Canonical, as clinical/ihc.ts writes it. */
  ihc?: IhcScore;
  /** The specimen as the laboratory identifies it (report and JSON); absent when nothing was given. */
  specimen?: Specimen;
  threshold: number;
  out: string;
  qc: QcLimits;
  version: string;
  /** Threads reading the BAM (results do not depend on it). */
  threads?: number;
  /** How the user names the sample, for messages ('--sample'; batch: the samples table's column). */
  sampleOption?: string;
  /** Also write the VCF bgzipped with its tabix index (`--vcf-gz`), for bcftools merge and region queries. */
  vcfGz?: boolean;
}

export interface SampleOutcome {
  result: CallResult;
  /** The text of `<stem>.her2cn.json` as written. */
  json: string;
  stem: string;
  /** The files written, in the order of `resultFileNames`. */
  files: [string, string | Uint8Array][];
}

/** Progress and warnings of one sample, as lines for stderr (without the newline). */
export type CallLog = (line: string, kind: 'progress' | 'warning') => void;

/** The six files of one sample's result, by file stem; with `--vcf-gz`, eight (the bgzipped VCF before its index, so the index is never the older). */
export function resultFileNames(stem: string, vcfGz = false): string[] {
  const names = [`${stem}.her2cn.json`, `${stem}.plot.svg`, `${stem}.plot.png`, `${stem}.report.html`, `${stem}.her2cn.vcf`, `${stem}.probes.tsv`];
  return vcfGz ? [...names, `${stem}.her2cn.vcf.gz`, `${stem}.her2cn.vcf.gz.tbi`] : names;
}

/** The coverage of one input, checked against the PoN's build, with the contigs a VCF header needs. */
async function measureSample(bamPath: string, setup: CallSetup, options: SampleOptions, log: CallLog) {
  const { pon, probes, panelSource } = setup;
  log(`her2cn: reading ${bamPath}`, 'progress');
  const reference = setup.options.reference ?? setup.options.fasta;
  const measured = await measureInput(bamPath, probes, panelSource, pon.filters, {
    reference,
    threads: options.threads,
    sample: options.sample,
    sampleOption: options.sampleOption ?? '--sample',
    spliced: 'refuse',
  });
  for (const w of measured.warnings) log(`her2cn: warning: ${w}`, 'warning');
  const format = measured.source.format;
  if (pon.build !== 'unknown' && measured.build !== 'unknown' && measured.build !== pon.build) {
    const what = format === 'bam' || format === 'cram' ? `${formatName(format)} is aligned to` : `${formatName(format)} track is on`;
    throw new Her2cnError('input', `${bamPath}: ${what} ${measured.build} but the panel of normals ${setup.options.pon} was built on ${pon.build}; use a PoN of the same genome build`, bamPath);
  }
  if (measured.source.precomputed) {
    log(`her2cn: warning: ${bamPath}: depths from a precomputed ${formatName(format)} file: read filters could not be checked, no insert size`, 'warning');
  }
  // Contigs for the VCF header: the input's, else (mosdepth regions have no header) the PoN build's.
  const contigs = measured.references.length > 0 ? measured.references : buildContigs(pon.build, probes);
  const { name: sample, warning } = sampleName(options.sample, measured);
  if (warning) log(`her2cn: warning: ${warning}`, 'warning');
  return { measured, format, contigs, sample };
}

/** One sample: measure the BAM, call ERBB2, format the six files and write them atomically into `options.out`. */
export async function callSample(bamPath: string, setup: CallSetup, options: SampleOptions, log: CallLog, inputs?: InputFiles): Promise<SampleOutcome> {
  const { pon, probes } = setup;
  // The PNG renderer loads while the coverage is counted (on worker threads for a large BAM).
  const pngModule = import('../output/png.js');
  pngModule.catch(() => {});
  const { measured, format, contigs, sample } = await measureSample(bamPath, setup, options, log);
  const result = callErbb2({
    sample,
    probes,
    depths: measured.depths,
    gc: setup.gc,
    medianInsert: measured.medianInsert,
    insertSpread: measured.insertSpread,
    build: measured.build !== 'unknown' ? measured.build : pon.build,
    ...(measured.source.precomputed ? { precomputed: { file: bamPath, format: formatName(format) } } : {}),
    pon,
    threshold: options.threshold,
    purity: options.purity,
    purityTolerance: options.purityTolerance,
    qc: options.qc,
  });
  // The PNG renders on another thread while the other files are formatted.
  const plot = probePlotSvg(result);
  const png = (await pngModule).svgToPng(plot);
  png.catch(() => {});
  const run = { bamPath, format, precomputed: measured.source.precomputed, build: measured.build };
  const doc = resultDocument(result, pon, {
    version: options.version,
    bam: bamPath,
    coverage: { format, precomputed: measured.source.precomputed, reference: measured.source.reference },
    panel: setup.panelSource,
    pon: displayPath(setup.options.pon),
    fasta: setup.options.fasta ?? null,
    build: measured.build,
    readGroupSamples: measured.readGroupSamples,
    readGroupsCounted: measured.readGroupsCounted,
    ihc: options.ihc ?? null,
    specimen: options.specimen ?? null,
    gcSource: setup.gcSource,
  });
  const stem = safeFileStem(sample);
  const names = resultFileNames(stem, options.vcfGz);
  refuseCollision(join(options.out, names[0]), sample, options.ownResultFiles === true);
  if (inputs) refuseOverwritingInputs(options.out, names, inputs);
  const json = formatResultJson(doc);
  const contents = await renderFiles(result, doc, json, plot, png, setup, options, run, contigs);
  const files = names.map((name, i): [string, string | Uint8Array] => [name, contents[i]]);
  writeFilesAtomic(options.out, files);
  return { result, json, stem, files };
}

/** The files' contents, in the order of `resultFileNames`, the PNG awaited last. */
async function renderFiles(
  result: CallResult,
  doc: Her2cnResult,
  json: string,
  plot: string,
  png: Promise<Uint8Array>,
  setup: CallSetup,
  options: SampleOptions,
  run: { bamPath: string; format: CoverageFormat; precomputed: boolean; build: string },
  contigs: { name: string; length: number }[],
): Promise<(string | Uint8Array)[]> {
  const { pon, probes } = setup;
  const erbb2Chrom = probes.find(p => p.gene === 'ERBB2')!.chrom;
  const chrom = resolveContig(erbb2Chrom, contigs.map(r => r.name)) ?? erbb2Chrom;
  const report = reportHtml(result, {
    version: options.version,
    bam: run.bamPath,
    coverage: { format: run.format, label: formatName(run.format), precomputed: run.precomputed },
    panel: setup.panelSource,
    pon: displayPath(setup.options.pon),
    ponNormalsUsed: pon.normals.filter(n => n.used).length,
    ponNormals: pon.normals.length,
    ponFingerprint: pon.panel.fingerprint,
    filters: pon.filters,
    build: run.build,
    ihc: options.ihc ?? null,
    specimen: doc.specimen,
    her2Category: doc.her2_category,
    workup: doc.workup,
  }, probePlotSvg(result, { title: false }));
  const vcf = formatVcf(result, { version: options.version, build: run.build, contigs, chrom });
  const table = formatProbeTable(result.probe_results);
  const files = [json, plot, await png, report, vcf, table];
  if (!options.vcfGz) return files;
  const { gz, tbi } = bgzipVcf(vcf);
  return [...files, gz, tbi];
}

/** A build's chromosomes named as the panel names them (chr17 or 17), for a VCF header when the input has none. */
function buildContigs(build: string, probes: Probe[]): { name: string; length: number }[] {
  const lengths = CHROMOSOME_LENGTHS[build as BuildName];
  if (!lengths) return [];
  const bare = probes.length > 0 && !/^chr/i.test(probes[0].chrom);
  return Object.entries(lengths).map(([name, length]) => ({ name: bare ? (name === 'chrM' ? 'MT' : name.slice(3)) : name, length }));
}

/** A result of any version names its gene, call, version and sample; a file that merely has a "sample" is someone else's. */
function isResultDocument(doc: unknown): doc is { sample: string } {
  if (typeof doc !== 'object' || doc === null) return false;
  const d = doc as Record<string, unknown>;
  return d.gene === 'ERBB2' && typeof d.call === 'string' && typeof d.version === 'string' && typeof d.sample === 'string';
}

/** Two sample names can make one file name ('a/b' and 'a_b'); a result of another sample is never replaced. */
function refuseCollision(path: string, sample: string, own: boolean): void {
  if (!existsSync(path)) return;
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    // damaged (cut short, edited): not a result
  }
  if (!isResultDocument(doc)) {
    // replaced only where batch recorded writing it for this sample
    if (own) return;
    throw new Her2cnError('input', `${path}: exists and is not a her2cn result; move it away or choose another --out`, path);
  }
  const earlier = doc.sample;
  if (earlier !== sample) {
    throw new Her2cnError('input', `${path}: holds the result of sample ${JSON.stringify(earlier)}, whose file name equals that of ${JSON.stringify(sample)}; choose another --out or --sample`, path);
  }
}
