// Coverage from a CRAM (+ .crai), with the BAM engine's filters, counting
// rules and statistics. @gmod/cram decodes the slices; each record is then
// written into BAM's fixed-length layout (the fields coverage reads, name
// and CIGAR) so that the very DepthCounter of the BAM engine counts it.
//
// Depth needs only positions, flags and the CIGAR, which CRAM stores without
// the reference (read features: deletions, insertions, clips, skips); the
// reference only restores the bases. So a reference is optional: when given
// it is checked against the CRAM (chromosome lengths, and the MD5 each slice
// records for the reference it was compressed against), never used to decode.
//
// Memory: the panel's slices are visited one at a time in file order; only
// the current slice's records are decoded and held (htslib writes at most
// 10,000 reads per slice by default), whatever the depth.
import { CraiIndex, CramFile } from '@gmod/cram';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { detectBuild } from '../panel/builds.js';
import { type Panel, type Probe, type ProbeCluster } from '../panel/panel.js';
import { resolveContig } from '../panel/contigs.js';
import { openFasta } from '../panel/gc.js';
import { type Reference, sortOrderProblem } from './bam.js';
import { CigarWalk, DepthCounter, DepthTrack } from './depth.js';
import { clustersByChromosome, type CoverageResult, DEFAULT_FILTER, histogramMedian, histogramSpread, summarize } from './engine.js';
import { emptyStats, filteredOut, MAX_INSERT, type ReadFilter } from './piece.js';
import { checkPanelBuild, chooseReadGroups, judgeReads, type MeasuredSample, type SampleChoice } from './measure.js';
import { RecordView } from './records.js';
import { Her2cnError } from '../errors/errors.js';
import { checkInputFile } from '../util/input-files.js';

type CramRecord = Awaited<ReturnType<ReturnType<ReturnType<CramFile['getContainerAtPosition']>['getSlice']>['getRecords']>>[number];

export interface CramInput {
  path: string;
  indexPath: string;
  references: Reference[];
  readGroups: { id: string; sample?: string }[];
  /** Reference FASTA checked against the CRAM, if given. */
  reference?: string;
}

interface SliceEntry {
  start: number;
  span: number;
  containerStart: number;
  sliceStart: number;
  sliceBytes: number;
}

/** The .crai beside a CRAM: x.cram.crai or x.crai. */
export function findCramIndex(path: string): string | undefined {
  for (const p of [`${path}.crai`, path.replace(/\.cram$/i, '.crai')]) if (p !== path && existsSync(p)) return p;
  return undefined;
}

/** CRAM 3.x ends with this empty container (the specification's EOF marker). */
const CRAM3_EOF = Buffer.from('0f000000ffffffff0fe0454f46000000000100' + '05bdd94f0001000606010001000100ee63014b', 'hex');

/** Slices whose reference span is at most this are checked against the reference's MD5. */
const MD5_CHECK_MAX_SPAN = 1_000_000;
/** Reference bases checked per run at most (the check reads the FASTA; a wrong reference differs everywhere). */
const MD5_CHECK_BUDGET = 20_000_000;

