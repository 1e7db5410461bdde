// Judging the normals against each other: a normal much noisier than the
// others is left out and said why; each used normal's ERBB2 level against
// the others measures the assay's gene-level error.
import type { Probe } from '../panel/panel.js';
import { centringSet, log2Depths, recentre } from '../normalize/sample.js';
import { mean, rootMeanSquare } from 'simple-statistics';
import { median, robustSd } from '../stats/robust.js';
import { round } from '../stats/round.js';
import { type NormalLevels, probeMedians } from './levels.js';
import type { NormalRecord } from './pon.js';
import type { NormalCoverage } from './build.js';

/** Each normal's noise: robust SD of its log2 against the median of the others, on the centring probes. */
export function normalNoise(levels: NormalLevels[], probes: Probe[]): number[] {
  return levels.map((l, s) => {
    const others = probeMedians(levels.filter((_, t) => t !== s).map(o => o.values), probes.length);
    const set = centringSet(probes, l.values, i => Number.isFinite(others[i]));
    return robustSd(set.map(i => l.values[i] - others[i]));
  });
}

/** The PoN's record of each normal; one noisier than `maxRatio` times the normals' median noise is not used. */
export function normalRecords(normals: NormalCoverage[], levels: NormalLevels[], probes: Probe[], maxRatio: number): NormalRecord[] {
  const noise = normalNoise(levels, probes);
  const typicalNoise = median(noise);
  return normals.map((normal, s) => {
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
      insertSpread: normal.insertSpread,
      erbb2Log2: null,
      erbb2ProbeSpread: null,
      geneLevelSpread: null,
      ...(normal.coverage ? { coverage: normal.coverage } : {}),
      used: !noisy,
      ...(noisy
        ? { reason: `noisy: robust SD of log2 against the other normals ${noise[s].toFixed(3)}, more than ${maxRatio} times the normals' median ${typicalNoise.toFixed(3)}` }
        : {}),
    };
  });
}

/**
 * Each used normal (its index) with its log2 against the median of the other
 * used normals, centred: a normal measured the way a tumour is against the PoN.
 */
export function againstOtherNormals(records: NormalRecord[], levels: NormalLevels[], probes: Probe[]): { s: number; residual: number[] }[] {
  const usedIndex = records.map((r, s) => (r.used ? s : -1)).filter(s => s >= 0);
  return usedIndex.map(s => {
    const others = probeMedians(usedIndex.filter(t => t !== s).map(t => levels[t].values), probes.length);
    const residual = levels[s].values.map((v, i) => v - others[i]);
    recentre(residual, centringSet(probes, residual), 'median');
    return { s, residual };
  });
}

/**
 * Never less than this share of the normals' whole RMS ERBB2 error: with few
 * normals their mean square can fall below their sampling variance by chance
 * (a third of the time with ten and no shared error at all), and an SD of 0
 * would take the centring's and the GC fit's error out of every interval.
 */
export const GENE_LEVEL_SD_FLOOR = 0.5;

export interface GeneLevelSd {
  /** The assay's gene-level SD. */
  sd: number;
  /** The normals' whole RMS ERBB2 error, sampling included. */
  rms: number;
  /** True when the floor set it: the normals' errors are no larger than their probes' sampling explains. */
  atFloor: boolean;
}

/**
 * Each used normal's ERBB2 level against the other used normals (recorded in
 * its record), and what of their spread probe resampling cannot see: the
 * assay's gene-level SD. A normal's ERBB2 error holds its probes' sampling
 * noise as well, which a tumour's own probe bootstrap already carries into
 * its interval; so the sampling variance each normal's level has by its own
 * probes' spread (a median of n values: pi/2 times their variance over n) is
 * taken out of the mean square error, and what remains is the error the
 * probes share (the GC fit's, the centring's). Counting both would widen
 * every interval by the sampling noise twice. At least GENE_LEVEL_SD_FLOOR
 * of the whole RMS is kept.
 */
export function erbb2Errors(records: NormalRecord[], levels: NormalLevels[], probes: Probe[]): GeneLevelSd {
  const erbb2 = probes.map((p, i) => (p.gene === 'ERBB2' ? i : -1)).filter(i => i >= 0);
  const errors: number[] = [];
  const sampling: number[] = [];
  for (const { s, residual } of againstOtherNormals(records, levels, probes)) {
    const values = erbb2.map(i => residual[i]).filter(Number.isFinite);
    if (values.length > 0) {
      const level = median(values);
      records[s].erbb2Log2 = round(level);
      errors.push(level);
      sampling.push(values.length > 1 ? (Math.PI / 2) * robustSd(values) ** 2 / values.length : 0);
    }
  }
  if (errors.length === 0) return { sd: 0, rms: 0, atFloor: false };
  const rms = rootMeanSquare(errors);
  const shared = Math.sqrt(Math.max(0, rms ** 2 - mean(sampling)));
  const floor = GENE_LEVEL_SD_FLOOR * rms;
  return shared >= floor ? { sd: shared, rms, atFloor: false } : { sd: floor, rms, atFloor: true };
}
