// `her2cn validate` on the committed cohort's calls, against a count by hand.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTruth } from '../../src/validate/truth.js';
import { fixtures } from '../fixtures.js';
import { runCli, TEST_DATA, tempDir } from '../helpers.js';

/** `her2cn call` of every committed tumour, made once per test run (fixtures.ts). */
const calls = fixtures().calls;

describe('her2cn validate on the committed cohort', () => {
  it('reproduces the hand count against FISH', () => {
    const out = tempDir();
    const r = runCli(['validate', '--truth', join(TEST_DATA, 'truth.tsv'), calls, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const v = JSON.parse(readFileSync(join(out, 'validation.json'), 'utf8'));
    // By hand from truth.tsv and the simulated cases: FISH positive T01-T05, T09, T11,
    // T19, T21 (40% of cells at 20 copies: expected 1.66) and T24 (12 copies: 2.0) (called amplified), T12 (8
    // copies at 30% purity), T14 (10 at 20%), T15 (a third of cells at 14 copies: expected 1.26, measured 1.27)
    // and T16 (exons 8-16 only): below the NGS cut-off, and T13 (no call);
    // FISH negative T06, T07, T08, T10, T17, T18, T20, T22, T23.
    expect(v.reference).toBe('fish');
    expect(v.n).toBe(24);
    expect(v.table).toEqual({ tp: 10, fp: 0, fn: 4, tn: 9 });
    expect(v.no_calls).toEqual(['T13']);
    expect(v.discordant.map((d: { sample: string }) => d.sample)).toEqual(['T12', 'T14', 'T15', 'T16']);
    expect(v.metrics.sensitivity).toMatchObject({ numerator: 10, denominator: 14 });
    expect(v.metrics.specificity).toMatchObject({ numerator: 9, denominator: 9, value: 1 });
    expect(v.metrics.npv).toMatchObject({ numerator: 9, denominator: 13 });
    expect(v.metrics.accuracy).toMatchObject({ numerator: 19, denominator: 23 });
    expect(v.unmatched).toEqual({ results_only: [], truth_only: [] });
    expect(r.stdout).toMatch(/tp=10 fp=0 fn=4 tn=9/);
    const md = readFileSync(join(out, 'validation.md'), 'utf8');
    // 10/14 exact: Clopper-Pearson 41.9% to 91.6% (scipy.stats.beta.ppf(0.025, 10, 5), beta.ppf(0.975, 11, 4))
    expect(md).toMatch(/\| Sensitivity \| TP \/ \(TP \+ FN\) \| 71\.4% \(10\/14; 95% CI 41\.9%–91\.6%\) \|/);
    const html = readFileSync(join(out, 'validation.html'), 'utf8');
    expect(html).toMatch(/<svg[^>]*>[\s\S]*ROC/);
    expect(html).not.toMatch(/<script/);
  });

  it('scored on the assessment, never contradicts FISH: the undecided are listed as indeterminate, apart from the table', () => {
    const out = tempDir();
    const r = runCli(['validate', '--truth', join(TEST_DATA, 'truth.tsv'), calls, '--on', 'assessment', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const v = JSON.parse(readFileSync(join(out, 'validation.json'), 'utf8'));
    expect(v.scored_on).toBe('assessment');
    expect(v.table.fp).toBe(0);
    expect(v.table.fn).toBe(0);
    expect(v.no_calls).toEqual(['T13']);
    expect(v.table.tp + v.table.tn + v.indeterminate.length + v.no_calls.length).toBe(24);
    // the bulk call's misses are indeterminate or found
    for (const s of ['T12', 'T14', 'T15', 'T16']) expect(v.indeterminate.includes(s) || v.samples.find((x: { sample: string }) => x.sample === s).assessment === 'amplified', s).toBe(true);
    expect(v.other_field.scored_on).toBe('call');
    expect(v.other_field.table).toEqual({ tp: 10, fp: 0, fn: 4, tn: 9 });
    const md = readFileSync(join(out, 'validation.md'), 'utf8');
    expect(md).toMatch(/## 2x2 table of the bulk call/);
  });

  it('against IHC 3+ by hand: T01, T02, T04, T09, T11, T13, T14, T19 are 3+', () => {
    const truth = parseTruth(readFileSync(join(TEST_DATA, 'truth.tsv'), 'utf8'), 'truth.tsv');
    expect(truth.filter(t => t.ihc === '3+').map(t => t.sample)).toEqual(['T01', 'T02', 'T04', 'T09', 'T11', 'T13', 'T14', 'T19']);
    const out = tempDir();
    expect(runCli(['validate', '--truth', join(TEST_DATA, 'truth.tsv'), calls, '--against', 'ihc', '-o', out]).status).toBe(0);
    const v = JSON.parse(readFileSync(join(out, 'validation.json'), 'utf8'));
    // amplified: T01-T05, T09, T11, T19, T21, T24; of these IHC 3+: T01, T02, T04, T09, T11, T19;
    // 3+ not amplified: T14 (T13 is a no-call); the focal scores count negative, as 2+
    expect(v.table).toEqual({ tp: 6, fp: 4, fn: 1, tn: 12 });
  });

  it('is deterministic', () => {
    const a = tempDir();
    const b = tempDir();
    runCli(['validate', '--truth', join(TEST_DATA, 'truth.tsv'), calls, '--out', a]);
    runCli(['validate', '--truth', join(TEST_DATA, 'truth.tsv'), calls, '--out', b]);
    for (const f of ['validation.json', 'validation.md', 'validation.html']) expect(readFileSync(join(a, f), 'utf8')).toBe(readFileSync(join(b, f), 'utf8'));
  });

  it('reports samples in one input and not the other', () => {
    const dir = tempDir();
    const truth = join(dir, 'truth.tsv');
    writeFileSync(truth, 'sample\tfish\nT01\tpositive\nT10\tnegative\nX99\tpositive\n');
    const r = runCli(['validate', '--truth', truth, calls, '--out', dir]);
    expect(r.status).toBe(0);
    const v = JSON.parse(readFileSync(join(dir, 'validation.json'), 'utf8'));
    expect(v.unmatched.truth_only).toEqual(['X99']);
    expect(v.unmatched.results_only).toHaveLength(22);
    expect(r.stderr).toMatch(/truth sample X99 has no result/);
  });

  it('refuses a truth table without the chosen reference, and a result file that is not a result', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'truth.tsv'), 'sample\tihc\nT01\t3+\n');
    const r = runCli(['validate', '--truth', join(dir, 'truth.tsv'), calls, '--out', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no sample has a fish value; to validate against IHC use --against ihc/);
    writeFileSync(join(dir, 'null.her2cn.json'), 'null');
    const n = runCli(['validate', '--truth', join(TEST_DATA, 'truth.tsv'), join(dir, 'null.her2cn.json'), '--out', dir]);
    expect(n.status).toBe(1);
    expect(n.stderr).toMatch(/null.her2cn.json: not a her2cn result/);
  });

  it('replaces the ROC of an earlier run when the new one has none, and escapes names in Markdown', () => {
    const out = tempDir();
    expect(runCli(['validate', '--truth', join(TEST_DATA, 'truth.tsv'), calls, '--out', out]).status).toBe(0);
    expect(readFileSync(join(out, 'validation.roc.svg'), 'utf8')).toMatch(/AUC/);
    const dir = tempDir();
    writeFileSync(join(dir, 'truth.tsv'), 'sample\tfish\nT01\tpositive\n<b>x</b>|# y\tpositive\n');
    expect(runCli(['validate', '--truth', join(dir, 'truth.tsv'), calls, '--out', out]).status).toBe(0);
    expect(readFileSync(join(out, 'validation.roc.svg'), 'utf8')).toMatch(/No ROC/);
    const md = readFileSync(join(out, 'validation.md'), 'utf8');
    expect(md).toMatch(/\\<b\\>x\\<\/b\\>\\\|# y/);
    expect(md).not.toMatch(/<b>/);
  });

  it.each([
    ['sample\tfish\nT01\tmaybe\n', /line 2: fish must be 'positive' or 'negative'/],
    ['sample\tihc\nT01\t4+\n', /line 2: ihc must be one of/],
    ['name\tfish\nT01\tpositive\n', /no 'sample' column/],
    ['sample\tfish\nT01\tpositive\nT01\tnegative\n', /line 3: sample T01 appears twice/],
  ])('refuses a bad truth table %j', (text, message) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'truth.tsv'), text);
    const r = runCli(['validate', '--truth', join(dir, 'truth.tsv'), calls, '--out', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
  });
});
