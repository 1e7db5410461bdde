// `her2cn coverage`: per-probe depth of one BAM, CRAM, mosdepth regions file
// or bigWig track over the panel.
import { formatCoverageTable } from '../coverage/table.js';
import { checkCoverageInput, formatName, measureInput } from '../coverage/input.js';
import { writeFileAtomic } from '../output/files.js';
import { checkOutputFile } from '../output/location.js';
import { readBed } from '../panel/bed.js';
import { checkFastaInput, checkInputFile, InputFiles } from '../util/input-files.js';

export interface CoverageOptions {
  panel: string;
  minMapq: number;
  excludeFlags: number;
  genePattern?: string;
  reference?: string;
  out?: string;
  threads?: number;
  /** With a BAM of several samples, the one whose read groups are counted. */
  sample?: string;
}

export async function runCoverage(inputPath: string, options: CoverageOptions): Promise<void> {
  // Every input and the output are checked before anything is read.
  const inputs = new InputFiles();
  checkCoverageInput(inputPath, inputs);
  checkInputFile(options.panel, 'panel BED');
  inputs.add(options.panel, 'panel BED');
  if (options.reference) checkFastaInput(options.reference, inputs, 'reference FASTA');
  if (options.out) checkOutputFile(options.out, inputs, '-o');

  const panel = readBed(options.panel, { genePattern: options.genePattern });
  for (const w of panel.warnings) process.stderr.write(`her2cn: warning: ${w}\n`);
  const started = process.hrtime.bigint();
  const measured = await measureInput(
    inputPath,
    panel.probes,
    options.panel,
    { minMapq: options.minMapq, excludeFlags: options.excludeFlags },
    { reference: options.reference, threads: options.threads, sample: options.sample, sampleOption: '--sample', spliced: 'warn' },
  );
  for (const w of measured.warnings) process.stderr.write(`her2cn: warning: ${w}\n`);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const table = formatCoverageTable(
    panel.probes.map((p, i) => ({ chrom: p.chrom, start: p.start, end: p.end, name: p.name, gene: p.gene, depth: measured.depths[i], reads: measured.reads ? measured.reads[i] : null })),
  );
  if (options.out) writeFileAtomic(options.out, table);
  else process.stdout.write(table);
  const s = measured.stats;
  const memory = `peak memory ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`;
  if (s) {
    const other = s.skipped.otherSample > 0 ? `, ${s.skipped.otherSample} of other samples` : '';
    const unusual = [s.spliced > 0 ? `${s.spliced} spliced (CIGAR N)` : '', s.longCigar > 0 ? `${s.longCigar} with the CIGAR in the CG tag` : ''].filter(Boolean).join(', ');
    process.stderr.write(
      `her2cn: ${inputPath}: ${panel.probes.length} probes, ${s.records} records read, ${s.passing} passing reads on probes${unusual ? ` (${unusual})` : ''} ` +
        `(skipped: ${s.skipped.duplicate} duplicate, ${s.skipped.mapq} MAPQ<${options.minMapq}, ${s.skipped.secondary} secondary, ` +
        `${s.skipped.supplementary} supplementary, ${s.skipped.qcFail} QC-fail, ${s.skipped.unmapped} unmapped${other}) in ${seconds.toFixed(2)} s, ${memory}\n`,
    );
  } else {
    process.stderr.write(
      `her2cn: ${inputPath}: ${panel.probes.length} probes, depths from a precomputed ${formatName(measured.source.format)} file: read filters not checked, no read counts, in ${seconds.toFixed(2)} s, ${memory}\n`,
    );
  }
}
