// Chromosome lengths of the two human genome builds panels are designed on
// (GRCh38 = hg38, GRCh37 = hg19; chr1-22, X, Y as published with the
// assemblies, checked against two public sources). A BAM header's lengths tell its build.
import { canonicalContig } from './contigs.js';

export type BuildName = 'GRCh38' | 'GRCh37';

export const CHROMOSOME_LENGTHS: Record<BuildName, Record<string, number>> = {
  GRCh38: {
    chr1: 248956422,
    chr2: 242193529,
    chr3: 198295559,
    chr4: 190214555,
    chr5: 181538259,
    chr6: 170805979,
    chr7: 159345973,
    chr8: 145138636,
    chr9: 138394717,
    chr10: 133797422,
    chr11: 135086622,
    chr12: 133275309,
    chr13: 114364328,
    chr14: 107043718,
    chr15: 101991189,
    chr16: 90338345,
    chr17: 83257441,
    chr18: 80373285,
    chr19: 58617616,
    chr20: 64444167,
    chr21: 46709983,
    chr22: 50818468,
    chrX: 156040895,
    chrY: 57227415,
    chrM: 16569,
  },
  GRCh37: {
    chr1: 249250621,
    chr2: 243199373,
    chr3: 198022430,
    chr4: 191154276,
    chr5: 180915260,
    chr6: 171115067,
    chr7: 159138663,
    chr8: 146364022,
    chr9: 141213431,
    chr10: 135534747,
    chr11: 135006516,
    chr12: 133851895,
    chr13: 115169878,
    chr14: 107349540,
    chr15: 102531392,
    chr16: 90354753,
    chr17: 81195210,
    chr18: 78077248,
    chr19: 59128983,
    chr20: 63025520,
    chr21: 48129895,
    chr22: 51304566,
    chrX: 155270560,
    chrY: 59373566,
    chrM: 16571,
  },
};


/** The build whose chromosome lengths a BAM header matches (chr1 and chr17 checked), or 'unknown'. */
export function detectBuild(references: { name: string; length: number }[]): BuildName | 'unknown' {
  const byName = new Map(references.map(r => [r.name.replace(/^chr/i, ''), r.length]));
  for (const build of ['GRCh38', 'GRCh37'] as BuildName[]) {
    const lengths = CHROMOSOME_LENGTHS[build];
    if (byName.get('1') === lengths.chr1 && byName.get('17') === lengths.chr17) return build;
  }
  return 'unknown';
}

/** ERBB2's gene span (GENCODE v29) in each build, to tell a panel's build from its ERBB2 probes. */
export const ERBB2_SPAN: Record<BuildName, { chrom: string; start: number; end: number }> = {
  GRCh38: { chrom: 'chr17', start: 39_687_913, end: 39_730_426 },
  GRCh37: { chrom: 'chr17', start: 37_844_166, end: 37_886_679 },
};

/**
 * For a BAM of a known build, the panel's ERBB2 probes that do not lie on
 * ERBB2 in that build: a panel designed on another build puts them 1.8 Mb off.
 */
export function erbb2ProbesOffGene(probes: { chrom: string; start: number; end: number; gene: string }[], build: string): number {
  const span = ERBB2_SPAN[build as BuildName];
  if (!span) return 0;
  return probes.filter(p => p.gene === 'ERBB2' && (p.chrom.replace(/^chr/i, '') !== '17' || p.end <= span.start || p.start >= span.end)).length;
}

/**
 * Chromosome 17's centromere (the acen cytobands): where FISH's CEP17 probe
 * binds, and what her2cn's CEP17-like reference is measured around.
 */
export const CHR17_CENTROMERE: Record<BuildName, { start: number; end: number }> = {
  GRCh38: { start: 22_700_000, end: 27_400_000 },
  GRCh37: { start: 22_200_000, end: 25_800_000 },
};

/**
 * The arm of chromosome 17 a position lies on, split at the centromere's
 * middle; undefined off chromosome 17 or when the build is not known.
 */
export function chr17Arm(chrom: string, at: number, build: string | undefined): 'p' | 'q' | undefined {
  const centromere = build ? CHR17_CENTROMERE[build as BuildName] : undefined;
  if (!centromere || canonicalContig(chrom) !== '17') return undefined;
  return at < (centromere.start + centromere.end) / 2 ? 'p' : 'q';
}
