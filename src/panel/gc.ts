// Probe GC content from an indexed reference FASTA (plain with .fai, or
// bgzip-compressed with .fai and .gzi), read with @gmod/indexedfasta (loaded
// only when a FASTA is given, so runs without one start faster).
import type { IndexedFasta } from '@gmod/indexedfasta';
import { existsSync } from 'node:fs';
import { resolveContig } from './contigs.js';
import type { Probe } from './panel.js';
import { Her2cnError } from '../errors/errors.js';
import { checkInputFile } from '../util/input-files.js';

/** GC fraction of each probe's A/C/G/T bases (N and other codes ignored); undefined if it has none. */
export async function gcFromFasta(path: string, probes: Probe[]): Promise<(number | undefined)[]> {
  const fasta = await openFasta(path);
  const names = await fasta.getSequenceNames();
  const out: (number | undefined)[] = [];
  for (const p of probes) {
    const name = resolveContig(p.chrom, names);
    if (!name) throw new Her2cnError('input', `${path}: the reference has no sequence ${p.chrom}; is it the panel's genome build?`, path);
    const seq = (await fasta.getSequence(name, p.start, p.end)) ?? '';
    out.push(gcFraction(seq));
  }
  return out;
}

/**
 * GC of every probe from a FASTA that must cover them all: a panel of
 * normals stores the GC for every later call. A FASTA whose sequences carry
 * the panel's chromosome names but not its probes (a truncated file, an
 * excerpt, another assembly under the same names) is refused, saying which
 * probe it misses and why.
 */
export async function gcForEveryProbe(path: string, probes: Probe[]): Promise<number[]> {
  const gc = await gcFromFasta(path, probes);
  const missing = gc.flatMap((g, i) => (g === undefined ? [i] : []));
  if (missing.length === 0) return gc as number[];
  const sizes = await (await openFasta(path)).getSequenceSizes();
  const p = probes[missing[0]];
  const name = resolveContig(p.chrom, Object.keys(sizes))!;
  const why = p.end > sizes[name] ? `its ${name} is only ${sizes[name]} bp long` : 'only N bases there';
  throw new Her2cnError(
    'input',
    `${path}: does not cover the panel: ${missing.length} of its ${probes.length} probes have no A, C, G or T base in it (first: ${p.name} at ${p.chrom}:${p.start}-${p.end}, ${why}); give the FASTA of the panel's genome build`,
    path,
  );
}

/** An indexed FASTA: plain with .fai, or bgzip-compressed with .fai and .gzi. */
export async function openFasta(path: string): Promise<IndexedFasta> {
  checkInputFile(path, 'reference FASTA', 'cannot open the reference FASTA');
  if (!existsSync(`${path}.fai`)) throw new Her2cnError('input', `${path}: no FASTA index ${path}.fai; create it with 'samtools faidx ${path}'`, path);
  checkInputFile(`${path}.fai`, 'FASTA index');
  if (existsSync(`${path}.gzi`)) checkInputFile(`${path}.gzi`, 'FASTA index');
  const { BgzipIndexedFasta, IndexedFasta } = await import('@gmod/indexedfasta');
  return existsSync(`${path}.gzi`)
    ? new BgzipIndexedFasta({ path, faiPath: `${path}.fai`, gziPath: `${path}.gzi` })
    : new IndexedFasta({ path, faiPath: `${path}.fai` });
}

export function gcFraction(seq: string): number | undefined {
  let gc = 0;
  let at = 0;
  for (const c of seq.toUpperCase()) {
    if (c === 'G' || c === 'C') gc++;
    else if (c === 'A' || c === 'T') at++;
  }
  return gc + at === 0 ? undefined : gc / (gc + at);
}
