// The cohort the tumour-cell HER2 assessment is benchmarked on
// (bench/assessment-cohort.sh): 87 tumours at clinical depth (150-500x) of
// every kind the assessment must get right, purity drawn in 0.1-0.9, fresh,
// FFPE and FFPE libraries with strong GC bias, and 10 normals of both sexes
// at the same depth for the panel of normals. Everything is drawn from the
// seed, so two seeds give two cohorts and one seed gives the same bytes.
// Not committed: the benchmark writes it into a folder of its choosing.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Probe } from '../panel/panel.js';
import { writeFileAtomic } from '../output/files.js';
import { Random } from '../stats/random.js';
import {
  ANEUPLOID,
  BLOCK_17Q12,
  drawLibrary,
  drawStrongGcLibrary,
  ERBB2_ONLY,
  LOSS_17P,
  PARTIAL,
  PARTIAL_5PRIME,
  PARTIAL_INTERNAL,
} from './cohort.js';
import { type Amplicon, type CopyNumberSegment, fishOf, type IhcScore, type LibraryModel, type SampleSpec, type Sex } from './model.js';
import { cohortTable, truthTable, writeSampleBam } from './write.js';

export type ClinicalKind =
  | 'amplified-focal'
  | 'amplified-17q12'
  | 'heterogeneous'
  | 'partial-3prime'
  | 'partial-5prime'
  | 'partial-internal'
  | 'polysomy-17'
  | 'monosomy-17-erbb2-gain'
  | 'loss-17p'
  | 'wgd-amplified'
  | 'wgd'
  | 'aneuploid'
  | 'aneuploid-amplified'
  | 'diploid';

/** How many tumours of each kind (87 in all; about a third FISH positive). */
export const CLINICAL_PLAN: [ClinicalKind, number][] = [
  ['amplified-focal', 5],
  ['amplified-17q12', 5],
  ['heterogeneous', 8],
  ['partial-3prime', 3],
  ['partial-5prime', 2],
  ['partial-internal', 2],
  ['polysomy-17', 8],
  ['monosomy-17-erbb2-gain', 5],
  ['loss-17p', 5],
  ['wgd-amplified', 3],
  ['wgd', 5],
  ['aneuploid', 7],
  ['aneuploid-amplified', 3],
  ['diploid', 26],
];

export type LibraryKind = 'fresh' | 'ffpe' | 'ffpe-gc';

export interface ClinicalSample {
  spec: SampleSpec;
  /** 'normal' for the normals. */
  kind: ClinicalKind | 'normal';
  libraryKind: LibraryKind;
}

export interface ClinicalCohortOptions {
  seed: string;
  /** Median probe depth is drawn per sample in [minDepth, maxDepth] (per two copies). */
  minDepth?: number;
  maxDepth?: number;
  normals?: number;
}

/** Arm-level events of breast cancer an aneuploid background draws from (17q gain leaves CEP17 alone: HER2 3, ratio 1.5). */
const ARM_EVENTS: CopyNumberSegment[][] = [
  [{ chrom: 'chr1', start: 125_000_000, end: 248_956_422, copies: 3 }], // 1q gain
  [{ chrom: 'chr8', start: 0, end: 45_000_000, copies: 1 }], // 8p loss
  [{ chrom: 'chr8', start: 45_000_000, end: 145_138_636, copies: 4 }], // 8q gain
  [{ chrom: 'chr13', start: 0, end: 114_364_328, copies: 1 }], // 13 loss
  [{ chrom: 'chr16', start: 38_000_000, end: 90_338_345, copies: 1 }], // 16q loss
  [{ chrom: 'chr16', start: 0, end: 36_000_000, copies: 3 }], // 16p gain
  [{ chrom: 'chr11', start: 55_000_000, end: 135_086_622, copies: 1 }], // 11q loss
  [{ chrom: 'chr20', start: 28_000_000, end: 64_444_167, copies: 3 }], // 20q gain
  [{ chrom: 'chr6', start: 60_000_000, end: 170_805_979, copies: 1 }], // 6q loss
  [LOSS_17P],
  [{ chrom: 'chr17', start: 27_400_000, end: 83_257_441, copies: 3 }], // 17q gain
];

