// Per-probe mean depth from a bigWig coverage track (per-base depth, e.g.
// mosdepth's per-base output converted to bigWig), read with @gmod/bbi: the
// base-weighted mean of the track over each probe, bases without data
// counted as 0. The track's chromosome sizes stand in for a BAM header.
import { BigWig } from '@gmod/bbi';
import { clusterProbes, type Probe } from '../panel/panel.js';
import { resolveContig } from '../panel/contigs.js';
import { type Reference } from './bam.js';
import { Her2cnError } from '../errors/errors.js';

/** Ask for the full-resolution data, never a zoom level's summaries. */
const FULL_RESOLUTION = { scale: 1e9 };

export interface BigWigInput {
  references: Reference[];
  depths: number[];
}

export async function bigWigDepths(path: string, probes: Probe[], panelSource: string): Promise<BigWigInput> {
  const bw = new BigWig({ path });
  let header;
  try {
    header = await bw.getHeader();
  } catch (e) {
    throw new Her2cnError('input', `${path}: cannot read the bigWig header (${(e as Error).message})`, path);
  }
  const references = Object.values(header.refsByNumber)
    .sort((a, b) => a.id - b.id)
    .map(r => ({ name: r.name, length: r.length }));
  const names = references.map(r => r.name);
  const missing = [...new Set(probes.map(p => p.chrom))].filter(c => resolveContig(c, names) === undefined);
  if (missing.length > 0) {
    throw new Her2cnError('input', `${path}: has no chromosome ${missing.join(', ')} that the panel ${panelSource} needs; is the track on the panel's genome build?`, path);
  }
  const depths = new Array<number>(probes.length).fill(0);
  for (const cluster of clusterProbes(probes)) {
    const name = resolveContig(cluster.chrom, names)!;
    const length = references.find(r => r.name === name)!.length;
    if (cluster.end > length) {
      throw new Her2cnError('input', `${path}: ${name} is ${length} bp long but the panel ${panelSource} has probes up to ${cluster.end}; panel and track are from different genome builds`, path);
    }
    let features: { start: number; end: number; score?: number }[];
    try {
      features = await bw.getFeatures(name, cluster.start, cluster.end, FULL_RESOLUTION);
    } catch (e) {
      throw new Her2cnError('input', `${path}: cannot read the bigWig data over ${name}:${cluster.start}-${cluster.end} (${(e as Error).message}); the file is damaged`, path);
    }
    for (const f of features) {
      if (!(f.score !== undefined && f.score >= 0)) {
        throw new Her2cnError('input', `${path}: has the value ${f.score} at ${name}:${f.start + 1}, which is not a depth; give a per-base coverage track`, path);
      }
    }
    for (const i of cluster.probes) {
      const p = probes[i];
      let sum = 0;
      for (const f of features) {
        const overlap = Math.min(f.end, p.end) - Math.max(f.start, p.start);
        if (overlap > 0) sum += overlap * (f.score ?? 0);
      }
      depths[i] = sum / (p.end - p.start);
    }
  }
  return { references, depths };
}
