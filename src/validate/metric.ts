// A proportion as a validation reports it: the value with its numerator,
// denominator and exact (Clopper-Pearson) 95% interval, rounded like every
// number her2cn writes; null where the denominator is empty.
import { round } from '../stats/round.js';
import { clopperPearson } from './binomial.js';

export interface Metric {
  value: number | null;
  ci95: [number, number] | null;
  numerator: number;
  denominator: number;
}

export function metric(numerator: number, denominator: number): Metric {
  if (denominator === 0) return { value: null, ci95: null, numerator, denominator };
  const [lo, hi] = clopperPearson(numerator, denominator);
  return { value: round(numerator / denominator), ci95: [round(lo), round(hi)], numerator, denominator };
}