export async function openCram(path: string, reference?: string): Promise<{ input: CramInput; file: CramFile; index: CraiIndex }> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new Her2cnError('input', `${path}: cannot open CRAM (${(e as NodeJS.ErrnoException).code ?? String(e)})`, path);
  }
  let major: number;
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(6);
    readSync(fd, head, 0, 6, 0);
    if (head.toString('latin1', 0, 4) !== 'CRAM') throw new Her2cnError('input', `${path}: not a CRAM file`, path);
    major = head[4];
    if (major !== 3 && major !== 2) throw new Her2cnError('input', `${path}: CRAM version ${major}.${head[5]} is not supported (versions 2.1 and 3.x are); convert it with 'samtools view -C'`, path);
    if (major === 3) {
      const tail = Buffer.alloc(CRAM3_EOF.length);
      if (size >= tail.length) readSync(fd, tail, 0, tail.length, size - tail.length);
      if (!tail.equals(CRAM3_EOF)) throw new Her2cnError('input', `${path}: no CRAM end-of-file container: the CRAM is truncated (an interrupted copy or write?); copy or create it again`, path);
    }
  } finally {
    closeSync(fd);
  }
  const indexPath = findCramIndex(path);
  if (!indexPath) throw new Her2cnError('input', `${path}: no CRAM index found (looked for ${path}.crai and .crai); create one with 'samtools index ${path}'`, path);
  checkInputFile(indexPath, 'CRAM index');
  if (statSync(indexPath).mtimeMs + 1000 < statSync(path).mtimeMs) {
    process.stderr.write(`her2cn: warning: ${indexPath} is older than ${path}; if the CRAM was rewritten, re-index it ('samtools index')\n`);
  }
  // No seqFetch: bases are never decoded. cacheSize 1: only the current slice's records are kept.
  const file = new CramFile({ path, checkSequenceMD5: false, cacheSize: 1 });
  let header: { tag: string; data: { tag: string; value: string }[] }[];
  try {
    header = await file.getSamHeader();
  } catch (e) {
    throw new Her2cnError('input', `${path}: cannot read the CRAM header (${(e as Error).message})`, path);
  }
  const field = (line: { data: { tag: string; value: string }[] }, tag: string) => line.data.find(d => d.tag === tag)?.value;
  const references = header.filter(h => h.tag === 'SQ').map(h => ({ name: field(h, 'SN') ?? '', length: Number(field(h, 'LN')) }));
  const readGroups = header.filter(h => h.tag === 'RG').map(h => ({ id: field(h, 'ID') ?? '', sample: field(h, 'SM') }));
  const hd = header.find(h => h.tag === 'HD');
  const sortOrder = hd ? field(hd, 'SO') : undefined;
  if (sortOrder !== undefined && sortOrder !== 'coordinate') {
    throw new Her2cnError('input', `${path}: ${sortOrderProblem(sortOrder, 'CRAM')}; sort it by coordinate with 'samtools sort' and index it`, path);
  }
  const index = new CraiIndex({ path: indexPath });
  try {
    await index.getIndex();
  } catch (e) {
    throw new Her2cnError('input', `${indexPath}: not a CRAM index (${(e as Error).message}); re-index with 'samtools index ${path}'`, indexPath);
  }
  return { input: { path, indexPath, references, readGroups, reference }, file, index };
}

/** Checks that a reference FASTA has the CRAM's panel chromosomes at the CRAM's lengths. */
async function referenceChecker(cram: CramInput, chromosomes: string[]) {
  const path = cram.reference!;
  const fasta = await openFasta(path);
  let names: string[];
  try {
    names = await fasta.getSequenceNames();
  } catch (e) {
    throw new Her2cnError('input', `${path}: cannot read the reference FASTA (${(e as Error).message})`, path);
  }
  for (const chrom of chromosomes) {
    const name = resolveContig(chrom, names);
    if (!name) throw new Her2cnError('input', `${path}: the reference has no sequence ${chrom}, which ${cram.path} is aligned to; give the reference the CRAM was made with`, path);
    const length = await fasta.getSequenceSize(name);
    const expected = cram.references.find(r => r.name === chrom)!.length;
    if (length !== expected) {
      throw new Her2cnError('input', `${path}: ${name} is ${length} bp but ${cram.path} was aligned to a ${chrom} of ${expected} bp; give the reference the CRAM was made with`, path);
    }
  }
  let checked = 0;
  return {
    /** Compares a slice's recorded reference MD5 with the FASTA's, while the budget lasts. */
    async slice(chrom: string, header: { refSeqStart: number; refSeqSpan: number; md5?: number[] }): Promise<void> {
      const md5 = header.md5 ? Buffer.from(header.md5).toString('hex') : '';
      if (!md5 || /^0+$/.test(md5) || header.refSeqSpan > MD5_CHECK_MAX_SPAN || checked >= MD5_CHECK_BUDGET) return;
      const name = resolveContig(chrom, names)!;
      const start = header.refSeqStart - 1;
      const seq = (await fasta.getSequence(name, start, start + header.refSeqSpan)) ?? '';
      checked += header.refSeqSpan;
      const actual = createHash('md5').update(seq.toUpperCase().replace(/[^\x21-\x7e]/g, '')).digest('hex');
      if (actual !== md5) {
        throw new Her2cnError('input', 
          `${path}: differs from the reference ${cram.path} was compressed against (MD5 of ${chrom}:${header.refSeqStart}-${header.refSeqStart + header.refSeqSpan - 1} is ${actual}, the CRAM recorded ${md5}); give the reference the CRAM was made with`,
        );
      }
    },
  };
}

