// `her2cn call`: the ERBB2 call for one tumour BAM.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { callErbb2 } from '../call/call.js';
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
import { panelFingerprint, ponProbes } from '../pon/pon.js';
import { displayPath } from './defaults.js';
import { InputError } from './errors.js';
import { isCentringProbe } from '../normalize/probes.js';

type ReportContextCategory = { category: string; basis: string };
type ReportContextWorkup = { action: string; concordance: string; explanation: string };

export interface CallOptions {
  pon: string;
  panel?: string;
  fasta?: string;
  /** Reference FASTA to check a CRAM against (default: fasta). */
  reference?: string;
  sample?: string;
  purity?: number;
  ihc?: string;
  threshold: number;
  out: string;
  json: boolean;
  qc: QcLimits;
  version: string;
  threads?: number;
}

export async function runCall(bamPath: string, options: CallOptions): Promise<void> {
  const pon = readPon(options.pon);
  let probes: Probe[] = ponProbes(pon);
  let panelSource = `${displayPath(options.pon)} (probes of the panel of normals)`;
  let panelGc: (number | undefined)[] | undefined;
  if (options.panel) {
    const panel = readBed(options.panel);
    if (panelFingerprint(panel.probes) !== pon.panel.fingerprint) {
      throw new InputError(
        `${options.pon}: panel of normals was built for another panel (${pon.panel.source}, ${pon.panel.probes} probes) than ${options.panel} (${panel.probes.length} probes); build a PoN for this panel with 'her2cn pon'`,
      );
    }
    probes = panel.probes;
    panelSource = displayPath(options.panel);
    if (panel.probes.some(p => p.gc !== undefined)) panelGc = panel.probes.map(p => p.gc);
  }
  if (!probes.some(isCentringProbe)) throw new InputError(`${options.panel ?? options.pon}: the panel has no probes on autosomes other than chromosome 17, which her2cn needs to normalize the sample against`);
  if (!probes.some(p => p.gene === 'ERBB2')) throw new InputError(`${options.panel ?? options.pon}: the panel has no ERBB2 probes (is the gene named ERBB2 in the BED name column?)`);
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

  process.stderr.write(`her2cn: reading ${bamPath}\n`);
  const measured = await measureInput(bamPath, probes, panelSource, pon.filters, { reference: options.reference ?? options.fasta, threads: options.threads });
  const format = measured.source.format;
  if (pon.build !== 'unknown' && measured.build !== 'unknown' && measured.build !== pon.build) {
    const what = format === 'bam' || format === 'cram' ? `${formatName(format)} is aligned to` : `${formatName(format)} track is on`;
    throw new InputError(`${bamPath}: ${what} ${measured.build} but the panel of normals ${options.pon} was built on ${pon.build}; use a PoN of the same genome build`);
  }
  if (measured.source.precomputed) {
    process.stderr.write(`her2cn: warning: ${bamPath}: depths from a precomputed ${formatName(format)} file: read filters could not be checked, no insert size\n`);
  }
  // Contigs for the VCF header: the input's, else (mosdepth regions have no header) the PoN build's.
  const contigs = measured.references.length > 0 ? measured.references : buildContigs(pon.build, probes);
  const { name: sample, warning } = sampleName(options.sample, measured);
  if (warning) process.stderr.write(`her2cn: warning: ${warning}\n`);

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
    pon: displayPath(options.pon),
    fasta: options.fasta ?? null,
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
    pon: displayPath(options.pon),
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
  refuseCollision(join(options.out, `${stem}.her2cn.json`), sample);
  const files: [string, string | Buffer][] = [
    [`${stem}.her2cn.json`, formatResultJson(doc)],
    [`${stem}.plot.svg`, plot],
    [`${stem}.plot.png`, svgToPng(plot)],
    [`${stem}.report.html`, report],
    [`${stem}.her2cn.vcf`, formatVcf(result, { version: options.version, build: measured.build, contigs, chrom })],
    [`${stem}.probes.tsv`, formatProbeTable(result.probe_results)],
  ];
  writeFilesAtomic(options.out, files);

  if (options.json) process.stdout.write(formatResultJson(doc));
  else process.stdout.write(summaryLine(result) + '\n');
  for (const reason of result.qc.reasons) process.stderr.write(`her2cn: ${sample}: ${reason}\n`);
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
    throw new InputError(`${path}: exists and is not a her2cn result; move it away or choose another --out`);
  }
  if (earlier !== sample) {
    throw new InputError(`${path}: holds the result of sample ${JSON.stringify(earlier)}, whose file name equals that of ${JSON.stringify(sample)}; choose another --out or --sample`);
  }
}

export function summaryLine(r: ReturnType<typeof callErbb2>): string {
  const log2 = r.log2 === null ? 'NA' : r.log2.toFixed(2);
  const ci = r.ci95 ? `${r.ci95[0].toFixed(2)}..${r.ci95[1].toFixed(2)}` : 'NA';
  return [r.sample.replace(/[\t\r\n]/g, ' '), r.call, `log2=${log2}`, `ci95=${ci}`, `probes_at_or_above=${r.probes.at_or_above_threshold}/${r.probes.used}`, `qc=${r.qc.status}`].join('\t');
}
