// The last stage of a panel of normals: each probe's normal level (the median
// over the used normals), its spread (robust SD), flags for probes that
// cannot be used, and inverse-variance weights.
import type { Probe } from '../panel/panel.js';
import { isY } from '../normalize/probes.js';
import { median, robustSd } from '../stats/robust.js';
import { round } from '../stats/round.js';
import type { ProbeFlag } from './pon.js';

/** A probe whose normal level is below 1/8 of the typical probe is too poorly captured to use. */
export const LOW_COVERAGE_LOG2 = -3;
/** A probe whose spread across normals exceeds this multiple of the typical spread is noisy. */
export const NOISY_SPREAD_RATIO = 3;

export interface ProbeReference {
  log2: (number | null)[];
  spread: (number | null)[];
  weight: number[];
  flags: ProbeFlag[][];
  typicalSpread: number;
}

export function probeReference(used: number[][], probes: Probe[], usedMales: number): ProbeReference {
  const n = probes.length;
  const log2: (number | null)[] = [];
  const spread: (number | null)[] = [];
  const flags: ProbeFlag[][] = [];
  for (let i = 0; i < n; i++) {
    const values = used.map(l => l[i]).filter(Number.isFinite);
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
  return { log2, spread, weight: raw.map(w => round(w / typicalWeight, 3)), flags, typicalSpread };
}
