// A CEP17-like reference: chromosome 17's copies near its centromere, where
// FISH's CEP17 probe binds. Not all of chromosome 17, so that a 17p loss or
// a distal 17q gain does not fake an ERBB2/CEP17 ratio. Panels do not
// capture the centromere itself, so the probes within CEP17_FLANK of it stand
// for it: on 17q (17q11), the arm ERBB2 lies on, whenever there are enough
// there, because the commonest arm event of breast cancer is a 17p loss, often
// by an isochromosome 17q whose centromeres go with the q arms; 17p's side is
// used (with 17q's) only on panels with too few probes on 17q.
import { type BuildName, CHR17_CENTROMERE } from '../panel/builds.js';
import { canonicalContig } from '../panel/contigs.js';
import type { Probe } from '../panel/panel.js';
import type { Estimate } from '../stats/robust.js';
import { type LevelInputs, levelEstimate } from './genes.js';

/** How far either side of chromosome 17's centromere the CEP17-like reference reaches. */
export const CEP17_FLANK = 7_000_000;
/** Fewest usable probes for a CEP17-like level (and for one side of it). */
export const MIN_CEP17_PROBES = 4;

export interface Cep17Reference {
  estimate: Estimate | undefined;
  /** Usable probes the level was taken from. */
  probes: number;
  /** Why the level was taken as it was, or why there is none. */
  note: string | null;
}

export function cep17Reference(probes: Probe[], build: string, inputs: LevelInputs): Cep17Reference {
  const { lfc } = inputs;
  const centromere = CHR17_CENTROMERE[build as BuildName];
  if (!centromere) return { estimate: undefined, probes: 0, note: `genome build ${build} not known, so chromosome 17's centromere could not be placed: no CEP17-like reference` };
  const near = (side: 'p' | 'q') =>
    probes.flatMap((p, i) => {
      if (canonicalContig(p.chrom) !== '17' || lfc[i] === null) return [];
      const onSide = side === 'p' ? p.end <= centromere.start && p.end > centromere.start - CEP17_FLANK : p.start >= centromere.end && p.start < centromere.end + CEP17_FLANK;
      return onSide ? [i] : [];
    });
  const pSide = near('p');
  const qSide = near('q');
  if (qSide.length >= MIN_CEP17_PROBES) return { estimate: levelEstimate(qSide, 'CEP17', inputs), probes: qSide.length, note: null };
  const both = [...pSide, ...qSide];
  if (both.length < MIN_CEP17_PROBES) {
    return { estimate: undefined, probes: both.length, note: `only ${both.length} usable probes within ${CEP17_FLANK / 1e6} Mb of chromosome 17's centromere: no CEP17-like reference` };
  }
  return {
    estimate: levelEstimate(both, 'CEP17', inputs),
    probes: both.length,
    note: `only ${qSide.length} usable probes on 17q near the centromere: the CEP17-like reference includes ${pSide.length} on 17p, which a 17p loss would lower`,
  };
}
