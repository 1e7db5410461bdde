// <sample>.her2cn.vcf: the ERBB2 result as one VCF 4.4 record that pipelines
// can merge across samples (bcftools merge): INFO describes the site only
// (the ERBB2 region, the <DUP> allele), and everything measured on the
// sample sits in its FORMAT fields, so a merged record keeps each sample's
// own call, levels and QC.
//   amplified      ALT <DUP>, GT 0/1 (the gained allele beside reference copies)
//   not amplified  ALT '.' (no alternate allele: assessed, reference state), GT 0/0
//   no call        ALT '.', GT ./. (not assessed), FT QC_FAIL plus the failed checks
// FILTER is PASS: the site is always assessed; a sample's QC is its FT, which
// survives a merge where a record's FILTER could not. GT 0/1 for a gain is
// CNVkit's convention (the copies per haplotype are not known, and the normal
// cells' are reference); DRAGEN's ./1 is not used because bcftools takes a
// half-missing genotype for a missing one (GT="alt" does not select it,
// F_MISSING counts it).
// The record spans the ERBB2 probes (POS is the padding base before the first
// probe, END the last probe's last base). REF is N: her2cn reads no reference.
import type { CallResult } from '../call/call.js';
import { BGZF_EOF, bgzfBlocks } from './bgzf-writer.js';
import { reg2bin } from './bins.js';

export interface VcfContext {
  version: string;
  build: string;
  /** The BAM's references, in header order, for ##contig lines. */
  contigs: { name: string; length: number }[];
  /** ERBB2's chromosome as the BAM names it. */
  chrom: string;
}

const FILTERS: Record<string, string> = {
  PASS: 'All filters passed',
  QC_FAIL: 'Sample QC failed: ERBB2 not assessed (no_call); the reasons are in the JSON qc.reasons',
  HIGH_NOISE: 'MAPD of probe log2 ratios above the limit',
  LOW_DEPTH: 'Median probe depth below the limit (absolute or relative to the normals)',
  FEW_PROBES: 'Too few usable ERBB2 probes',
  HIGH_SPREAD: "ERBB2's probes around their level, or the other genes' levels around their chromosome arms, spread beyond the panel of normals' limit",
  GC_BIAS: 'The call rests on a GC correction at ERBB2 beyond the validated range (the level before it lies across the threshold)',
};

const CHECK_FILTER: Record<string, string> = {
  mapd: 'HIGH_NOISE',
  median_depth: 'LOW_DEPTH',
  median_depth_vs_normals: 'LOW_DEPTH',
  erbb2_probes_used: 'FEW_PROBES',
  erbb2_probe_spread: 'HIGH_SPREAD',
  gene_level_spread: 'HIGH_SPREAD',
  gc_correction_erbb2: 'GC_BIAS',
};

const INFO: [id: string, number: string, type: string, description: string][] = [
  ['END', '1', 'Integer', 'End of the assessed region (last base of the last ERBB2 probe)'],
  ['SVTYPE', '1', 'String', 'Structural variant type (DUP for an amplification)'],
  ['SVLEN', 'A', 'Integer', 'Length of the amplified region'],
  ['SVCLAIM', 'A', 'String', 'Claim of the call: D, from read depth'],
  ['GENE', '1', 'String', 'Gene assessed'],
  ['PROBES', '1', 'Integer', 'ERBB2 probes on the panel'],
];

