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
import { displayPath } from './shipped.js';

/** What every sample of a run shares: the PoN, the panel and its GC. */
export interface SetupOptions {
  pon: string;
  panel?: string;
  fasta?: string;
  /** Reference FASTA to check a CRAM against (default: fasta). */
  reference?: string;
}

/** The checked PoN and panel with probe GC: plain data, so it can be handed to worker threads. */
export interface CallSetup {
  options: SetupOptions;
  pon: PanelOfNormals;
  probes: Probe[];
  panelSource: string;
  gc: (number | undefined)[];
  gcSource: string;
}

/** Reads the PoN (and panel), checks they belong together, and finds probe GC. */
export async function prepareCall(options: SetupOptions): Promise<CallSetup> {
  const pon = readPon(options.pon);
  let probes: Probe[] = ponProbes(pon);
  let panelSource = `${displayPath(options.pon)} (probes of the panel of normals)`;
  let panelGc: (number | undefined)[] | undefined;
  if (options.panel) {
    const panel = readBed(options.panel);
    if (panelFingerprint(panel.probes) !== pon.panel.fingerprint) {
      throw new Her2cnError('input', 
        `${options.pon}: panel of normals was built for another panel (${pon.panel.source}, ${pon.panel.probes} probes) than ${options.panel} (${panel.probes.length} probes); build a PoN for this panel with 'her2cn pon'`,
      );
    }
    probes = panel.probes;
    panelSource = displayPath(options.panel);
    if (panel.probes.some(p => p.gc !== undefined)) panelGc = panel.probes.map(p => p.gc);
  }
  if (!probes.some(isCentringProbe)) throw new Her2cnError('input', `${options.panel ?? options.pon}: the panel has no probes on autosomes other than chromosome 17, which her2cn needs to normalize the sample against`, options.panel ?? options.pon);
  if (!probes.some(p => p.gene === 'ERBB2')) throw new Her2cnError('input', `${options.panel ?? options.pon}: the panel has no ERBB2 probes (is the gene named ERBB2 in the BED name column?)`, options.panel ?? options.pon);
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
  return { options: { pon: options.pon, panel: options.panel, fasta: options.fasta, reference: options.reference }, pon, probes, panelSource, gc, gcSource };
}
