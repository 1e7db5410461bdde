// Benchmark data: a clinical-size panel (the demo panel plus thousands of
// exon-like probe clusters in gene-like groups across the autosomes) and the
// samples `npm run bench` times: a tumour at clinical depth with read bases
// and qualities (so the BAM is as large as a real one), low-depth normals for
// its panel of normals, and an ERBB2 amplicon about 20,000x deep.
import { CHROMOSOME_LENGTHS } from '../panel/builds.js';
import { formatPanel, PROBE_LENGTH } from '../panel/build-demo.js';
import { compareProbes } from '../panel/bed.js';
import type { Probe } from '../panel/panel.js';
import { Random } from '../stats/random.js';
import type { SampleSpec } from './model.js';

/**
 * The demo panel plus `extra` probes: genes of 4-30 exons, each exon tiled by
 * 1-3 abutting probes, exons 1-20 kb apart, genes placed along the autosomes
 * (chromosome 17 included) and chrX in proportion to their length, away from
 * the demo panel's probes.
 */
export function benchPanel(demo: Probe[], extra: number, seed: string): Probe[] {
  const rng = new Random(`${seed} bench panel ${extra}`);
  // Autosomes and chrX: X genes tiled like the others keep the sexes apart as on a real panel.
  const autosomes = Object.entries(CHROMOSOME_LENGTHS.GRCh38).filter(([c]) => /^chr(\d+|X)$/.test(c));
  const total = autosomes.reduce((s, [, l]) => s + l, 0);
  const taken = (chrom: string, start: number, end: number) =>
    demo.some(p => p.chrom === chrom && p.end > start - 100_000 && p.start < end + 100_000);
  const out: Probe[] = [];
  let gene = 0;
  while (out.length < extra) {
    // A gene: pick a chromosome by length, then a position.
    let x = rng.next() * total;
    let chrom = autosomes[0][0];
    let length = autosomes[0][1];
    for (const [c, l] of autosomes) {
      if (x < l) {
        chrom = c;
        length = l;
        break;
      }
      x -= l;
    }
    const exons = rng.int(4, 30);
    let at = rng.int(1_000_000, length - 1_000_000);
    const probes: Probe[] = [];
    const name = `BG${String(++gene).padStart(5, '0')}`;
    for (let e = 0; e < exons && out.length + probes.length < extra; e++) {
      const tiles = rng.int(1, 3);
      const gc = Number(Math.min(0.75, Math.max(0.3, rng.normal(0.47, 0.07))).toFixed(3));
      for (let t = 0; t < tiles && out.length + probes.length < extra; t++) {
        probes.push({ chrom, start: at, end: at + PROBE_LENGTH, name: `${name}_e${e + 1}_p${t + 1}`, gene: name, gc });
        at += PROBE_LENGTH;
      }
      at += rng.int(1_000, 20_000);
    }
    if (taken(chrom, probes[0].start, at)) continue;
    // Not in chrX's pseudo-autosomal regions, where a male has two copies.
    if (chrom === 'chrX' && (probes[0].start < 2_800_000 || at > 155_700_000)) continue;
    if (out.some(p => p.chrom === chrom && p.end > probes[0].start - 10_000 && p.start < at + 10_000)) continue;
    out.push(...probes);
  }
  return [...demo, ...out].sort(compareProbes);
}

export function formatBenchPanel(probes: Probe[]): string {
  return formatPanel(
    probes.map(p => ({ ...p, gc: p.gc ?? 0.45 })),
    'her2cn benchmark panel, GRCh38: the demo panel plus simulated gene-like probe clusters (made by npm run bench)',
  );
}

const LIBRARY = { gcSlope: 0.8, gcCurve: -3, noiseCv: 0.05, duplicateRate: 0.15, offTargetFraction: 0.22, insertMean: 210, insertSd: 40 };

/** A tumour with a focal 17q12 amplification (12 copies at 60% purity) at `depth`x per two copies. */
export function benchTumour(name: string, depth: number): SampleSpec {
  return {
    name,
    role: 'tumour',
    sex: 'female',
    ffpe: false,
    purity: 0.6,
    chr17Copies: 2,
    segments: [],
    description: `benchmark tumour, ${depth}x`,
    library: { ...LIBRARY, depth },
    amplicon: { extent: '17q12', start: 39_380_000, end: 39_880_000, copies: 12, fraction: 1 },
  };
}

export function benchNormal(name: string, depth: number, sex: 'female' | 'male'): SampleSpec {
  return { name, role: 'normal', sex, ffpe: false, purity: 0, chr17Copies: 2, segments: [], description: `benchmark normal, ${depth}x`, library: { ...LIBRARY, depth } };
}

/** ERBB2 at about 20,000x: 1,000 copies in every cell of a 20x library (crowded exons share reads, doubling the depth). */
export function benchDeep(name: string): SampleSpec {
  return {
    ...benchTumour(name, 20),
    purity: 1,
    description: 'benchmark ERBB2 amplicon, about 20,000x',
    amplicon: { extent: 'erbb2', start: 39_680_000, end: 39_735_000, copies: 1000, fraction: 1 },
  };
}
