// The probe-level plot a pathologist reviews: every probe's log2 genome-wide
// (noise and aneuploidy in context) and chromosome 17 probe by probe, ERBB2
// highlighted, the threshold actually used, ERBB2's level with its interval,
// and the rest of chromosome 17. Excluded probes are drawn, not hidden;
// values beyond the axis are pinned to its edge as triangles. ERBB2 is
// orange and filled, other probes small and blue, so the plot also reads in
// greyscale and with colour-blindness (Okabe-Ito colours).
//
// Drawn for print: one unit is a quarter millimetre once the report sets the
// plot across its 190 mm column (740 units), so no text is smaller than 10
// units, about 7.3 pt on paper. Labels outside the data (gene names, Mb
// ticks, chromosome names) are spread by a deterministic pass so that none
// overlaps another.
import type { CallResult, ProbeResult } from '../call/call.js';
import { judgeProbability } from '../call/assessment.js';
import { canonicalContig } from '../panel/contigs.js';
import { fixed } from '../stats/round.js';
import { escapeXml, n2, ticks } from './svg.js';

const ERBB2 = '#d55e00';
const OTHER = '#0072b2';
const EXCLUDED = '#7a7a7a';
const NEIGHBOUR = '#009e73';
const INDETERMINATE = '#8e3a73';
const SEGMENT = '#222222';
const WIDTH = 740;
const FONT = 'DejaVu Sans';
/** The smallest text, in plot units (about 7.3 pt printed in the report). */
export const MIN_FONT = 10;
/** Width of a character of DejaVu Sans, as a fraction of the font size (a little generous, so estimates never overlap). */
const CHAR = 0.64;
/** A halo so that labels inside a panel stay legible over probes and lines. */
const HALO = 'paint-order="stroke" stroke="#ffffff" stroke-width="3" stroke-linejoin="round"';

export interface PlotScale {
  /** log2 at the top and bottom of the plotting area. */
  top: number;
  bottom: number;
}

/** The y range: at least -2.5 to 3.5 and the threshold + 1, stretched to the data up to -5 and 6. */
export function plotScale(result: CallResult): PlotScale {
  let hi = Math.max(3.5, result.threshold + 1);
  let lo = Math.min(-2.5, result.threshold - 0.5);
  for (const p of result.probe_results) {
    if (p.log2 === null) continue;
    if (p.log2 <= 6 && p.log2 > hi) hi = p.log2;
    if (p.log2 >= -5 && p.log2 < lo) lo = p.log2;
  }
  return { top: Math.ceil(hi * 2) / 2, bottom: Math.floor(lo * 2) / 2 };
}

/**
 * Label positions along one axis, none closer than `gap`, each as near its
 * wanted position as the others allow: overlapping labels are gathered into
 * a run centred on their mean, runs merged until none overlaps, and kept
 * within [lo, hi] where there is room. `wanted` must be ascending.
 */
export function spreadLabels(wanted: number[], gap: number, lo: number, hi: number): number[] {
  const runs: { first: number; count: number; start: number }[] = [];
  const place = (first: number, count: number) => {
    let sum = 0;
    for (let i = first; i < first + count; i++) sum += wanted[i];
    const start = sum / count - ((count - 1) * gap) / 2;
    return Math.max(lo, Math.min(start, hi - (count - 1) * gap));
  };
  for (let i = 0; i < wanted.length; i++) {
    runs.push({ first: i, count: 1, start: place(i, 1) });
    while (runs.length > 1) {
      const b = runs[runs.length - 1];
      const a = runs[runs.length - 2];
      if (a.start + a.count * gap <= b.start + 1e-9) break;
      runs.splice(-2, 2, { first: a.first, count: a.count + b.count, start: place(a.first, a.count + b.count) });
    }
  }
  return runs.flatMap(r => Array.from({ length: r.count }, (_, k) => r.start + k * gap));
}

/** Copies a bulk log2 ratio stands for on a diploid baseline: 2 x 2^log2. */
export const bulkCopies = (log2: number) => 2 * 2 ** log2;

const textWidth = (text: string, size: number) => text.length * size * CHAR;

