// A partial amplicon: part of ERBB2 amplified, the rest not (an amplicon
// boundary inside the gene). The gene-level median can then fall either side
// of the threshold, so it is reported in its own right.
import type { PartialAmplicon } from '../result/schema.js';
import { median } from '../stats/robust.js';
import { round } from '../stats/round.js';

export type { PartialAmplicon };

/** Smallest step between the two parts of ERBB2, in log2, that counts as a partial amplicon. */
export const PARTIAL_STEP = 1;

/**
 * ERBB2's probes (in genomic order) split into the two runs, each of at least
 * 3 probes, that best fit two levels (least absolute deviations from each
 * run's median), when the runs' medians differ by at least PARTIAL_STEP and
 * one is at or above the threshold, the other below.
 */
export function partialAmplicon(probes: { name: string; log2: number }[], threshold: number): PartialAmplicon | undefined {
  const cost = (values: number[], m: number) => values.reduce((s, v) => s + Math.abs(v - m), 0);
  let best: { k: number; left: number; right: number; cost: number } | undefined;
  for (let k = 3; k <= probes.length - 3; k++) {
    const l = probes.slice(0, k).map(p => p.log2);
    const r = probes.slice(k).map(p => p.log2);
    const left = median(l);
    const right = median(r);
    const c = cost(l, left) + cost(r, right);
    if (!best || c < best.cost) best = { k, left, right, cost: c };
  }
  if (!best || Math.abs(best.left - best.right) < PARTIAL_STEP) return undefined;
  if (Math.max(best.left, best.right) < threshold || Math.min(best.left, best.right) >= threshold) return undefined;
  const part = (from: number, to: number, log2: number) => ({ first: probes[from].name, last: probes[to - 1].name, count: to - from, log2: round(log2) });
  const leftPart = part(0, best.k, best.left);
  const rightPart = part(best.k, probes.length, best.right);
  return best.left > best.right ? { high: leftPart, low: rightPart } : { high: rightPart, low: leftPart };
}
