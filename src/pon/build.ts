// Building the panel of normals from per-probe depths of normal samples.
// Each normal is normalized on its own (log2, centred, its GC trend
// removed), put on a two-copy scale (a male's chrX and chrY raised by 1), and
// the probe's reference is the median across normals; its spread, the robust
// SD. A normal without usable coverage, a copy-number outlier or one much
// noisier than the others is left out and said so; the same library given
// twice refuses the build.
import type { Probe } from '../panel/panel.js';
import { isCentringProbe } from '../normalize/probes.js';
import { round } from '../stats/round.js';
import { median } from '../stats/robust.js';
import { erbb2Errors, GENE_LEVEL_SD_FLOOR, normalRecords } from './judge.js';
import { coverageProblem, geneOutliers, identicalDepths, type NearIdentical, nearIdenticalPairs, outlierReason } from './integrity.js';
import { fitFragmentLength, type FragmentEffect, gcTrendRemover, normalLevels, type NormalLevels } from './levels.js';
import type { NormalRecord, PanelOfNormals } from './pon.js';
import { probeReference } from './reference.js';
import { spreadLimits } from './qc-limits.js';
import { PON_FORMAT, PON_FORMAT_VERSION, panelFingerprint } from './pon.js';
import { Her2cnError } from '../errors/errors.js';

