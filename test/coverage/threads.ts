// Running the compiled engine in-process with a chosen number of threads
// (its worker threads load dist/coverage/worker.js, so tests use dist/).
import { join } from 'node:path';
import { DEMO_PANEL, ROOT } from '../helpers.js';

const dist = (path: string) => import(join(ROOT, 'dist', path));

/** How a split reading went (the engine's `pieces`). */
export interface Split {
  counted: number;
  fromBlockBoundaries: number;
  countedAgain: number;
}

/**
 * Coverage of a BAM with `threads`, split into pieces even when small (of
 * about `pieceBytes` compressed bytes: small pieces cut the reads between
 * BGZF blocks too), as the `coverage` table, with how it was split.
 */
export async function coverageSplit(bamPath: string, threads: number, pieceBytes = 32_768): Promise<{ table: string; split: Split }> {
  const { openBam } = await dist('coverage/bam.js');
  const { computeCoverage } = await dist('coverage/engine.js');
  const { formatCoverageTable } = await dist('coverage/table.js');
  const { readBed } = await dist('panel/bed.js');
  const bam = await openBam(bamPath);
  try {
    const result = await computeCoverage(bam, readBed(DEMO_PANEL), undefined, { threads, minBytesForThreads: 0, pieceBytes });
    return { table: formatCoverageTable(result.probes), split: result.pieces };
  } finally {
    bam.close();
  }
}

/** The coverage table alone (coverageSplit). */
export async function coverageTable(bamPath: string, threads: number, pieceBytes?: number): Promise<string> {
  return (await coverageSplit(bamPath, threads, pieceBytes)).table;
}