interface Panel {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  scale: PlotScale;
}

const yOf = (p: Panel, v: number) => p.y + ((p.scale.top - v) / (p.scale.top - p.scale.bottom)) * p.height;

/** The frame, the log2 axis on the left and the bulk copy-number axis on the right. */
function panelFrame(p: Panel): string[] {
  const out = [
    `<g class="panel" id="${p.id}" data-top="${p.scale.top}" data-bottom="${p.scale.bottom}" data-y="${p.y}" data-height="${p.height}">`,
    `<rect x="${p.x}" y="${p.y}" width="${p.width}" height="${p.height}" fill="#ffffff" stroke="#333333"/>`,
  ];
  for (const t of ticks(p.scale.bottom, p.scale.top, 6)) {
    const y = n2(yOf(p, t));
    out.push(`<line x1="${p.x - 4}" y1="${y}" x2="${p.x}" y2="${y}" stroke="#333333"/>`);
    out.push(`<text x="${p.x - 6}" y="${n2(yOf(p, t) + 3.5)}" text-anchor="end" font-size="${MIN_FONT}">${fixed(t, Number.isInteger(t) ? 0 : 1)}</text>`);
  }
  out.push(`<text transform="translate(${p.x - 32} ${n2(p.y + p.height / 2)}) rotate(-90)" text-anchor="middle" font-size="${MIN_FONT + 1}">log2 ratio</text>`);
  // Whole and doubling copy numbers first, then the rest where they fit.
  const right = p.x + p.width;
  const placed: number[] = [];
  for (const copies of [2, 4, 8, 16, 32, 64, 1, 3, 6, 12, 24, 48, 0.5, 5, 10, 20]) {
    const v = Math.log2(copies / 2);
    if (v > p.scale.top + 1e-9 || v < p.scale.bottom - 1e-9) continue;
    const y = yOf(p, v);
    if (placed.some(q => Math.abs(q - y) < MIN_FONT + 1)) continue;
    placed.push(y);
    out.push(`<line class="copies-tick" data-copies="${copies}" x1="${right}" y1="${n2(y)}" x2="${right + 4}" y2="${n2(y)}" stroke="#333333"/>`);
    out.push(`<text x="${right + 6}" y="${n2(y + 3.5)}" font-size="${MIN_FONT}">${copies}</text>`);
  }
  out.push(`<text transform="translate(${right + 30} ${n2(p.y + p.height / 2)}) rotate(90)" text-anchor="middle" font-size="${MIN_FONT}">bulk copies, 2 × 2^log2</text>`);
  return out;
}

const THRESHOLD_STYLE = 'stroke="#000000" stroke-width="1.2" stroke-dasharray="6 4"';

/** A level across the panel; one beyond the axis is drawn at its edge and labelled so. */
function horizontal(p: Panel, value: number, cls: string, style: string, label?: string): string[] {
  const beyond = value > p.scale.top || value < p.scale.bottom;
  const yValue = Math.min(p.y + p.height, Math.max(p.y, yOf(p, value)));
  const y = n2(yValue);
  const out = [`<line class="${cls}" data-value="${value}" x1="${p.x}" y1="${y}" x2="${p.x + p.width}" y2="${y}" ${style}/>`];
  if (label) {
    const text = beyond ? `${label} (beyond the axis)` : label;
    const ty = yValue - 4 < p.y + MIN_FONT ? yValue + MIN_FONT + 2 : yValue - 4;
    out.push(`<text x="${p.x + p.width - 4}" y="${n2(ty)}" text-anchor="end" font-size="${MIN_FONT}" ${HALO}>${escapeXml(text)}</text>`);
  }
  return out;
}

type Role = 'erbb2' | 'neighbour' | 'other';