/** Per-sample fields, in the record's FORMAT order (GT first, as VCF requires). */
const FORMAT: [id: string, number: string, type: string, description: string][] = [
  ['GT', '1', 'String', 'Genotype against <DUP>: 0/1 amplified (a gain beside reference copies; copies per haplotype not known), 0/0 not amplified, ./. no call (not assessed)'],
  ['FT', '1', 'String', 'Sample QC: PASS, or QC_FAIL and the failed checks (HIGH_NOISE, LOW_DEPTH, FEW_PROBES, HIGH_SPREAD, GC_BIAS) separated by semicolons'],
  ['CALL', '1', 'String', 'her2cn bulk call: amplified, not_amplified or no_call'],
  ['ASSESSMENT', '1', 'String', 'her2cn assessment, the answer to act on: amplified, not_amplified, indeterminate (reflex to FISH) or no_call'],
  ['CN', '1', 'Float', 'Bulk ERBB2 copy number, 2 x 2^LOG2: the average over all cells of the sample, tumour and normal (per tumour cell: TUMOR_CN); missing for a no-call'],
  ['LOG2', '1', 'Float', 'Gene-level log2 fold change of ERBB2 against the panel of normals; missing for a no-call'],
  ['LOG2_CI95', '2', 'Float', '95% interval of LOG2'],
  ['FOLD_CHANGE', '1', 'Float', '2^LOG2'],
  ['THRESHOLD', '1', 'Float', 'log2 cut-off for amplified used in this call'],
  ['PROBES_USED', '1', 'Integer', 'ERBB2 probes used'],
  ['PROBES_AMP', '1', 'Integer', 'ERBB2 probes with log2 at or above the threshold'],
  ['CHR17_LOG2', '1', 'Float', 'log2 of chromosome 17 outside the ERBB2 window'],
  ['ERBB2_MINUS_CHR17', '1', 'Float', 'LOG2 - CHR17_LOG2: focal amplification versus whole-chromosome gain'],
  ['MAPD', '1', 'Float', 'Sample noise: median absolute difference of neighbouring probe log2'],
  ['PURITY', '1', 'Float', 'Tumour purity given with --purity'],
  ['TUMOR_CN', '1', 'Float', 'ERBB2 copies per tumour cell, purity-adjusted (with PURITY; not the bulk CN)'],
  ['TUMOR_CN_CI95', '2', 'Float', '95% interval of TUMOR_CN over the LOG2 interval and the purity range'],
];

/** VCF header and sample fields cannot hold tabs, line breaks or (in structured lines) quotes. */
export function vcfSampleName(name: string): string {
  return name.replace(/[\t\r\n]/g, '_') || 'sample';
}

const num = (x: number) => Number(x.toFixed(4)).toString();
const value = (x: number | null | undefined) => (x === null || x === undefined ? '.' : num(x));
const pair = (x: [number, number] | null | undefined) => (x ? `${num(x[0])},${num(x[1])}` : '.');

/** The sample's QC as FT: PASS, or QC_FAIL and the failed checks. */
function sampleFilter(result: CallResult): string {
  if (result.call !== 'no_call') return 'PASS';
  const failed = result.qc.checks.filter(c => !c.pass).map(c => CHECK_FILTER[c.metric]).filter(f => f !== undefined);
  return ['QC_FAIL', ...new Set(failed)].join(';');
}

const GENOTYPE = { amplified: '0/1', not_amplified: '0/0', no_call: './.' } as const;

export function formatVcf(result: CallResult, ctx: VcfContext): string {
  const erbb2 = result.probe_results.filter(p => p.gene === 'ERBB2');
  const start = Math.min(...erbb2.map(p => p.start));
  const end = Math.max(...erbb2.map(p => p.end));
  const pos = Math.max(1, start); // 1-based position of the base before the first probe base
  const header = [
    '##fileformat=VCFv4.4',
    `##source=her2cn ${ctx.version}`,
    `##reference=${ctx.build}`,
    ...ctx.contigs.map(c => `##contig=<ID=${c.name},length=${c.length}>`),
    '##ALT=<ID=DUP,Description="Copy-number gain: ERBB2 amplified (log2 ratio at or above the threshold)">',
    ...Object.entries(FILTERS).map(([id, d]) => `##FILTER=<ID=${id},Description="${d}">`),
    ...INFO.map(([id, n, t, d]) => `##INFO=<ID=${id},Number=${n},Type=${t},Description="${d}">`),
    ...FORMAT.map(([id, n, t, d]) => `##FORMAT=<ID=${id},Number=${n},Type=${t},Description="${d}">`),
    ['#CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO', 'FORMAT', vcfSampleName(result.sample)].join('\t'),
  ];
  const amplified = result.call === 'amplified';
  const info: string[] = [`END=${end}`];
  if (amplified) info.push('SVTYPE=DUP', `SVLEN=${end - pos}`, 'SVCLAIM=D');
  info.push('GENE=ERBB2', `PROBES=${result.probes.total}`);
  const sample: Record<string, string> = {
    GT: GENOTYPE[result.call],
    FT: sampleFilter(result),
    CALL: result.call,
    ASSESSMENT: result.assessment.status,
    CN: value(result.fold_change === null ? null : 2 * result.fold_change),
    LOG2: value(result.log2),
    LOG2_CI95: pair(result.ci95),
    FOLD_CHANGE: value(result.fold_change),
    THRESHOLD: num(result.threshold),
    PROBES_USED: String(result.probes.used),
    PROBES_AMP: String(result.probes.at_or_above_threshold),
    CHR17_LOG2: value(result.chr17.log2),
    ERBB2_MINUS_CHR17: value(result.chr17.erbb2_minus_chr17),
    MAPD: value(result.qc.mapd),
    PURITY: value(result.purity),
    TUMOR_CN: value(result.tumor_copy_number),
    TUMOR_CN_CI95: pair(result.tumor_copy_number_ci95),
  };
  const ids = FORMAT.map(([id]) => id);
  const record = [ctx.chrom, pos, '.', 'N', amplified ? '<DUP>' : '.', '.', 'PASS', info.join(';'), ids.join(':'), ids.map(id => sample[id]).join(':')].join('\t');
  return [...header, record].join('\n') + '\n';
}

