// validation.md and validation.html: the same content, for a repository or a
// lab's validation document, and for a browser (self-contained, figures inline).
import { escapeXml } from '../output/svg.js';
import { clopperPearson } from './binomial.js';
import type { Metric, ValidationReport } from './concordance.js';
import { ihcGroupsSvg, ratioScatterSvg, rocSvg } from './plots.js';

/** A proportion as a percentage with one decimal, from its exact value (never a value already rounded for the JSON: 28/29 is 96.6%, not 96.5%). */
const pct = (v: number | null) => (v === null ? 'n/a' : `${(100 * v).toFixed(1)}%`);

const share = (part: number, whole: number) => (whole ? part / whole : null);

/** A proportion with its count and exact 95% interval, each computed again from the counts, so the text rounds once. */
export function metricText(m: Metric): string {
  if (m.denominator === 0) return `n/a (0 cases)`;
  const [lo, hi] = clopperPearson(m.numerator, m.denominator);
  return `${pct(m.numerator / m.denominator)} (${m.numerator}/${m.denominator}; 95% CI ${pct(lo)}–${pct(hi)})`;
}

const METRIC_NAMES = [
  ['sensitivity', 'Sensitivity', 'TP / (TP + FN)'],
  ['specificity', 'Specificity', 'TN / (TN + FP)'],
  ['ppv', 'PPV', 'TP / (TP + FP)'],
  ['npv', 'NPV', 'TN / (TN + FN)'],
  ['accuracy', 'Accuracy', '(TP + TN) / N'],
] as const;

interface Section {
  title: string;
  paragraphs?: string[];
  table?: { head: string[]; rows: string[][] };
}

