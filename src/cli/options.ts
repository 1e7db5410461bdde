// Parsers for numeric and clinical command-line options: a typo must be a
// usage error, never a silently different analysis.
import { InvalidArgumentError } from '@commander-js/extra-typings';
import { type IhcScore, ihcRefusal, parseIhcScore } from '../clinical/ihc.js';
import { MAX_LENGTH, type SpecimenKey, specimenProblem } from '../clinical/specimen.js';
import { availableParallelism } from 'node:os';
import { parseDecimal } from '../util/numbers.js';

export function wholeNumber(min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected a whole number, got '${value}'`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`expected a number from ${min} to ${max}, got ${n}`);
    return n;
  };
}

/** Accepts decimal or 0x-prefixed hexadecimal SAM flag masks: SAM defines 12 flag bits, and a PoN records no other. */
export function flagMask(value: string): number {
  const v = value.trim();
  const n = /^0x[0-9a-f]+$/i.test(v) ? parseInt(v, 16) : /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 0xfff) throw new InvalidArgumentError(`expected a SAM flag mask from 0 to 4095 (e.g. 3844 or 0xF04), got '${value}'`);
  return n;
}

/**
 * A finite decimal number, optionally within [min, max] (exclusive of min
 * when `openMin`); `why` tells a refused value why the range is what it is.
 */
export function decimal(min = -Infinity, max = Infinity, openMin = false, why = '') {
  return (value: string): number => {
    const n = parseDecimal(value);
    if (n === undefined) throw new InvalidArgumentError(`expected a number, got '${value}'`);
    if (n > max || n < min || (openMin && n === min)) {
      const range = max === Infinity ? `${openMin ? 'above' : 'at least'} ${min}` : `${openMin ? 'above' : 'from'} ${min} ${openMin ? 'and up to' : 'to'} ${max}`;
      throw new InvalidArgumentError(`expected a number ${range}, got ${n}${why ? ` (${why})` : ''}`);
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

/**
 * The most threads (or samples at once) a run may use: the machine's cores,
 * and never fewer than 4, so that a pipeline written for a small number
 * runs anywhere. More than the cores gains no speed, and each thread holds
 * its own buffers (50 samples at once took 3.3 GB).
 */
export function maxThreads(): number {
  return Math.max(4, availableParallelism());
}

/** A thread or job count from 1 to `maxThreads()`. */
export function threadCount(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected a whole number, got '${value}'`);
  const n = Number(value);
  const max = maxThreads();
  if (n < 1 || n > max) {
    throw new InvalidArgumentError(`expected a number from 1 to ${max} (this machine has ${availableParallelism()} cores; more at once only costs memory), got ${n}`);
  }
  return n;
}

/** A name that is not empty or blank. */
export function nonEmpty(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('expected a name, got an empty one');
  return value;
}

/** A specimen field (clinical/specimen.ts): one short line; a date as YYYY-MM-DD. */
export function specimenField(key: SpecimenKey) {
  return (value: string): string => {
    const problem = specimenProblem(key, value);
    if (problem) throw new InvalidArgumentError(`expected ${key === 'collected' ? 'a date, YYYY-MM-DD' : `one line of at most ${MAX_LENGTH} characters`}, got ${problem}`);
    return value.trim();
  };
}
