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
    // By hand from truth.tsv and the simulated cases: FISH positive T01-T05, T09, T11 (called amplified),
    // T12 (8 copies at 30% purity: below the NGS cut-off) and T13 (no call); FISH negative T06, T07, T08, T10.
    expect(v.reference).toBe('fish');
    expect(v.n).toBe(13);
    expect(v.table).toEqual({ tp: 7, fp: 0, fn: 1, tn: 4 });
    expect(v.no_calls).toEqual(['T13']);
    expect(v.discordant.map((d: { sample: string }) => d.sample)).toEqual(['T12']);
    expect(v.metrics.sensitivity).toMatchObject({ numerator: 7, denominator: 8 });
    expect(v.metrics.specificity).toMatchObject({ numerator: 4, denominator: 4, value: 1 });
    expect(v.metrics.npv).toMatchObject({ numerator: 4, denominator: 5 });
    expect(v.metrics.accuracy).toMatchObject({ numerator: 11, denominator: 12 });
    expect(v.unmatched).toEqual({ results_only: [], truth_only: [] });
    expect(r.stdout).toMatch(/tp=7 fp=0 fn=1 tn=4/);
    const md = readFileSync(join(out, 'validation.md'), 'utf8');
    expect(md).toMatch(/\| Sensitivity \| TP \/ \(TP \+ FN\) \| 87\.5% \(7\/8; 95% CI 47\.3%–99\.7%\) \|/);
    const html = readFileSync(join(out, 'validation.html'), 'utf8');
    expect(html).toMatch(/<svg[^>]*>[\s\S]*ROC/);
    expect(html).not.toMatch(/<script/);
  });

  it('against IHC 3+ by hand: T01, T02, T04, T09, T11, T13 are 3+', () => {
    const truth = parseTruth(readFileSync(join(TEST_DATA, 'truth.tsv'), 'utf8'), 'truth.tsv');
    expect(truth.filter(t => t.ihc === '3+').map(t => t.sample)).toEqual(['T01', 'T02', 'T04', 'T09', 'T11', 'T13']);
    const out = tempDir();
    expect(runCli(['validate', '--truth', join(TEST_DATA, 'truth.tsv'), calls, '--reference', 'ihc', '--out', out]).status).toBe(0);
    const v = JSON.parse(readFileSync(join(out, 'validation.json'), 'utf8'));
    // amplified: T01-T05, T09, T11; of these IHC 3+: T01, T02, T04, T09, T11 (T13 is a no-call)
    expect(v.table).toEqual({ tp: 5, fp: 2, fn: 0, tn: 5 });
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
    expect(v.unmatched.results_only).toHaveLength(11);
    expect(r.stderr).toMatch(/truth sample X99 has no result/);
  });

  it('refuses a truth table without the chosen reference, and a result file that is not a result', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'truth.tsv'), 'sample\tihc\nT01\t3+\n');
    const r = runCli(['validate', '--truth', join(dir, 'truth.tsv'), calls, '--out', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no sample has a fish value; to validate against IHC use --reference ihc/);
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
