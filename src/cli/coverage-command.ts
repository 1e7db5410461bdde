// `her2cn coverage`: per-probe depth of one BAM over the panel.
import { openBam } from '../coverage/bam.js';
import { computeCoverage } from '../coverage/engine.js';
import { formatCoverageTable } from '../coverage/table.js';
import { checkPanelBuild } from '../coverage/measure.js';
import { detectBuild } from '../panel/builds.js';
import { writeFileAtomic } from '../output/files.js';
import { readBed } from '../panel/bed.js';

export interface CoverageOptions {
  panel: string;
  minMapq: number;
  excludeFlags: number;
  genePattern?: string;
  output?: string;
  threads?: number;
}

export async function runCoverage(bamPath: string, options: CoverageOptions): Promise<void> {
  const panel = readBed(options.panel, { genePattern: options.genePattern });
  for (const w of panel.warnings) process.stderr.write(`her2cn: warning: ${w}\n`);
  const bam = await openBam(bamPath);
  try {
    checkPanelBuild(panel.probes, options.panel, bamPath, detectBuild(bam.references));
    const started = process.hrtime.bigint();
    const result = await computeCoverage(bam, panel, { minMapq: options.minMapq, excludeFlags: options.excludeFlags }, { threads: options.threads });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const table = formatCoverageTable(result.probes);
    if (options.output) writeFileAtomic(options.output, table);
    else process.stdout.write(table);
    const s = result.stats;
    process.stderr.write(
      `her2cn: ${bamPath}: ${result.probes.length} probes, ${s.records} records read, ${s.passing} passing reads on probes ` +
        `(skipped: ${s.skipped.duplicate} duplicate, ${s.skipped.mapq} MAPQ<${options.minMapq}, ${s.skipped.secondary} secondary, ` +
        `${s.skipped.supplementary} supplementary, ${s.skipped.qcFail} QC-fail, ${s.skipped.unmapped} unmapped) in ${seconds.toFixed(2)} s, ` +
        `peak memory ${Math.round(process.resourceUsage().maxRSS / 1024)} MB\n`,
    );
  } finally {
    bam.close();
  }
}
