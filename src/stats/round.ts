// Rounding of every number written to a result file, in one place, so
// reruns give the same bytes and files agree with each other.

/** `x` rounded to `digits` decimals (4 unless said otherwise). */
export function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** An interval rounded like its value. */
export function roundInterval(ci: readonly [number, number], digits = 4): [number, number] {
  return [round(ci[0], digits), round(ci[1], digits)];
}

/** A probability as a percentage for readers, one decimal, saturating at 0.1% and 99.9%. */
export function percentText(x: number): string {
  return x < 0.001 ? '< 0.1%' : x > 0.999 ? '> 99.9%' : `${(100 * x).toFixed(1)}%`;
}

/** `x` written with `digits` decimals, never as "-0.00": a value that rounds to zero has no sign. */
export function fixed(x: number, digits = 2): string {
  const text = x.toFixed(digits);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}
