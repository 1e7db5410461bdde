// <sample>.report.html: the one page a molecular pathologist signs off from.
// Self-contained (inline CSS and SVG, no scripts, no network), sized for one
// A4 or Letter page. Every string from a user or a file is escaped.
import { type CallResult, DEFAULT_THRESHOLD } from '../call/call.js';
import { isPartReason } from '../call/assessment.js';
import type { Specimen } from '../result/schema.js';
import { fixed } from '../stats/round.js';
import { escapeXml } from './svg.js';
import { percentText } from '../stats/round.js';

export interface ReportContext {
  version: string;
  /** The coverage input. */
  bam: string;
  /** Its format (BAM when absent); precomputed depths were not counted from reads by her2cn. */
  coverage?: { format: string; label: string; precomputed: boolean };
  panel: string;
  pon: string;
  ponNormalsUsed: number;
  ponNormals: number;
  ponFingerprint: string;
  filters: { minMapq: number; excludeFlags: number };
  build: string;
  ihc: string | null;
  /** The specimen as the laboratory identifies it; the block shows blanks to fill in by hand where nothing was given. */
  specimen: Specimen | null;
  her2Category: { category: string; basis: string } | null;
  workup: { action: string; concordance: string; explanation: string } | null;
}

const e = (v: unknown) => escapeXml(String(v));
const f2 = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : fixed(v, 2));

/** What the test is for and what it is not: the statement a laboratory report carries. */
export const INTENDED_USE =
  'ERBB2 (HER2) copy number from hybrid-capture panel sequencing of tumour tissue, read by a pathologist with the IHC and histology; indeterminate results and no-calls go to FISH. Each laboratory validates the test on its own assay and panel of normals.';

/**
 * A QC value for the table: counts whole, 1 decimal for depth, 2 for the others, or more
 * (up to 6) where fewer would print it at or across its limit when it is not
 * (a MAPD of 0.2546 against a limit of 0.25 reads 0.255, not "0.25 ≤ 0.25
 * FAIL"; 0.3207 against a limit of 0.3204 set by the user reads 0.321).
 */
export function qcValue(metric: string, value: number | null, limit?: number): string {
  if (value === null) return 'n/a';
  if (metric === 'erbb2_probes_used') return String(value);
  let digits = metric === 'median_depth' ? 1 : 2;
  if (limit !== undefined) {
    const side = (x: number) => Math.sign(x - limit);
    while (digits < 6 && side(Number(fixed(value, digits))) !== side(value)) digits++;
  }
  return fixed(value, digits);
}

/** The specimen block: what was given, blank lines to fill in by hand for the rest. */
function specimenRows(s: Specimen | null): [string, string | null][] {
  return [
    ['Specimen', s?.id ?? null],
    ['Accession', s?.accession ?? null],
    ['Block', s?.block ?? null],
    ['Tumour content', s?.tumor_content ?? null],
    ['Collected', s?.collected ?? null],
  ];
}

/**
 * The headline: the assessment and its action, styled by how firm it is (a
 * solid box only for a clear answer; dashed for indeterminate and no-call).
 */
function headline(r: CallResult): { text: string; cls: string } {
  const a = r.assessment;
  const basis = a.basis === 'tumor_cells' ? 'in tumour cells' : 'in bulk DNA (no purity given)';
  switch (a.status) {
    case 'amplified':
      return { cls: 'amplified', text: `ERBB2 AMPLIFIED ${basis}. Action: ${a.action}.` };
    case 'not_amplified':
      return { cls: 'not-amplified', text: `ERBB2 not amplified ${basis}. Action: ${a.action}.` };
    case 'indeterminate':
      return { cls: 'indeterminate', text: `ERBB2 INDETERMINATE ${basis}: the data can neither confirm nor exclude amplification. Action: ${a.action}.` };
    default:
      return { cls: 'no-call', text: `NO CALL: ERBB2 could not be assessed because the sample failed quality control. Do not report ERBB2 from this test; use FISH.` };
  }
}

