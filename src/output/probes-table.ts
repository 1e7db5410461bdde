// <sample>.probes.tsv: the per-probe table behind a call.
import type { ProbeResult } from '../call/call.js';

export const PROBE_TABLE_COLUMNS = ['chrom', 'start', 'end', 'gene', 'depth', 'log2', 'weight', 'flags', 'name'] as const;

/** log2 'NA' for probes not used (flags say why); flags '.' when none. */
export function formatProbeTable(probes: ProbeResult[]): string {
  const lines = [PROBE_TABLE_COLUMNS.join('\t')];
  for (const p of probes) {
    lines.push(
      [p.chrom, p.start, p.end, p.gene, p.depth.toFixed(3), p.log2 === null ? 'NA' : p.log2.toFixed(4), p.weight, p.flags.length ? p.flags.join(',') : '.', p.name]
        .map(String)
        .map(tsvField)
        .join('\t'),
    );
  }
  return lines.join('\n') + '\n';
}

/** Tabs and line breaks cannot live inside a TSV field. */
export function tsvField(value: string): string {
  return value.replace(/[\t\r\n]/g, ' ');
}
