// The limits of the QC's spread checks (src/call/spread.ts), from the
// normals: each used normal is measured against the other used normals (as
// its ERBB2 level is, judge.ts) the way a tumour is measured against the
// PoN, and the limit is the largest value a normal shows times a margin.
import { sampleSpreads } from '../call/spread.js';
import type { Probe } from '../panel/panel.js';
import { erbb2Region } from '../normalize/probes.js';
import { round } from '../stats/round.js';
import type { NormalLevels } from './levels.js';
import { againstOtherNormals } from './judge.js';
import type { NormalRecord, PanelOfNormals } from './pon.js';

/**
 * Each limit is the normals' largest value times this margin. A value is
 * measured on one sample's probes, so it carries sampling error (a robust
 * SD over a few dozen ERBB2 residuals or a dozen genes: 20-35%), and with
 * ten normals the largest is only about their 90th percentile; tumour
 * libraries are also more varied than the normals (FFPE with strong GC
 * bias, whose GC-rich ERBB2 probes get fewer reads). On four simulated
 * clinical cohorts (10 normals and 87 tumours each, 150-500x) the tumours
 * reached at most 1.93 times their normals' largest value (an FFPE library
 * with strong GC bias whose ERBB2 level was 0.09 from the truth); a margin of
 * 2 fails none of them, while a distortion that scatters ERBB2's probes, or
 * moves genes, by two to three times what the noise allows still fails.
 */
export const QC_LIMIT_MARGIN = 2;

export interface NormalSpreads {
  erbb2ProbeSpread: number | null;
  geneLevelSpread: number | null;
}

/**
 * Each used normal's spreads against the other used normals (recorded in
 * its record; null for normals not used), and the PoN's limits: the largest
 * over the normals times QC_LIMIT_MARGIN, null when no normal could be
 * measured (a panel without enough genes off the amplicon: the check is not made).
 */
export function spreadLimits(records: NormalRecord[], levels: NormalLevels[], probes: Probe[], build: string, flagged: boolean[]): PanelOfNormals['qcLimits'] {
  const region = erbb2Region(probes);
  const values: NormalSpreads[] = [];
  for (const { s, residual } of againstOtherNormals(records, levels, probes)) {
    const lfc = residual.map((v, i) => (Number.isFinite(v) && !flagged[i] ? v : null));
    // Measured as the call measures a tumour's.
    const spreads: NormalSpreads = region ? sampleSpreads(probes, lfc, region, build) : { erbb2ProbeSpread: null, geneLevelSpread: null };
    records[s].erbb2ProbeSpread = spreads.erbb2ProbeSpread === null ? null : round(spreads.erbb2ProbeSpread);
    records[s].geneLevelSpread = spreads.geneLevelSpread === null ? null : round(spreads.geneLevelSpread);
    values.push(spreads);
  }
  const limit = (v: (number | null)[]) => {
    const measured = v.filter((x): x is number => x !== null);
    // Rounded up, so no limit falls below the margin times a normal's value.
    return measured.length ? Math.ceil(QC_LIMIT_MARGIN * Math.max(...measured) * 100 - 1e-9) / 100 : null;
  };
  return {
    erbb2ProbeSpread: limit(values.map(v => v.erbb2ProbeSpread)),
    geneLevelSpread: limit(values.map(v => v.geneLevelSpread)),
    margin: QC_LIMIT_MARGIN,
  };
}