/** One probe's mark: circle inside the axis, triangle pinned at the edge beyond it, cross at the bottom when excluded. */
function mark(p: Panel, probe: ProbeResult, x: number, role: Role): string {
  const title = `<title>${escapeXml(`${probe.name} ${probe.chrom}:${probe.start + 1}-${probe.end} depth ${probe.depth.toFixed(1)} log2 ${probe.log2 === null ? 'excluded: ' + probe.flags.join(', ') : fixed(probe.log2, 2)}`)}</title>`;
  const cls = `probe${role === 'erbb2' ? ' erbb2' : role === 'neighbour' ? ' neighbour' : ''}`;
  if (probe.log2 === null) {
    const y = p.y + p.height - 6;
    return `<path class="${cls} excluded" d="M${n2(x - 3)} ${n2(y - 3)}L${n2(x + 3)} ${n2(y + 3)}M${n2(x - 3)} ${n2(y + 3)}L${n2(x + 3)} ${n2(y - 3)}" stroke="${EXCLUDED}" stroke-width="1.2">${title}</path>`;
  }
  const colour = role === 'erbb2' ? ERBB2 : role === 'neighbour' ? NEIGHBOUR : OTHER;
  if (probe.log2 > p.scale.top || probe.log2 < p.scale.bottom) {
    const up = probe.log2 > p.scale.top;
    const y = up ? p.y + 1 : p.y + p.height - 1;
    const d = up ? `M${n2(x)} ${n2(y)}L${n2(x - 4)} ${n2(y + 7)}L${n2(x + 4)} ${n2(y + 7)}Z` : `M${n2(x)} ${n2(y)}L${n2(x - 4)} ${n2(y - 7)}L${n2(x + 4)} ${n2(y - 7)}Z`;
    return `<path class="${cls} clamped" data-log2="${probe.log2}" d="${d}" fill="${colour}">${title}</path>`;
  }
  const r = role === 'erbb2' ? 3.2 : role === 'neighbour' ? 2.6 : 1.8;
  const stroke = role === 'erbb2' ? ' stroke="#7a2e00" stroke-width="0.6"' : role === 'neighbour' ? ' stroke="#00573f" stroke-width="0.6"' : '';
  return `<circle class="${cls}" data-log2="${probe.log2}" cx="${n2(x)}" cy="${n2(yOf(p, probe.log2))}" r="${r}" fill="${colour}"${stroke}>${title}</circle>`;
}

/** chrY probes of a sample without a Y: not measured, so left out of the plot rather than piled on its axis. */
const notInSex = (q: ProbeResult) => q.flags.includes('not_in_sex');

function genomePanel(result: CallResult, p: Panel): string[] {
  const probes = result.probe_results.filter(q => !notInSex(q));
  const left = result.probe_results.length - probes.length;
  const out = [`<text class="panel-title" x="${p.x}" y="${p.y - 6}" font-size="${MIN_FONT + 1}" font-weight="bold">All probes in panel order, by chromosome (evenly spaced)${left ? `<tspan font-weight="normal">; ${left} chrY probes left out: no Y chromosome (${escapeXml(result.sex.sex)})</tspan>` : ''}</text>`];
  out.push(...panelFrame(p));
  const step = p.width / Math.max(1, probes.length);
  // chromosome blocks with alternating shading; names on two rows where one is too narrow for them
  let start = 0;
  let shade = false;
  const rowEnds = [-Infinity, -Infinity];
  for (let i = 1; i <= probes.length; i++) {
    if (i === probes.length || canonicalContig(probes[i].chrom) !== canonicalContig(probes[start].chrom)) {
      const x0 = p.x + start * step;
      const w = (i - start) * step;
      if (shade) out.push(`<rect x="${n2(x0)}" y="${p.y}" width="${n2(w)}" height="${p.height}" fill="#efefef"/>`);
      const name = canonicalContig(probes[start].chrom);
      const half = textWidth(name, MIN_FONT) / 2;
      const cx = x0 + w / 2;
      const row = cx - half >= rowEnds[0] + 2 ? 0 : 1;
      rowEnds[row] = cx + half;
      out.push(`<text class="chrom-label" x="${n2(cx)}" y="${p.y + p.height + 11 + row * 11}" text-anchor="middle" font-size="${MIN_FONT}">${escapeXml(name)}</text>`);
      shade = !shade;
      start = i;
    }
  }
  out.push(...horizontal(p, 0, 'zero', 'stroke="#8a8a8a" stroke-width="0.8"'));
  const [threshold, thresholdLabel] = horizontal(p, result.threshold, 'threshold', THRESHOLD_STYLE, `threshold ${result.threshold}`);
  out.push(threshold);
  probes.forEach((probe, i) => out.push(mark(p, probe, p.x + (i + 0.5) * step, probe.gene === 'ERBB2' ? 'erbb2' : 'other')));
  // the label over the probes, so none hides it
  out.push(thresholdLabel, '</g>');
  return out;
}

