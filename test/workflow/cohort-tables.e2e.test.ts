// The workflow's reading of the samples table and the normals
// (workflow/scripts/her2cn_cohort.py), run with plain Python: the file stems
// must be her2cn's own, relative BAMs are taken from the table's folder, and
// a bad table is refused with its file and line.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IHC_SCORES, parseIhcScore } from '../../src/clinical/ihc.js';
import { type SpecimenKey, specimenProblem } from '../../src/clinical/specimen.js';
import { safeFileStem } from '../../src/output/names.js';
import { REFUSED, SPELLINGS } from '../clinical/ihc-spellings.js';
import { ROOT, tempDir, toolAvailable } from '../helpers.js';

const SCRIPTS = join(ROOT, 'workflow', 'scripts');

/** Runs `expression` in Python with her2cn_cohort imported; the JSON of its value, or the CohortError's message. */
function python(expression: string, input: unknown = null): { value?: unknown; error?: string } {
  const program = [
    'import json, sys',
    `sys.path.insert(0, ${JSON.stringify(SCRIPTS)})`,
    'from her2cn_cohort import *',
    'arg = json.load(sys.stdin)',
    'try:',
    `    print(json.dumps({"value": ${expression}}))`,
    'except CohortError as e:',
    '    print(json.dumps({"error": str(e)}))',
  ].join('\n');
  const r = spawnSync('python3', ['-c', program], { input: JSON.stringify(input), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe.skipIf(!toolAvailable('python3'))('workflow cohort tables', () => {
  it('gives every sample the file stem her2cn call writes it under', () => {
    const names = ['T01', 'A.B-C_D', 'a/b', '../../etc/passwd', '.hidden', '..', '', 'a b\tc', 'Müller', '患者', 'x😀y', '-n', 'x'.repeat(130), '😀'.repeat(70)];
    const { value } = python('[safe_file_stem(n) for n in arg]', names);
    expect(value).toEqual(names.map(safeFileStem));
  });

  it("checks the specimen's values by her2cn's rule, so a bad one stops the run at the table", () => {
    const values = ['B2', '', '  ', 'A\x01b', 'x'.repeat(100), 'x'.repeat(101), '😀'.repeat(50), '😀'.repeat(51), ' 60% '];
    const dates = ['2026-11-02', ' 2024-02-29 ', '2026-02-29', '2026-02-30', '2026-13-01', '2026-1-05', '20261105', '0050-01-01', '0100-01-01', 'yesterday'];
    const cases: [SpecimenKey, string, string][] = [
      ...values.flatMap(v => (['block', 'tumour_content'] as const).map((column): [SpecimenKey, string, string] => [column === 'block' ? 'block' : 'tumor_content', column, v])),
      ...dates.map((v): [SpecimenKey, string, string] => ['collected', 'collected', v]),
    ];
    const { value } = python('[specimen_problem(c, v) for c, v in arg]', cases.map(([, column, v]) => [column, v]));
    expect(value).toEqual(cases.map(([key, , v]) => specimenProblem(key, v) ?? null));
    // some are refused, some not: the comparison is not of two empty lists
    expect((value as (string | null)[]).filter(p => p === null).length).toBeGreaterThan(5);
    expect((value as (string | null)[]).filter(p => p !== null).length).toBeGreaterThan(5);
    const table = join(tempDir('her2cn-wf-tables-'), 'tumours.tsv');
    writeFileSync(table, 'sample\tbam\tblock\tcollected\nT01\tT01.bam\tB2\t2026-02-30\n');
    expect(python('read_tumours(arg)', table).error).toBe(`${table} line 2: column collected: '2026-02-30' is not a date written YYYY-MM-DD`);
  });

  it('reads sample, bam and the optional purity and ihc (empty or NA: not known); relative BAMs from the table folder', () => {
    const dir = tempDir('her2cn-wf-tables-');
    mkdirSync(join(dir, 'sheets'));
    const table = join(dir, 'sheets', 'tumours.tsv');
    writeFileSync(
      table,
      '\uFEFF# tumours of run 7\nSample\tBAM\tihc\tpurity\tnote\n' +
        'T01\t../bams/T01.bam\t3+\t0.6\tfirst\n\n' +
        'case 2\t/data/case2.bam\t\t\n' +
        'T/3\tT3.bam\t0\t.5\r\n' +
        // NA, in any case, is not known, as `her2cn batch` reads the table
        'T4\tT4.bam\tNA\tna\n',
    );
    const { value } = python('read_tumours(arg)', table);
    expect(value).toEqual([
      { sample: 'T01', stem: 'T01', bam: join(dir, 'bams', 'T01.bam'), purity: '0.6', ihc: '3+' },
      { sample: 'case 2', stem: 'case_2', bam: '/data/case2.bam', purity: null, ihc: null },
      { sample: 'T/3', stem: 'T_3', bam: join(dir, 'sheets', 'T3.bam'), purity: '.5', ihc: '0' },
      { sample: 'T4', stem: 'T4', bam: join(dir, 'sheets', 'T4.bam'), purity: null, ihc: null },
    ]);
  });

  it('reads IHC scores by her2cn\'s rule: every spelling to its canonical score, the rest refused', () => {
    const { value } = python('[[ihc_score(s) for s in arg[0]], [ihc_score(s) for s in arg[1]], list(IHC_SCORES)]', [SPELLINGS.map(([s]) => s), REFUSED]);
    expect(value).toEqual([SPELLINGS.map(([s]) => parseIhcScore(s)), REFUSED.map(() => null), [...IHC_SCORES]]);
    expect(SPELLINGS.map(([, c]) => c)).toEqual(SPELLINGS.map(([s]) => parseIhcScore(s)));
    const table = join(tempDir('her2cn-wf-tables-'), 'tumours.tsv');
    writeFileSync(table, 'sample\tbam\tihc\nA\ta.bam\t2–3+ FOCAL\nB\tb.bam\tultralow\n');
    expect((python('read_tumours(arg)', table).value as { ihc: string }[]).map(t => t.ihc)).toEqual(['2-3+ focal', '0 (ultralow)']);
  });

  it('refuses a bad samples table with its file and line', () => {
    const dir = tempDir('her2cn-wf-tables-');
    const cases: [string, string][] = [
      ['sample\tpath\nT01\tT01.bam\n', "line 1: no 'bam' column"],
      ['sample\tbam\tpurity\nT01\tT01.bam\t1.5\n', "line 2: purity '1.5' must be a number with 0.05 <= purity <= 1"],
      ['sample\tbam\tpurity\nT01\tT01.bam\t60%\n', "line 2: purity '60%'"],
      ['sample\tbam\tihc\nT01\tT01.bam\t2\n', "line 2: ihc '2' must be one of 0, 0 (null), 0 (ultralow), 1+, 1-2+ focal, 2+, 2-3+ focal, 3+"],
      ['sample\tbam\tihc\nT01\tT01.bam\tnull\n', "line 2: ihc 'null' must be one of"],
      ['sample\tbam\nT01\tT01.bam\nT02\tT02.bam\nT01\tx.bam\n', 'line 4: sample T01 is also on line 2'],
      ['sample\tbam\na/b\t1.bam\na_b\t2.bam\n', "line 3: samples 'a/b' (line 2) and 'a_b' give the same file name a_b"],
      ['sample\tbam\n\tT01.bam\n', 'line 2: empty sample name'],
      ['sample\tbam\nT01\t\n', 'line 2: sample T01 has no bam'],
      ['sample\tbam\nT01\tT01.bam\textra\n', 'line 2: 3 columns, the header has 2'],
      ['sample\tbam\n', 'no tumours listed'],
      ['', 'empty'],
    ];
    cases.forEach(([text, message], i) => {
      const table = join(dir, `t${i}.tsv`);
      writeFileSync(table, text);
      const r = python('read_tumours(arg)', table);
      expect(r.error, text).toContain(`${table}${message.startsWith('line') ? ' ' : ': '}${message}`);
    });
    expect(python('read_tumours(arg)', join(dir, 'missing.tsv')).error).toContain(`${join(dir, 'missing.tsv')}: cannot read`);
  });

  it('reads normals from a list or a table, and wants at least three different ones', () => {
    const dir = tempDir('her2cn-wf-tables-');
    const table = join(dir, 'normals.tsv');
    writeFileSync(table, 'sample\tbam\nN1\tN1.bam\nN2\t/x/N2.bam\nN3\tsub/N3.bam\n');
    expect(python('read_normals(arg)', table).value).toEqual([join(dir, 'N1.bam'), '/x/N2.bam', join(dir, 'sub', 'N3.bam')]);
    expect(python('read_normals(arg)', ['/a/N1.bam', '/a/N2.bam', '/a/N3.bam']).value).toEqual(['/a/N1.bam', '/a/N2.bam', '/a/N3.bam']);
    expect(python('read_normals(arg)', ['/a/N1.bam', '/a/N2.bam']).error).toContain('2 normal BAM(s); her2cn pon needs at least 3');
    expect(python('read_normals(arg)', ['/a/N1.bam', '/a/N2.bam', '/a/../a/N1.bam']).error).toContain('the normal BAM /a/N1.bam is listed twice');
    expect(python('read_normals(arg)', 7).error).toContain("config key 'normals'");
  });
});