/** A CRAM's per-probe depths, read groups, build and references, as `measureBam` gives for a BAM. */
export async function measureCram(path: string, probes: Probe[], panelSource: string, filter: ReadFilter, reference?: string, choice: SampleChoice = {}): Promise<MeasuredSample> {
  const opened = await openCram(path, reference);
  const build = detectBuild(opened.input.references);
  checkPanelBuild(probes, panelSource, path, build, 'CRAM');
  const chosen = chooseReadGroups(path, 'CRAM', opened.input.readGroups, choice);
  const warnings = chosen.note ? [chosen.note] : [];
  // CRAM records name their read group by its place among the header's @RG lines.
  const keep = chosen.readGroups ? new Set(opened.input.readGroups.flatMap((rg, i) => (chosen.readGroups!.includes(rg.id) ? [i] : []))) : undefined;
  const result = await computeCramCoverage(opened, { source: panelSource, probes, warnings: [] }, filter, keep);
  judgeReads(path, 'CRAM', result.stats, choice, warnings);
  return {
    input: path,
    source: { format: 'cram', precomputed: false, reference: reference ?? null },
    depths: result.probes.map(p => p.depth),
    reads: result.probes.map(p => p.reads),
    readGroupSamples: [...new Set(opened.input.readGroups.map(rg => rg.sample).filter((s): s is string => !!s))].sort(),
    build,
    references: opened.input.references,
    stats: result.stats,
    medianInsert: result.medianInsert,
    insertSpread: result.insertSpread,
    ...(chosen.readGroups ? { readGroupsCounted: chosen.readGroups } : {}),
    warnings,
  };
}

/** Per-probe coverage of an opened CRAM, as `computeCoverage` gives for a BAM. */
export async function computeCramCoverage(
  opened: Awaited<ReturnType<typeof openCram>>,
  panel: Panel,
  filter: ReadFilter = DEFAULT_FILTER,
  /** For a CRAM of several samples: the indexes (among the header's @RG lines) of the read groups counted. */
  readGroups?: Set<number>,
): Promise<CoverageResult> {
  const { input, file, index } = opened;
  const cramPath = input.path;
  const reference = input.reference;
  const stats = emptyStats();
  const depth = new Float64Array(panel.probes.length);
  const reads = new Float64Array(panel.probes.length);

  const byChrom = clustersByChromosome(panel, input.references, cramPath, 'CRAM');
  const checker = reference ? await referenceChecker(input, byChrom.map(c => c.refName)) : undefined;

  const inserts = new Float64Array(MAX_INSERT + 1);
  const view = new BamLayout();
  const cigar = new CigarWalk();
  for (const { refName, refId, clusters } of byChrom) {
    const tracks = clusters.map(c => new DepthTrack(c.start, c.end));
    const slices = await slicesFor(index, input, refId, clusters);

    // Per read, what the BAM engine does (countPiece in piece.ts): the same filters, counter and insert sizes.
    const counter = new DepthCounter(filter.countMateOverlapOnce ?? true);
    const overlapping: DepthTrack[] = [];
    const overlappingIds: number[] = [];
    let next = 0; // first cluster that may still overlap the reads to come
    let lastPos = -1;
    const stopAt = clusters[clusters.length - 1].end;
    for (const entry of slices) {
      const records = await decodeSlice(file, input, entry, refName, checker);
      const first = records.length > 0 ? records[0].uniqueId : 0;
      for (const r of records) {
        if (r.sequenceId !== refId) continue;
        const pos = r.alignmentStart - 1;
        if (pos >= stopAt) break;
        if (pos < lastPos) {
          throw new Her2cnError('input', `${cramPath}: records are not coordinate-sorted (${refName}:${pos + 1} after ${lastPos + 1}); sort with 'samtools sort'`, cramPath);
        }
        lastPos = pos;
        stats.records += 1;
        while (next < clusters.length && clusters[next].end <= pos) next++;
        view.set(r, records, first);
        cigar.walk(view, pos);
        const end = cigar.end;
        let count = 0;
        for (let k = next; k < clusters.length && clusters[k].start < end; k++) {
          overlapping[count] = tracks[k];
          overlappingIds[count++] = k;
        }
        if (count === 0) continue;
        if (readGroups && !readGroups.has(r.readGroupId)) {
          stats.skipped.otherSample++;
          continue;
        }
        if (filteredOut(view.flag, view.mapq, filter, stats)) continue;
        stats.passing += 1;
        if (cigar.spliced) stats.spliced += 1;
        if (view.cigarCount > 65_535) stats.longCigar += 1;
        counter.add(view, cigar, overlapping, overlappingIds, count);
        // One insert size per proper pair: its first read's |TLEN|.
        if ((view.flag & 0x42) === 0x42) {
          const t = Math.abs(view.tlen);
          if (t > 0) inserts[t < MAX_INSERT ? t : MAX_INSERT] += 1;
        }
      }
    }
    clusters.forEach((cluster, k) => summarize(cluster, tracks[k], panel, depth, reads));
  }

  const probes = panel.probes.map((p, i) => ({ chrom: p.chrom, start: p.start, end: p.end, name: p.name, gene: p.gene, depth: depth[i], reads: reads[i] }));
  return { probes, stats, medianInsert: histogramMedian(inserts), insertSpread: histogramSpread(inserts) };
}


