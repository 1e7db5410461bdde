// One entry point for every coverage input: a BAM or CRAM (reads, counted by
// her2cn with the PoN's filters), or depths computed elsewhere (mosdepth's
// regions.bed.gz, a bigWig track). The format is told by the file's content;
// a name that says another format is refused, as a sign of a mix-up.
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Probe } from '../panel/panel.js';
import { detectBuild } from '../panel/builds.js';
import type { ReadFilter } from './engine.js';
import { checkPanelBuild, type CoverageFormat, measureBam, type MeasuredSample, type SampleChoice } from './measure.js';
import { Her2cnError } from '../errors/errors.js';
import { checkInputFile, companionFiles, InputFiles } from '../util/input-files.js';

const BIGWIG_MAGIC = 0x888ffc26;
const BIGBED_MAGIC = 0x8789f2eb;

const FORMAT_NAMES: Record<CoverageFormat, string> = {
  bam: 'BAM',
  cram: 'CRAM',
  mosdepth_regions: 'mosdepth regions',
  bigwig: 'bigWig',
};

/** The format a file name announces, if any. */
export function formatFromName(path: string): CoverageFormat | undefined {
  if (/\.bam$/i.test(path)) return 'bam';
  if (/\.cram$/i.test(path)) return 'cram';
  if (/\.(bw|bigwig)$/i.test(path)) return 'bigwig';
  if (/\.bed\.gz$/i.test(path)) return 'mosdepth_regions';
  return undefined;
}

/** The format of a coverage input, from its first bytes; refuses what her2cn cannot read. */
export function detectFormat(path: string): CoverageFormat {
  const named = formatFromName(path);
  // A folder, a FIFO (which would block the read below forever) or a device is refused before it is opened.
  checkInputFile(path, named ? FORMAT_NAMES[named] : 'coverage', `cannot open ${named ? FORMAT_NAMES[named] : 'the file'}`);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new Her2cnError('input', `${path}: cannot open ${named ? FORMAT_NAMES[named] : 'the file'} (${(e as NodeJS.ErrnoException).code ?? String(e)})`, path);
  }
  const head = Buffer.alloc(65536 + 26);
  let n: number;
  try {
    n = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const bytes = head.subarray(0, n);
  let format: CoverageFormat;
  if (n === 0) throw new Her2cnError('input', `${path}: the file is empty`, path);
  if (bytes.toString('latin1', 0, 4) === 'CRAM') format = 'cram';
  else if (n >= 4 && bytes.readUInt32LE(0) === BIGWIG_MAGIC) format = 'bigwig';
  else if (n >= 4 && bytes.readUInt32LE(0) === BIGBED_MAGIC) throw new Her2cnError('input', `${path}: is a bigBed file, not a bigWig coverage track`, path);
  else if (bytes[0] === 0x1f && bytes[1] === 0x8b) format = gzipFormat(path, bytes);
  else if (bytes[0] === 0x40 /* @ */) throw new Her2cnError('input', `${path}: looks like SAM text; convert it to an indexed BAM (samtools view -b, samtools sort, samtools index)`, path);
  else throw new Her2cnError('input', `${path}: not a BAM, CRAM, mosdepth regions.bed.gz or bigWig file`, path);
  if (named && named !== format) {
    throw new Her2cnError('input', `${path}: named as a ${FORMAT_NAMES[named]} file but it is a ${FORMAT_NAMES[format]} file; check that it is the intended file and give it its proper name`, path);
  }
  return format;
}

/** A BGZF file is a BAM when its data starts with BAM's magic, else (bgzip-compressed text) mosdepth regions. */
function gzipFormat(path: string, bytes: Buffer): CoverageFormat {
  const bgzf = bytes.length >= 18 && (bytes[3] & 4) !== 0 && bytes[12] === 0x42 && bytes[13] === 0x43;
  if (!bgzf) throw new Her2cnError('input', `${path}: is gzip- but not bgzip-compressed; BAMs and mosdepth regions files are bgzip (BGZF) files: recompress with 'bgzip' and index it`, path);
  const size = bytes.readUInt16LE(16) + 1;
  let data: Buffer;
  try {
    data = gunzipSync(bytes.subarray(0, size));
  } catch {
    // A damaged first block: let the BAM reader say where.
    return 'bam';
  }
  return data.toString('latin1', 0, 4) === 'BAM\x01' ? 'bam' : 'mosdepth_regions';
}

export interface InputOptions extends SampleChoice {
  /** Reference FASTA to check a CRAM against. */
  reference?: string;
  /** Threads reading a BAM (engine.ts). */
  threads?: number;
}

/**
 * Checks a coverage input and the index beside it before any work (each a
 * regular file), and adds them to the run's inputs, which no output may
 * replace.
 */
export function checkCoverageInput(path: string, inputs: InputFiles): void {
  const named = formatFromName(path);
  checkInputFile(path, named ? FORMAT_NAMES[named] : 'coverage', `cannot open ${named ? FORMAT_NAMES[named] : 'the file'}`);
  inputs.add(path, named ? FORMAT_NAMES[named] : 'coverage file');
  for (const index of companionFiles(path)) {
    if (!existsSync(index)) continue;
    checkInputFile(index, 'index');
    inputs.add(index, 'index');
  }
}

/** Per-probe depths of any coverage input, with what is known about the sample. */
export async function measureInput(path: string, probes: Probe[], panelSource: string, filter: ReadFilter, options: InputOptions = {}): Promise<MeasuredSample> {
  const format = detectFormat(path);
  switch (format) {
    case 'bam':
      return measureBam(path, probes, panelSource, filter, { threads: options.threads }, options);
    // The readers of the other formats (and the libraries under them) are loaded only when such a file is given.
    case 'cram':
      return (await import('./cram.js')).measureCram(path, probes, panelSource, filter, options.reference, options);
    case 'mosdepth_regions':
      return precomputed(path, format, await (await import('./mosdepth-regions.js')).mosdepthRegionDepths(path, probes, panelSource), []);
    case 'bigwig': {
      const track = await (await import('./bigwig.js')).bigWigDepths(path, probes, panelSource);
      const build = detectBuild(track.references);
      checkPanelBuild(probes, panelSource, path, build, 'bigWig track');
      return precomputed(path, format, track.depths, track.references);
    }
  }
}

function precomputed(path: string, format: CoverageFormat, depths: number[], references: { name: string; length: number }[]): MeasuredSample {
  return {
    input: path,
    source: { format, precomputed: true, reference: null },
    depths,
    reads: null,
    readGroupSamples: [],
    build: detectBuild(references),
    references,
    stats: null,
    medianInsert: 0,
    insertSpread: 0,
    warnings: [],
  };
}

export function formatName(format: CoverageFormat): string {
  return FORMAT_NAMES[format];
}
