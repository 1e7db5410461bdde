// <sample>.her2cn.vcf: the ERBB2 result as one VCF 4.4 record, so a pipeline
// can tell three states apart:
//   amplified      ALT <DUP>, FILTER PASS, SVTYPE=DUP
//   not amplified  ALT '.' (no alternate allele: assessed, reference state), FILTER PASS
//   no call        ALT '.', FILTER QC_FAIL (plus the failed checks): not assessed
// Every record spans the ERBB2 probes (POS is the padding base before the
// first probe, END the last probe's last base) and carries CALL, LOG2 and
// the counts behind it. REF is N: her2cn reads no reference sequence.
import type { CallResult } from '../call/call.js';

export interface VcfContext {
  version: string;
  build: string;
  /** The BAM's references, in header order, for ##contig lines. */
  contigs: { name: string; length: number }[];
  /** ERBB2's chromosome as the BAM names it. */
  chrom: string;
}

const FILTERS: Record<string, string> = {
  QC_FAIL: 'Sample QC failed: ERBB2 not assessed (no_call); the reasons are in the JSON qc.reasons',
  HIGH_NOISE: 'MAPD of probe log2 ratios above the limit',
  LOW_DEPTH: 'Median probe depth below the limit (absolute or relative to the normals)',
  FEW_PROBES: 'Too few usable ERBB2 probes',
};

const CHECK_FILTER: Record<string, string> = {
  mapd: 'HIGH_NOISE',
  median_depth: 'LOW_DEPTH',
  median_depth_vs_normals: 'LOW_DEPTH',
  erbb2_probes_used: 'FEW_PROBES',
};

/** VCF header and sample fields cannot hold tabs, line breaks or (in structured lines) quotes. */
export function vcfSampleName(name: string): string {
  return name.replace(/[\t\r\n]/g, '_') || 'sample';
}

function infoString(value: string): string {
  // INFO values: no whitespace, semicolons, equals signs or commas
  return value.replace(/[\s;=,]/g, '_');
}

const num = (x: number) => Number(x.toFixed(4)).toString();

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
    '##INFO=<ID=END,Number=1,Type=Integer,Description="End of the assessed region (last base of the last ERBB2 probe)">',
    '##INFO=<ID=SVTYPE,Number=1,Type=String,Description="Structural variant type (DUP for an amplification)">',
    '##INFO=<ID=SVLEN,Number=A,Type=Integer,Description="Length of the amplified region">',
    '##INFO=<ID=SVCLAIM,Number=A,Type=String,Description="Claim of the call: D, from read depth">',
    '##INFO=<ID=GENE,Number=1,Type=String,Description="Gene assessed">',
    '##INFO=<ID=CALL,Number=1,Type=String,Description="her2cn call: amplified, not_amplified or no_call">',
    '##INFO=<ID=LOG2,Number=1,Type=Float,Description="Gene-level log2 fold change against the panel of normals">',
    '##INFO=<ID=LOG2_CI95,Number=2,Type=Float,Description="95% bootstrap interval of LOG2">',
    '##INFO=<ID=FOLD_CHANGE,Number=1,Type=Float,Description="2^LOG2">',
    '##INFO=<ID=THRESHOLD,Number=1,Type=Float,Description="log2 cut-off for amplified">',
    '##INFO=<ID=PROBES,Number=1,Type=Integer,Description="ERBB2 probes on the panel">',
    '##INFO=<ID=PROBES_USED,Number=1,Type=Integer,Description="ERBB2 probes used">',
    '##INFO=<ID=PROBES_AMP,Number=1,Type=Integer,Description="ERBB2 probes with log2 at or above the threshold">',
    '##INFO=<ID=CHR17_LOG2,Number=1,Type=Float,Description="log2 of chromosome 17 outside the ERBB2 window">',
    '##INFO=<ID=ERBB2_MINUS_CHR17,Number=1,Type=Float,Description="LOG2 - CHR17_LOG2: focal amplification versus whole-chromosome gain">',
    '##INFO=<ID=MAPD,Number=1,Type=Float,Description="Sample noise: median absolute difference of neighbouring probe log2">',
    '##INFO=<ID=PURITY,Number=1,Type=Float,Description="Tumour purity given with --purity">',
    '##INFO=<ID=TUMOR_CN,Number=1,Type=Float,Description="Purity-adjusted ERBB2 copy number of tumour cells">',
    '##FORMAT=<ID=CN,Number=1,Type=Float,Description="Bulk ERBB2 copy number, 2 x FOLD_CHANGE">',
    '##FORMAT=<ID=LOG2,Number=1,Type=Float,Description="Gene-level log2 fold change">',
    ['#CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO', 'FORMAT', vcfSampleName(result.sample)].join('\t'),
  ];
  const amplified = result.call === 'amplified';
  const failed = result.qc.checks.filter(c => !c.pass).map(c => CHECK_FILTER[c.metric]);
  const filter = result.call === 'no_call' ? ['QC_FAIL', ...new Set(failed)].join(';') : 'PASS';
  const info: string[] = [`END=${end}`];
  if (amplified) info.push('SVTYPE=DUP', `SVLEN=${end - pos}`, 'SVCLAIM=D');
  info.push(`GENE=ERBB2`, `CALL=${infoString(result.call)}`);
  if (result.log2 !== null) info.push(`LOG2=${num(result.log2)}`);
  if (result.ci95) info.push(`LOG2_CI95=${num(result.ci95[0])},${num(result.ci95[1])}`);
  if (result.fold_change !== null) info.push(`FOLD_CHANGE=${num(result.fold_change)}`);
  info.push(`THRESHOLD=${num(result.threshold)}`, `PROBES=${result.probes.total}`, `PROBES_USED=${result.probes.used}`, `PROBES_AMP=${result.probes.at_or_above_threshold}`);
  if (result.chr17.log2 !== null) info.push(`CHR17_LOG2=${num(result.chr17.log2)}`);
  if (result.chr17.erbb2_minus_chr17 !== null) info.push(`ERBB2_MINUS_CHR17=${num(result.chr17.erbb2_minus_chr17)}`);
  if (result.qc.mapd !== null) info.push(`MAPD=${num(result.qc.mapd)}`);
  if (result.purity !== null) info.push(`PURITY=${num(result.purity)}`);
  if (result.tumor_copy_number !== null) info.push(`TUMOR_CN=${num(result.tumor_copy_number)}`);
  const sample = result.fold_change === null ? '.:.' : `${num(2 * result.fold_change)}:${num(result.log2!)}`;
  const record = [ctx.chrom, pos, '.', 'N', amplified ? '<DUP>' : '.', '.', filter, info.join(';'), 'CN:LOG2', sample].join('\t');
  return [...header, record].join('\n') + '\n';
}
