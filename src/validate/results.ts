// Loading call results (<sample>.her2cn.json) given as files or folders.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Her2cnError } from '../errors/errors.js';
import { checkInputFile } from '../util/input-files.js';
import { parseResult } from '../result/read.js';
import type { Her2cnResult } from '../result/schema.js';

export interface ResultRow {
  sample: string;
  call: Her2cnResult['call'];
  assessment: Her2cnResult['assessment']['status'];
  log2: number | null;
  ci95: [number, number] | null;
  qcStatus: string;
  qcReasons: string[];
  threshold: number;
  file: string;
}

export function loadResults(paths: string[]): ResultRow[] {
  return loadResultDocuments(paths).map(({ file, doc: d }) => ({
    sample: d.sample,
    call: d.call,
    assessment: d.assessment.status,
    log2: d.log2,
    ci95: d.ci95,
    qcStatus: d.qc.status,
    qcReasons: d.qc.reasons,
    threshold: d.threshold,
    file,
  }));
}

/** The results given as files or folders, each read through the schema, sorted by sample; a sample given twice is refused. */
export function loadResultDocuments(paths: string[]): { file: string; doc: Her2cnResult }[] {
  const files: string[] = [];
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (e) {
      throw new Her2cnError('input', `${p}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`, p);
    }
    if (isDir) {
      const found = readdirSync(p).filter(f => f.endsWith('.her2cn.json')).sort();
      if (found.length === 0) throw new Her2cnError('input', `${p}: folder holds no *.her2cn.json results`, p);
      files.push(...found.map(f => join(p, f)));
    } else files.push(p);
  }
  // Every file is checked before any is read: a pipe or device among them would block the run.
  for (const file of files) checkInputFile(file, 'her2cn result', 'cannot read');
  const rows: { file: string; doc: Her2cnResult }[] = [];
  const bySample = new Map<string, string>();
  for (const file of files) {
    const d = parseResult(readFileSync(file, 'utf8'), file);
    if (bySample.has(d.sample)) throw new Her2cnError('input', `${file}: sample ${d.sample} already given in ${bySample.get(d.sample)}`, file);
    bySample.set(d.sample, file);
    rows.push({ file, doc: d });
  }
  return rows.sort((a, b) => (a.doc.sample < b.doc.sample ? -1 : a.doc.sample > b.doc.sample ? 1 : 0));
}
