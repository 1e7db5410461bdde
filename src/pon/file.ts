// Reading and writing a panel of normals: JSON, gzip-compressed when the
// file name ends in .gz (a 40,000-probe PoN is a few MB of JSON, a fraction
// of that compressed). Reading checks every field (check.ts) before anything uses it.
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { writeFileAtomic } from '../output/files.js';
import { checkPon } from './check.js';
import type { PanelOfNormals } from './pon.js';
import { Her2cnError } from '../errors/errors.js';
import { checkInputFile } from '../util/input-files.js';
import { MAX_PROBE_LENGTH } from '../panel/bed.js';

export function writePon(path: string, pon: PanelOfNormals): void {
  const text = JSON.stringify(pon) + '\n';
  writeFileAtomic(path, path.endsWith('.gz') ? gzipSync(text, { level: 9 }) : text);
}

export async function readPon(path: string): Promise<PanelOfNormals> {
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
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Her2cnError('input', `${path}: not valid JSON; not a her2cn panel of normals (build one with 'her2cn pon')`, path);
  }
  // Before the field checks, so a probe too long to count is named as such
  // (the fingerprint check would only call the file damaged).
  refuseLongProbes(doc, path);
  return checkPon(doc, path);
}

/** A probe longer than MAX_PROBE_LENGTH would take memory with its length: refused by name. */
function refuseLongProbes(doc: unknown, path: string): void {
  const p = (doc as { probes?: { chrom?: unknown; start?: unknown; end?: unknown } } | null)?.probes;
  if (!p || !Array.isArray(p.chrom) || !Array.isArray(p.start) || !Array.isArray(p.end)) return;
  for (let i = 0; i < p.start.length; i++) {
    const start = p.start[i];
    const end = p.end[i];
    if (typeof start === 'number' && typeof end === 'number' && end - start > MAX_PROBE_LENGTH) {
      throw new Her2cnError('input', `${path}: probe ${i + 1} (${p.chrom[i]}:${start + 1}-${end}) spans more than ${MAX_PROBE_LENGTH.toLocaleString('en-US')} bp, the longest probe her2cn reads; rebuild the panel of normals from the panel's probes`, path);
    }
  }
}