/**
 * Mb ticks along the evenly spaced chromosome-17 probes: each position is
 * placed between the two probes around it, coarse steps first, finer ones
 * where their labels fit (so the dense 17q12 window gets fine ticks).
 */
function mbTicks(positions: number[], xOf: (i: number) => number): { x: number; mb: number; label: string }[] {
  const placed: { x: number; mb: number; label: string; half: number }[] = [];
  const seen = new Set<number>();
  const first = positions[0];
  const last = positions[positions.length - 1];
  for (const step of [10, 5, 1, 0.5, 0.1]) {
    for (let k = Math.ceil(first / 1e6 / step); k * step * 1e6 <= last; k++) {
      const mb = Math.round(k * step * 10) / 10;
      if (seen.has(mb)) continue;
      const bp = mb * 1e6;
      const i = positions.findIndex(pos => pos >= bp);
      if (i < 0) continue;
      const x = i === 0 ? xOf(0) : xOf(i - 1) + ((bp - positions[i - 1]) / (positions[i] - positions[i - 1])) * (xOf(i) - xOf(i - 1));
      const label = fixed(mb, step < 1 ? 1 : 0);
      const half = textWidth(label, MIN_FONT) / 2;
      if (placed.some(t => Math.abs(t.x - x) < t.half + half + 4)) continue;
      seen.add(mb);
      placed.push({ x, mb, label, half });
    }
  }
  return placed.sort((a, b) => a.x - b.x).map(({ x, mb, label }) => ({ x, mb, label }));
}

/** The ERBB2 segment(s) as genomic spans, for judging the amplicon's size. */
function erbb2Span(result: CallResult): string {
  if (result.call === 'no_call') return '';
  const spans = result.segments
    .filter(sg => sg.erbb2_probes > 0)
    .map(sg => `${fixed(sg.start / 1e6, 2)}–${fixed(sg.end / 1e6, 2)} Mb (${Math.round((sg.end - sg.start) / 1000)} kb, log2 ${fixed(sg.log2, 2)})`);
  return spans.length ? `Segment${spans.length > 1 ? 's' : ''} at ERBB2: ${spans.join('; ')}` : '';
}