/** The bulk call beside the headline: the rule validated against FISH, with its level. */
function bulkSentence(r: CallResult): string {
  if (r.call === 'no_call') return 'Bulk call: no call (QC failed).';
  const ci = r.ci95 ? ` (95% CI ${f2(r.ci95[0])} to ${f2(r.ci95[1])})` : '';
  const borderline = r.ci95 && r.ci95[0] < r.threshold && r.ci95[1] >= r.threshold ? ' Borderline: the interval crosses the cut-off.' : '';
  return `Bulk call: ${r.call === 'amplified' ? 'amplified' : 'not amplified'}, gene-level log2 ratio ${f2(r.log2)}${ci}, ${r.call === 'amplified' ? 'at or above' : 'below'} the ${r.threshold} cut-off.${borderline}`;
}

/** Tumour-cell numbers in pairs across the page (they are short), or why there are none. */
function tumourTable(r: CallResult): string {
  const rows = tumourRows(r);
  if (rows.length === 0) {
    return `<p>${r.purity === null ? 'Purity not given: tumour-cell copies not estimated.' : `Purity ${f2(r.purity)} given; tumour-cell copies not estimated: ${r.call === 'no_call' ? 'no call (QC failed)' : 'no ERBB2 level'}.`}</p>`;
  }
  const pair = (row: [string, string] | undefined) => (row ? `<th>${e(row[0])}</th><td>${e(row[1])}</td>` : '<td></td><td></td>');
  const lines: string[] = [];
  for (let i = 0; i < rows.length; i += 2) lines.push(`<tr>${pair(rows[i])}${pair(rows[i + 1])}</tr>`);
  return `<table id="tumour-cells">${lines.join('')}</table>`;
}

/** What the tumour-cell numbers are: ERBB2's gene level where part of it has its own, intervals over the levels' 95% CIs and the purity range (not a 95% CI alone). */
function tumourHeadingNote(r: CallResult): string {
  if (!r.tumor) return '';
  // With a partial amplicon the table is the gene level's (most of its probes); the part's copies are in the reasons above, said in the heading's own type.
  const part = r.assessment.reasons.some(isPartReason) ? ` <span class="note">ERBB2's gene level; a part of the gene is judged under Why.</span>` : '';
  return `${part} <span class="small">(intervals over each level's 95% CI and the purity range)</span>`;
}

/** Tumour-cell numbers, when purity was given (ERBB2's gene level; the heading says so when part of it has its own). */
function tumourRows(r: CallResult): [string, string][] {
  const t = r.tumor;
  if (!t) return [];
  const i1 = (ci: [number, number] | null) => (ci ? ` (${fixed(ci[0], 1)} to ${fixed(ci[1], 1)})` : '');
  return [
    ['Purity (taken as)', `${f2(t.purity)} (${f2(t.purity_range[0])} to ${f2(t.purity_range[1])})`],
    ['ERBB2 copies per cell (interval)', `${fixed(t.erbb2_copies, 1)}${i1(t.erbb2_copies_ci95)}`],
    ['CEP17-like copies (interval)', t.cep17_copies === null ? `n/a (${t.cep17_probes} probes near the centromere)` : `${fixed(t.cep17_copies, 1)}${i1(t.cep17_copies_ci95)}, ${t.cep17_probes} probes`],
    ['ERBB2/CEP17-like ratio (interval)', t.ratio === null ? 'n/a' : `${f2(t.ratio)}${t.ratio_ci95 ? ` (${f2(t.ratio_ci95[0])} to ${f2(t.ratio_ci95[1])})` : ''}`],
    ['ASCO/CAP-like group', t.group === null ? 'n/a' : `${t.group} (point estimates)`],
    ['Probability of amplification; detection limit', `${probabilityText(t.amplification_probability)}; ${t.detection_limit_copies === null ? 'none at this purity' : `${fixed(t.detection_limit_copies, 1)} copies per tumour cell`}`],
  ];
}

