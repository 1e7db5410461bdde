// validate's breakdown by IHC group against the published study's Figure 1:
// a truth table with its FISH positivity (1,000 cases per group, 15, 69,
// 204, 209, 444 and 914 FISH positive) must give exactly those rates, with
// exact 95% intervals computed here independently of src/validate/binomial.ts
// (from the beta distribution's quantiles), in validation.json.
import { readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateCalls } from '../../src/validate/concordance.js';
import type { ResultRow } from '../../src/validate/results.js';
import { parseTruth, type TruthRow } from '../../src/validate/truth.js';
import { ROOT, runCli, tempDir } from '../helpers.js';

// --- An exact interval from first principles: Clopper-Pearson bounds are beta
// quantiles, lower B(alpha/2; x, n - x + 1) and upper B(1 - alpha/2; x + 1, n - x).
// The regularized incomplete beta by its continued fraction (modified Lentz),
// inverted by bisection: another route than the code under test's binomial sums.

function logGamma(z: number): number {
  // Lanczos approximation (g = 7, n = 9), good to ~1e-15 for z > 0.5
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const x = z - 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let h = d;
  for (let m = 1; m < 10_000; m++) {
    const m2 = 2 * m;
    for (const num of [(m * (b - m) * x) / ((a + m2 - 1) * (a + m2)), (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1))]) {
      d = 1 + num * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + num / c;
      if (Math.abs(c) < tiny) c = tiny;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-15) break;
  }
  return h;
}