export interface NormalCoverage {
  name: string;
  bam: string;
  build: string;
  depths: number[];
  medianInsert: number;
  /** The spread of its inserts (robust SD; 0 when unknown). */
  insertSpread: number;
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

/** Fewer normals than this cannot give a probe a spread (a robust SD needs three values): refused. */
export const MIN_NORMALS = 3;
/** Below this many used normals the probe spreads are imprecise: warned. */
export const RECOMMENDED_NORMALS = 10;

export function buildPon(
  normals: NormalCoverage[],
  probes: Probe[],
  gc: (number | undefined)[],
  options: PonBuildOptions,
): { pon: PanelOfNormals; warnings: string[] } {
  if (normals.length < MIN_NORMALS) {
    throw new Her2cnError('input', `a panel of normals needs at least ${MIN_NORMALS} normal BAMs, got ${normals.length}`);
  }
  // A precomputed normal (mosdepth regions, bigWig) has no header to tell its build: it is not another build.
  // A BAM's unknown build (another assembly's lengths) is one, and is refused beside a known one.
  const builds = [...new Set(normals.filter(n => !(n.coverage && n.build === 'unknown')).map(n => n.build))];
  if (builds.length > 1) {
    throw new Her2cnError('input', `normals come from different genome builds (${normals.map(n => `${n.name}: ${n.build}`).join(', ')})`);
  }
  const build = builds[0] ?? 'unknown';
  const n = probes.length;
  if (!probes.some(isCentringProbe)) {
    throw new Her2cnError('input', `${options.panelSource}: the panel has no probes on autosomes other than chromosome 17, which her2cn needs to normalize samples against`, options.panelSource);
  }

  const { records: all, kept, stage: { levels, fragment }, warnings } = chooseNormals(normals, probes, gc, options, build);
  const used = levels.filter((_, k) => kept[k].used);
  const { sd: geneLevelSd, rms: erbb2Rms, atFloor } = erbb2Errors(kept, levels, probes);
  if (atFloor) {
    warnings.push(
      `the normals' ERBB2 levels differ (RMS ${erbb2Rms.toFixed(3)}) no more than their probes' sampling explains: the gene-level SD is kept at ${GENE_LEVEL_SD_FLOOR} of it (${geneLevelSd.toFixed(3)})`,
    );
  }
  const reference = probeReference(used.map(l => l.values), probes, kept.filter(r => r.used && r.sex === 'male').length);
  const qcLimits = spreadLimits(kept, levels, probes, build, reference.flags.map(f => f.length > 0));

  const pon: PanelOfNormals = {
    format: PON_FORMAT,
    formatVersion: PON_FORMAT_VERSION,
    tool: { name: 'her2cn', version: options.version },
    panel: { source: options.panelSource, fingerprint: panelFingerprint(probes), probes: n },
    build,
    filters: options.filters,
    gcSource: options.gcSource,
    normals: all,
    medianDepth: round(median(all.filter(r => r.used).map(r => r.medianDepth)), 2),
    typicalSpread: round(reference.typicalSpread),
    insertEffect: { reference: fragment.reference, referenceSpread: fragment.referenceSpread, coefficient: round(fragment.coefficient, 6), minOverlap: fragment.minOverlap, min: fragment.min, max: fragment.max },
    geneLevelSd: round(geneLevelSd),
    qcLimits,
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

/**
 * Which normals the PoN uses, and why not the others (src/pon/integrity.ts):
 * those without usable coverage and copy-number outliers are left out and
 * take no part in any fit; the same library given twice, or too few normals
 * left, refuses the build; the rest are judged for noise against each other.
 * Returns every normal's record in the order given, the kept normals'
 * records and their levels (aligned), and the warnings to print.
 */
function chooseNormals(
  normals: NormalCoverage[],
  probes: Probe[],
  gc: (number | undefined)[],
  options: PonBuildOptions,
  build: string,
): { records: NormalRecord[]; kept: NormalRecord[]; stage: { levels: NormalLevels[]; fragment: FragmentEffect }; warnings: string[] } {
  const records = new Map<number, NormalRecord>();
  normals.forEach((normal, s) => {
    const problem = coverageProblem(normal.depths, probes);
    if (problem) records.set(s, uncoveredRecord(normal, probes, problem));
  });
  let kept = normals.map((_, s) => s).filter(s => !records.has(s));
  refuseTooFew(kept.length, normals, records);
  refuseDuplicates(kept, normals);
  let stage = levelStages(kept.map(s => normals[s]), probes, gc, options.gcSource, build);
  refuseNearIdentical(kept, normals, nearIdenticalPairs(stage.levels, probes));
  const outliers = geneOutliers(stage.levels, probes);
  if (outliers.some(o => o.length > 0)) {
    // Recorded as measured among all normals, then everything is redone without them.
    const first = normalRecords(kept.map(s => normals[s]), stage.levels, probes, options.maxNoiseRatio ?? 2);
    kept.forEach((s, k) => {
      if (outliers[k].length) records.set(s, { ...first[k], used: false, reason: outlierReason(outliers[k]) });
    });
    kept = kept.filter(s => !records.has(s));
    refuseTooFew(kept.length, normals, records);
    stage = levelStages(kept.map(s => normals[s]), probes, gc, options.gcSource, build);
  }
  const keptRecords = normalRecords(kept.map(s => normals[s]), stage.levels, probes, options.maxNoiseRatio ?? 2);
  kept.forEach((s, k) => records.set(s, keptRecords[k]));
  const all = normals.map((_, s) => records.get(s)!);
  const usedCount = all.filter(r => r.used).length;
  refuseTooFew(usedCount, normals, records);

  const warnings: string[] = [];
  for (const k of stage.fragment.unpaired) warnings.push(`normal ${normals[kept[k]].name} has no proper pairs with an insert size; it is not corrected for fragment length`);
  for (const r of all) if (!r.used) warnings.push(`normal ${r.name} left out: ${r.reason}`);
  for (const r of keptRecords) if (r.sex === 'unknown') warnings.push(`normal ${r.name}: sex could not be inferred (chrX log2 ${r.xLog2}, chrY log2 ${r.yLog2}); treated as female`);
  if (usedCount < RECOMMENDED_NORMALS) warnings.push(`only ${usedCount} normals used: probe spreads are imprecise below ${RECOMMENDED_NORMALS}`);
  return { records: all, kept: keptRecords, stage, warnings };
}

/** Each normal on its own, its fragment length and GC trend removed against the others. */
function levelStages(normals: NormalCoverage[], probes: Probe[], gc: (number | undefined)[], gcSource: PanelOfNormals['gcSource'], build: string): { levels: NormalLevels[]; fragment: FragmentEffect } {
  const inserts = normals.map(x => ({ median: x.medianInsert, spread: x.insertSpread }));
  const removeGc = gcSource === 'none' ? () => {} : gcTrendRemover(probes, gc, build);
  return fitFragmentLength(normalLevels(normals.map(x => x.depths), probes), inserts, probes, MIN_NORMALS, removeGc);
}

/** The record of a normal left out before it could be measured. */
function uncoveredRecord(normal: NormalCoverage, probes: Probe[], reason: string): NormalRecord {
  const centring = probes.flatMap((p, i) => (isCentringProbe(p) ? [i] : []));
  return {
    name: normal.name,
    bam: normal.bam,
    sex: 'unknown',
    xLog2: null,
    yLog2: null,
    medianDepth: round(median(centring.map(i => normal.depths[i])), 2),
    noise: null,
    medianInsert: normal.medianInsert,
    insertSpread: normal.insertSpread,
    erbb2Log2: null,
    erbb2ProbeSpread: null,
    geneLevelSpread: null,
    ...(normal.coverage ? { coverage: normal.coverage } : {}),
    used: false,
    reason,
  };
}

function refuseTooFew(usable: number, normals: NormalCoverage[], records: Map<number, NormalRecord>): void {
  if (usable >= MIN_NORMALS) return;
  const out = normals.flatMap((x, s) => {
    const r = records.get(s);
    return r && !r.used ? [`${x.name}: ${r.reason}`] : [];
  });
  throw new Her2cnError(
    'input',
    `only ${usable} of ${normals.length} normals are usable (${out.join('; ')}); a panel of normals needs at least ${MIN_NORMALS}: add normals of the same assay`,
  );
}

const named = (x: NormalCoverage) => `${x.name} (${x.bam})`;

function refuseDuplicates(kept: number[], normals: NormalCoverage[]): void {
  const groups = identicalDepths(kept.map(s => normals[s].depths));
  if (groups.length === 0) return;
  const said = groups.map(g => {
    const names = g.map(k => named(normals[kept[k]]));
    return `normals ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} have identical depths on every probe: one library given ${g.length} times`;
  });
  throw new Her2cnError('input', `${said.join('; ')}; give each library once`);
}

function refuseNearIdentical(kept: number[], normals: NormalCoverage[], found: NearIdentical): void {
  if (found.pairs.length === 0) return;
  const said = found.pairs.slice(0, 3).map(p => `${named(normals[kept[p.a]])} and ${named(normals[kept[p.b]])} correlate ${p.correlation.toFixed(2)}`);
  const more = found.pairs.length > 3 ? `, and ${found.pairs.length - 3} more pairs` : '';
  throw new Her2cnError(
    'input',
    `near-identical normals: the probe log2 residuals of ${said.join(', ')}${more} (limit ${found.limit.toFixed(2)}; these normals' pairs: median ${found.typical.toFixed(2)}, robust SD ${found.spread.toFixed(2)}); the same library twice? give each library once`,
  );
}