/** Over the levels' intervals, at the purity range's two ends (and the unknown ratio without a reference). */
function probabilityText([low, high]: readonly [number, number]): string {
  const range = percentText(low) === percentText(high) ? percentText(low) : `${percentText(low)} to ${percentText(high)}`;
  return `${range} (amplified ≥ 97.5%, not ≤ 2.5%)`;
}

const FLAG_NAMES: [number, string][] = [
  [0x4, 'unmapped'],
  [0x100, 'secondary'],
  [0x200, 'QC-fail'],
  [0x400, 'duplicate'],
  [0x800, 'supplementary'],
];

function flagNames(mask: number): string {
  const names = FLAG_NAMES.filter(([bit]) => mask & bit).map(([, name]) => name);
  const other = FLAG_NAMES.reduce((m, [bit]) => m & ~bit, mask);
  return [...names, ...(other ? [`other bits ${other}`] : [])].join(', ') || 'none';
}

const METRIC_LABEL: Record<string, string> = {
  mapd: 'Noise (MAPD of probe log2)',
  median_depth: 'Median probe depth (x)',
  median_depth_vs_normals: 'Depth relative to the normals',
  erbb2_probes_used: 'Usable ERBB2 probes',
  erbb2_probe_spread: 'ERBB2 probes',
  gene_level_spread: 'genes',
  gc_correction_erbb2: 'GC correction relied on',
};
/** The checks that share the table's last row: the spreads, then the GC correction the call rests on. */
const SHARED_ROW_METRICS = ['erbb2_probe_spread', 'gene_level_spread', 'gc_correction_erbb2'];

/**
 * The QC table's rows, one per check but for the two spread checks and the
 * GC check, which share one (values and limits separated by semicolons):
 * the page has room for no more rows. The GC check is shown where it failed
 * (a no-call, whose page has room); passed, it is in the JSON, and a large
 * correction is among the reviewer's flags.
 */
function qcTableRows(all: CallResult['qc']['checks']): string[][] {
  const checks = all.filter(c => c.metric !== 'gc_correction_erbb2' || !c.pass);
  const limit = (c: CallResult['qc']['checks'][number]) => `${c.kind === 'max' ? '≤' : '≥'} ${c.limit}`;
  const rows = checks.filter(c => !SHARED_ROW_METRICS.includes(c.metric)).map(c => [METRIC_LABEL[c.metric] ?? c.metric, qcValue(c.metric, c.value, c.limit), limit(c), c.pass ? 'pass' : 'FAIL']);
  const shared = checks.filter(c => SHARED_ROW_METRICS.includes(c.metric));
  if (shared.length === 0) return rows;
  const joined = (f: (c: (typeof shared)[number]) => string) => shared.map(f).join('; ');
  // 'Spread: ERBB2 probes; genes', with the failed GC check after them.
  const label = shared.map((c, k) => (k === 0 && c.metric !== 'gc_correction_erbb2' ? 'Spread: ' : '') + METRIC_LABEL[c.metric]).join('; ');
  return [...rows, [label, joined(c => qcValue(c.metric, c.value, c.limit)), joined(limit), shared.every(c => c.pass) ? 'pass' : 'FAIL']];
}

