// Parsers for numeric and clinical command-line options: a typo must be a
// usage error, never a silently different analysis.
import { InvalidArgumentError } from '@commander-js/extra-typings';
import { type IhcScore, ihcRefusal, parseIhcScore } from '../clinical/ihc.js';
import { parseDecimal } from '../util/numbers.js';

export function wholeNumber(min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected a whole number, got '${value}'`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`expected a number from ${min} to ${max}, got ${n}`);
    return n;
  };
}

/** Accepts decimal or 0x-prefixed hexadecimal SAM flag masks. */
export function flagMask(value: string): number {
  const v = value.trim();
  const n = /^0x[0-9a-f]+$/i.test(v) ? parseInt(v, 16) : /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 0xffff) throw new InvalidArgumentError(`expected a SAM flag mask (e.g. 3844 or 0xF04), got '${value}'`);
  return n;
}

/** A finite decimal number, optionally within [min, max] (exclusive of min when `openMin`). */
export function decimal(min = -Infinity, max = Infinity, openMin = false) {
  return (value: string): number => {
    const n = parseDecimal(value);
    if (n === undefined) throw new InvalidArgumentError(`expected a number, got '${value}'`);
    if (n > max || n < min || (openMin && n === min)) {
      throw new InvalidArgumentError(`expected a number ${openMin ? 'above' : 'from'} ${min} ${openMin ? 'and up to' : 'to'} ${max}, got ${n}`);
    }
    return n;
  };
}

/** An IHC score in any spelling a lab writes, as its canonical form (the one every output carries). */
export function ihcScore(value: string): IhcScore {
  const score = parseIhcScore(value);
  if (score === undefined) throw new InvalidArgumentError(ihcRefusal(value));
  return score;
}