// Long by design: the chromosome-17 panel drawn back to front (shading, axes, levels, probes, labels).
function chr17Panel(result: CallResult, p: Panel): string[] {
  const erbb2Chrom = result.probe_results.find(q => q.gene === 'ERBB2')!.chrom;
  const probes = result.probe_results.filter(q => canonicalContig(q.chrom) === canonicalContig(erbb2Chrom));
  const chr17Level = result.chr17.log2 !== null && result.call !== 'no_call' ? `; ··· rest of chr${canonicalContig(erbb2Chrom)} log2 ${fixed(result.chr17.log2, 2)}` : '';
  const out = [
    `<text class="panel-title" x="${p.x}" y="${p.y - 32}" font-size="${MIN_FONT + 1}" font-weight="bold">Chromosome ${escapeXml(canonicalContig(erbb2Chrom))}, genomic order<tspan font-weight="normal">${escapeXml(`; probes evenly spaced, Mb along the top${chr17Level}`)}</tspan></text>`,
    `<text class="panel-title" x="${p.x}" y="${p.y - 19}" font-size="${MIN_FONT}">${escapeXml(erbb2Span(result))}</text>`,
  ];
  out.push(...panelFrame(p));
  const step = p.width / Math.max(1, probes.length);
  const xOf = (i: number) => p.x + (i + 0.5) * step;
  const runs: { gene: string; first: number; last: number }[] = [];
  probes.forEach((q, i) => {
    if (runs.length && runs[runs.length - 1].gene === q.gene) runs[runs.length - 1].last = i;
    else runs.push({ gene: q.gene, first: i, last: i });
  });
  const neighbours = new Map(result.amplicon.neighbours.map(g => [g.gene, g.at_or_above_threshold]));
  // 17q12 neighbours at or above the threshold: shaded like ERBB2, in green (not for a no-call: nothing is reported)
  const raised = (gene: string) => result.call !== 'no_call' && neighbours.get(gene) === true;
  for (const run of runs) {
    if (run.gene !== 'ERBB2' && !raised(run.gene)) continue;
    const x0 = p.x + run.first * step;
    const x1 = p.x + (run.last + 1) * step;
    out.push(`<rect class="${run.gene === 'ERBB2' ? 'erbb2-band' : 'neighbour-band'}" x="${n2(x0)}" y="${p.y}" width="${n2(x1 - x0)}" height="${p.height}" fill="${run.gene === 'ERBB2' ? '#fbe3d4' : '#d8f0e6'}"/>`);
  }
  const erbb2Run = runs.find(r => r.gene === 'ERBB2')!;
  const ex0 = p.x + erbb2Run.first * step;
  const ex1 = p.x + (erbb2Run.last + 1) * step;
  // genomic position: Mb ticks along the top edge
  for (const t of mbTicks(probes.map(q => (q.start + q.end) / 2), xOf)) {
    out.push(`<line class="mb-tick" data-mb="${t.mb}" x1="${n2(t.x)}" y1="${p.y - 4}" x2="${n2(t.x)}" y2="${p.y}" stroke="#333333"/>`);
    out.push(`<text x="${n2(t.x)}" y="${p.y - 6}" text-anchor="middle" font-size="${MIN_FONT}">${t.label}</text>`);
  }
  out.push(`<text x="${p.x + p.width + 4}" y="${p.y - 6}" font-size="${MIN_FONT}">Mb</text>`);
  // gene names under their probes, spread so that none overlaps another; a leader line where one moved
  const wanted = runs.map(r => (xOf(r.first) + xOf(r.last)) / 2);
  const at = spreadLabels(wanted, MIN_FONT + 2, p.x, p.x + p.width);
  runs.forEach((run, k) => {
    const gene = run.gene;
    const isErbb2 = gene === 'ERBB2';
    const colour = isErbb2 ? ERBB2 : neighbours.has(gene) ? NEIGHBOUR : '#333333';
    const bold = isErbb2 || raised(gene) ? ' font-weight="bold"' : '';
    const base = p.y + p.height;
    if (Math.abs(at[k] - wanted[k]) > 0.5) out.push(`<line class="leader" x1="${n2(wanted[k])}" y1="${base}" x2="${n2(at[k])}" y2="${base + 7}" stroke="#999999" stroke-width="0.6"/>`);
    out.push(
      `<text class="gene-label" data-x="${n2(at[k])}" transform="translate(${n2(at[k] - 3)} ${base + 10}) rotate(60)" font-size="${isErbb2 ? MIN_FONT + 2 : MIN_FONT}" fill="${colour}"${bold}>${escapeXml(gene)}</text>`,
    );
  });
  out.push(...horizontal(p, 0, 'zero', 'stroke="#8a8a8a" stroke-width="0.8"'));
  // the rest of chromosome 17 over the zero line, thicker, so a level near 0 still shows
  if (result.chr17.log2 !== null && result.call !== 'no_call') {
    out.push(...horizontal(p, result.chr17.log2, 'chr17-level', `stroke="${OTHER}" stroke-width="2" stroke-dasharray="1 3" stroke-linecap="round"`));
  }
  const [threshold, thresholdLabel] = horizontal(p, result.threshold, 'threshold', THRESHOLD_STYLE, `threshold ${result.threshold}`);
  out.push(threshold);
  // Segment levels across the 17q12 window; where ERBB2 is split between
  // segments (a partial amplicon) they replace the one ERBB2 level line.
  const index = new Map(probes.map((q, i) => [q.name, i]));
  const erbb2Segments = result.segments.filter(sg => sg.erbb2_probes > 0).length;
  if (result.call !== 'no_call') {
    for (const sg of result.segments) {
      const a = index.get(sg.first_probe);
      const b = index.get(sg.last_probe);
      if (a === undefined || b === undefined) continue;
      const y = n2(Math.min(p.y + p.height, Math.max(p.y, yOf(p, sg.log2))));
      out.push(`<line class="segment" data-value="${sg.log2}" x1="${n2(p.x + a * step)}" y1="${y}" x2="${n2(p.x + (b + 1) * step)}" y2="${y}" stroke="${SEGMENT}" stroke-width="2"><title>${escapeXml(`segment ${sg.first_probe} to ${sg.last_probe}: ${sg.probes} probes, log2 ${fixed(sg.log2, 2)}`)}</title></line>`);
    }
  }
  // A no-call's level is not drawn: the plot must not look more certain than the call.
  if (result.call !== 'no_call' && result.log2 !== null && result.ci95 && erbb2Segments <= 1) {
    const clampY = (v: number) => Math.min(p.y + p.height, Math.max(p.y, yOf(p, v)));
    const yHi = clampY(result.ci95[1]);
    const yLo = clampY(result.ci95[0]);
    out.push(`<rect class="erbb2-ci" x="${n2(ex0)}" y="${n2(yHi)}" width="${n2(ex1 - ex0)}" height="${n2(Math.max(1, yLo - yHi))}" fill="${ERBB2}" fill-opacity="0.22"/>`);
    const y = n2(clampY(result.log2));
    out.push(`<line class="erbb2-level" data-value="${result.log2}" x1="${n2(ex0)}" y1="${y}" x2="${n2(ex1)}" y2="${y}" stroke="${ERBB2}" stroke-width="3"/>`);
    if (result.log2 > p.scale.top || result.log2 < p.scale.bottom) {
      out.push(`<text x="${n2((ex0 + ex1) / 2)}" y="${n2(result.log2 > p.scale.top ? p.y + 14 : p.y + p.height - 6)}" text-anchor="middle" font-size="${MIN_FONT}" fill="${ERBB2}" ${HALO}>ERBB2 level ${fixed(result.log2, 2)} (beyond the axis)</text>`);
    }
  }
  probes.forEach((probe, i) => out.push(mark(p, probe, xOf(i), probe.gene === 'ERBB2' ? 'erbb2' : raised(probe.gene) ? 'neighbour' : 'other')));
  out.push(thresholdLabel, '</g>');
  return out;
}

