#!/usr/bin/env node
// What the tumour-cell rule gives an estimator whose only error is sampling:
// each tumour of an assessment benchmark cohort is assessed by her2cn's own
// rule (src/call/copies.ts, src/call/assessment.ts) from its *true* ERBB2
// and CEP17-like levels, each with a 95% interval of 1.96 times its sampling
// floor, at several purity tolerances. A reference point, not a bound: a
// real estimate scatters to either side of the truth and its interval must
// cover that. A FISH-negative tumour indeterminate here is indeterminate
// because of the rule and the purity's tolerance at that precision, not
// because of any modelling error of the level.
//
//   npm run build
//   bash bench/assessment-cohort.sh <seed> <dir>
//   node bench/level-noise.mjs <dir>/calls/purity-truth --clinical <seed> <dir> > <dir>/floor.tsv
//   node bench/assessment-floor.mjs <dir>... [--tolerance 0,0.1,0.25] [--given 0.75,1,1.25]
//
// --given: the purity the rule is given, as factors of the true purity
// (capped at 0.99, as the benchmark does): 1 asks how often the rule decides
// with the truth's purity; 0.75 and 1.25 whether a tolerance narrower than
// a pathologist's error would then let a floor-limited estimator assess a
// FISH-positive tumour not amplified or a FISH-negative one amplified.
// --quiet leaves out the list of tumours each line leaves undecided.
//
// The true levels: ERBB2's expected_log2 from the cohort's truth.tsv, and
// the CEP17-like reference's from level-noise's cep17_expected_log2 (the
// simulator's log2 on the reference's probes: an arm gain can cover them
// where FISH's CEP17 count does not). The floors are level-noise's floor_sd
// and cep17_floor_sd. Tumours with a partial amplicon, or without a result,
// are not in floor.tsv and not scored; neither is the product's partial-gain
// rule.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { amplificationProbability, purityRange } from '../dist/call/copies.js';
import { judgeProbability, POSITIVE_COPIES, RATIO_POSITIVE, RATIO_POSITIVE_COPIES } from '../dist/call/assessment.js';

const Z975 = 1.959963984540054;
const RULE = { positiveCopies: POSITIVE_COPIES, ratioCopies: RATIO_POSITIVE_COPIES, ratio: RATIO_POSITIVE };
const STATUSES = ['amplified', 'indeterminate', 'not_amplified'];

const args = process.argv.slice(2);
let tolerances = [0, 0.1, 0.25];
let factors = [1];
let quiet = false;
const dirs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--tolerance') tolerances = args[++i].split(',').map(Number);
  else if (args[i] === '--given') factors = args[++i].split(',').map(Number);
  else if (args[i] === '--quiet') quiet = true;
  else dirs.push(args[i]);
}
if (dirs.length === 0 || tolerances.some(t => !(t >= 0 && t < 1)) || factors.some(f => !(f > 0))) {
  console.error('usage: node bench/assessment-floor.mjs <cohort-dir>... [--tolerance 0,0.1,0.25] [--given 0.75,1,1.25]');
  process.exit(2);
}

function readTable(path) {
  const [head, ...rows] = readFileSync(path, 'utf8').split('\n\n')[0].trimEnd().split('\n');
  const cols = head.split('\t');
  return rows.map(r => Object.fromEntries(r.split('\t').map((v, i) => [cols[i], v])));
}

const interval = (value, sd) => ({ value, ci95: [value - Z975 * sd, value + Z975 * sd] });

const pct = (k, n) => `${k}/${n} (${n ? ((100 * k) / n).toFixed(1) : '0.0'}%)`;
for (const dir of dirs) {
  const truth = new Map(readTable(join(dir, 'truth.tsv')).map(t => [t.sample, t]));
  const floors = readTable(join(dir, 'floor.tsv'));
  if (!floors.length || !('cep17_expected_log2' in floors[0])) {
    console.error(`${dir}/floor.tsv: no cep17_expected_log2 column; write it with this version of bench/level-noise.mjs`);
    process.exit(1);
  }
  const unusable = floors.find(f => ![f.floor_sd, f.cep17_floor_sd, f.cep17_expected_log2].every(v => Number.isFinite(Number(v))));
  if (unusable) {
    console.error(`${dir}/floor.tsv: ${unusable.sample} has no CEP17-like floor or level (a build whose centromere is not known?)`);
    process.exit(1);
  }
  console.log(`== ${dir}: ${floors.length} tumours without a partial amplicon`);
  for (const tolerance of tolerances) {
    for (const factor of factors) {
      const tally = { positive: Object.fromEntries(STATUSES.map(s => [s, 0])), negative: Object.fromEntries(STATUSES.map(s => [s, 0])) };
      const unresolved = [];
      for (const f of floors) {
        const t = truth.get(f.sample);
        const purity = Number(t.purity);
        const given = Math.min(0.99, purity * factor);
        const erbb2 = interval(Number(t.expected_log2), Number(f.floor_sd));
        const cep17 = interval(Number(f.cep17_expected_log2), Number(f.cep17_floor_sd));
        const probability = amplificationProbability(erbb2, cep17, purityRange(given, tolerance), RULE);
        const status = judgeProbability(probability);
        tally[t.fish][status]++;
        if (t.fish === 'negative' ? status !== 'not_amplified' : status !== 'amplified') {
          unresolved.push(
            `    ${t.sample} FISH ${t.fish} ${t.kind} purity ${purity} (given ${given.toFixed(2)}) HER2 ${t.her2_per_cell} CEP17 ${t.cep17_per_cell} (${t.library}; floor ${f.floor_sd}, CEP17-like ${f.cep17_floor_sd}): ${status}, probability ${probability.map(p => p.toFixed(3)).join(' to ')}`,
          );
        }
      }
      const n = s => STATUSES.reduce((a, k) => a + tally[s][k], 0);
      console.log(
        `  tolerance ${tolerance}, purity given x ${factor}: FISH-positive amplified ${pct(tally.positive.amplified, n('positive'))}, not amplified ${tally.positive.not_amplified}; ` +
          `FISH-negative indeterminate ${pct(tally.negative.indeterminate, n('negative'))}, amplified ${tally.negative.amplified}`,
      );
      if (!quiet) for (const line of unresolved) console.log(line);
    }
  }
}