// Long by design: the validation document's sections in reading order, one template.
function sections(r: ValidationReport, threshold: number | null): Section[] {
  const s: Section[] = [];
  const fieldName = (on: string) => (on === 'assessment' ? 'assessment (tumour-cell view)' : 'bulk call (log2 at or above the threshold)');
  s.push({
    title: 'Reference and samples',
    paragraphs: [
      `Reference: ${r.reference_rule}. Scored: the ${fieldName(r.scored_on)}. ${r.n} samples matched between results and truth; ${r.n_in_table} in the 2x2 table.`,
      `No-calls (not in the table): ${r.no_calls.length ? r.no_calls.join(', ') : 'none'}. Indeterminate (not in the table; reflexed to FISH): ${r.indeterminate.length ? r.indeterminate.join(', ') : 'none'}, ${metricText(r.indeterminate_rate)} of the samples with a reference value. Without a reference value: ${r.no_reference.length ? r.no_reference.join(', ') : 'none'}.`,
      `Results without truth: ${r.unmatched.results_only.length ? r.unmatched.results_only.join(', ') : 'none'}. Truth without results: ${r.unmatched.truth_only.length ? r.unmatched.truth_only.join(', ') : 'none'}.`,
    ],
  });
  const tables = [r, r.other_field].map(f => ({ on: f.scored_on, table: f.table, metrics: f.metrics, noCalls: f.no_calls, indeterminate: f.indeterminate, rate: f.indeterminate_rate }));
  for (const [k, f] of tables.entries()) {
    const which = k === 0 ? '' : ` of the ${fieldName(f.on)}, for comparison`;
    s.push({
      title: `2x2 table${which || `: ${fieldName(f.on)}`}`,
      paragraphs: k === 0 ? [] : [`No-calls: ${f.noCalls.length}; indeterminate: ${f.indeterminate.length} (${metricText(f.rate)}).`],
      table: {
        head: ['', `${r.reference} positive`, `${r.reference} negative`],
        rows: [
          ['NGS amplified', String(f.table.tp), String(f.table.fp)],
          ['NGS not amplified', String(f.table.fn), String(f.table.tn)],
        ],
      },
    });
    s.push({
      title: `Metrics${which}`,
      paragraphs: ['Exact (Clopper–Pearson) 95% confidence intervals.'],
      table: { head: ['metric', 'definition', 'value'], rows: METRIC_NAMES.map(([m, name, def]) => [name, def, metricText(f.metrics[m])]) },
    });
  }
  s.push({
    title: 'Discordant cases',
    table: {
      head: ['sample', 'call', 'assessment', 'log2', '95% CI', 'QC', 'FISH', 'IHC', 'ratio', 'HER2/cell', 'group'],
      rows: r.discordant.map(d => [
        d.sample,
        d.call,
        d.assessment,
        d.log2 === null ? 'n/a' : d.log2.toFixed(2),
        d.ci95 ? `${d.ci95[0].toFixed(2)} to ${d.ci95[1].toFixed(2)}` : 'n/a',
        d.qc_status,
        d.fish ?? '',
        d.ihc ?? '',
        d.ratio === null ? '' : String(d.ratio),
        d.her2_per_cell === null ? '' : String(d.her2_per_cell),
        d.fish_group === null ? '' : String(d.fish_group),
      ]),
    },
  });
  const t = r.thresholds;
  s.push({
    title: 'Threshold analysis (against FISH)',
    paragraphs: [
      `On ${t.n} samples with FISH and a QC-passing log2 (${t.positives} FISH positive, ${t.negatives} negative). Positive means log2 at or above the threshold; ${threshold === null ? 'the calls above were made at different or unknown thresholds' : `the calls above used ${threshold}`}.`,
      t.roc
        ? `ROC AUC ${t.roc.auc.toFixed(3)}. Lowest threshold with 100% specificity: ${t.full_specificity ? `${t.full_specificity.threshold} (sensitivity ${pct(t.full_specificity.sensitivity)})` : 'none'}. Youden's J is largest (${t.youden!.j.toFixed(3)}) at ${t.youden!.threshold} (sensitivity ${pct(t.youden!.sensitivity)}, specificity ${pct(t.youden!.specificity)}); thresholds are midpoints between observed log2 values.`
        : 'ROC needs FISH-positive and FISH-negative samples.',
    ],
    table: {
      head: ['threshold', 'TP', 'FP', 'FN', 'TN', 'sensitivity', 'specificity'],
      rows: t.grid.filter(g => g.threshold >= 0.5 && g.threshold <= 2.5).map(g => [g.threshold.toFixed(1), g.tp, g.fp, g.fn, g.tn, pct(share(g.tp, g.tp + g.fn)), pct(share(g.tn, g.tn + g.fp))].map(String)),
    },
  });
  const ihcRow = (b: ValidationReport['ihc_breakdown'][number], label: string) => [
    label,
    String(b.n),
    metricText(b.fish_positive_rate),
    b.study_fish_positive_pct === null ? '' : `${b.study_fish_positive_pct.toFixed(1)}%`,
    metricText(b.ngs_amplified_rate),
    String(b.no_calls),
    b.discordant_with_ihc.join(', '),
    b.discordant_with_fish.join(', '),
  ];
  const ihcHead = ['IHC', 'n', 'FISH positive', 'study', 'NGS amplified (of assessed)', 'not assessed', 'NGS discordant with IHC', 'NGS discordant with FISH'];
  s.push({
    title: 'By IHC group',
    paragraphs: [
      "FISH positivity in each of the study's six IHC groups, laid out as its Figure 1, with exact (Clopper–Pearson) 95% intervals; 'study' is the FISH positivity the study found in 4,884 carcinomas. NGS amplified counts the samples NGS assessed (not assessed: no-calls and indeterminate results). IHC 2+ and the focal groups are equivocal and go to FISH, so NGS is never discordant with them.",
    ],
    table: { head: ihcHead, rows: r.ihc_breakdown.map(b => ihcRow(b, b.ihc)) },
  });
  if (r.ihc_zero_breakdown.length > 0) {
    s.push({
      title: 'IHC 0 by qualifier',
      paragraphs: ['IHC 0 split where the truth table records null (no membrane staining) or ultralow (faint, incomplete staining in at most 10% of tumour cells); the study did not split it.'],
      table: { head: ihcHead, rows: r.ihc_zero_breakdown.map(b => ihcRow(b, b.ihc === '0' ? '0, not qualified' : b.ihc)) },
    });
  }
  const a = r.agreement;
  s.push({
    title: 'NGS log2 and FISH counts',
    paragraphs: [
      `Against the HER2/CEP17 ratio: n = ${a.fish_ratio.n}, Pearson ${a.fish_ratio.pearson ?? 'n/a'}, Spearman ${a.fish_ratio.spearman ?? 'n/a'}. Against HER2 signals per cell: n = ${a.her2_per_cell.n}, Pearson ${a.her2_per_cell.pearson ?? 'n/a'}, Spearman ${a.her2_per_cell.spearman ?? 'n/a'}. QC-passing samples only.`,
    ],
  });
  s.push({
    title: 'Samples',
    paragraphs: ['HER2 category and the IHC-first work-up are decision support.'],
    table: {
      head: ['sample', 'call', 'log2', 'FISH', 'IHC', 'category', 'work-up'],
      rows: r.samples.map(x => [x.sample, x.call, x.log2 === null ? 'n/a' : x.log2.toFixed(2), x.fish ?? '', x.ihc ?? '', x.her2_category, x.workup]),
    },
  });
  return s;
}