/**
 * The title leads with the assessment; the bulk call, its level and the QC
 * follow on two lines. An answer made on tumour cells says so beside it, with
 * the copies it rests on, so a call above a bulk level under the threshold
 * (low purity) does not read as contradicted by the plot's bulk scale.
 */
function titleLines(result: CallResult): { line: string; detail: string; colour: string; sub: string; quality: string } {
  const ci = result.ci95 ? ` (95% CI ${fixed(result.ci95[0], 2)} to ${fixed(result.ci95[1], 2)})` : '';
  const log2 = result.log2 === null ? 'n/a' : fixed(result.log2, 2);
  const quality = `QC ${result.qc.status}: MAPD ${result.qc.mapd === null ? 'n/a' : fixed(result.qc.mapd, 2)}, median depth ${fixed(result.qc.median_depth, 0)}x`;
  const bulk = result.call === 'amplified' ? 'amplified' : 'not amplified';
  const sub =
    result.call === 'no_call'
      ? 'ERBB2 level not reported: QC failed; probes shown for review only'
      : `bulk: ${bulk}, log2 ${log2}${ci}; ${result.probes.at_or_above_threshold}/${result.probes.used} ERBB2 probes ≥ ${result.threshold}`;
  const t = result.tumor;
  // The gene level's copies where they decided the answer; else part of the gene did (a partial amplicon or gain).
  const cells =
    t && result.assessment.basis === 'tumor_cells'
      ? judgeProbability(t.amplification_probability) === result.assessment.status
        ? `in tumour cells: ${fixed(t.erbb2_copies_ci95[0], 1)} to ${fixed(t.erbb2_copies_ci95[1], 1)} copies per cell at purity ${fixed(t.purity, 2)}`
        : `in tumour cells: part of the gene (purity ${fixed(t.purity, 2)})`
      : '';
  switch (result.assessment.status) {
    case 'amplified':
      return { line: `${result.sample}: ERBB2 AMPLIFIED`, detail: cells, colour: ERBB2, sub, quality };
    case 'not_amplified':
      return { line: `${result.sample}: ERBB2 not amplified`, detail: cells, colour: OTHER, sub, quality };
    case 'indeterminate':
      return { line: `${result.sample}: ERBB2 INDETERMINATE: reflex to FISH`, detail: '', colour: INDETERMINATE, sub, quality };
    default:
      return { line: `${result.sample}: NO CALL (QC failed): ERBB2 not assessed`, detail: '', colour: '#b00020', sub, quality };
  }
}

