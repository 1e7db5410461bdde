// `her2cn call`: the ERBB2 call for one tumour BAM. The per-sample work
// (measure, call, format, write the six files atomically) is `callSample`,
// which `her2cn batch` runs too, so a batch result is the call's, byte for byte.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { callErbb2, type CallResult } from '../call/call.js';
import type { QcLimits } from '../call/qc.js';
import { formatName, measureInput } from '../coverage/input.js';
import { sampleName } from '../coverage/measure.js';
import { writeFilesAtomic } from '../output/files.js';
import { safeFileStem } from '../output/names.js';
import { formatProbeTable } from '../output/probes-table.js';
import { formatResultJson, resultDocument } from '../output/result-json.js';
import { formatVcf } from '../output/vcf.js';
import { probePlotSvg } from '../output/plot.js';
import { svgToPng } from '../output/png.js';
import { reportHtml } from '../output/report.js';
import { readBed } from '../panel/bed.js';
import { type BuildName, CHROMOSOME_LENGTHS } from '../panel/builds.js';
import { resolveContig } from '../panel/contigs.js';
import { gcFromFasta } from '../panel/gc.js';
import type { Probe } from '../panel/panel.js';
import { readPon } from '../pon/file.js';
import { panelFingerprint, ponProbes, type PanelOfNormals } from '../pon/pon.js';
import { displayPath } from './defaults.js';
import { isCentringProbe } from '../normalize/probes.js';
import { Her2cnError } from '../errors/errors.js';

type ReportContextCategory = { category: string; basis: string };
type ReportContextWorkup = { action: string; concordance: string; explanation: string };

/** What every sample of a run shares: the PoN, the panel and its GC. */
export interface SetupOptions {
  pon: string;
  panel?: string;
  fasta?: string;
  /** Reference FASTA to check a CRAM against (default: fasta). */
  reference?: string;
}

/** What one sample's call is run with. */
export interface SampleOptions {
  sample?: string;
  purity?: number;
  ihc?: string;
  threshold: number;
  out: string;
  qc: QcLimits;
  version: string;
  /** Threads reading the BAM (results do not depend on it). */
  threads?: number;
}

export interface CallOptions extends SetupOptions, SampleOptions {
  json: boolean;
}

