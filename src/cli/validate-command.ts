// `her2cn validate`: concordance of call results with a FISH/IHC truth table.
import { writeFilesAtomic } from '../output/files.js';
import { validateCalls } from '../validate/concordance.js';
import { formatValidationHtml, formatValidationMarkdown, metricText } from '../validate/report.js';
import { loadResults } from '../validate/results.js';
import { readTruth } from '../validate/truth.js';
import { rocSvg } from '../validate/plots.js';
import { InputError } from './errors.js';

export interface ValidateOptions {
  truth: string;
  reference: 'fish' | 'ihc';
  excludeIhc2plus: boolean;
  out: string;
  version: string;
}

export async function runValidate(inputs: string[], options: ValidateOptions): Promise<void> {
  const truth = readTruth(options.truth);
  const results = loadResults(inputs);
  const report = validateCalls(results, truth, { reference: options.reference, excludeIhc2plus: options.excludeIhc2plus });
  if (report.n === 0) {
    throw new InputError(`${options.truth}: no sample of the truth table matches a result (results: ${results.map(r => r.sample).slice(0, 5).join(', ')}...); check the sample names`);
  }
  const thresholds = [...new Set(results.map(r => r.threshold))];
  const threshold = thresholds.length === 1 ? thresholds[0] : 1.3;
  if (thresholds.length > 1) process.stderr.write(`her2cn: warning: results were called at different thresholds (${thresholds.join(', ')})\n`);
  for (const s of report.unmatched.results_only) process.stderr.write(`her2cn: warning: result ${s} has no row in ${options.truth}\n`);
  for (const s of report.unmatched.truth_only) process.stderr.write(`her2cn: warning: truth sample ${s} has no result\n`);
  const files: [string, string][] = [
    ['validation.json', JSON.stringify({ ...report, threshold, version: options.version }, null, 2) + '\n'],
    ['validation.md', formatValidationMarkdown(report, threshold, options.version)],
    ['validation.html', formatValidationHtml(report, threshold, options.version)],
  ];
  const roc = rocSvg(report);
  if (roc) files.push(['validation.roc.svg', roc + '\n']);
  writeFilesAtomic(options.out, files);
  const m = report.metrics;
  process.stdout.write(
    [
      `reference=${report.reference}`,
      `n=${report.n}`,
      `tp=${report.table.tp} fp=${report.table.fp} fn=${report.table.fn} tn=${report.table.tn}`,
      `no_calls=${report.no_calls.length}`,
      `sensitivity=${metricText(m.sensitivity)}`,
      `specificity=${metricText(m.specificity)}`,
    ].join('\t') + '\n',
  );
}