/** The index entries (slices) holding reads that overlap any cluster, in file order, each once. */
async function slicesFor(index: CraiIndex, cram: CramInput, refId: number, clusters: ProbeCluster[]): Promise<SliceEntry[]> {
  const seen = new Map<string, SliceEntry>();
  for (const c of clusters) {
    let entries: SliceEntry[];
    try {
      // .crai coordinates are 1-based, closed.
      entries = await index.getEntriesForRange(refId, c.start + 1, c.end);
    } catch (e) {
      throw new Her2cnError('input', `${cram.indexPath}: cannot read the CRAM index (${(e as Error).message}); re-index with 'samtools index ${cram.path}'`, cram.indexPath);
    }
    for (const e of entries) seen.set(`${e.containerStart}:${e.sliceStart}`, e);
  }
  return [...seen.values()].sort((a, b) => a.containerStart - b.containerStart || a.sliceStart - b.sliceStart);
}

async function decodeSlice(file: CramFile, cram: CramInput, entry: SliceEntry, chrom: string, checker?: Awaited<ReturnType<typeof referenceChecker>>): Promise<CramRecord[]> {
  try {
    const slice = file.getContainerAtPosition(entry.containerStart).getSlice(entry.sliceStart, entry.sliceBytes);
    if (checker) {
      // A mapped slice's header (the typings do not tell mapped from unmapped).
      const header = (await slice.getHeader()).parsedContent as unknown as { refSeqId?: number; refSeqStart: number; refSeqSpan: number; md5?: number[] };
      if (header.refSeqId !== undefined && header.refSeqId >= 0) await checker.slice(chrom, header);
    }
    return await slice.getRecords(() => true, { decodeTags: false });
  } catch (e) {
    if (e instanceof Her2cnError) throw e;
    throw new Her2cnError('input', 
      `${cram.path}: cannot decode the CRAM slice at byte ${entry.containerStart} (${(e as Error).message}): the file is damaged or ${cram.indexPath} belongs to another file (re-index with 'samtools index')`,
    );
  }
}

/** BAM CIGAR operation codes. */
const OP = { M: 0, I: 1, D: 2, N: 3, S: 4, H: 5, P: 6 } as const;

/**
 * A CRAM record written into BAM's record layout (SAM/BAM specification
 * 4.2: the fixed fields and the read name; no bases), read through the BAM
 * engine's RecordView, its CIGAR operations kept beside it.
 */
class BamLayout extends RecordView {
  private ops: number[] = [];

