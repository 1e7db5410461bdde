// Loading call results (<sample>.her2cn.json) given as files or folders.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Her2cnError } from '../errors/errors.js';

export interface ResultRow {
  sample: string;
  call: 'amplified' | 'not_amplified' | 'no_call';
  log2: number | null;
  ci95: [number, number] | null;
  qcStatus: string;
  qcReasons: string[];
  threshold: number;
  file: string;
}

export function loadResults(paths: string[]): ResultRow[] {
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
  const rows: ResultRow[] = [];
  const bySample = new Map<string, string>();
  for (const file of files) {
    let d: Record<string, unknown>;
    try {
      d = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      throw new Her2cnError('input', `${file}: not valid JSON; expected a her2cn result (<sample>.her2cn.json)`, file);
    }
    if (d === null || typeof d !== 'object' || Array.isArray(d)) throw new Her2cnError('input', `${file}: not a her2cn result (needs sample, gene ERBB2 and call)`, file);
    const call = d.call;
    if (typeof d.sample !== 'string' || (call !== 'amplified' && call !== 'not_amplified' && call !== 'no_call') || d.gene !== 'ERBB2') {
      throw new Her2cnError('input', `${file}: not a her2cn result (needs sample, gene ERBB2 and call)`, file);
    }
    if (bySample.has(d.sample)) throw new Her2cnError('input', `${file}: sample ${d.sample} already given in ${bySample.get(d.sample)}`, file);
    bySample.set(d.sample, file);
    const qc = (d.qc ?? {}) as { status?: string; reasons?: string[] };
    rows.push({
      sample: d.sample,
      call,
      log2: typeof d.log2 === 'number' ? d.log2 : null,
      ci95: Array.isArray(d.ci95) ? (d.ci95 as [number, number]) : null,
      qcStatus: qc.status ?? 'unknown',
      qcReasons: qc.reasons ?? [],
      threshold: typeof d.threshold === 'number' ? d.threshold : NaN,
      file,
    });
  }
  return rows.sort((a, b) => (a.sample < b.sample ? -1 : a.sample > b.sample ? 1 : 0));
}
