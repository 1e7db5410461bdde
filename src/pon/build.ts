// Building the panel of normals from per-probe depths of normal samples.
// Each normal is normalized on its own (log2, centred, its GC trend
// removed), put on a two-copy scale (a male's chrX and chrY raised by 1), and
// the probe's reference is the median across normals; its spread, the robust
// SD. A normal much noisier than the others is left out and said so.
import type { Probe } from '../panel/panel.js';
import { isCentringProbe } from '../normalize/probes.js';
import { round } from '../stats/round.js';
import { median } from '../stats/robust.js';
import { erbb2Errors, normalRecords } from './judge.js';
import { correctFragmentLength, normalLevels, removeGcTrends } from './levels.js';
import type { PanelOfNormals } from './pon.js';
import { probeReference } from './reference.js';
import { PON_FORMAT, PON_FORMAT_VERSION, panelFingerprint } from './pon.js';
import { Her2cnError } from '../errors/errors.js';

export interface NormalCoverage {
  name: string;
  bam: string;
  build: string;
  depths: number[];
  medianInsert: number;
  /** Set when the depths came from a precomputed file (mosdepth regions, bigWig), not from reads. */
  coverage?: string;
}

export interface PonBuildOptions {
  panelSource: string;
  filters: PanelOfNormals['filters'];
  gcSource: PanelOfNormals['gcSource'];
  version: string;
  /** A normal is left out when its noise exceeds this multiple of the normals' median noise. */
  maxNoiseRatio?: number;
}

export const MIN_NORMALS = 3;
export const RECOMMENDED_NORMALS = 10;

export function buildPon(
  normals: NormalCoverage[],
  probes: Probe[],
  gc: (number | undefined)[],
  options: PonBuildOptions,
): { pon: PanelOfNormals; warnings: string[] } {
  const warnings: string[] = [];
  if (normals.length < MIN_NORMALS) {
    throw new Her2cnError('input', `a panel of normals needs at least ${MIN_NORMALS} normal BAMs, got ${normals.length}`);
  }
  if (normals.length < RECOMMENDED_NORMALS) {
    warnings.push(`only ${normals.length} normals: probe spreads are imprecise below ${RECOMMENDED_NORMALS}`);
  }
  const builds = [...new Set(normals.map(n => n.build))];
  if (builds.length > 1) {
    throw new Her2cnError('input', `normals come from different genome builds (${normals.map(n => `${n.name}: ${n.build}`).join(', ')})`);
  }
  const n = probes.length;
  if (!probes.some(isCentringProbe)) {
    throw new Her2cnError('input', `${options.panelSource}: the panel has no probes on autosomes other than chromosome 17, which her2cn needs to normalize samples against`, options.panelSource);
  }

  // Each normal on its own, GC trend and fragment length removed; then judged against the others.
  const levels = normalLevels(normals.map(x => x.depths), probes);
  if (options.gcSource !== 'none') removeGcTrends(levels, probes, gc);
  const fragment = correctFragmentLength(levels, normals.map(x => x.medianInsert), probes, MIN_NORMALS);
  for (const s of fragment.unpaired) warnings.push(`normal ${normals[s].name} has no proper pairs with an insert size; it is not corrected for fragment length`);
  const records = normalRecords(normals, levels, probes, options.maxNoiseRatio ?? 2);
  for (const r of records) if (!r.used) warnings.push(`normal ${r.name} left out: ${r.reason}`);
  for (const r of records) if (r.sex === 'unknown') warnings.push(`normal ${r.name}: sex could not be inferred (chrX log2 ${r.xLog2}, chrY log2 ${r.yLog2}); treated as female`);
  const used = levels.filter((_, s) => records[s].used);
  if (used.length < MIN_NORMALS) {
    throw new Her2cnError('input', `only ${used.length} normals are usable (others too noisy); a panel of normals needs at least ${MIN_NORMALS}`);
  }
  const geneLevelSd = erbb2Errors(records, levels, probes);
  const reference = probeReference(used.map(l => l.values), probes, records.filter(r => r.used && r.sex === 'male').length);

  const pon: PanelOfNormals = {
    format: PON_FORMAT,
    formatVersion: PON_FORMAT_VERSION,
    tool: { name: 'her2cn', version: options.version },
    panel: { source: options.panelSource, fingerprint: panelFingerprint(probes), probes: n },
    build: builds[0],
    filters: options.filters,
    gcSource: options.gcSource,
    normals: records,
    medianDepth: round(median(records.filter(r => r.used).map(r => r.medianDepth)), 2),
    typicalSpread: round(reference.typicalSpread),
    insertEffect: { reference: fragment.reference, coefficient: round(fragment.coefficient, 6), min: fragment.min, max: fragment.max },
    geneLevelSd: round(geneLevelSd),
    probes: {
      chrom: probes.map(p => p.chrom),
      start: probes.map(p => p.start),
      end: probes.map(p => p.end),
      name: probes.map(p => p.name),
      gene: probes.map(p => p.gene),
      gc: gc.map(g => (g === undefined ? null : round(g, 3))),
      log2: reference.log2,
      spread: reference.spread,
      weight: reference.weight,
      flags: reference.flags.map(f => f.join(',')),
    },
  };
  return { pon, warnings };
}