// Long by design: the one-page HTML template, read top to bottom as the page.
export function reportHtml(r: CallResult, ctx: ReportContext, plotSvg: string): string {
  const call = headline(r);
  const neighboursAbove = r.amplicon.neighbours.filter(g => g.at_or_above_threshold).map(g => g.gene);
  const withheld = r.measured_for_review
    ? 'not reported: QC failed (the measured values, for review only and not a result, are in the JSON under measured_for_review)'
    : 'not reported: QC failed (no level could be measured)';
  const rows: [string, string][] = r.call === 'no_call'
    ? [
        ['ERBB2 level', withheld],
        ['Rest of chromosome 17', r.chr17.log2 === null ? 'not reported: QC failed (no level could be measured)' : 'not reported: QC failed (the measured level, for review only, is in the JSON as chr17.log2)'],
        ['Sex (from chrX/chrY)', r.sex.sex],
      ]
    : [
    ['ERBB2 log2 ratio (95% CI)', `${f2(r.log2)}${r.ci95 ? ` (${f2(r.ci95[0])} to ${f2(r.ci95[1])})` : ''}`],
    ['Fold change', r.fold_change === null ? 'n/a' : `${f2(r.fold_change)}x`],
    ['ERBB2 probes at or above the cut-off', `${r.probes.at_or_above_threshold} of ${r.probes.used} used (${r.probes.total} on the panel)`],
    ['Rest of chromosome 17 (log2)', `${f2(r.chr17.log2)}; ERBB2 minus chr17 ${f2(r.chr17.erbb2_minus_chr17)}`],
    ['Other 17q12 genes at or above the cut-off', neighboursAbove.length ? neighboursAbove.join(', ') : 'none'],
    ['Sex (from chrX/chrY)', r.sex.sex],
  ];
  const cutoff =
    r.threshold === DEFAULT_THRESHOLD
      ? 'the cut-off validated against FISH in the published cohort'
      : `a cut-off set for this run (the cut-off validated against FISH in the published cohort is ${DEFAULT_THRESHOLD})`;
  const qcRows = qcTableRows(r.qc.checks);
  const cellPair = ([k, v]: [string, string | null]) => `<th>${e(k)}</th><td${v === null ? ' class="blank"' : ''}>${v === null ? '' : e(v)}</td>`;
  const fields: [string, string | null][] = [['Sample', r.sample], ...specimenRows(ctx.specimen)];
  const specimen = [0, 2, 4].map(i => `<tr>${cellPair(fields[i])}${cellPair(fields[i + 1])}</tr>`).join('');
  const ihc = ctx.ihc
    ? `<section class="ihc"><h2>IHC and work-up (decision support)</h2><p>IHC ${e(ctx.ihc)}: ${e(ctx.her2Category?.category)} (${e(ctx.her2Category?.basis)}). Next step: <b>${e(ctx.workup?.action)}</b> — ${e(ctx.workup?.explanation)}.</p></section>`
    : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>her2cn ERBB2 report: ${e(r.sample)}</title>
<style>
@page { margin: 9mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10px; color: #111; margin: 0 auto; max-width: 190mm; }
h1 { font-size: 15px; margin: 0 0 3px; } h2 { font-size: 11.5px; margin: 5px 0 2px; } p { margin: 2px 0; }
.call { font-size: 14px; font-weight: bold; padding: 5px 8px; border: 2px solid; margin: 5px 0 3px; }
.amplified { color: #8a3300; border-color: #d55e00; background: #fbe3d4; }
.not-amplified { color: #00466e; border-color: #0072b2; background: #e1f0f8; }
.no-call { color: #b00020; border-color: #b00020; background: #fde7ea; border-style: dashed; }
.indeterminate { color: #6b2c57; border-color: #8e3a73; background: #f6e8f1; border-style: dashed; border-width: 3px; }
.bulk { margin: 2px 0 3px; }
table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #bbb; padding: 1px 5px; text-align: left; vertical-align: top; }
th { background: #f0f0f0; font-weight: normal; } .fail { color: #b00020; font-weight: bold; }
#specimen th { width: 17%; } #specimen td { width: 33%; } #specimen td.blank { min-height: 1em; }
.cols { display: flex; gap: 8px; } .cols > div { flex: 1; min-width: 0; }
#plot svg { width: 100%; height: auto; display: block; margin: 0 auto; } ul { margin: 1px 0; padding-left: 16px; }
.sign { margin-top: 6px; display: flex; gap: 40px; } .small { color: #444; font-size: 9.5px; } h2 .note, h2 .small { font-weight: normal; } h2 .note { font-size: 10px; }
</style></head><body>
<h1>ERBB2 (HER2) copy number from panel sequencing</h1>
<table id="specimen">${specimen}</table>
<div class="call ${call.cls}" id="call">${e(call.text)}</div>
<p class="bulk" id="bulk">${e(bulkSentence(r))}</p>
<div class="cols"><div id="assessment"><b>Why:</b><ul>${r.assessment.reasons.map(x => `<li>${e(x)}</li>`).join('')}</ul></div>${r.qc.reasons.length ? `<div><b>Flags for the reviewer:</b><ul>${r.qc.reasons.map(x => `<li>${e(x)}</li>`).join('')}</ul></div>` : ''}</div>
<div class="cols"><div><h2>Result</h2><table>${rows.map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(v)}</td></tr>`).join('')}</table></div>
<div><h2>Quality control (no call if any check fails)</h2><table>${qcRows
    .map(([a, b, c, d]) => `<tr><td>${e(a)}</td><td>${e(b)}</td><td>${e(c)}</td><td class="${d === 'FAIL' ? 'fail' : ''}">${e(d)}</td></tr>`)
    .join('')}</table>${ihc}</div></div>
<h2>Tumour cells${tumourHeadingNote(r)}</h2>${tumourTable(r)}
<figure id="plot" style="margin:0">${plotSvg}</figure>
<p class="small" id="methods"><b>Methods.</b> her2cn ${e(ctx.version)}; ${ctx.coverage?.precomputed ? `coverage ${e(ctx.bam)} (precomputed ${e(ctx.coverage.label)})` : `${e(ctx.coverage?.label ?? 'BAM')} ${e(ctx.bam)}`}; genome ${e(ctx.build)}. ${
    ctx.coverage?.precomputed
      ? `Probe depths read from a precomputed ${e(ctx.coverage.label)} file: her2cn did not see the reads, so the read filters (MAPQ ≥ ${ctx.filters.minMapq}, SAM flag bits ${ctx.filters.excludeFlags} excluded, mate overlaps counted once, as for the panel of normals) could not be checked, and no fragment-length correction was made.`
      : `Probe depth: reads with MAPQ ≥ ${ctx.filters.minMapq}, without SAM flags ${ctx.filters.excludeFlags} (${e(flagNames(ctx.filters.excludeFlags))}), mate overlaps once.`
  } Log2 ratios against a panel of normals (${ctx.ponNormalsUsed} of ${ctx.ponNormals} used; ${e(ctx.pon)}${ctx.panel.startsWith(`${ctx.pon} (`) ? '' : `, panel ${e(ctx.panel)}`}, fingerprint ${e(ctx.ponFingerprint.slice(0, 12))}), corrected ${ctx.coverage?.precomputed ? '' : 'for fragment length on crowded probes and '}for the sample's GC trend, centred on autosomes off chromosome 17. ERBB2 level: the biweight location of its probes; 95% interval: a bootstrap over probes with the assay's gene-level variation in the normals. The bulk call is amplified at log2 ≥ ${r.threshold} (fold change ${f2(2 ** r.threshold)}), ${cutoff}; low purity or heterogeneity lowers the bulk ratio, and the plot's copy axis (2 × 2^log2) is bulk copies. With the purity: ERBB2 copies per tumour cell (2R − 2(1 − p)) / p, the tumour's genome average taken as two (FISH may count twice as many after genome doubling), and their ratio to chromosome 17 near its centromere; amplified when the probability of ASCO/CAP's FISH-positive region (≥ 6 copies, or ≥ 4 with a ratio ≥ 2) is ≥ 97.5% over the purity range, not amplified when ≤ 2.5%, else indeterminate. FISH remains the reference.</p>
<p class="small" id="intended-use"><b>Intended use.</b> ${e(INTENDED_USE)}</p>
<div class="sign"><span>Reviewed by: ______________________</span><span>Date: ______________</span></div>
</body></html>
`;
}
