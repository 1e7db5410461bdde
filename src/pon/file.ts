// Reading and writing a panel of normals: JSON, gzip-compressed when the
// file name ends in .gz (a 40,000-probe PoN is a few MB of JSON, a fraction
// of that compressed). Reading checks format and shape before anything uses it.
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { writeFileAtomic } from '../output/files.js';
import { PON_FORMAT, PON_FORMAT_VERSION, type PanelOfNormals } from './pon.js';
import { Her2cnError } from '../errors/errors.js';
import { checkInputFile } from '../util/input-files.js';
import { MAX_PROBE_LENGTH } from '../panel/bed.js';

export function writePon(path: string, pon: PanelOfNormals): void {
  const text = JSON.stringify(pon) + '\n';
  writeFileAtomic(path, path.endsWith('.gz') ? gzipSync(text, { level: 9 }) : text);
}

export function readPon(path: string): PanelOfNormals {
  checkInputFile(path, 'panel of normals', 'cannot read panel of normals');
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Her2cnError('input', `${path}: cannot read panel of normals (${(e as NodeJS.ErrnoException).code ?? String(e)})`, path);
  }
  let text: string;
  try {
    text = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  } catch {
    throw new Her2cnError('input', `${path}: corrupted gzip; not a her2cn panel of normals`, path);
  }
  let pon: PanelOfNormals;
  try {
    pon = JSON.parse(text);
  } catch {
    throw new Her2cnError('input', `${path}: not valid JSON; not a her2cn panel of normals (build one with 'her2cn pon')`, path);
  }
  if (!pon || typeof pon !== 'object' || pon.format !== PON_FORMAT) {
    throw new Her2cnError('input', `${path}: not a her2cn panel of normals (no "format": "${PON_FORMAT}"); build one with 'her2cn pon'`, path);
  }
  if (pon.formatVersion !== PON_FORMAT_VERSION) {
    throw new Her2cnError('input', `${path}: panel of normals format version ${pon.formatVersion}, this her2cn reads version ${PON_FORMAT_VERSION}; rebuild it with 'her2cn pon'`, path);
  }
  const p = pon.probes;
  const n = p?.chrom?.length;
  const columns = ['start', 'end', 'name', 'gene', 'gc', 'log2', 'spread', 'weight', 'flags'] as const;
  if (!Number.isInteger(n) || n === 0 || columns.some(c => !Array.isArray(p[c]) || p[c].length !== n)) {
    throw new Her2cnError('input', `${path}: panel of normals is damaged (probe columns missing or of unequal length)`, path);
  }
  for (let i = 0; i < n; i++) {
    const ok =
      typeof p.chrom[i] === 'string' &&
      Number.isInteger(p.start[i]) &&
      Number.isInteger(p.end[i]) &&
      p.end[i] > p.start[i] &&
      (p.log2[i] === null || Number.isFinite(p.log2[i])) &&
      (p.spread[i] === null || Number.isFinite(p.spread[i])) &&
      Number.isFinite(p.weight[i]) &&
      typeof p.flags[i] === 'string';
    if (!ok) throw new Her2cnError('input', `${path}: panel of normals is damaged at probe ${i + 1}`, path);
    if (p.end[i] - p.start[i] > MAX_PROBE_LENGTH) {
      throw new Her2cnError('input', `${path}: probe ${i + 1} (${p.chrom[i]}:${p.start[i] + 1}-${p.end[i]}) spans more than ${MAX_PROBE_LENGTH.toLocaleString('en-US')} bp, the longest probe her2cn reads; rebuild the panel of normals from the panel's probes`, path);
    }
  }
  if (!Array.isArray(pon.normals) || typeof pon.panel?.fingerprint !== 'string') {
    throw new Her2cnError('input', `${path}: panel of normals is damaged (no normals or panel fingerprint)`, path);
  }
  return pon;
}
