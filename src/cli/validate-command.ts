// `her2cn validate`: concordance of call results with a FISH/IHC truth table.
import { writeFolderLocked } from '../output/lock.js';
import { checkOutputFolder, refuseOverwritingInputs } from '../output/location.js';
import { InputFiles } from '../util/input-files.js';
import { matchSampleNames } from '../validate/names.js';
import { type ScoredField, validateCalls } from '../validate/concordance.js';
import { formatValidationHtml, formatValidationMarkdown, metricText } from '../validate/report.js';
import { loadResults } from '../validate/results.js';
import { readTruth } from '../validate/truth.js';
import { noRocSvg, rocSvg } from '../validate/plots.js';
import { Her2cnError } from '../errors/errors.js';
import { round } from '../stats/round.js';

export interface ValidateOptions {
  truth: string;
  reference: 'fish' | 'ihc';
  on: ScoredField;
  excludeIhc2plus: boolean;
  out: string;
  version: string;
}

export const VALIDATION_FILES = ['validation.json', 'validation.md', 'validation.html', 'validation.roc.svg'];

/** The keys of validation.json whose values the report keeps exact (src/validate/concordance.ts, thresholds). */
const ROUNDED_AS_WRITTEN = new Set(['auc', 'j', 'sensitivity', 'specificity']);

export async function runValidate(inputs: string[], options: ValidateOptions): Promise<void> {
  const truthRows = readTruth(options.truth);
  const results = loadResults(inputs);
  // Inputs and the output folder are checked before any work; no output may replace an input.
  const files = new InputFiles().add(options.truth, 'truth table');
  for (const r of results) files.add(r.file, 'result');
  checkOutputFolder(options.out);
  refuseOverwritingInputs(options.out, VALIDATION_FILES, files);
  const names = matchSampleNames(truthRows, results.map(r => r.sample), options.truth);
  const truth = names.truth;
  if (names.byCase.length > 0) {
    const pairs = names.byCase.map(([t, r]) => (t === r ? t : `${t} = ${r}`));
    process.stderr.write(`her2cn: warning: ${options.truth}: ${pairs.length} sample${pairs.length > 1 ? 's' : ''} matched ignoring case (${pairs.slice(0, 5).join(', ')}${pairs.length > 5 ? ', …' : ''}); name them as the results do to silence this\n`);
  }
  const report = validateCalls(results, truth, { reference: options.reference, excludeIhc2plus: options.excludeIhc2plus, on: options.on });
  if (report.n === 0) {
    throw new Her2cnError('input', `${options.truth}: no sample of the truth table matches a result (results: ${results.map(r => r.sample).slice(0, 5).join(', ')}...); check the sample names`, options.truth);
  }
  if (options.reference === 'fish' && !truth.some(t => t.fish !== undefined)) {
    throw new Her2cnError('input', `${options.truth}: no sample has a fish value; to validate against IHC use --against ihc`, options.truth);
  }
  if (options.reference === 'ihc' && !truth.some(t => t.ihc !== undefined)) {
    throw new Her2cnError('input', `${options.truth}: no sample has an ihc value; to validate against FISH use --against fish`, options.truth);
  }
  if (options.excludeIhc2plus && options.reference !== 'ihc') process.stderr.write('her2cn: warning: --exclude-ihc-2plus applies to --against ihc only; ignored\n');
  const matchedThresholds = [...new Set(results.filter(r => report.samples.some(s => s.sample === r.sample)).map(r => r.threshold))];
  const threshold = matchedThresholds.length === 1 && Number.isFinite(matchedThresholds[0]) ? matchedThresholds[0] : null;
  if (threshold === null) process.stderr.write(`her2cn: warning: the results were called at different or unknown thresholds (${matchedThresholds.join(', ')})\n`);
  for (const s of report.unmatched.results_only) process.stderr.write(`her2cn: warning: result ${s} has no row in ${options.truth}\n`);
  for (const s of report.unmatched.truth_only) process.stderr.write(`her2cn: warning: truth sample ${s} has no result\n`);
  const written: [string, string][] = [
    // The threshold analysis's rates, AUC and J are kept exact for the texts below (each rounded once) and rounded here as written.
    ['validation.json', JSON.stringify({ ...report, threshold, version: options.version }, (k, v) => (typeof v === 'number' && ROUNDED_AS_WRITTEN.has(k) ? round(v) : v), 2) + '\n'],
    ['validation.md', formatValidationMarkdown(report, threshold, options.version)],
    ['validation.html', formatValidationHtml(report, threshold, options.version)],
  ];
  // Always written, so no ROC of an earlier run is left beside these results.
  written.push(['validation.roc.svg', (rocSvg(report) ?? noRocSvg()) + '\n']);
  writeFolderLocked(options.out, 'validate', written);
  const m = report.metrics;
  process.stdout.write(
    [
      `reference=${report.reference}`,
      `n=${report.n}`,
      `tp=${report.table.tp} fp=${report.table.fp} fn=${report.table.fn} tn=${report.table.tn}`,
      `on=${report.scored_on}`,
      `no_calls=${report.no_calls.length}`,
      `indeterminate=${report.indeterminate.length}`,
      `sensitivity=${metricText(m.sensitivity)}`,
      `specificity=${metricText(m.specificity)}`,
    ].join('\t') + '\n',
  );
}
