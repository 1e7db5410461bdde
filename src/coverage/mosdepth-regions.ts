// Per-probe mean depth from mosdepth's `regions.bed.gz` (the output of
// `mosdepth --by panel.bed`, bgzip-compressed with a .csi index), read with
// @gmod/tabix. Each line is `chrom start end [name] mean`; the regions must
// be exactly the panel's probes, so a file made with another BED (or
// another file renamed) is refused rather than half-used.
import { TabixIndexedFile } from '@gmod/tabix';
import { existsSync } from 'node:fs';
import { canonicalContig } from '../panel/contigs.js';
import type { Probe } from '../panel/panel.js';
import { Her2cnError } from '../errors/errors.js';
import { checkInputFile } from '../util/input-files.js';

/** The index mosdepth writes beside its regions file (or a tabix .tbi). */
export function findTabixIndex(path: string): { path: string; kind: 'csi' | 'tbi' } | undefined {
  if (existsSync(`${path}.csi`)) return { path: `${path}.csi`, kind: 'csi' };
  if (existsSync(`${path}.tbi`)) return { path: `${path}.tbi`, kind: 'tbi' };
  return undefined;
}

export interface Region {
  chrom: string;
  start: number;
  end: number;
  mean: number;
  line: string;
}

/**
 * Reads every line of a bgzip-compressed, indexed BED-like file through its
 * index, up to `maxLines` (a per-base file under a regions file's name would
 * otherwise be read whole before being refused).
 */
async function readRegions(path: string, maxLines: number, panelSource: string): Promise<Region[]> {
  const index = findTabixIndex(path);
  if (!index) {
    throw new Her2cnError('input', `${path}: no index found (looked for ${path}.csi and ${path}.tbi); mosdepth writes the .csi beside the regions file: keep them together`, path);
  }
  checkInputFile(index.path, 'index');
  const file = new TabixIndexedFile(index.kind === 'csi' ? { path, csiPath: index.path } : { path, tbiPath: index.path });
  const regions: Region[] = [];
  let names: string[];
  try {
    names = await file.getReferenceSequenceNames();
  } catch (e) {
    throw new Her2cnError('input', `${index.path}: not an index of ${path} (${(e as Error).message}); use the .csi mosdepth wrote with it`, index.path);
  }
  for (const name of names) {
    try {
      await file.getLines(name, 0, undefined, (line: string) => {
        const f = line.split('\t');
        const mean = Number(f[f.length - 1]);
        const start = Number(f[1]);
        const end = Number(f[2]);
        if ((f.length !== 4 && f.length !== 5) || !/^\d+$/.test(f[1]) || !/^\d+$/.test(f[2]) || end <= start || !/^\d+(\.\d+)?$/.test(f[f.length - 1])) {
          throw new Her2cnError('input', `${path}: not a mosdepth regions file: the line "${line.slice(0, 80)}" is not 'chrom start end [name] mean-depth'`, path);
        }
        regions.push({ chrom: f[0], start, end, mean, line });
        if (regions.length > maxLines) {
          throw new Her2cnError('input', `${path}: has more than ${maxLines} regions, more than the panel ${panelSource} has probes; is it mosdepth's per-base output rather than its regions (--by) output?`, path);
        }
      });
    } catch (e) {
      if (e instanceof Her2cnError) throw e;
      throw new Her2cnError('input', `${path}: cannot read it as a bgzip-compressed, indexed regions file (${(e as Error).message})`, path);
    }
  }
  return regions;
}

/**
 * Each probe's depth from the regions; refuses regions that are not exactly
 * the probes (chromosome naming with or without 'chr' aside).
 */
export function matchRegions(path: string, regions: Region[], probes: Probe[], panelSource: string): number[] {
  const key = (chrom: string, start: number, end: number) => `${canonicalContig(chrom)}:${start}-${end}`;
  const byKey = new Map<string, Region>();
  for (const r of regions) {
    const k = key(r.chrom, r.start, r.end);
    const seen = byKey.get(k);
    // mosdepth writes a line per BED line, so a BED's duplicate lines come back twice (with the same mean).
    if (seen && seen.mean !== r.mean) throw new Her2cnError('input', `${path}: the region ${r.chrom}:${r.start}-${r.end} appears twice with different depths`, path);
    byKey.set(k, r);
  }
  const probeKeys = new Set(probes.map(p => key(p.chrom, p.start, p.end)));
  const missing = probes.filter(p => !byKey.has(key(p.chrom, p.start, p.end)));
  const extra = [...byKey.values()].filter(r => !probeKeys.has(key(r.chrom, r.start, r.end)));
  if (missing.length > 0 || extra.length > 0) {
    const parts: string[] = [];
    if (missing.length) parts.push(`${missing.length} of the ${probes.length} probes are missing (first: ${missing[0].chrom}:${missing[0].start}-${missing[0].end} ${missing[0].name})`);
    if (extra.length) parts.push(`${extra.length} regions are not probes of the panel (first: ${extra[0].chrom}:${extra[0].start}-${extra[0].end})`);
    throw new Her2cnError('input', `${path}: its regions are not the probes of the panel ${panelSource}: ${parts.join('; ')}; run mosdepth with --by on this panel's BED`, path);
  }
  return probes.map(p => byKey.get(key(p.chrom, p.start, p.end))!.mean);
}

export async function mosdepthRegionDepths(path: string, probes: Probe[], panelSource: string): Promise<number[]> {
  // A BED's duplicate lines come back from mosdepth once each: allow for them.
  return matchRegions(path, await readRegions(path, 2 * probes.length + 100, panelSource), probes, panelSource);
}
