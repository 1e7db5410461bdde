// Running the compiled engine in-process with a chosen number of threads
// (its worker threads load dist/coverage/worker.js, so tests use dist/).
import { join } from 'node:path';
import { DEMO_PANEL, ROOT } from '../helpers.js';

const dist = (path: string) => import(join(ROOT, 'dist', path));

/** Coverage of a BAM with `threads`, split into pieces even when small, as the `coverage` table. */
export async function coverageTable(bamPath: string, threads: number): Promise<string> {
  const { openBam } = await dist('coverage/bam.js');
  const { computeCoverage } = await dist('coverage/engine.js');
  const { formatCoverageTable } = await dist('coverage/table.js');
  const { readBed } = await dist('panel/bed.js');
  const bam = await openBam(bamPath);
  try {
    const result = await computeCoverage(bam, readBed(DEMO_PANEL), undefined, { threads, minBytesForThreads: 0 });
    return formatCoverageTable(result.probes);
  } finally {
    bam.close();
  }
}

