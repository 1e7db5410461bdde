// Reading a cohort's samples table (samples.tsv): tab-separated with a
// header; `sample` and `bam` required, `purity` and `ihc` optional (as
// `call --purity/--ihc`; the score in its canonical form, so a rerun with
// another spelling of it reuses the results), and the specimen's `specimen`,
// `accession`, `block`, `tumour_content` and `collected` (as `call`'s options
// of those names); other columns ignored, `#` lines and blank lines
// skipped. Relative BAM paths are taken from the table's folder, so a table
// and its BAMs can move together. The whole table is checked before any
// sample is called.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parseDecimal } from '../util/numbers.js';
import { safeFileStem } from '../output/names.js';
import { type IhcScore, ihcRefusal, parseIhcScore } from '../clinical/ihc.js';
import { Her2cnError } from '../errors/errors.js';
import { MIN_PURITY } from '../call/call.js';
import { checkInputFile } from '../util/input-files.js';
import { SPECIMEN_FIELDS, type SpecimenKey, specimenFrom, specimenProblem } from '../clinical/specimen.js';
import type { Specimen } from '../result/schema.js';

export interface SampleRow {
  /** 1-based line of the table. */
  line: number;
  sample: string;
  /** The BAM path as `call` is given it: relative paths joined to the table's folder. */
  bam: string;
  purity?: number;
  ihc?: IhcScore;
  /** The specimen's columns, where the table has any for this sample. */
  specimen?: Specimen;
  /** The file stem of the sample's results. */
  stem: string;
}


export function parseSamples(text: string, source: string): { rows: SampleRow[]; warnings: string[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerIndex = lines.findIndex(l => l.trim() !== '' && !l.startsWith('#'));
  if (headerIndex < 0) throw new Her2cnError('input', `${source}: empty samples table; expected a header line with 'sample' and 'bam' columns`, source);
  const cols = lines[headerIndex].split('\t').map(c => c.trim().toLowerCase());
  const at = (name: string) => cols.indexOf(name);
  for (const required of ['sample', 'bam']) {
    if (at(required) < 0) throw new Her2cnError('input', `${source} line ${headerIndex + 1}: no '${required}' column in the header (columns must be tab-separated: sample, bam, and optionally purity, ihc)`);
  }
  for (const name of ['sample', 'bam', 'purity', 'ihc', ...SPECIMEN_FIELDS.map(f => f.column)]) {
    if (cols.indexOf(name) !== cols.lastIndexOf(name)) throw new Her2cnError('input', `${source} line ${headerIndex + 1}: the column '${name}' appears twice in the header`);
  }
  const base = dirname(source);
  const rows: SampleRow[] = [];
  const warnings: string[] = [];
  const bySample = new Map<string, number>();
  const byStem = new Map<string, SampleRow>();
  const byBam = new Map<string, SampleRow>();
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const text = lines[i];
    if (text.trim() === '' || text.startsWith('#')) continue;
    const f = text.split('\t');
    const cell = (name: string) => (at(name) >= 0 ? (f[at(name)] ?? '').trim() : '');
    const line = i + 1;
    const where = `${source} line ${line}`;
    const sample = cell('sample');
    if (!sample) throw new Her2cnError('input', `${where}: empty sample name`, where);
    if (bySample.has(sample)) throw new Her2cnError('input', `${where}: sample ${sample} appears twice (also on line ${bySample.get(sample)})`, where);
    bySample.set(sample, line);
    const given = cell('bam');
    if (!given) throw new Her2cnError('input', `${where}: no BAM for sample ${sample}`, where);
    const row: SampleRow = { line, sample, bam: isAbsolute(given) ? given : join(base, given), stem: safeFileStem(sample) };
    // Two names that make one file name would overwrite each other's results
    // (compared without case: some file systems do not tell T01 from t01).
    const other = byStem.get(row.stem.toLowerCase());
    if (other) {
      throw new Her2cnError('input', `${where}: samples ${JSON.stringify(other.sample)} (line ${other.line}) and ${JSON.stringify(sample)} make one file name ${row.stem}; rename one of them`, where);
    }
    byStem.set(row.stem.toLowerCase(), row);
    if (row.stem.toLowerCase() === 'cohort') throw new Her2cnError('input', `${where}: sample ${sample} would make the file names of the cohort summary (cohort.plot.svg); rename it`, where);
    const purity = cell('purity');
    if (purity && purity.toUpperCase() !== 'NA') {
      const value = parseDecimal(purity);
      if (value === undefined || !(value >= MIN_PURITY && value <= 1)) {
        throw new Her2cnError('input', `${where}: purity must be a number from ${MIN_PURITY} to 1 (a fraction of tumour cells; below ${MIN_PURITY} the copy number per tumour cell is noise), found '${purity}'`, where);
      }
      row.purity = value;
    }
    const ihc = cell('ihc');
    if (ihc && ihc.toUpperCase() !== 'NA') {
      const score = parseIhcScore(ihc);
      if (score === undefined) throw new Her2cnError('input', `${where}: ${ihcRefusal(ihc)}`, where);
      row.ihc = score;
    }
    const specimen: Partial<Record<SpecimenKey, string>> = {};
    for (const f of SPECIMEN_FIELDS) {
      const value = cell(f.column);
      if (!value || value.toUpperCase() === 'NA') continue;
      const problem = specimenProblem(f.key, value);
      if (problem) throw new Her2cnError('input', `${where}: column ${f.column}: ${problem}`, where);
      specimen[f.key] = value;
    }
    const givenSpecimen = specimenFrom(specimen);
    if (givenSpecimen) row.specimen = givenSpecimen;
    const sameBam = byBam.get(row.bam);
    if (sameBam) warnings.push(`${where}: sample ${sample} has the BAM of sample ${sameBam.sample} (line ${sameBam.line}): ${row.bam}`);
    else byBam.set(row.bam, row);
    rows.push(row);
  }
  if (rows.length === 0) throw new Her2cnError('input', `${source}: no samples below the header`, source);
  return { rows, warnings };
}

export function readSamples(path: string): { rows: SampleRow[]; warnings: string[] } {
  checkInputFile(path, 'samples table', 'cannot read the samples table');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Her2cnError('input', `${path}: cannot read the samples table (${(e as NodeJS.ErrnoException).code ?? String(e)})`, path);
  }
  return parseSamples(text, path);
}