export interface PlotOptions {
  /** Draw the title lines (the standalone SVG and PNG); the report states them above the plot. */
  title?: boolean;
}

export function probePlotSvg(result: CallResult, options: PlotOptions = {}): string {
  const withTitle = options.title ?? true;
  const top = withTitle ? 66 : 0;
  const scale = plotScale(result);
  const x = 46;
  const width = WIDTH - x - 46;
  const genome: Panel = { id: 'genome', x, y: top + 35, width, height: 100, scale };
  const chr17: Panel = { id: 'chr17', x, y: genome.y + genome.height + 74, width, height: 126, scale };
  const height = chr17.y + chr17.height + 56;
  const t = titleLines(result);
  const body: string[] = [];
  if (withTitle) {
    const detail = t.detail ? `<tspan dx="6" font-size="${MIN_FONT + 1}" font-weight="normal">${escapeXml(t.detail)}</tspan>` : '';
    body.push(`<text class="title" x="${x}" y="22" font-size="17" font-weight="bold" fill="${t.colour}">${escapeXml(t.line)}${detail}</text>`);
    body.push(`<text class="subtitle" x="${x}" y="40" font-size="${MIN_FONT + 1}">${escapeXml(t.sub)}</text>`);
    body.push(`<text class="subtitle" x="${x}" y="55" font-size="${MIN_FONT + 1}">${escapeXml(t.quality)}</text>`);
  }
  // legend items a wide space apart (SVG collapses runs of ordinary spaces), each symbol in its colour
  const legend = (y: number, items: [string, string, string][]) =>
    `<text class="legend" x="${x}" y="${y}" font-size="${MIN_FONT}" fill="#333333">${items
      .map(([symbol, colour, text]) => `<tspan fill="${colour}">${symbol}</tspan> ${escapeXml(text)}`)
      .join('\u2003')}</text>`;
  body.push(
    legend(top + 12, [
      ['●', ERBB2, 'ERBB2'],
      ['•', OTHER, 'other probe'],
      ['●', NEIGHBOUR, '17q12 neighbour ≥ threshold'],
      ['✕', EXCLUDED, 'excluded'],
      ['▲▼', OTHER, 'beyond the axis'],
      ['– –', '#000000', 'threshold'],
      ['···', OTHER, 'rest of chr17'],
      ['—', SEGMENT, 'segment'],
    ]),
  );
  body.push(...genomePanel(result, genome));
  body.push(...chr17Panel(result, chr17));
  if (result.call === 'no_call') {
    body.push(
      `<g class="no-call-banner"><rect x="${genome.x}" y="${genome.y}" width="${genome.width}" height="${chr17.y + chr17.height - genome.y}" fill="#b00020" fill-opacity="0.07" stroke="#b00020" stroke-width="3"/>`,
      ...[genome, chr17].map(
        p => `<text x="${p.x + p.width / 2}" y="${n2(p.y + p.height / 2 + 14)}" text-anchor="middle" font-size="40" font-weight="bold" fill="#b00020" fill-opacity="0.35">NO CALL: QC FAILED</text>`,
      ),
      '</g>',
    );
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${FONT}, Arial, sans-serif">`,
    `<title>${escapeXml(`${t.line}. ${t.sub}; ${t.quality}`)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
