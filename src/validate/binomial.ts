// Exact (Clopper-Pearson) binomial confidence intervals. simple-statistics
// has no inverse beta function, so each bound is found by bisection on the
// binomial tail probability, summed in log space (gammaln) for stability.
import { gammaln } from 'simple-statistics';

/** P(X <= x) for X ~ Binomial(n, p). */
export function binomialCdf(x: number, n: number, p: number): number {
  if (x < 0) return 0;
  if (x >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  const logNFact = gammaln(n + 1);
  let sum = 0;
  for (let k = 0; k <= x; k++) {
    sum += Math.exp(logNFact - gammaln(k + 1) - gammaln(n - k + 1) + k * logP + (n - k) * logQ);
  }
  return Math.min(1, sum);
}

/** The p in [0, 1] where the decreasing function f(p) crosses `target`, by bisection. */
function solveDecreasing(f: (p: number) => number, target: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Clopper-Pearson interval for x successes in n trials at level 1 - alpha:
 * lower bound where P(X >= x) = alpha / 2, upper where P(X <= x) = alpha / 2.
 */
export function clopperPearson(x: number, n: number, alpha = 0.05): [number, number] {
  if (!Number.isInteger(x) || !Number.isInteger(n) || n <= 0 || x < 0 || x > n) throw new RangeError(`no binomial interval for ${x} of ${n}`);
  // P(X >= x) = alpha / 2  <=>  P(X <= x - 1) = 1 - alpha / 2, which falls as p grows
  const lower = x === 0 ? 0 : solveDecreasing(p => binomialCdf(x - 1, n, p), 1 - alpha / 2);
  const upper = x === n ? 1 : solveDecreasing(p => binomialCdf(x, n, p), alpha / 2);
  return [lower, upper];
}