function pick<T>(rng: Random, xs: readonly T[]): T {
  return xs[rng.int(0, xs.length - 1)];
}

/** 2-5 distinct arm events, in the pool's order; or the committed cohort's typical set. */
function aneuploidBackground(rng: Random): CopyNumberSegment[] {
  if (rng.chance(0.25)) return ANEUPLOID;
  const n = rng.int(2, 5);
  const chosen = new Set<number>();
  while (chosen.size < n) chosen.add(rng.int(0, ARM_EVENTS.length - 1));
  return [...chosen].sort((a, b) => a - b).flatMap(i => ARM_EVENTS[i]);
}

interface Biology {
  chr17Copies: number;
  segments: CopyNumberSegment[];
  amplicon?: Amplicon;
  wgd?: boolean;
  description: string;
}

function biologyOf(kind: ClinicalKind, rng: Random): Biology {
  const plain = { chr17Copies: 2, segments: [] as CopyNumberSegment[] };
  const named = (a: Amplicon) => (a.extent === 'erbb2' ? 'an ERBB2' : 'a 17q12');
  const focalOr17q12 = (copies: number, fraction = 1): Amplicon =>
    rng.chance(0.5) ? { extent: 'erbb2', ...ERBB2_ONLY, copies, fraction } : { extent: '17q12', ...BLOCK_17Q12, copies, fraction };
  switch (kind) {
    case 'amplified-focal': {
      const copies = rng.int(6, 30);
      return { ...plain, amplicon: { extent: 'erbb2', ...ERBB2_ONLY, copies, fraction: 1 }, description: `focal ERBB2 amplification, ${copies} copies` };
    }
    case 'amplified-17q12': {
      const copies = rng.int(6, 30);
      return { ...plain, amplicon: { extent: '17q12', ...BLOCK_17Q12, copies, fraction: 1 }, description: `17q12 amplicon, ${copies} copies` };
    }
    case 'heterogeneous': {
      const copies = rng.int(8, 30);
      const fraction = Number(rng.uniform(0.3, 0.7).toFixed(2));
      const amplicon = focalOr17q12(copies, fraction);
      return { ...plain, amplicon, description: `heterogeneous: ${Math.round(fraction * 100)}% of tumour cells with ${named(amplicon)} amplicon of ${copies} copies` };
    }
    case 'partial-3prime': {
      const copies = rng.int(8, 30);
      return { ...plain, amplicon: { extent: 'partial', ...PARTIAL, copies, fraction: 1 }, description: `partial amplicon: ERBB2 exons 13-27 to GRB7, ${copies} copies` };
    }
    case 'partial-5prime': {
      const copies = rng.int(8, 30);
      return { ...plain, amplicon: { extent: 'partial-5prime', ...PARTIAL_5PRIME, copies, fraction: 1 }, description: `partial amplicon: NEUROD2 to ERBB2 exon 12, ${copies} copies` };
    }
    case 'partial-internal': {
      const copies = rng.int(8, 30);
      return { ...plain, amplicon: { extent: 'partial-internal', ...PARTIAL_INTERNAL, copies, fraction: 1 }, description: `internal partial amplicon: ERBB2 exons 8-16 only, ${copies} copies` };
    }
    case 'polysomy-17': {
      const copies = rng.int(3, 6);
      return { ...plain, chr17Copies: copies, description: `chromosome 17 polysomy, ${copies} copies, no amplification` };
    }
    case 'monosomy-17-erbb2-gain': {
      const copies = rng.int(2, 3);
      return {
        ...plain,
        chr17Copies: 1,
        amplicon: { extent: 'erbb2', ...ERBB2_ONLY, copies, fraction: 1 },
        description: `monosomy 17 with a focal ERBB2 gain to ${copies} copies (FISH group 2)`,
      };
    }
    case 'loss-17p':
      return { ...plain, segments: [LOSS_17P], description: '17p loss up to the centromere, ERBB2 not amplified' };
    case 'wgd-amplified': {
      const copies = rng.int(10, 30);
      const amplicon = focalOr17q12(copies);
      return { ...plain, chr17Copies: 4, wgd: true, amplicon, description: `genome doubling (baseline 4) with ${named(amplicon)} amplicon of ${copies} copies` };
    }
    case 'wgd':
      return { ...plain, chr17Copies: 4, wgd: true, description: 'genome doubling (baseline 4), ERBB2 not amplified' };
    case 'aneuploid':
      return { ...plain, segments: aneuploidBackground(rng), description: 'aneuploid background (arm-level gains and losses), ERBB2 not amplified' };
    case 'aneuploid-amplified': {
      const segments = aneuploidBackground(rng);
      const copies = rng.int(8, 30);
      return { ...plain, segments, amplicon: { extent: '17q12', ...BLOCK_17Q12, copies, fraction: 1 }, description: `aneuploid background with a 17q12 amplicon of ${copies} copies` };
    }
    case 'diploid':
      return { ...plain, description: 'no copy-number change at ERBB2' };
  }
}