/** Markdown text from any string: line breaks folded, ASCII punctuation that Markdown or HTML would act on backslash-escaped. */
const mdText = (v: string) =>
  v
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_\[\]<>|&]/g, c => `\\${c}`)
    .replace(/^(\s*)([#>+-])/, '$1\\$2');
const mdCell = mdText;

export function formatValidationMarkdown(r: ValidationReport, threshold: number | null, version: string): string {
  const out = [`# her2cn validation against ${r.reference.toUpperCase()}`, '', `her2cn ${version}.`, ''];
  for (const s of sections(r, threshold)) {
    out.push(`## ${s.title}`, '');
    for (const p of s.paragraphs ?? []) out.push(mdText(p), '');
    if (s.table) {
      if (s.table.rows.length === 0) out.push('None.', '');
      else {
        out.push(`| ${s.table.head.map(mdCell).join(' | ')} |`, `|${s.table.head.map(() => '---').join('|')}|`);
        for (const row of s.table.rows) out.push(`| ${row.map(mdCell).join(' | ')} |`);
        out.push('');
      }
    }
  }
  return out.join('\n');
}

export function formatValidationHtml(r: ValidationReport, threshold: number | null, version: string): string {
  const body: string[] = [];
  for (const s of sections(r, threshold)) {
    body.push(`<h2>${escapeXml(s.title)}</h2>`);
    for (const p of s.paragraphs ?? []) body.push(`<p>${escapeXml(p)}</p>`);
    if (s.table) {
      if (s.table.rows.length === 0) body.push('<p>None.</p>');
      else {
        body.push('<table>', `<tr>${s.table.head.map(h => `<th>${escapeXml(h)}</th>`).join('')}</tr>`);
        for (const row of s.table.rows) body.push(`<tr>${row.map(c => `<td>${escapeXml(c)}</td>`).join('')}</tr>`);
        body.push('</table>');
      }
    }
    if (s.title.startsWith('Threshold')) {
      const roc = rocSvg(r);
      if (roc) body.push(`<figure>${roc}</figure>`);
    }
    if (s.title === 'By IHC group') body.push(`<figure>${ihcGroupsSvg(r)}</figure>`);
    if (s.title.startsWith('NGS log2')) {
      const scatter = ratioScatterSvg(r, threshold);
      if (scatter) body.push(`<figure>${scatter}</figure>`);
    }
  }
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>her2cn validation against ${escapeXml(r.reference.toUpperCase())}</title>`,
    '<style>body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:60rem;margin:1.5rem auto;color:#111;font-size:14px}table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #bbb;padding:2px 8px;text-align:left}th{background:#f0f0f0}figure{margin:.5rem 0}</style>',
    '</head><body>',
    `<h1>her2cn validation against ${escapeXml(r.reference.toUpperCase())}</h1>`,
    `<p>her2cn ${escapeXml(version)}.</p>`,
    ...body,
    '</body></html>',
    '',
  ].join('\n');
}
