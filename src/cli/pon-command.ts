// `her2cn pon`: build a panel of normals from normal BAMs of the assay.
import { checkCoverageInput, formatName, measureInput } from '../coverage/input.js';
import { sampleName } from '../coverage/measure.js';
import { checkOutputFile } from '../output/location.js';
import { readBed } from '../panel/bed.js';
import { gcForEveryProbe } from '../panel/gc.js';
import { buildPon } from '../pon/build.js';
import { writePon } from '../pon/file.js';
import { genesFound } from '../pipeline/setup.js';
import { displayPath } from '../pipeline/shipped.js';
import { Her2cnError } from '../errors/errors.js';
import { checkFastaInput, checkInputFile, InputFiles } from '../util/input-files.js';

export interface PonOptions {
  panel: string;
  /** How the gene is read from the BED name column; stored with the PoN's probes. */
  genePattern?: string;
  fasta?: string;
  /** Reference FASTA to check CRAM normals against (default: fasta). */
  reference?: string;
  minMapq: number;
  excludeFlags: number;
  out: string;
  version: string;
  threads?: number;
}

export async function runPon(bams: string[], options: PonOptions): Promise<void> {
  const twice = bams.find((b, i) => bams.indexOf(b) !== i);
  if (twice !== undefined) throw new Her2cnError('input', `${twice}: the same normal is given twice`, twice);
  // Every input and the output are checked before any normal is read.
  const inputs = new InputFiles();
  for (const bam of bams) {
    const same = inputs.find(bam);
    if (same) throw new Her2cnError('input', `the same normal is given twice (${same.path} and ${bam} are one file)`);
    checkCoverageInput(bam, inputs);
  }
  checkInputFile(options.panel, 'panel BED', 'cannot read panel BED');
  inputs.add(options.panel, 'panel BED');
  if (options.fasta) checkFastaInput(options.fasta, inputs, 'reference FASTA');
  if (options.reference) checkFastaInput(options.reference, inputs, 'reference FASTA');
  checkOutputFile(options.out, inputs, '-o');

  const panel = readBed(options.panel, { genePattern: options.genePattern });
  for (const w of panel.warnings) process.stderr.write(`her2cn: warning: ${w}\n`);
  // A PoN without ERBB2 probes could never be used by 'call': refused now, not after reading every normal.
  if (!panel.probes.some(p => p.gene === 'ERBB2')) {
    throw new Her2cnError(
      'input',
      `${options.panel}: no probe's gene is ERBB2 (${genesFound(panel.probes)}${options.genePattern ? `, with --gene-pattern ${JSON.stringify(options.genePattern)}` : '; the gene is the name up to the first _ ; | , or :'}); name ERBB2's probes ERBB2_… in the BED name column, or give --gene-pattern`,
      options.panel,
    );
  }
  const gc = options.fasta ? await gcForEveryProbe(options.fasta, panel.probes) : panel.probes.map(p => p.gc);
  const gcSource = options.fasta ? 'fasta' : panel.probes.some(p => p.gc !== undefined) ? 'panel' : 'none';
  const filters = { minMapq: options.minMapq, excludeFlags: options.excludeFlags, countMateOverlapOnce: true };
  const normals = [];
  for (const bam of bams) {
    const measured = await measureInput(bam, panel.probes, panel.source, filters, { reference: options.reference ?? options.fasta, threads: options.threads, spliced: 'refuse' });
    for (const w of measured.warnings) process.stderr.write(`her2cn: warning: ${w}\n`);
    const { name, warning } = sampleName(undefined, measured);
    if (warning) process.stderr.write(`her2cn: warning: ${warning}\n`);
    if (measured.stats) {
      process.stderr.write(`her2cn: ${bam}: ${name}, ${measured.stats.passing} reads on probes\n`);
    } else {
      process.stderr.write(
        `her2cn: warning: ${bam}: ${name}, depths from a precomputed ${formatName(measured.source.format)} file: read filters not checked (they must be MAPQ >= ${filters.minMapq}, flags ${filters.excludeFlags} excluded, overlapping mates once); no insert size\n`,
      );
    }
    normals.push({ name, bam, build: measured.build, depths: measured.depths, medianInsert: measured.medianInsert, insertSpread: measured.insertSpread, ...(measured.source.precomputed ? { coverage: measured.source.format } : {}) });
  }
  const names = normals.map(n => n.name);
  const dup = names.findIndex((n, i) => names.indexOf(n) !== i);
  if (dup >= 0) {
    const first = normals[names.indexOf(names[dup])].bam;
    throw new Her2cnError('input', `${normals[dup].bam}: has the sample name ${names[dup]}, as ${first} has; each normal must be a different sample`, normals[dup].bam);
  }
  const built = buildPon(normals, panel.probes, gc, { panelSource: displayPath(options.panel), filters, gcSource, version: options.version });
  for (const w of built.warnings) process.stderr.write(`her2cn: warning: ${w}\n`);
  writePon(options.out, built.pon);
  const used = built.pon.normals.filter(n => n.used).length;
  const flagged = built.pon.probes.flags.filter(f => f !== '').length;
  process.stdout.write(`${options.out}\t${used} of ${normals.length} normals used\t${built.pon.probes.chrom.length} probes\t${flagged} flagged\n`);
}