function drawClinicalLibrary(rng: Random, depth: number, kind: LibraryKind): LibraryModel {
  const lib = kind === 'ffpe-gc' ? drawStrongGcLibrary(rng, depth) : drawLibrary(rng, depth, kind === 'ffpe');
  // The drawn depth is the sample's, not scaled again.
  return { ...lib, depth };
}

/** A plausible IHC score for the FISH result. */
function ihcFor(rng: Random, positive: boolean): IhcScore {
  const u = rng.next();
  if (positive) return u < 0.6 ? '3+' : u < 0.9 ? '2+' : '1+';
  return u < 0.35 ? '0' : u < 0.75 ? '1+' : '2+';
}

export function clinicalCohort(options: ClinicalCohortOptions): ClinicalSample[] {
  const { seed } = options;
  const minDepth = options.minDepth ?? 150;
  const maxDepth = options.maxDepth ?? 500;
  const out: ClinicalSample[] = [];
  const nNormals = options.normals ?? 10;
  for (let i = 1; i <= nNormals; i++) {
    const name = `N${String(i).padStart(2, '0')}`;
    const rng = new Random(`${seed} clinical ${name}`);
    const sex: Sex = i % 2 ? 'female' : 'male';
    const libraryKind: LibraryKind = i % 3 === 0 ? 'ffpe' : 'fresh';
    const depth = Math.round(rng.uniform(minDepth, maxDepth));
    out.push({
      kind: 'normal',
      libraryKind,
      spec: {
        name,
        role: 'normal',
        sex,
        library: drawClinicalLibrary(rng, depth, libraryKind),
        ffpe: libraryKind !== 'fresh',
        purity: 0,
        chr17Copies: 2,
        segments: [],
        description: libraryKind === 'ffpe' ? 'normal, FFPE' : 'normal',
      },
    });
  }
  // Kinds in a seeded order, so that sample names say nothing of the biology.
  const kinds = CLINICAL_PLAN.flatMap(([kind, n]) => Array.from({ length: n }, () => kind));
  const order = new Random(`${seed} clinical order`);
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = order.int(0, i);
    [kinds[i], kinds[j]] = [kinds[j], kinds[i]];
  }
  kinds.forEach((kind, i) => {
    const name = `T${String(i + 1).padStart(3, '0')}`;
    const rng = new Random(`${seed} clinical ${name}`);
    const sex: Sex = rng.chance(0.1) ? 'male' : 'female';
    const purity = Number(rng.uniform(0.1, 0.9).toFixed(2));
    const depth = Math.round(rng.uniform(minDepth, maxDepth));
    const u = rng.next();
    const libraryKind: LibraryKind = u < 0.4 ? 'fresh' : u < 0.75 ? 'ffpe' : 'ffpe-gc';
    const library = drawClinicalLibrary(rng, depth, libraryKind);
    const b = biologyOf(kind, rng);
    const spec: SampleSpec = {
      name,
      role: 'tumour',
      sex,
      library,
      ffpe: libraryKind !== 'fresh',
      purity,
      chr17Copies: b.chr17Copies,
      segments: b.segments,
      ...(b.amplicon ? { amplicon: b.amplicon } : {}),
      ...(b.wgd ? { wgd: true } : {}),
      description: `${b.description}; ${libraryKind === 'ffpe-gc' ? 'FFPE, strong GC bias' : libraryKind === 'ffpe' ? 'FFPE' : 'fresh'}`,
    };
    spec.ihc = ihcFor(rng, fishOf(spec).positive);
    out.push({ spec, kind, libraryKind });
  });
  return out;
}