  // The operations are read from `ops`, not the buffer: BAM's 16-bit count cannot hold more than 65,535.
  override get cigarCount(): number {
    return this.ops.length;
  }
  override cigar(i: number): number {
    return this.ops[i];
  }
  override longCigar(): undefined {
    return undefined;
  }

  constructor() {
    super();
    this.buf = Buffer.alloc(1024);
    this.at = 0;
  }

  set(r: CramRecord, slice: CramRecord[], firstId: number): void {
    const ops = this.ops;
    ops.length = 0;
    if ((r.flags & 0x4) === 0) cigarOf(r, ops);
    const name = r.readName ?? '';
    const nameLength = Math.min(name.length, 254);
    const size = 36 + nameLength + 1;
    if (size > this.buf.length) this.buf = Buffer.alloc(2 * size);
    const b = this.buf;
    const mate = r.mate;
    b.writeInt32LE(size - 4, 0);
    b.writeInt32LE(r.sequenceId, 4);
    b.writeInt32LE(r.alignmentStart - 1, 8);
    b[12] = nameLength + 1;
    b[13] = r.mappingQuality ?? 0;
    b.writeUInt16LE(0, 14);
    b.writeUInt16LE(0, 16);
    b.writeUInt16LE(r.flags & 0xffff, 18);
    b.writeInt32LE(0, 20);
    b.writeInt32LE(mate ? mate.sequenceId : -1, 24);
    b.writeInt32LE(mate ? mate.alignmentStart - 1 : -1, 28);
    b.writeInt32LE(templateLength(r, slice, firstId), 32);
    // Read names are ASCII (SAM: [!-?A-~]), one byte per character.
    b.write(name, 36, nameLength, 'latin1');
    b[36 + nameLength] = 0;
  }
}

/**
 * The CIGAR htslib rebuilds from a CRAM record's read features (as
 * op | length << 4): bases between features are matches; substitutions are
 * matches too (the M/=/X distinction is not stored, and depth does not need it).
 */
function cigarOf(r: CramRecord, ops: number[]): void {
  const push = (op: number, len: number) => {
    if (len <= 0) return;
    const last = ops.length - 1;
    if (last >= 0 && (ops[last] & 15) === op) ops[last] += len << 4;
    else ops.push(op | (len << 4));
  };
  let readPos = 1; // next read base, 1-based
  for (const f of r.readFeatures ?? []) {
    if (f.code === 'q' || f.code === 'Q') continue;
    push(OP.M, f.pos - readPos);
    readPos = Math.max(readPos, f.pos);
    switch (f.code) {
      case 'X':
      case 'B':
        push(OP.M, 1);
        readPos += 1;
        break;
      case 'b':
        push(OP.M, f.data.length);
        readPos += f.data.length;
        break;
      case 'S':
        push(OP.S, f.data.length);
        readPos += f.data.length;
        break;
      case 'I':
        push(OP.I, f.data.length);
        readPos += f.data.length;
        break;
      case 'i':
        push(OP.I, 1);
        readPos += 1;
        break;
      case 'D':
        push(OP.D, f.data);
        break;
      case 'N':
        push(OP.N, f.data);
        break;
      case 'P':
        push(OP.P, f.data);
        break;
      case 'H':
        push(OP.H, f.data);
        break;
    }
  }
  push(OP.M, r.readLength - readPos + 1);
}

/**
 * TLEN: stored for mates in other slices; for mates within the slice,
 * computed as htslib does (leftmost start to rightmost alignment end).
 */
function templateLength(r: CramRecord, slice: CramRecord[], firstId: number): number {
  if (r.templateSize !== undefined) return r.templateSize;
  const mate = r.mate?.uniqueId !== undefined ? slice[r.mate.uniqueId - firstId] : undefined;
  if (!mate || mate.sequenceId !== r.sequenceId || r.lengthOnRef === undefined) return 0;
  const aend = (x: CramRecord) => x.alignmentStart + Math.max(x.lengthOnRef ?? 0, 1) - 1;
  const left = Math.min(r.alignmentStart, mate.alignmentStart);
  const right = Math.max(aend(r), aend(mate));
  const tlen = right - left + 1;
  return r.alignmentStart <= mate.alignmentStart ? tlen : -tlen;
}
