// Building the panel of normals from per-probe depths of normal samples.
// Each normal is normalized on its own (log2, centred, its GC trend
// removed), put on a two-copy scale (a male's chrX and chrY raised by 1), and
// the probe's reference is the median across normals; its spread, the robust
// SD. A normal much noisier than the others is left out and said so.
import type { Probe } from '../panel/panel.js';
import { fitInsertEffect, insertCorrection } from '../normalize/density.js';
import { isCentringProbe, isY } from '../normalize/probes.js';
import { centringSet, correctGc, inferSex, log2Depths, recentre, sexOffset } from '../normalize/sample.js';
import { round } from '../stats/round.js';
import { median, robustSd } from '../stats/robust.js';
import type { NormalRecord, PanelOfNormals, ProbeFlag } from './pon.js';
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
/** A probe whose normal level is below 1/8 of the typical probe is too poorly captured to use. */
export const LOW_COVERAGE_LOG2 = -3;
/** A probe whose spread across normals exceeds this multiple of the typical spread is noisy. */
export const NOISY_SPREAD_RATIO = 3;

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
  const gcValues = gc.map(g => (g === undefined ? NaN : g));
  const n = probes.length;
  if (!probes.some(isCentringProbe)) {
    throw new Her2cnError('input', `${options.panelSource}: the panel has no probes on autosomes other than chromosome 17, which her2cn needs to normalize samples against`, options.panelSource);
  }

  // 1. Each normal on its own: log2, centred, sex, two-copy scale.
  const levels = normals.map(normal => {
    const values = log2Depths(normal.depths);
    recentre(values, centringSet(probes, values), 'median');
    const sex = inferSex(probes, values);
    for (let i = 0; i < n; i++) values[i] -= sexOffset(probes[i], sex.sex === 'unknown' ? 'female' : sex.sex);
    return { values, sex };
  });

  // 2. Remove each normal's own GC trend, measured against the median of the other normals.
  if (options.gcSource !== 'none') {
    const references = levels.map((_, s) => probeMedians(levels.filter((__, t) => t !== s).map(o => o.values), n));
    for (const [s, l] of levels.entries()) {
      const reference = references[s];
      const residual = l.values.map((v, i) => v - reference[i]);
      const set = centringSet(probes, residual);
      correctGc(residual, gcValues, set);
      for (let i = 0; i < n; i++) l.values[i] = residual[i] + reference[i];
      recentre(l.values, centringSet(probes, l.values), 'median');
    }
  }

  // 3. Fragment length: how crowded probes follow each normal's insert size.
  //    Normals without proper pairs (insert 0: single-end data) neither enter the fit nor get corrected.
  const inserts = normals.map(x => x.medianInsert);
  const paired = inserts.map((x, s) => (x > 0 ? s : -1)).filter(s => s >= 0);
  const referenceInsert = paired.length ? median(paired.map(s => inserts[s])) : 0;
  const reference = probeMedians(levels.map(l => l.values), n);
  const coefficient =
    paired.length >= MIN_NORMALS
      ? fitInsertEffect(
          paired.map(s => levels[s].values.map((v, i) => v - reference[i])),
          paired.map(s => inserts[s]),
          referenceInsert,
          probes,
        )
      : 0;
  for (const s of paired) {
    const correction = insertCorrection(probes, inserts[s], referenceInsert, coefficient);
    for (let i = 0; i < n; i++) levels[s].values[i] -= correction[i];
  }
  for (const s of inserts.map((x, t) => (x > 0 ? -1 : t)).filter(t => t >= 0)) {
    warnings.push(`normal ${normals[s].name} has no proper pairs with an insert size; it is not corrected for fragment length`);
  }

  // 4. Noise of each normal against the median of the others; leave out outliers.
  const noise = levels.map((l, s) => {
    const others = probeMedians(levels.filter((_, t) => t !== s).map(o => o.values), n);
    const set = centringSet(probes, l.values, i => Number.isFinite(others[i]));
    return robustSd(set.map(i => l.values[i] - others[i]));
  });
  const typicalNoise = median(noise);
  const maxRatio = options.maxNoiseRatio ?? 2;
  const records: NormalRecord[] = normals.map((normal, s) => {
    const set = centringSet(probes, log2Depths(normal.depths));
    const noisy = noise[s] > maxRatio * typicalNoise;
    const sex = levels[s].sex;
    return {
      name: normal.name,
      bam: normal.bam,
      sex: sex.sex,
      xLog2: sex.xLog2,
      yLog2: sex.yLog2,
      medianDepth: round(median(set.map(i => normal.depths[i])), 2),
      noise: round(noise[s]),
      medianInsert: normal.medianInsert,
      erbb2Log2: null,
      ...(normal.coverage ? { coverage: normal.coverage } : {}),
      used: !noisy,
      ...(noisy
        ? { reason: `noisy: robust SD of log2 against the other normals ${noise[s].toFixed(3)}, more than ${maxRatio} times the normals' median ${typicalNoise.toFixed(3)}` }
        : {}),
    };
  });
  for (const r of records) if (!r.used) warnings.push(`normal ${r.name} left out: ${r.reason}`);
  for (const r of records) if (r.sex === 'unknown') warnings.push(`normal ${r.name}: sex could not be inferred (chrX log2 ${r.xLog2}, chrY log2 ${r.yLog2}); treated as female`);
  const used = levels.filter((_, s) => records[s].used);
  if (used.length < MIN_NORMALS) {
    throw new Her2cnError('input', `only ${used.length} normals are usable (others too noisy); a panel of normals needs at least ${MIN_NORMALS}`);
  }
  const usedMales = records.filter(r => r.used && r.sex === 'male').length;

  // Each used normal's ERBB2 level against the others: the assay's gene-level error.
  const erbb2 = probes.map((p, i) => (p.gene === 'ERBB2' ? i : -1)).filter(i => i >= 0);
  const usedIndex = records.map((r, s) => (r.used ? s : -1)).filter(s => s >= 0);
  const erbb2Errors = new Map<number, number>();
  for (const s of usedIndex) {
    const others = probeMedians(usedIndex.filter(t => t !== s).map(t => levels[t].values), n);
    const residual = levels[s].values.map((v, i) => v - others[i]);
    recentre(residual, centringSet(probes, residual), 'median');
    const values = erbb2.map(i => residual[i]).filter(Number.isFinite);
    if (values.length > 0) erbb2Errors.set(s, median(values));
  }
  records.forEach((r, s) => (r.erbb2Log2 = erbb2Errors.has(s) ? round(erbb2Errors.get(s)!) : null));
  const errors = [...erbb2Errors.values()];
  const geneLevelSd = errors.length ? Math.sqrt(errors.reduce((a, e) => a + e * e, 0) / errors.length) : 0;

  // 5. Per-probe reference, spread, flags and weights.
  const log2: (number | null)[] = [];
  const spread: (number | null)[] = [];
  const flags: ProbeFlag[][] = [];
  for (let i = 0; i < n; i++) {
    const values = used.map(l => l.values[i]).filter(Number.isFinite);
    const f: ProbeFlag[] = [];
    if (isY(probes[i]) && usedMales === 0) f.push('no_male_normals');
    const needed = isY(probes[i]) ? Math.max(1, Math.min(usedMales, 2)) : Math.ceil(used.length / 2);
    if (values.length < needed) {
      if (!f.length) f.push('no_coverage');
      log2.push(null);
      spread.push(null);
    } else {
      const m = median(values);
      log2.push(round(m));
      spread.push(values.length >= 3 ? round(robustSd(values)) : null);
      if (m < LOW_COVERAGE_LOG2) f.push('low_coverage');
    }
    flags.push(f);
  }
  const spreads = spread.filter((s, i): s is number => s !== null && flags[i].length === 0);
  const typicalSpread = spreads.length ? median(spreads) : 0;
  for (let i = 0; i < n; i++) {
    if (spread[i] !== null && typicalSpread > 0 && spread[i]! > NOISY_SPREAD_RATIO * typicalSpread && flags[i].length === 0) flags[i].push('noisy');
  }
  // Inverse-variance weights, the variance floored at the typical spread's so no probe dominates.
  const floor = typicalSpread > 0 ? typicalSpread * typicalSpread : 1;
  const raw = spread.map((s, i) => (flags[i].length > 0 ? 0 : 1 / ((s ?? typicalSpread) ** 2 + floor)));
  const typicalWeight = median(raw.filter(w => w > 0)) || 1;
  const weight = raw.map(w => round(w / typicalWeight, 3));

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
    typicalSpread: round(typicalSpread),
    insertEffect: {
      reference: referenceInsert,
      coefficient: round(coefficient, 6),
      min: paired.length ? Math.min(...paired.map(s => inserts[s])) : 0,
      max: paired.length ? Math.max(...paired.map(s => inserts[s])) : 0,
    },
    geneLevelSd: round(geneLevelSd),
    probes: {
      chrom: probes.map(p => p.chrom),
      start: probes.map(p => p.start),
      end: probes.map(p => p.end),
      name: probes.map(p => p.name),
      gene: probes.map(p => p.gene),
      gc: gc.map(g => (g === undefined ? null : round(g, 3))),
      log2,
      spread,
      weight,
      flags: flags.map(f => f.join(',')),
    },
  };
  return { pon, warnings };
}

/** Median across samples at each probe, ignoring non-finite values (NaN where none). */
function probeMedians(samples: number[][], n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = samples.map(s => s[i]).filter(Number.isFinite);
    out.push(v.length ? median(v) : NaN);
  }
  return out;
}