/** The purity each batch run is given: the truth, scaled (capped below 1), or none. */
export const PURITY_VARIANTS: { name: string; purity: (p: number) => number | null }[] = [
  { name: 'purity-truth', purity: p => p },
  { name: 'purity-x0.75', purity: p => Number((p * 0.75).toFixed(4)) },
  { name: 'purity-x1.25', purity: p => Math.min(0.99, Number((p * 1.25).toFixed(4))) },
  { name: 'no-purity', purity: () => null },
];

/** A samples table for `her2cn batch`: sample, bam (relative to the table), purity (NA for none), ihc. */
export function samplesTable(samples: ClinicalSample[], purity: (p: number) => number | null): string {
  const rows = samples
    .filter(s => s.spec.role === 'tumour')
    .map(s => [s.spec.name, `bams/${s.spec.name}.bam`, purity(s.spec.purity) ?? 'NA', s.spec.ihc ?? 'NA'].join('\t'));
  return ['sample\tbam\tpurity\tihc', ...rows].join('\n') + '\n';
}

/**
 * Writes the tables (truth.tsv for `her2cn validate --truth` with the
 * benchmark's kind, library and depth appended; cohort.tsv; samples.<variant>.tsv
 * for each purity variant and samples.tsv, the same as purity-truth;
 * normals.tsv) and the BAMs of part `part` of `parts` (every parts-th sample),
 * skipping BAMs already written (a BAM appears only once complete).
 */
export function writeClinicalCohort(
  samples: ClinicalSample[],
  probes: Probe[],
  out: string,
  seed: string,
  options: { part?: number; parts?: number; tablesOnly?: boolean; log?: (line: string) => void } = {},
): void {
  const specs = samples.map(s => s.spec);
  const byName = new Map(samples.map(s => [s.spec.name, s]));
  mkdirSync(join(out, 'bams'), { recursive: true });
  writeFileAtomic(
    join(out, 'truth.tsv'),
    truthTable(specs, probes, {
      names: ['kind', 'library', 'depth'],
      values: s => [byName.get(s.name)!.kind, byName.get(s.name)!.libraryKind, s.library.depth],
    }),
  );
  writeFileAtomic(join(out, 'cohort.tsv'), cohortTable(specs).replace(/\t(\w+)\.bam\t/g, '\tbams/$1.bam\t'));
  for (const v of PURITY_VARIANTS) writeFileAtomic(join(out, `samples.${v.name}.tsv`), samplesTable(samples, v.purity));
  writeFileAtomic(join(out, 'samples.tsv'), samplesTable(samples, PURITY_VARIANTS[0].purity));
  writeFileAtomic(
    join(out, 'normals.tsv'),
    ['sample\tbam\tsex', ...samples.filter(s => s.spec.role === 'normal').map(s => `${s.spec.name}\tbams/${s.spec.name}.bam\t${s.spec.sex}`)].join('\n') + '\n',
  );
  if (options.tablesOnly) return;
  const parts = options.parts ?? 1;
  const part = options.part ?? 1;
  specs.forEach((spec, i) => {
    if (i % parts !== part - 1) return;
    const path = join(out, 'bams', `${spec.name}.bam`);
    // The writer indexes with CSI (chr1 is longer than BAI's bins reach at full length); older runs wrote BAI.
    if (existsSync(path) && (existsSync(`${path}.csi`) || existsSync(`${path}.bai`))) {
      options.log?.(`${spec.name}: already written`);
      return;
    }
    const started = Date.now();
    const records = writeSampleBam(spec, probes, path, `${seed} clinical`);
    options.log?.(`${spec.name}: ${records} records in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
}
