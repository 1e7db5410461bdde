// The coverage engine: per-probe mean depth and read count from a BAM.
// For each chromosome, probes are grouped into clusters, the index gives the
// BGZF ranges holding their reads, and those ranges (merged, so each block is
// inflated once) are streamed record by record into per-cluster depth tracks.
import { clusterProbes, type Panel, type ProbeCluster } from '../panel/panel.js';
import { resolveContig } from '../panel/contigs.js';
import { BamInputError, type BamInput, mergeRanges } from './bam.js';
import { DepthCounter, DepthTrack } from './depth.js';
import { visitRecords, type VirtualRange } from './records.js';

export interface ReadFilter {
  /** Reads with mapping quality below this are skipped. */
  minMapq: number;
  /** Reads with any of these flag bits are skipped. */
  excludeFlags: number;
  /** Count bases where the two mates of a proper pair overlap once (default, as mosdepth) or twice. */
  countMateOverlapOnce?: boolean;
}

/** unmapped 0x4, secondary 0x100, QC-fail 0x200, duplicate 0x400, supplementary 0x800 (mosdepth -F 3844). */
export const DEFAULT_FILTER: ReadFilter = { minMapq: 20, excludeFlags: 0x4 | 0x100 | 0x200 | 0x400 | 0x800 };

export interface ProbeCoverage {
  chrom: string;
  start: number;
  end: number;
  name: string;
  gene: string;
  /** Mean per-base depth over the probe from passing reads. */
  depth: number;
  /** Passing reads whose alignment overlaps the probe. */
  reads: number;
}

export interface CoverageStats {
  /** Records read from the BAM (including those outside probes and filtered ones). */
  records: number;
  /** Records overlapping a probe that passed the filters. */
  passing: number;
  /** Records overlapping a probe skipped by the filters, by reason (the first reason that applies). */
  skipped: { mapq: number; unmapped: number; secondary: number; qcFail: number; duplicate: number; supplementary: number };
}

export interface CoverageResult {
  probes: ProbeCoverage[];
  stats: CoverageStats;
  /** Median insert size of passing proper pairs on the probes (0 if none). */
  medianInsert: number;
}

/** Insert sizes are binned up to this length; longer ones count in the last bin. */
const MAX_INSERT = 2000;

