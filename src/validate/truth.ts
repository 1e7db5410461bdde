// Reading a truth table (truth.tsv): tab-separated with a header; `sample`
// required, `fish` (positive/negative) and `ihc` (a score of
// clinical/ihc.ts, in any spelling it accepts, kept in its canonical form)
// as available, optional `her2_per_cell`, `cep17_per_cell`, `ratio`,
// `fish_group` (1-5). Extra columns are ignored; empty cells are unknown.
import { readFileSync } from 'node:fs';
import { type IhcScore, ihcRefusal, parseIhcScore } from '../clinical/ihc.js';
import { Her2cnError } from '../errors/errors.js';
import { checkInputFile } from '../util/input-files.js';


export interface TruthRow {
  sample: string;
  fish?: 'positive' | 'negative';
  ihc?: IhcScore;
  her2PerCell?: number;
  cep17PerCell?: number;
  ratio?: number;
  fishGroup?: number;
}

export function parseTruth(text: string, source: string): TruthRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerIndex = lines.findIndex(l => l.trim() !== '' && !l.startsWith('#'));
  if (headerIndex < 0) throw new Her2cnError('input', `${source}: empty truth table; expected a header line with a 'sample' column`, source);
  const cols = lines[headerIndex].split('\t').map(c => c.trim().toLowerCase());
  const at = (name: string) => cols.indexOf(name);
  if (at('sample') < 0) throw new Her2cnError('input', `${source} line ${headerIndex + 1}: no 'sample' column in the header (columns must be tab-separated)`);
  if (at('fish') < 0 && at('ihc') < 0) throw new Her2cnError('input', `${source} line ${headerIndex + 1}: neither a 'fish' nor an 'ihc' column; nothing to validate against`);
  const rows: TruthRow[] = [];
  const seen = new Set<string>();
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '' || line.startsWith('#')) continue;
    const f = line.split('\t');
    const cell = (name: string) => (at(name) >= 0 ? (f[at(name)] ?? '').trim() : '');
    const where = `${source} line ${i + 1}`;
    const sample = cell('sample');
    if (!sample) throw new Her2cnError('input', `${where}: empty sample name`, where);
    if (seen.has(sample)) throw new Her2cnError('input', `${where}: sample ${sample} appears twice`, where);
    seen.add(sample);
    const row: TruthRow = { sample };
    const fish = cell('fish').toLowerCase();
    if (fish) {
      if (fish !== 'positive' && fish !== 'negative') throw new Her2cnError('input', `${where}: fish must be 'positive' or 'negative', found '${cell('fish')}'`, where);
      row.fish = fish;
    }
    const ihc = cell('ihc');
    if (ihc) {
      const score = parseIhcScore(ihc);
      if (score === undefined) throw new Her2cnError('input', `${where}: ${ihcRefusal(ihc)}`, where);
      row.ihc = score;
    }
    for (const [name, key] of [['her2_per_cell', 'her2PerCell'], ['cep17_per_cell', 'cep17PerCell'], ['ratio', 'ratio'], ['fish_group', 'fishGroup']] as const) {
      const v = cell(name);
      if (!v) continue;
      const n = /^\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v) ? Number(v) : NaN;
      if (!Number.isFinite(n) || n < 0) throw new Her2cnError('input', `${where}: ${name} must be a non-negative number, found '${v}'`, where);
      if (key === 'fishGroup' && !(Number.isInteger(n) && n >= 1 && n <= 5)) throw new Her2cnError('input', `${where}: fish_group must be 1 to 5, found '${v}'`, where);
      row[key] = n;
    }
    rows.push(row);
  }
  if (rows.length === 0) throw new Her2cnError('input', `${source}: no samples below the header`, source);
  return rows;
}

export function readTruth(path: string): TruthRow[] {
  checkInputFile(path, 'truth table', 'cannot read truth table');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Her2cnError('input', `${path}: cannot read truth table (${(e as NodeJS.ErrnoException).code ?? String(e)})`, path);
  }
  return parseTruth(text, path);
}