/** Parts of a file as BGZF blocks, each part starting a block of its own, and where each part starts in the file. */
function bgzf(parts: Uint8Array[]): { data: Buffer; partOffsets: number[] } {
  const blocks: Buffer[] = [];
  const partOffsets: number[] = [];
  let compressed = 0;
  for (const part of parts) {
    partOffsets.push(compressed);
    for (const block of bgzfBlocks(part)) {
      blocks.push(block);
      compressed += block.length;
    }
  }
  return { data: Buffer.concat([...blocks, BGZF_EOF]), partOffsets };
}

/** htslib's pseudo-bin, which holds a reference's offset span and record counts. */
const PSEUDO_BIN = 37450;
const TBX_VCF = 2;

/**
 * `formatVcf`'s text bgzipped (`.vcf.gz`), with its tabix index (`.tbi`), as
 * `bgzip` and `tabix -p vcf` make them, so `bcftools merge` and region
 * queries read it. The header and the one record are BGZF blocks of their
 * own, so the record's offsets are whole blocks.
 */
export function bgzipVcf(text: string): { gz: Buffer; tbi: Buffer } {
  const body = Buffer.from(text, 'utf8');
  const recordStart = body.lastIndexOf('\n', body.length - 2) + 1;
  const record = body.subarray(recordStart).toString('utf8').split('\t');
  const { data, partOffsets } = bgzf([body.subarray(0, recordStart), body.subarray(recordStart)]);
  const chrom = record[0];
  const beg = Number(record[1]) - 1;
  const end = Number(/(?:^|;)END=(\d+)/.exec(record[7])?.[1] ?? Number(record[1]));
  // virtual offsets: the record's block, from its first byte to the next block (the end-of-file one), where htslib reads the line's end
  const vStart = BigInt(partOffsets[1]) << 16n;
  const vEnd = BigInt(data.length - BGZF_EOF.length) << 16n;

  const name = Buffer.from(`${chrom}\0`, 'latin1');
  const windows = ((end - 1) >> 14) + 1;
  const index = Buffer.alloc(36 + name.length + 4 + (4 + 4 + 16) + (4 + 4 + 32) + 4 + 8 * windows + 8);
  let at = 0;
  const i32 = (v: number) => (at = index.writeInt32LE(v, at));
  const u32 = (v: number) => (at = index.writeUInt32LE(v, at));
  const u64 = (v: bigint) => (at = index.writeBigUInt64LE(v, at));
  index.write('TBI\x01', 0, 'latin1');
  at = 4;
  i32(1); // references with records
  i32(TBX_VCF);
  i32(1); // column of the sequence name
  i32(2); // column of the start
  i32(0); // no end column: END in INFO
  i32('#'.charCodeAt(0)); // header lines start with #
  i32(0); // lines skipped
  i32(name.length);
  name.copy(index, at);
  at += name.length;
  // the record's bin, and htslib's pseudo-bin
  i32(2);
  u32(reg2bin(beg, end));
  i32(1);
  u64(vStart);
  u64(vEnd);
  u32(PSEUDO_BIN);
  i32(2);
  u64(vStart);
  u64(vEnd);
  u64(1n); // records placed
  u64(0n); // unplaced
  // linear index: every 16 kb window up to the record's last points at the record
  i32(windows);
  for (let w = 0; w < windows; w++) u64(vStart);
  u64(0n); // records without a position
  return { gz: data, tbi: bgzf([index]).data };
}