export async function computeCoverage(bam: BamInput, panel: Panel, filter: ReadFilter = DEFAULT_FILTER): Promise<CoverageResult> {
  const refNames = bam.references.map(r => r.name);
  const stats: CoverageStats = {
    records: 0,
    passing: 0,
    skipped: { mapq: 0, unmapped: 0, secondary: 0, qcFail: 0, duplicate: 0, supplementary: 0 },
  };
  const depth = new Float64Array(panel.probes.length);
  const reads = new Float64Array(panel.probes.length);

  const byChrom = new Map<string, ProbeCluster[]>();
  for (const c of clusterProbes(panel.probes)) {
    const list = byChrom.get(c.chrom) ?? [];
    list.push(c);
    byChrom.set(c.chrom, list);
  }
  const missing = [...byChrom.keys()].filter(c => resolveContig(c, refNames) === undefined);
  if (missing.length > 0) {
    throw new BamInputError(
      `${bam.path}: has no chromosome ${missing.join(', ')} that the panel ${panel.source} needs; is the BAM aligned to the panel's genome build?`,
    );
  }

  const counter = new DepthCounter(filter.countMateOverlapOnce ?? true);
  const inserts = new Float64Array(MAX_INSERT + 1);
  for (const [chrom, clusters] of byChrom) {
    const refName = resolveContig(chrom, refNames)!;
    const refId = refNames.indexOf(refName);
    const refLength = bam.references[refId].length;
    const last = clusters[clusters.length - 1];
    if (last.end > refLength) {
      throw new BamInputError(
        `${bam.path}: ${refName} is ${refLength} bp long but the panel ${panel.source} has probes up to ${last.end}; panel and BAM are from different genome builds`,
      );
    }
    const tracks = clusters.map(c => new DepthTrack(c.start, c.end));
    const ranges: VirtualRange[] = [];
    for (const c of clusters) ranges.push(...(await bam.ranges(refName, c.start, c.end)));
    ranges.sort((a, b) => a.start - b.start);

    counter.reset();
    let next = 0; // first cluster that may still overlap the reads to come
    let lastPos = -1;
    const stopAt = last.end;
    const overlapping: DepthTrack[] = [];
    for (const range of mergeRanges(ranges)) {
      visitRecords(bam.fd, bam.path, bam.size, range, r => {
        stats.records += 1;
        const rid = r.refId;
        if (rid !== refId) return rid >= 0 && rid < refId;
        const pos = r.pos;
        if (pos < lastPos) {
          throw new BamInputError(`${bam.path}: records are not coordinate-sorted (${refName}:${pos + 1} after ${lastPos + 1}); sort with 'samtools sort'`);
        }
        lastPos = pos;
        if (pos >= stopAt) return false;
        while (next < clusters.length && clusters[next].end <= pos) next++;
        const end = pos + Math.max(r.referenceLength, 1);
        overlapping.length = 0;
        for (let k = next; k < clusters.length && clusters[k].start < end; k++) overlapping.push(tracks[k]);
        if (overlapping.length === 0) return true;
        if (!passes(r.flag, r.mapq, filter, stats)) return true;
        stats.passing += 1;
        counter.add(r, end, overlapping);
        // One insert size per proper pair: its first read's |TLEN|.
        if ((r.flag & 0x42) === 0x42) {
          const t = Math.abs(r.tlen);
          if (t > 0) inserts[Math.min(t, MAX_INSERT)] += 1;
        }
        return true;
      });
    }

    clusters.forEach((cluster, k) => summarize(cluster, tracks[k], panel, depth, reads));
  }

  const probes = panel.probes.map((p, i) => ({
    chrom: p.chrom,
    start: p.start,
    end: p.end,
    name: p.name,
    gene: p.gene,
    depth: depth[i],
    reads: reads[i],
  }));
  return { probes, stats, medianInsert: histogramMedian(inserts) };
}

function histogramMedian(counts: Float64Array): number {
  const total = counts.reduce((a, b) => a + b, 0);
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i];
    if (seen * 2 >= total && total > 0) return i;
  }
  return 0;
}

function passes(flag: number, mapq: number, filter: ReadFilter, stats: CoverageStats): boolean {
  const bad = flag & filter.excludeFlags;
  if (bad) {
    const s = stats.skipped;
    if (bad & 0x4) s.unmapped++;
    else if (bad & 0x100) s.secondary++;
    else if (bad & 0x800) s.supplementary++;
    else if (bad & 0x200) s.qcFail++;
    else if (bad & 0x400) s.duplicate++;
    return false;
  }
  if (mapq < filter.minMapq) {
    stats.skipped.mapq++;
    return false;
  }
  return true;
}

/** Turns a cluster's depth changes into each probe's mean depth and read count. */
function summarize(cluster: ProbeCluster, track: DepthTrack, panel: Panel, depth: Float64Array, reads: Float64Array): void {
  const n = track.end - track.start;
  // cumulative[i] = total depth over [start, start + i)
  const cumulative = new Float64Array(n + 1);
  const startsBefore = new Float64Array(n + 1); // reads starting before position start + i
  const endsBy = new Float64Array(n + 1); // reads ending at or before position start + i
  let d = 0;
  for (let i = 0; i < n; i++) {
    d += track.delta[i];
    cumulative[i + 1] = cumulative[i] + d;
    startsBefore[i + 1] = startsBefore[i] + track.starts[i];
  }
  for (let i = 0; i <= n; i++) endsBy[i] = (i > 0 ? endsBy[i - 1] : 0) + track.ends[i];
  for (const index of cluster.probes) {
    const p = panel.probes[index];
    const a = p.start - track.start;
    const b = p.end - track.start;
    depth[index] = (cumulative[b] - cumulative[a]) / (b - a);
    reads[index] = startsBefore[b] - endsBy[a];
  }
}
