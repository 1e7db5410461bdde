// The per-probe coverage table written by `her2cn coverage`.
import type { ProbeCoverage } from './engine.js';

export const COVERAGE_COLUMNS = ['chrom', 'start', 'end', 'name', 'gene', 'depth', 'reads'] as const;

/** A probe's row; `reads` is null when the depths were precomputed (no reads seen). */
export type CoverageRow = Omit<ProbeCoverage, 'reads'> & { reads: number | null };

/** Tab-separated, one row per probe in panel order; depth to 3 decimals (the exact mean is a multiple of 1/length); reads NA when unknown. */
export function formatCoverageTable(probes: CoverageRow[]): string {
  const lines = [COVERAGE_COLUMNS.join('\t')];
  for (const p of probes) {
    lines.push([p.chrom, p.start, p.end, p.name, p.gene, p.depth.toFixed(3), p.reads ?? 'NA'].join('\t'));
  }
  return lines.join('\n') + '\n';
}
