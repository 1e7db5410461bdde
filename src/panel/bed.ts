// Reading a capture panel from BED as vendors ship it: 3 to 6 (or more)
// columns, optional track/browser/comment lines, 'chr17' or '17' naming,
// unsorted, overlapping probes. A '#' header naming a 'gc' column supplies
// probe GC content.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { compareContigs } from './contigs.js';
import type { Panel, Probe } from './panel.js';
import { Her2cnError } from '../errors/errors.js';
import { checkInputFile } from '../util/input-files.js';

/**
 * The longest probe accepted. Capture probes are ~120 bp and target regions
 * (exons, merged probes) a few kb; a longer line is almost always a whole
 * gene or chromosome given by mistake, and depth is counted base by base,
 * so memory would grow with it (one line spanning chromosome 1 took 5.8 GB).
 */
export const MAX_PROBE_LENGTH = 100_000;

/** Characters that end the gene token of a probe name (ERBB2_ex12, ERBB2;NM_004448, ERBB2|12 all give ERBB2). */
export const GENE_DELIMITERS = /[_;|,:]/;

export interface BedOptions {
  /**
   * A regular expression applied to the name column for panels that name
   * genes differently; its first capture group (or whole match) is the gene.
   */
  genePattern?: string;
}

/** The gene a probe name stands for: its leading token, or the pattern's capture. */
export function geneOf(name: string, pattern?: RegExp): string {
  if (pattern) {
    const m = pattern.exec(name);
    if (!m) return '-';
    return (m[1] ?? m[0]) || '-';
  }
  const token = name.split(GENE_DELIMITERS)[0].trim();
  return token || '-';
}

export function parseBed(text: string, source: string, options: BedOptions = {}): Panel {
  let pattern: RegExp | undefined;
  if (options.genePattern !== undefined) {
    try {
      pattern = new RegExp(options.genePattern);
    } catch (e) {
      throw new Her2cnError('input', `gene pattern ${JSON.stringify(options.genePattern)} is not a valid regular expression`);
    }
  }
  const probes: Probe[] = [];
  const warnings: string[] = [];
  let gcColumn = -1;
  const seen = new Set<string>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const line = raw.replace(/\s+$/, '');
    if (line === '' || /^(track|browser)(\s|$)/.test(line)) return;
    if (line.startsWith('#')) {
      const cols = line.slice(1).split('\t').map(c => c.trim().toLowerCase());
      if (cols.length >= 3) gcColumn = cols.indexOf('gc');
      return;
    }
    const cols = line.split('\t');
    if (cols.length < 3) {
      const spaced = line.trim().split(/ +/);
      const hint = spaced.length >= 3 && /^\d+$/.test(spaced[1]) && /^\d+$/.test(spaced[2]) ? '; its columns are separated by spaces: BED needs tabs' : '';
      throw new Her2cnError('input', `${source} line ${lineNo}: expected at least 3 tab-separated columns (chrom, start, end), found ${cols.length}${hint}`);
    }
    const [chrom, startText, endText] = cols;
    if (!/^\d+$/.test(startText) || !/^\d+$/.test(endText)) {
      throw new Her2cnError('input', `${source} line ${lineNo}: start and end must be whole numbers, found '${startText}' and '${endText}'`);
    }
    const start = Number(startText);
    const end = Number(endText);
    if (chrom.trim() === '' || /\s/.test(chrom)) {
      throw new Her2cnError('input', `${source} line ${lineNo}: empty or blank-containing chromosome name '${chrom}'`);
    }
    if (end <= start) {
      throw new Her2cnError('input', `${source} line ${lineNo}: end (${end}) must be greater than start (${start}); BED is 0-based, half-open`);
    }
    if (end - start > MAX_PROBE_LENGTH) {
      throw new Her2cnError(
        'input',
        `${source} line ${lineNo}: the probe ${chrom}:${start + 1}-${end} spans ${(end - start).toLocaleString('en-US')} bp; her2cn reads probes of at most ${MAX_PROBE_LENGTH.toLocaleString('en-US')} bp (capture probes are ~120 bp, targets a few kb): give the panel's probes or targets, not whole genes or chromosomes`,
      );
    }
    const name = cols.length > 3 && cols[3].trim() !== '' ? cols[3].trim() : `${chrom}:${start + 1}-${end}`;
    const gene = cols.length > 3 ? geneOf(cols[3], pattern) : '-';
    let gc: number | undefined;
    if (gcColumn >= 0 && cols.length > gcColumn) {
      gc = Number(cols[gcColumn]);
      if (!Number.isFinite(gc) || gc < 0 || gc > 1) {
        throw new Her2cnError('input', `${source} line ${lineNo}: gc must be a fraction between 0 and 1, found '${cols[gcColumn]}'`);
      }
    }
    const key = `${chrom}\t${start}\t${end}\t${name}`;
    if (seen.has(key)) {
      warnings.push(`${source} line ${lineNo}: duplicate probe ${name} ${chrom}:${start}-${end} ignored`);
      return;
    }
    seen.add(key);
    probes.push({ chrom, start, end, name, gene, ...(gc === undefined ? {} : { gc }) });
  });
  if (probes.length === 0) throw new Her2cnError('input', `${source}: no probes found; is it an empty or non-BED file?`, source);
  probes.sort(compareProbes);
  return { source, probes, warnings };
}

export function compareProbes(a: Probe, b: Probe): number {
  return compareContigs(a.chrom, b.chrom) || a.start - b.start || a.end - b.end || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

export function readBed(path: string, options: BedOptions = {}): Panel {
  checkInputFile(path, 'panel BED', 'cannot read panel BED');
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Her2cnError('input', `${path}: cannot read panel BED (${(e as NodeJS.ErrnoException).code ?? String(e)})`, path);
  }
  return parseBed(bedText(bytes, path), path, options);
}

/**
 * A BED file's text, as vendors and editors save it: gzip- or
 * bgzip-compressed BEDs are read compressed; a UTF-8 byte-order mark is
 * dropped. UTF-16 text and binary files are refused with what they are.
 */
export function bedText(bytes: Buffer, path: string): string {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new Her2cnError('input', `${path}: is gzip-compressed but cannot be decompressed (${(e as Error).message}): the file is damaged; copy it again`, path);
    }
    if (bytes.subarray(0, 4).toString('latin1') === 'BAM\x01') throw new Her2cnError('input', `${path}: is a BAM file, not a panel BED; give the capture panel's BED with --panel`, path);
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new Her2cnError('input', `${path}: is UTF-16 text (as some Windows editors save); save it as UTF-8 or plain ASCII text`, path);
  }
  if (bytes.subarray(0, 4).toString('latin1') === 'CRAM') throw new Her2cnError('input', `${path}: is a CRAM file, not a panel BED; give the capture panel's BED with --panel`, path);
  const nul = bytes.subarray(0, 65536).indexOf(0);
  if (nul >= 0) {
    throw new Her2cnError('input', `${path}: is a binary file (a NUL byte at byte ${nul + 1}), not a text BED; give the capture panel's BED`, path);
  }
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}