/** I_x(a, b), the beta distribution's CDF. */
function betaCdf(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

function betaQuantile(p: number, a: number, b: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (betaCdf(mid, a, b) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function exactInterval(x: number, n: number): [number, number] {
  return [x === 0 ? 0 : betaQuantile(0.025, x, n - x + 1), x === n ? 1 : betaQuantile(0.975, x + 1, n - x)];
}

// The study's Figure 1: FISH positive per 1,000 cases of each IHC group, the
// groups spelled as labs write them.
const FIGURE_1: { spelled: string; group: string; positive: number }[] = [
  { spelled: '0', group: '0', positive: 15 },
  { spelled: '1+', group: '1+', positive: 69 },
  { spelled: '1–2+ focal', group: '1-2+ focal', positive: 204 },
  { spelled: '2+', group: '2+', positive: 209 },
  { spelled: '2-3+FOCAL', group: '2-3+ focal', positive: 444 },
  { spelled: '3+', group: '3+', positive: 914 },
];
const STUDY_PCT = [1.5, 6.9, 20.4, 20.9, 44.4, 91.4];
/** The same intervals from scipy.stats.beta.ppf (the exact Clopper-Pearson bounds as beta quantiles). */
const QBETA: [number, number][] = [
  [0.008419, 0.02462],
  [0.054079, 0.086515],
  [0.179425, 0.230331],
  [0.184186, 0.23554],
  [0.412909, 0.475422],
  [0.89488, 0.930637],
];

/** The Figure 1 cohort: sample, FISH, IHC as spelled, and an NGS call that agrees with FISH but for one case per group. */
function figure1Cohort() {
  const rows: { sample: string; fish: 'positive' | 'negative'; ihc: string; amplified: boolean }[] = [];
  FIGURE_1.forEach((g, k) => {
    for (let i = 0; i < 1000; i++) {
      const fish = i < g.positive ? 'positive' : 'negative';
      // one FISH-negative case per group called amplified, so each group has one NGS/FISH discordance
      rows.push({ sample: `G${k}_${String(i).padStart(4, '0')}`, fish, ihc: g.spelled, amplified: fish === 'positive' || i === 999 });
    }
  });
  return rows;
}

function truthText(rows: ReturnType<typeof figure1Cohort>): string {
  return 'sample\tfish\tihc\n' + rows.map(r => `${r.sample}\t${r.fish}\t${r.ihc}\n`).join('');
}

function resultRow(sample: string, call: ResultRow['call'], assessment: ResultRow['assessment'] = call): ResultRow {
  return { sample, call, assessment, log2: call === 'amplified' ? 2 : call === 'no_call' ? null : 0.1, ci95: null, qcStatus: call === 'no_call' ? 'fail' : 'pass', qcReasons: [], threshold: 1.3, file: '' };
}

describe('the independent exact interval', () => {
  it('reproduces published exact intervals', () => {
    // textbook Clopper-Pearson 95% intervals, and the study's 2/3 (PPV against IHC 3+)
    for (const [x, n, lo, hi] of [[1, 10, 0.0025, 0.445], [5, 10, 0.1871, 0.8129], [0, 10, 0, 0.3085], [2, 3, 0.0943, 0.9916]]) {
      const [l, h] = exactInterval(x, n);
      expect(l).toBeCloseTo(lo, 4);
      expect(h).toBeCloseTo(hi, 4);
    }
  });

  it('agrees with scipy\'s beta quantiles on the six Figure 1 groups', () => {
    FIGURE_1.forEach((g, k) => {
      const [l, h] = exactInterval(g.positive, 1000);
      expect(l).toBeCloseTo(QBETA[k][0], 6);
      expect(h).toBeCloseTo(QBETA[k][1], 6);
    });
  });
});

describe('the breakdown by IHC group', () => {
  const cohort = figure1Cohort();
  const truth = parseTruth(truthText(cohort), 'figure1.tsv');
  const results = cohort.map(r => resultRow(r.sample, r.amplified ? 'amplified' : 'not_amplified'));

  it('gives the study\'s FISH positivity in each of its six groups, with exact intervals', () => {
    const v = JSON.parse(JSON.stringify(validateCalls(results, truth, { reference: 'fish', excludeIhc2plus: false })));
    expect(v.ihc_breakdown.map((b: { ihc: string }) => b.ihc)).toEqual(FIGURE_1.map(g => g.group));
    v.ihc_breakdown.forEach((b: Record<string, any>, k: number) => {
      expect(b).toMatchObject({ n: 1000, fish_tested: 1000, fish_positive: FIGURE_1[k].positive, fish_positive_pct: STUDY_PCT[k], study_fish_positive_pct: STUDY_PCT[k] });
      expect(b.fish_positive_rate).toMatchObject({ value: FIGURE_1[k].positive / 1000, numerator: FIGURE_1[k].positive, denominator: 1000 });
      const [lo, hi] = exactInterval(FIGURE_1[k].positive, 1000);
      // validation.json rounds to 4 decimals
      expect(b.fish_positive_rate.ci95[0]).toBeCloseTo(lo, 4);
      expect(b.fish_positive_rate.ci95[1]).toBeCloseTo(hi, 4);
      expect(Math.abs(b.fish_positive_rate.ci95[0] - lo)).toBeLessThanOrEqual(0.00005 + 1e-9);
      expect(Math.abs(b.fish_positive_rate.ci95[1] - hi)).toBeLessThanOrEqual(0.00005 + 1e-9);
      // NGS: every sample assessed; amplified where FISH is positive, plus the one FISH-negative case
      expect(b).toMatchObject({ ngs_called: 1000, ngs_amplified: FIGURE_1[k].positive + 1, no_calls: 0, indeterminate: 0 });
      expect(b.ngs_amplified_rate.value).toBe((FIGURE_1[k].positive + 1) / 1000);
      expect(b.discordant_with_fish).toEqual([`G${k}_0999`]);
    });
    expect(v.ihc_zero_breakdown).toEqual([]);
  });

  it('calls NGS discordant with IHC only where IHC is decisive: 0 and 1+ amplified, 3+ not; never 2+ or focal', () => {
    const v = validateCalls(results, truth, { reference: 'fish', excludeIhc2plus: false });
    const discordant = v.ihc_breakdown.map(b => b.discordant_with_ihc.length);
    expect(discordant).toEqual([16, 70, 0, 0, 0, 1000 - 914 - 1]);
  });

  it('leaves the focal groups out with 2+ under --exclude-ihc-2plus', () => {
    const v = validateCalls(results, truth, { reference: 'ihc', excludeIhc2plus: true });
    expect(v.n_in_table).toBe(3000);
    expect(v.no_reference).toHaveLength(3000);
    expect(v.reference_rule).toBe('IHC 3+ positive; 0 and 1+ negative; 2+, 1-2+ focal and 2-3+ focal left out');
    expect(validateCalls(results, truth, { reference: 'ihc', excludeIhc2plus: false }).n_in_table).toBe(6000);
  });
});

describe('IHC 0 by qualifier, and what NGS did not assess', () => {
  const truth: TruthRow[] = parseTruth(
    'sample\tfish\tihc\n' +
      'N1\tnegative\t0 (null)\nN2\tnegative\t0 null\nN3\tpositive\t0 (null)\n' +
      'U1\tnegative\tultralow\nU2\tnegative\t0 ultralow\n' +
      'Z1\tnegative\t0\n' +
      'F1\tpositive\t2-3+ focal\nF2\tnegative\t1-2+ focal\n',
    't.tsv',
  );
  const results = [
    resultRow('N1', 'not_amplified'),
    resultRow('N2', 'no_call'),
    resultRow('N3', 'amplified'),
    resultRow('U1', 'not_amplified', 'indeterminate'),
    resultRow('U2', 'amplified', 'not_amplified'),
    resultRow('Z1', 'not_amplified'),
    resultRow('F1', 'amplified'),
    resultRow('F2', 'amplified'),
  ];

  it('splits IHC 0 into null, ultralow and unqualified, and counts the whole of group 0', () => {
    const v = validateCalls(results, truth, { reference: 'fish', excludeIhc2plus: false });
    expect(v.ihc_breakdown[0]).toMatchObject({ ihc: '0', n: 6, fish_tested: 6, fish_positive: 1, ngs_called: 5, ngs_amplified: 2, no_calls: 1, indeterminate: 0 });
    expect(v.ihc_zero_breakdown.map(b => [b.ihc, b.n, b.fish_positive, b.ngs_amplified, b.no_calls])).toEqual([
      ['0 (null)', 3, 1, 1, 1],
      ['0 (ultralow)', 2, 0, 1, 0],
      ['0', 1, 0, 0, 0],
    ]);
    expect(v.ihc_zero_breakdown[0]).toMatchObject({ study_fish_positive_pct: null, discordant_with_ihc: ['N3'], discordant_with_fish: [] });
    expect(v.ihc_zero_breakdown[1]).toMatchObject({ discordant_with_ihc: ['U2'], discordant_with_fish: ['U2'] });
    // the focal groups: FISH and NGS counted, never discordant with IHC
    expect(v.ihc_breakdown[2]).toMatchObject({ ihc: '1-2+ focal', n: 1, ngs_amplified: 1, discordant_with_ihc: [], discordant_with_fish: ['F2'] });
    expect(v.ihc_breakdown[4]).toMatchObject({ ihc: '2-3+ focal', n: 1, fish_positive: 1, discordant_with_ihc: [], discordant_with_fish: [] });
    // empty groups are present, with no rate
    expect(v.ihc_breakdown[1]).toMatchObject({ ihc: '1+', n: 0, fish_positive_pct: null, fish_positive_rate: { value: null, ci95: null } });
    // samples carry the canonical score and their category
    expect(v.samples.find(s => s.sample === 'Z1')).toMatchObject({ ihc: '0', her2_category: 'HER2-zero', workup: 'report' });
    // the work-up follows the assessment: U1's call is not amplified, but its assessment is indeterminate
    expect(v.samples.find(s => s.sample === 'U1')).toMatchObject({ ihc: '0 (ultralow)', her2_category: 'HER2-ultralow', workup: 'FISH' });
    expect(v.samples.find(s => s.sample === 'U2')).toMatchObject({ ihc: '0 (ultralow)', workup: 'report' });
    expect(v.samples.find(s => s.sample === 'N2')).toMatchObject({ ihc: '0 (null)', her2_category: 'HER2-null', workup: 'FISH' });
    expect(v.samples.find(s => s.sample === 'F1')).toMatchObject({ ihc: '2-3+ focal', her2_category: 'HER2-positive', workup: 'FISH (reflex)' });
  });

  it('scores the assessment when asked: indeterminate is not assessed', () => {
    const v = validateCalls(results, truth, { reference: 'fish', excludeIhc2plus: false, on: 'assessment' });
    expect(v.ihc_zero_breakdown[1]).toMatchObject({ ihc: '0 (ultralow)', ngs_called: 1, ngs_amplified: 0, no_calls: 1, indeterminate: 1, discordant_with_ihc: [] });
  });
});

describe('her2cn validate on the Figure 1 cohort', () => {
  const dir = tempDir('her2cn-figure1-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the rates, intervals and study figures to validation.json, a table to validation.md and the bar chart to validation.html', () => {
    // results made from a committed result, trimmed of its per-probe arrays to keep 6,000 of them small
    const template = JSON.parse(readFileSync(join(ROOT, 'test', 'call', 'golden', 'T04.her2cn.json'), 'utf8'));
    Object.assign(template, { genes: [], erbb2_probes: [] });
    const cohort = figure1Cohort();
    mkdirSync(join(dir, 'results'));
    for (const r of cohort) {
      const call = r.amplified ? 'amplified' : 'not_amplified';
      const doc = { ...template, sample: r.sample, call, log2: r.amplified ? 2 : 0.1, assessment: { ...template.assessment, status: call } };
      writeFileSync(join(dir, 'results', `${r.sample}.her2cn.json`), JSON.stringify(doc));
    }
    writeFileSync(join(dir, 'truth.tsv'), truthText(cohort));
    const r = runCli(['validate', '--truth', join(dir, 'truth.tsv'), join(dir, 'results'), '--out', join(dir, 'out')]);
    expect(r.status, r.stderr).toBe(0);
    const v = JSON.parse(readFileSync(join(dir, 'out', 'validation.json'), 'utf8'));
    v.ihc_breakdown.forEach((b: Record<string, any>, k: number) => {
      expect(b.ihc).toBe(FIGURE_1[k].group);
      expect(b.fish_positive_pct).toBe(STUDY_PCT[k]);
      expect(b.study_fish_positive_pct).toBe(STUDY_PCT[k]);
      expect(b.fish_positive_rate.value).toBe(FIGURE_1[k].positive / 1000);
      expect(b.fish_positive_rate.ci95[0]).toBeCloseTo(QBETA[k][0], 4);
      expect(b.fish_positive_rate.ci95[1]).toBeCloseTo(QBETA[k][1], 4);
    });
    const md = readFileSync(join(dir, 'out', 'validation.md'), 'utf8');
    expect(md).toContain('## By IHC group');
    expect(md).toContain('| 1-2+ focal | 1000 | 20.4% (204/1000; 95% CI 17.9%–23.0%) | 20.4% |');
    expect(md).toContain('| 2-3+ focal | 1000 | 44.4% (444/1000; 95% CI 41.3%–47.5%) | 44.4% |');
    const html = readFileSync(join(dir, 'out', 'validation.html'), 'utf8');
    const chart = html.slice(html.indexOf('<h2>By IHC group</h2>'), html.indexOf('<h2>NGS log2'));
    expect(chart).toMatch(/<svg[^>]*>[\s\S]*FISH positivity by IHC group \(n = 6000\)[\s\S]*<\/svg>/);
    // a bar per group for FISH, with its interval and the study's tick
    for (const g of FIGURE_1) {
      expect(chart).toContain(`<title>IHC ${g.group}: FISH positive ${g.positive}/1000</title>`);
      expect(chart).toContain(`IHC ${g.group}: study`);
    }
    expect(html).not.toMatch(/<script/);
  }, 120_000);
});
