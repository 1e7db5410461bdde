// The samples table of `her2cn batch` is checked whole before any sample is
// called: a bad line is one error naming the file and line (the command's
// side, exit 1 and nothing written: samples.e2e.test.ts).
import { describe, expect, it } from 'vitest';
import { parseSamples } from '../../src/batch/samples.js';

describe('reading samples.tsv', () => {
  it('reads sample, bam, purity and ihc, ignores other columns, comments and blank lines, and takes relative BAMs from the table\'s folder', () => {
    const text = '\uFEFF# cohort of 2026\nid\tihc\tbam\tsample\tpurity\r\n1\t3+\tbams/T01.bam\tT01\t0.6\r\n\n2\t\t/data/T02.bam\tT02\tNA\n3\tNA\t../T03.bam\tT03\t\n';
    const { rows, warnings } = parseSamples(text, '/work/cohort/samples.tsv');
    expect(warnings).toEqual([]);
    expect(rows).toEqual([
      { line: 3, sample: 'T01', bam: '/work/cohort/bams/T01.bam', stem: 'T01', purity: 0.6, ihc: '3+' },
      { line: 5, sample: 'T02', bam: '/data/T02.bam', stem: 'T02' },
      { line: 6, sample: 'T03', bam: '/work/T03.bam', stem: 'T03' },
    ]);
    // a table named without a folder: BAMs relative to the current folder, as `call` would be given them
    expect(parseSamples('sample\tbam\nA\ta.bam\n', 'samples.tsv').rows[0].bam).toBe('a.bam');
    expect(parseSamples('sample\tbam\nA\ta.bam\n', 'runs/samples.tsv').rows[0].bam).toBe('runs/a.bam');
  });

  it("reads the specimen's columns as written, NA and empty as not given, and nothing when a row has none", () => {
    const text = 'sample\tbam\tspecimen\taccession\tblock\ttumour_content\tcollected\nT01\ta.bam\t core A2 \tH26-1\tA2\t60%\t2028-02-29\nT02\tb.bam\tNA\t\t\t\t\nT03\tc.bam\t\tH26-3\t\t\t\n';
    const { rows } = parseSamples(text, 't.tsv');
    expect(rows[0].specimen).toEqual({ id: 'core A2', accession: 'H26-1', block: 'A2', tumor_content: '60%', collected: '2028-02-29' });
    expect(rows[1]).not.toHaveProperty('specimen');
    expect(rows[2].specimen).toEqual({ id: null, accession: 'H26-3', block: null, tumor_content: null, collected: null });
  });

  it('warns when two samples name one BAM', () => {
    expect(parseSamples('sample\tbam\nA\tx.bam\nB\tx.bam\n', 't.tsv').warnings).toEqual(['t.tsv line 3: sample B has the BAM of sample A (line 2): x.bam']);
  });

  const refused: [string, string, RegExp][] = [
    ['no bam column', 'sample\tpath\nT01\tT01.bam\n', /^t\.tsv line 1: no 'bam' column in the header/],
    ['no sample column', 'name\tbam\nT01\tT01.bam\n', /^t\.tsv line 1: no 'sample' column/],
    ['space-separated header', 'sample bam\nT01 T01.bam\n', /^t\.tsv line 1: no 'sample' column .*tab-separated/],
    ['a column twice', 'sample\tbam\tbam\nT01\ta\tb\n', /^t\.tsv line 1: the column 'bam' appears twice/],
    ['empty table', '# nothing\n\n', /^t\.tsv: empty samples table/],
    ['header only', 'sample\tbam\n', /^t\.tsv: no samples below the header/],
    ['duplicate sample', 'sample\tbam\nT01\ta.bam\nT02\tb.bam\nT01\tc.bam\n', /^t\.tsv line 4: sample T01 appears twice \(also on line 2\)/],
    ['two names, one file name', 'sample\tbam\na/b\ta.bam\na_b\tb.bam\n', /^t\.tsv line 3: samples "a\/b" \(line 2\) and "a_b" make one file name a_b/],
    ['names differing in case only', 'sample\tbam\nT01\ta.bam\nt01\tb.bam\n', /^t\.tsv line 3: samples "T01" \(line 2\) and "t01" make one file name t01/],
    ['the cohort summary\'s name', 'sample\tbam\nCohort\ta.bam\n', /^t\.tsv line 2: sample Cohort would make the file names of the cohort summary/],
    ['empty sample', 'sample\tbam\n\ta.bam\n', /^t\.tsv line 2: empty sample name/],
    ['empty bam', 'sample\tbam\nT01\t\n', /^t\.tsv line 2: no BAM for sample T01/],
    ['purity above 1', 'sample\tbam\tpurity\nT01\ta.bam\t1.5\n', /^t\.tsv line 2: purity must be a number from 0\.05 to 1 .*, found '1\.5'/],
    ['purity 0', 'sample\tbam\tpurity\nT01\ta.bam\t0\n', /^t\.tsv line 2: purity must be/],
    ['purity in percent', 'sample\tbam\tpurity\nT01\ta.bam\t60%\n', /^t\.tsv line 2: purity must be .* found '60%'/],
    ['a collection date that is no date', 'sample\tbam\tcollected\nT01\ta.bam\t2025-02-29\n', /^t\.tsv line 2: column collected: '2025-02-29' is not a date written YYYY-MM-DD$/],
    ['a collection date in another form', 'sample\tbam\tcollected\nT01\ta.bam\t04/03/2026\n', /^t\.tsv line 2: column collected: '04\/03\/2026' is not a date/],
    ['a specimen of more than 100 characters', `sample\tbam\tspecimen\nT01\ta.bam\t${'x'.repeat(101)}\n`, /^t\.tsv line 2: column specimen: a value of 101 characters; at most 100$/],
    ['a specimen column twice', 'sample\tbam\tblock\tblock\nT01\ta.bam\tA\tB\n', /^t\.tsv line 1: the column 'block' appears twice/],
    ['unknown ihc', 'sample\tbam\tihc\nT01\ta.bam\t4+\n', /^t\.tsv line 2: ihc must be one of 0, 0 \(null\), 0 \(ultralow\), 1\+, 1-2\+ focal, 2\+, 2-3\+ focal, 3\+ .*, found '4\+'$/],
  ];
  for (const [what, text, message] of refused) {
    it(`refuses ${what}`, () => {
      expect(() => parseSamples(text, 't.tsv')).toThrow(message);
    });
  }
});
