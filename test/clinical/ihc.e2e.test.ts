// IHC scores as labs write them: every accepted spelling is read to its one
// canonical form by each reader (truth table, samples table, `call --ihc`),
// and every other string is refused with the list of accepted scores (and,
// in a table, its file and line).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSamples } from '../../src/batch/samples.js';
import { ihcScore } from '../../src/cli/options.js';
import { IHC_GROUPS, IHC_SCORES, ihcGroup, ihcRefusal, parseIhcScore, zeroQualifier } from '../../src/clinical/ihc.js';
import { parseTruth } from '../../src/validate/truth.js';
import { runCli, TEST_DATA, tempDir } from '../helpers.js';
import { REFUSED, SPELLINGS } from './ihc-spellings.js';

describe('IHC scores', () => {
  it.each(SPELLINGS)('reads %j as %j', (text, canonical) => {
    expect(parseIhcScore(text)).toBe(canonical);
  });

  it('reads every canonical form as itself', () => {
    for (const s of IHC_SCORES) expect(parseIhcScore(s)).toBe(s);
    expect(IHC_SCORES).toEqual(['0', '0 (null)', '0 (ultralow)', '1+', '1-2+ focal', '2+', '2-3+ focal', '3+']);
  });

  it.each(REFUSED)('refuses %j', text => {
    expect(parseIhcScore(text)).toBeUndefined();
  });

  it('refuses naming every accepted score, and says what to write for a bare null', () => {
    expect(ihcRefusal('4+')).toBe(
      "ihc must be one of 0, 0 (null), 0 (ultralow), 1+, 1-2+ focal, 2+, 2-3+ focal, 3+ (any case, hyphen or en dash, 'focal' with or without a space), found '4+'",
    );
    expect(ihcRefusal('null')).toMatch(/found 'null'; for IHC 0 without staining write '0 \(null\)'$/);
  });

  it('puts null and ultralow in the study\'s group 0', () => {
    expect(IHC_GROUPS).toEqual(['0', '1+', '1-2+ focal', '2+', '2-3+ focal', '3+']);
    expect(IHC_SCORES.map(ihcGroup)).toEqual(['0', '0', '0', '1+', '1-2+ focal', '2+', '2-3+ focal', '3+']);
    expect(IHC_SCORES.map(zeroQualifier)).toEqual([undefined, 'null', 'ultralow', undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('the truth table', () => {
  it('reads every spelling to its canonical score', () => {
    const text = 'sample\tfish\tihc\n' + SPELLINGS.map(([s], i) => `S${i}\tnegative\t${s}\n`).join('');
    expect(parseTruth(text, 'truth.tsv').map(r => r.ihc)).toEqual(SPELLINGS.map(([, c]) => c));
  });

  it.each([...REFUSED, 'NA'])('refuses %j naming the file and line', text => {
    const table = `sample\tfish\tihc\nA\tpositive\t3+\nB\tnegative\t${text}\n`;
    expect(() => parseTruth(table, 'truth.tsv')).toThrow(`truth.tsv line 3: ${ihcRefusal(text.trim())}`);
  });
});

describe('the samples table of batch', () => {
  it('reads every spelling to its canonical score', () => {
    const text = 'sample\tbam\tihc\n' + SPELLINGS.map(([s], i) => `S${i}\tS${i}.bam\t${s}\n`).join('');
    expect(parseSamples(text, 'samples.tsv').rows.map(r => r.ihc)).toEqual(SPELLINGS.map(([, c]) => c));
  });

  it.each(REFUSED)('refuses %j naming the file and line', text => {
    const table = `sample\tbam\tihc\nA\ta.bam\t3+\nB\tb.bam\t${text}\n`;
    expect(() => parseSamples(table, 'samples.tsv')).toThrow(`samples.tsv line 3: ${ihcRefusal(text.trim())}`);
  });
});

describe('call --ihc', () => {
  it('reads every spelling to its canonical score, and refuses the rest', () => {
    for (const [text, canonical] of SPELLINGS) expect(ihcScore(text)).toBe(canonical);
    for (const text of REFUSED) expect(() => ihcScore(text)).toThrow(ihcRefusal(text));
  });

  it('writes the canonical score, its category and work-up; a refused score is a usage error', () => {
    const out = tempDir();
    const r = runCli(['call', join(TEST_DATA, 'T10.bam'), '--out', out, '--ihc', '2–3+ FOCAL']);
    expect(r.status, r.stderr).toBe(0);
    const d = JSON.parse(readFileSync(join(out, 'T10.her2cn.json'), 'utf8'));
    expect(d.ihc).toBe('2-3+ focal');
    expect(d.her2_category.category).toBe('HER2-equivocal (ISH pending)');
    expect(d.workup).toMatchObject({ action: 'FISH (reflex)', concordance: 'not_applicable' });
    expect(readFileSync(join(out, 'T10.report.html'), 'utf8')).toContain('IHC 2-3+ focal');
    const bad = runCli(['call', join(TEST_DATA, 'T10.bam'), '--out', tempDir(), '--ihc', 'null']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--ihc <score>' argument 'null' is invalid. ihc must be one of 0, 0 (null), 0 (ultralow), 1+");
  });
});

describe('batch', () => {
  it('writes the canonical score, and reuses the results when a rerun spells the same score another way', () => {
    const dir = tempDir();
    const table = (ihc: string) => writeFileSync(join(dir, 'samples.tsv'), `sample\tbam\tihc\nT10\t${join(TEST_DATA, 'T10.bam')}\t${ihc}\n`);
    table('1–2+ FOCAL');
    const first = runCli(['batch', join(dir, 'samples.tsv'), '--out', join(dir, 'out'), '--jobs', '1']);
    expect(first.status, first.stderr).toBe(0);
    const cohort = readFileSync(join(dir, 'out', 'cohort.tsv'), 'utf8');
    expect(cohort).toMatch(/\t1-2\+ focal\tHER2-equivocal \(ISH pending\)\tFISH \(reflex\)\t/);
    table('1-2+focal');
    const rerun = runCli(['batch', join(dir, 'samples.tsv'), '--out', join(dir, 'out'), '--jobs', '1']);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stderr).toMatch(/^her2cn: T10: results complete for the same inputs; reused$/m);
    expect(readFileSync(join(dir, 'out', 'cohort.tsv'), 'utf8')).toBe(cohort);
  });
});
