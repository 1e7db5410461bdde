// Matching the truth table's sample names to the results'. Names are
// matched as written; a name that differs only in case (t01 and T01) is
// matched too when that is unambiguous, and said so, as `batch` treats two
// such names as one sample (they make one file name on some file systems).
// When case alone cannot tell which result a truth row means, the run is
// refused naming the near-misses.
import { Her2cnError } from '../errors/errors.js';
import type { TruthRow } from './truth.js';

export interface NameMatch {
  /** The truth rows, those matched ignoring case renamed to their result's sample. */
  truth: TruthRow[];
  /** Pairs matched ignoring case: [truth name, result name]. */
  byCase: [string, string][];
}

export function matchSampleNames(truth: TruthRow[], resultSamples: string[], truthPath: string): NameMatch {
  const results = new Set(resultSamples);
  const truthNames = new Set(truth.map(t => t.sample));
  // Results and truth rows not matched as written, by their lower-case name.
  const looseResults = new Map<string, string[]>();
  for (const s of resultSamples) if (!truthNames.has(s)) looseResults.set(s.toLowerCase(), [...(looseResults.get(s.toLowerCase()) ?? []), s]);
  const looseTruth = new Map<string, string[]>();
  for (const t of truth) if (!results.has(t.sample)) looseTruth.set(t.sample.toLowerCase(), [...(looseTruth.get(t.sample.toLowerCase()) ?? []), t.sample]);
  const byCase: [string, string][] = [];
  const rename = new Map<string, string>();
  for (const [key, names] of looseTruth) {
    const candidates = looseResults.get(key);
    if (!candidates) continue;
    if (names.length > 1 || candidates.length > 1) {
      throw new Her2cnError(
        'input',
        `${truthPath}: the names ${[...names, ...candidates].map(n => JSON.stringify(n)).join(', ')} differ only in case (truth: ${names.join(', ')}; results: ${candidates.join(', ')}), so which result a truth row means cannot be told; make the names in the truth table match the results exactly`,
        truthPath,
      );
    }
    rename.set(names[0], candidates[0]);
    byCase.push([names[0], candidates[0]]);
  }
  return { truth: truth.map(t => (rename.has(t.sample) ? { ...t, sample: rename.get(t.sample)! } : t)), byCase };
}
