// The panel of normals: for every probe, the normal log2 level (on a
// two-copy scale) and its spread across normals of the same assay, with
// what it was built from and for, so a call can refuse a mismatched PoN.
import { createHash } from 'node:crypto';
import { canonicalContig } from '../panel/contigs.js';
import type { Probe } from '../panel/panel.js';
import type { PanelOfNormals } from './schema.js';

// The file's shape and type are declared once, in schema.ts.
export { PON_FORMAT, PON_FORMAT_VERSION, type ProbeFlag } from './format.js';
export type { NormalRecord, PanelOfNormals } from './schema.js';

/**
 * A panel's identity: SHA-256 of its probe coordinates with chromosome names
 * stripped of 'chr', sorted. Independent of naming, order and probe names.
 */
export function panelFingerprint(probes: Probe[]): string {
  const lines = probes.map(p => `${canonicalContig(p.chrom)}:${p.start}-${p.end}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

export function ponProbes(pon: PanelOfNormals): Probe[] {
  const p = pon.probes;
  return p.chrom.map((chrom, i) => ({
    chrom,
    start: p.start[i],
    end: p.end[i],
    name: p.name[i],
    gene: p.gene[i],
    ...(p.gc[i] === null ? {} : { gc: p.gc[i]! }),
  }));
}
