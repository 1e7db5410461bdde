// The shared setup of a run: the panel of normals, the panel it was built
// for and each probe's GC, read and checked once, as plain data that worker
// threads can be handed.
import { readBed } from '../panel/bed.js';
import { gcFromFasta } from '../panel/gc.js';
import type { Probe } from '../panel/panel.js';
import { isCentringProbe } from '../normalize/probes.js';
import { readPon } from '../pon/file.js';
import { panelFingerprint, ponProbes, type PanelOfNormals } from '../pon/pon.js';
import { Her2cnError } from '../errors/errors.js';
import { checkFastaInput, checkInputFile, InputFiles } from '../util/input-files.js';
import { canonicalContig } from '../panel/contigs.js';
import { displayPath } from './shipped.js';

/** What every sample of a run shares: the PoN, the panel and its GC. */
export interface SetupOptions {
  pon: string;
  panel?: string;
  /** How the gene is read from the --panel BED's name column (as given to `her2cn pon`). */
  genePattern?: string;
  fasta?: string;
  /** Reference FASTA to check a CRAM against (default: fasta). */
  reference?: string;
  /** Read filters asked for on the command line (-Q, -F); they must be the PoN's, which they default to. */
  minMapq?: number;
  excludeFlags?: number;
}

/** The checked PoN and panel with probe GC: plain data, so it can be handed to worker threads. */
export interface CallSetup {
  options: SetupOptions;
  pon: PanelOfNormals;
  probes: Probe[];
  panelSource: string;
  gc: (number | undefined)[];
  gcSource: string;
  /** What reading the panel BED said (duplicate probes dropped, …): printed once for the run. */
  warnings: string[];
}

/** Checks the run's shared input files before any work (each a regular file) and returns them, which no output may replace. */
export function checkSetupInputs(options: SetupOptions): InputFiles {
  const inputs = new InputFiles();
  checkInputFile(options.pon, 'panel of normals', 'cannot read panel of normals');
  inputs.add(options.pon, 'panel of normals');
  if (options.panel) {
    checkInputFile(options.panel, 'panel BED', 'cannot read panel BED');
    inputs.add(options.panel, 'panel BED');
  }
  if (options.fasta) checkFastaInput(options.fasta, inputs, 'reference FASTA');
  if (options.reference) checkFastaInput(options.reference, inputs, 'reference FASTA');
  return inputs;
}

/** Reads the PoN (and panel), checks they belong together, and finds probe GC. */
export async function prepareCall(options: SetupOptions): Promise<CallSetup> {
  checkSetupInputs(options);
  const pon = await readPon(options.pon);
  refuseOtherFilters(options, pon);
  let probes: Probe[] = ponProbes(pon);
  let panelSource = `${displayPath(options.pon)} (probes of the panel of normals)`;
  let panelGc: (number | undefined)[] | undefined;
  const warnings: string[] = [];
  if (options.panel) {
    const panel = readBed(options.panel, { genePattern: options.genePattern });
    warnings.push(...panel.warnings);
    if (panelFingerprint(panel.probes) !== pon.panel.fingerprint) {
      throw new Her2cnError('input', 
        `${options.pon}: panel of normals was built for another panel (${pon.panel.source}, ${pon.panel.probes} probes) than ${options.panel} (${panel.probes.length} probes); build a PoN for this panel with 'her2cn pon'`,
      );
    }
    refuseOtherGenes(options, panel.probes, probes);
    probes = panel.probes;
    panelSource = displayPath(options.panel);
    if (panel.probes.some(p => p.gc !== undefined)) panelGc = panel.probes.map(p => p.gc);
  }
  if (!probes.some(isCentringProbe)) throw new Her2cnError('input', `${options.panel ?? options.pon}: the panel has no probes on autosomes other than chromosome 17, which her2cn needs to normalize the sample against`, options.panel ?? options.pon);
  if (!probes.some(p => p.gene === 'ERBB2')) {
    const source = options.panel ?? options.pon;
    throw new Her2cnError('input', `${source}: the panel has no ERBB2 probes (${genesFound(probes)}); name ERBB2's probes ERBB2_… in the BED name column, or give --gene-pattern`, source);
  }
  let gc: (number | undefined)[];
  let gcSource: string;
  if (options.fasta) {
    gc = await gcFromFasta(options.fasta, probes);
    gcSource = options.fasta;
  } else if (panelGc) {
    gc = panelGc;
    gcSource = `${displayPath(options.panel!)} (gc column)`;
  } else {
    gc = pon.probes.gc.map(g => (g === null ? undefined : g));
    gcSource = gc.some(g => g !== undefined) ? `${displayPath(options.pon)} (GC stored with the panel of normals)` : 'none';
  }
  return { options: { pon: options.pon, panel: options.panel, genePattern: options.genePattern, fasta: options.fasta, reference: options.reference }, pon, probes, panelSource, gc, gcSource, warnings };
}

/**
 * A tumour counted with other read filters than its normals would differ
 * from them by the filters, not by copy number (a higher MAPQ cut drops
 * reads unevenly across probes), so -Q and -F may only repeat the PoN's.
 */
function refuseOtherFilters(options: SetupOptions, pon: PanelOfNormals): void {
  const asked = [
    options.minMapq !== undefined && options.minMapq !== pon.filters.minMapq ? `-Q ${options.minMapq}` : '',
    options.excludeFlags !== undefined && options.excludeFlags !== pon.filters.excludeFlags ? `-F ${options.excludeFlags}` : '',
  ].filter(Boolean);
  if (asked.length === 0) return;
  throw new Her2cnError(
    'input',
    `${options.pon}: the panel of normals was counted with -Q ${pon.filters.minMapq} -F ${pon.filters.excludeFlags}, not ${asked.join(' ')}; a tumour must be counted as its normals were: leave out -Q/-F, or build a PoN with them ('her2cn pon ${asked.join(' ')}')`,
    options.pon,
  );
}

/** The genes a panel's probes were read as, for a message: 'genes found: A, B, …'. */
export function genesFound(probes: Probe[]): string {
  const genes = [...new Set(probes.map(p => p.gene))];
  return `genes found: ${genes.slice(0, 6).join(', ')}${genes.length > 6 ? `, … (${genes.length} in all)` : ''}`;
}

/**
 * A --panel must read as the PoN's probes did: the same coordinates (its
 * fingerprint) and the same gene for each, or the call would treat other
 * probes as ERBB2 than the normals did.
 */
function refuseOtherGenes(options: SetupOptions, panel: Probe[], pon: Probe[]): void {
  const ponGenes = new Map<string, string[]>();
  const key = (p: Probe) => `${canonicalContig(p.chrom)}:${p.start}-${p.end}`;
  for (const p of pon) ponGenes.set(key(p), [...(ponGenes.get(key(p)) ?? []), p.gene]);
  for (const p of panel) {
    const genes = ponGenes.get(key(p)) ?? [];
    if (genes.includes(p.gene)) continue;
    throw new Her2cnError(
      'input',
      `${options.panel}: probe ${p.name} (${p.chrom}:${p.start + 1}-${p.end}) is read as gene ${p.gene}, but the panel of normals ${options.pon} has it as ${genes.join(' or ') || 'no gene'}; give the --gene-pattern that was given to 'her2cn pon', or leave out --panel`,
      options.panel,
    );
  }
}