/** The checked PoN and panel with probe GC: plain data, so it can be handed to worker threads. */
export interface CallSetup {
  options: SetupOptions;
  pon: PanelOfNormals;
  probes: Probe[];
  panelSource: string;
  gc: (number | undefined)[];
  gcSource: string;
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

/** The six files of one sample's result, by file stem. */
export function resultFileNames(stem: string): string[] {
  return [`${stem}.her2cn.json`, `${stem}.plot.svg`, `${stem}.plot.png`, `${stem}.report.html`, `${stem}.her2cn.vcf`, `${stem}.probes.tsv`];
}

export async function runCall(bamPath: string, options: CallOptions): Promise<void> {
  const setup = await prepareCall(options);
  const outcome = await callSample(bamPath, setup, options, line => process.stderr.write(line + '\n'));
  if (options.json) process.stdout.write(outcome.json);
  else process.stdout.write(summaryLine(outcome.result) + '\n');
  for (const line of reasonLines(outcome.result)) process.stderr.write(line + '\n');
}

/** Reads the PoN (and panel), checks they belong together, and finds probe GC. */
export async function prepareCall(options: SetupOptions): Promise<CallSetup> {
  const pon = readPon(options.pon);
  let probes: Probe[] = ponProbes(pon);
  let panelSource = `${displayPath(options.pon)} (probes of the panel of normals)`;
  let panelGc: (number | undefined)[] | undefined;
  if (options.panel) {
    const panel = readBed(options.panel);
    if (panelFingerprint(panel.probes) !== pon.panel.fingerprint) {
      throw new Her2cnError('input', 
        `${options.pon}: panel of normals was built for another panel (${pon.panel.source}, ${pon.panel.probes} probes) than ${options.panel} (${panel.probes.length} probes); build a PoN for this panel with 'her2cn pon'`,
      );
    }
    probes = panel.probes;
    panelSource = displayPath(options.panel);
    if (panel.probes.some(p => p.gc !== undefined)) panelGc = panel.probes.map(p => p.gc);
  }
  if (!probes.some(isCentringProbe)) throw new Her2cnError('input', `${options.panel ?? options.pon}: the panel has no probes on autosomes other than chromosome 17, which her2cn needs to normalize the sample against`, options.panel ?? options.pon);
  if (!probes.some(p => p.gene === 'ERBB2')) throw new Her2cnError('input', `${options.panel ?? options.pon}: the panel has no ERBB2 probes (is the gene named ERBB2 in the BED name column?)`, options.panel ?? options.pon);
  let gc: (number | undefined)[];
  let gcSource: string;
  if (options.fasta) {
    gc = await gcFromFasta(options.fasta, probes);
    gcSource = options.fasta;
  } else if (panelGc) {
    gc = panelGc;
    gcSource = `${displayPath(options.panel!)} (gc column)`;
  } else {
    gc = pon.probes.gc.map(g => (g === null ? undefined : g));
    gcSource = gc.some(g => g !== undefined) ? `${displayPath(options.pon)} (GC stored with the panel of normals)` : 'none';
  }
  return { options: { pon: options.pon, panel: options.panel, fasta: options.fasta, reference: options.reference }, pon, probes, panelSource, gc, gcSource };
}

/** One sample: measure the BAM, call ERBB2, format the six files and write them atomically into `options.out`. */
export async function callSample(bamPath: string, setup: CallSetup, options: SampleOptions, log: CallLog): Promise<SampleOutcome> {
  const { pon, probes, panelSource, gc, gcSource } = setup;
  const ponPath = setup.options.pon;
  log(`her2cn: reading ${bamPath}`, 'progress');
  const reference = setup.options.reference ?? setup.options.fasta;
  const measured = await measureInput(bamPath, probes, panelSource, pon.filters, { reference, threads: options.threads });
  const format = measured.source.format;
  if (pon.build !== 'unknown' && measured.build !== 'unknown' && measured.build !== pon.build) {
    const what = format === 'bam' || format === 'cram' ? `${formatName(format)} is aligned to` : `${formatName(format)} track is on`;
    throw new Her2cnError('input', `${bamPath}: ${what} ${measured.build} but the panel of normals ${ponPath} was built on ${pon.build}; use a PoN of the same genome build`, bamPath);
  }
  if (measured.source.precomputed) {
    log(`her2cn: warning: ${bamPath}: depths from a precomputed ${formatName(format)} file: read filters could not be checked, no insert size`, 'warning');
  }
  // Contigs for the VCF header: the input's, else (mosdepth regions have no header) the PoN build's.
  const contigs = measured.references.length > 0 ? measured.references : buildContigs(pon.build, probes);
  const { name: sample, warning } = sampleName(options.sample, measured);
  if (warning) log(`her2cn: warning: ${warning}`, 'warning');

  const result = callErbb2({
    sample,
    probes,
    depths: measured.depths,
    gc,
    medianInsert: measured.medianInsert,
    ...(measured.source.precomputed ? { precomputed: { file: bamPath, format: formatName(format) } } : {}),
    pon,
    threshold: options.threshold,
    purity: options.purity,
    qc: options.qc,
  });
  const doc = resultDocument(result, pon, {
    version: options.version,
    bam: bamPath,
    coverage: { format, precomputed: measured.source.precomputed, reference: measured.source.reference },
    panel: panelSource,
    pon: displayPath(ponPath),
    fasta: setup.options.fasta ?? null,
    build: measured.build,
    readGroupSamples: measured.readGroupSamples,
    ihc: options.ihc ?? null,
    gcSource,
  });
  const erbb2Chrom = probes.find(p => p.gene === 'ERBB2')!.chrom;
  const chrom = resolveContig(erbb2Chrom, contigs.map(r => r.name)) ?? erbb2Chrom;
  const plot = probePlotSvg(result);
  const report = reportHtml(result, {
    version: options.version,
    bam: bamPath,
    coverage: { format, label: formatName(format), precomputed: measured.source.precomputed },
    panel: panelSource,
    pon: displayPath(ponPath),
    ponNormalsUsed: pon.normals.filter(n => n.used).length,
    ponNormals: pon.normals.length,
    ponFingerprint: pon.panel.fingerprint,
    filters: pon.filters,
    build: measured.build,
    ihc: options.ihc ?? null,
    her2Category: (doc.her2_category as ReportContextCategory) ?? null,
    workup: (doc.workup as ReportContextWorkup) ?? null,
  }, plot);
  const stem = safeFileStem(sample);
  const names = resultFileNames(stem);
  refuseCollision(join(options.out, names[0]), sample);
  const json = formatResultJson(doc);
  const contents: (string | Uint8Array)[] = [
    json,
    plot,
    svgToPng(plot),
    report,
    formatVcf(result, { version: options.version, build: measured.build, contigs, chrom }),
    formatProbeTable(result.probe_results),
  ];
  const files = names.map((name, i): [string, string | Uint8Array] => [name, contents[i]]);
  writeFilesAtomic(options.out, files);
  return { result, json, stem, files };
}

/** A build's chromosomes named as the panel names them (chr17 or 17), for a VCF header when the input has none. */
function buildContigs(build: string, probes: Probe[]): { name: string; length: number }[] {
  const lengths = CHROMOSOME_LENGTHS[build as BuildName];
  if (!lengths) return [];
  const bare = probes.length > 0 && !/^chr/i.test(probes[0].chrom);
  return Object.entries(lengths).map(([name, length]) => ({ name: bare ? (name === 'chrM' ? 'MT' : name.slice(3)) : name, length }));
}

/** Two sample names can make one file name ('a/b' and 'a_b'); a result of another sample is never replaced. */
function refuseCollision(path: string, sample: string): void {
  if (!existsSync(path)) return;
  let earlier: unknown;
  try {
    earlier = JSON.parse(readFileSync(path, 'utf8')).sample;
  } catch {
    throw new Her2cnError('input', `${path}: exists and is not a her2cn result; move it away or choose another --out`, path);
  }
  if (earlier !== sample) {
    throw new Her2cnError('input', `${path}: holds the result of sample ${JSON.stringify(earlier)}, whose file name equals that of ${JSON.stringify(sample)}; choose another --out or --sample`, path);
  }
}

/** The QC reasons as `call` prints them on stderr. */
export function reasonLines(r: { sample: string; qc: { reasons: string[] } }): string[] {
  return r.qc.reasons.map(reason => `her2cn: ${r.sample}: ${reason}`);
}

/** The fields of a result the summary line shows: a CallResult, or the JSON written from it. */
export type SummaryFields = Pick<CallResult, 'sample' | 'call' | 'log2' | 'ci95'> & {
  probes: Pick<CallResult['probes'], 'at_or_above_threshold' | 'used'>;
  qc: Pick<CallResult['qc'], 'status'>;
};

export function summaryLine(r: SummaryFields): string {
  const log2 = r.log2 === null ? 'NA' : r.log2.toFixed(2);
  const ci = r.ci95 ? `${r.ci95[0].toFixed(2)}..${r.ci95[1].toFixed(2)}` : 'NA';
  return [r.sample.replace(/[\t\r\n]/g, ' '), r.call, `log2=${log2}`, `ci95=${ci}`, `probes_at_or_above=${r.probes.at_or_above_threshold}/${r.probes.used}`, `qc=${r.qc.status}`].join('\t');
}
