// Builds the embedded demo panel (panels/her2cn-demo-grch38.bed) from the
// sourced coordinates in panels/sources/. Run with `npm run panel`; the
// output is deterministic.
//
// What is real and what is modelled:
// - ERBB2 probes tile the 27 exons of NM_004448.4 (GRCh38), real coordinates.
// - 17q12 neighbours and other chromosome-17 genes get probes at evenly spaced
//   positions inside their real GENCODE gene spans (not at their exons).
// - Other chromosomes carry evenly spaced 'backbone' probes, as the
//   copy-number backbones of clinical panels do; chrX and chrY probes avoid
//   the pseudo-autosomal regions.
// - The gc column is modelled (drawn per probe, GC-rich for ERBB2 as its exons
//   are), because the demo panel ships without a reference genome. The test
//   cohort is simulated with these values; a real panel's GC comes from --fasta.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Random } from '../stats/random.js';
import { CHROMOSOME_LENGTHS } from './builds.js';

export const PROBE_LENGTH = 120;

interface Row {
  chrom: string;
  start: number;
  end: number;
  name: string;
  gc: number;
}

function readTsv(path: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = head.split('\t');
  return lines.map(l => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])));
}

/** Probes of 120 nt tiling [start, end) end to end, centred, at least one. */
function tile(start: number, end: number): [number, number][] {
  const n = Math.max(1, Math.ceil((end - start) / PROBE_LENGTH));
  const span = n * PROBE_LENGTH;
  const first = Math.round((start + end) / 2 - span / 2);
  return Array.from({ length: n }, (_, k) => [first + k * PROBE_LENGTH, first + (k + 1) * PROBE_LENGTH]);
}

/** `n` probes evenly spaced inside [start, end). */
function spread(start: number, end: number, n: number): [number, number][] {
  const step = (end - start) / n;
  return Array.from({ length: n }, (_, k) => {
    const s = Math.round(start + step * (k + 0.5) - PROBE_LENGTH / 2);
    return [s, s + PROBE_LENGTH];
  });
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

export function buildDemoPanel(sources: string): Row[] {
  const rng = new Random('her2cn demo panel GC');
  const rows: Row[] = [];
  const gcOf = (mean: number, sd: number) => Number(clamp(rng.normal(mean, sd), 0.25, 0.8).toFixed(3));

  for (const exon of readTsv(join(sources, 'erbb2-exons-grch38.tsv'))) {
    tile(Number(exon.start0), Number(exon.end)).forEach(([s, e], k) =>
      rows.push({ chrom: 'chr17', start: s, end: e, name: `ERBB2_ex${exon.exon_number}_p${k + 1}`, gc: gcOf(0.6, 0.05) }),
    );
  }
  const erbb2Exons = readTsv(join(sources, 'erbb2-exons-grch38.tsv'));
  const erbb2First = Number(erbb2Exons[0].start0);
  const erbb2Last = Number(erbb2Exons[erbb2Exons.length - 1].end);

  for (const g of readTsv(join(sources, 'chr17-genes.tsv'))) {
    if (g.gene === 'ERBB2') continue;
    let start = Number(g.start0);
    let end = Number(g.end);
    // PGAP3 and MIEN1 overlap ERBB2's transcript; keep their probes clear of its exons.
    if (g.gene === 'PGAP3') end = Math.min(end, erbb2First - 500);
    if (g.gene === 'MIEN1') start = Math.max(start, erbb2Last + 300);
    const inAmplicon = g.region === '17q12 amplicon';
    const n = end - start < 5000 ? 2 : inAmplicon ? 4 : 4;
    spread(start, end, n).forEach(([s, e], k) =>
      rows.push({ chrom: 'chr17', start: s, end: e, name: `${g.gene}_p${k + 1}`, gc: gcOf(inAmplicon ? 0.55 : 0.5, 0.06) }),
    );
  }

  const lengths = CHROMOSOME_LENGTHS.GRCh38;
  for (let c = 1; c <= 22; c++) {
    if (c === 17) continue;
    const chrom = `chr${c}`;
    const length = lengths[chrom];
    spread(Math.round(length * 0.05), Math.round(length * 0.95), 6).forEach(([s, e], k) =>
      rows.push({ chrom, start: s, end: e, name: `${chrom}-backbone_p${k + 1}`, gc: gcOf(0.45, 0.08) }),
    );
  }
  // chrX outside PAR1 (to 2.78 Mb) and PAR2 (from 155.70 Mb); chrY in the male-specific region 7-25 Mb.
  spread(5_000_000, 150_000_000, 10).forEach(([s, e], k) =>
    rows.push({ chrom: 'chrX', start: s, end: e, name: `chrX-backbone_p${k + 1}`, gc: gcOf(0.42, 0.06) }),
  );
  spread(7_000_000, 25_000_000, 6).forEach(([s, e], k) =>
    rows.push({ chrom: 'chrY', start: s, end: e, name: `chrY-backbone_p${k + 1}`, gc: gcOf(0.4, 0.05) }),
  );
  const order = (chrom: string) => (chrom === 'chrX' ? 23 : chrom === 'chrY' ? 24 : Number(chrom.slice(3)));
  rows.sort((a, b) => order(a.chrom) - order(b.chrom) || a.start - b.start);
  return rows;
}

const DEMO_TITLE = 'her2cn demo panel, GRCh38: 120-nt probes; ERBB2 exons of NM_004448.4, chr17 genes, backbone. gc is modelled (see panels/README.md).';

/** A panel BED with a gc column: a title line, then the header that names the columns (without it the gc column is not read). */
export function formatPanel(rows: Row[], title = DEMO_TITLE): string {
  const lines = [
    `# ${title}`,
    '#chrom\tstart\tend\tname\tscore\tstrand\tgc',
    ...rows.map(r => [r.chrom, r.start, r.end, r.name, 0, '+', r.gc.toFixed(3)].join('\t')),
  ];
  return lines.join('\n') + '\n';
}

function main(): void {
  const outIndex = process.argv.indexOf('--out');
  const out = outIndex > 0 ? process.argv[outIndex + 1] : 'panels';
  const rows = buildDemoPanel(join(out, 'sources'));
  writeFileSync(join(out, 'her2cn-demo-grch38.bed'), formatPanel(rows));
  process.stderr.write(`wrote ${rows.length} probes to ${join(out, 'her2cn-demo-grch38.bed')}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
