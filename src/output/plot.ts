// The probe-level plot a pathologist reviews: every probe's log2 genome-wide
// (noise and aneuploidy in context) and chromosome 17 probe by probe, ERBB2
// highlighted, the threshold actually used, ERBB2's level with its interval,
// and the rest of chromosome 17. Excluded probes are drawn, not hidden;
// values beyond the axis are pinned to its edge as triangles. ERBB2 is
// orange and filled, other probes small and blue, so the plot also reads in
// greyscale and with colour-blindness (Okabe-Ito colours).
import type { CallResult, ProbeResult } from '../call/call.js';
import { canonicalContig } from '../panel/contigs.js';
import { escapeXml, n2, ticks } from './svg.js';

const ERBB2 = '#d55e00';
const OTHER = '#0072b2';
const EXCLUDED = '#7a7a7a';
const NEIGHBOUR = '#009e73';
const INDETERMINATE = '#8e3a73';
const SEGMENT = '#222222';
const WIDTH = 1000;
const HEIGHT = 700;
const FONT = 'DejaVu Sans';

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

interface Panel {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  scale: PlotScale;
}

const yOf = (p: Panel, v: number) => p.y + ((p.scale.top - v) / (p.scale.top - p.scale.bottom)) * p.height;

function panelFrame(p: Panel, label: string): string[] {
  const out = [
    `<g class="panel" id="${p.id}" data-top="${p.scale.top}" data-bottom="${p.scale.bottom}" data-y="${p.y}" data-height="${p.height}">`,
    `<rect x="${p.x}" y="${p.y}" width="${p.width}" height="${p.height}" fill="#ffffff" stroke="#333333"/>`,
  ];
  for (const t of ticks(p.scale.bottom, p.scale.top, 6)) {
    const y = n2(yOf(p, t));
    out.push(`<line x1="${p.x - 4}" y1="${y}" x2="${p.x}" y2="${y}" stroke="#333333"/>`);
    out.push(`<text x="${p.x - 7}" y="${n2(yOf(p, t) + 4)}" text-anchor="end" font-size="11">${n2(t)}</text>`);
  }
  out.push(`<text transform="translate(${p.x - 38} ${n2(p.y + p.height / 2)}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(label)}</text>`);
  return out;
}

/** A level across the panel; one beyond the axis is drawn at its edge and labelled so. */
function horizontal(p: Panel, value: number, cls: string, style: string, label?: string, labelLeft = false): string[] {
  const beyond = value > p.scale.top || value < p.scale.bottom;
  const yValue = Math.min(p.y + p.height, Math.max(p.y, yOf(p, value)));
  const y = n2(yValue);
  const out = [`<line class="${cls}" data-value="${value}" x1="${p.x}" y1="${y}" x2="${p.x + p.width}" y2="${y}" ${style}/>`];
  if (label) {
    const text = beyond ? `${label} (beyond the axis)` : label;
    const ty = yValue - 4 < p.y + 10 ? yValue + 12 : yValue - 4;
    out.push(`<text x="${labelLeft ? p.x + 6 : p.x + p.width - 6}" y="${n2(ty)}" text-anchor="${labelLeft ? 'start' : 'end'}" font-size="11">${escapeXml(text)}</text>`);
  }
  return out;
}

/** One probe's mark: circle inside the axis, triangle pinned at the edge beyond it, cross at the bottom when excluded. */
function mark(p: Panel, probe: ProbeResult, x: number, isErbb2: boolean): string {
  const title = `<title>${escapeXml(`${probe.name} ${probe.chrom}:${probe.start + 1}-${probe.end} depth ${probe.depth.toFixed(1)} log2 ${probe.log2 === null ? 'excluded: ' + probe.flags.join(', ') : probe.log2.toFixed(2)}`)}</title>`;
  const cls = `probe${isErbb2 ? ' erbb2' : ''}`;
  if (probe.log2 === null) {
    const y = p.y + p.height - 6;
    return `<path class="${cls} excluded" d="M${n2(x - 3)} ${n2(y - 3)}L${n2(x + 3)} ${n2(y + 3)}M${n2(x - 3)} ${n2(y + 3)}L${n2(x + 3)} ${n2(y - 3)}" stroke="${EXCLUDED}" stroke-width="1.2">${title}</path>`;
  }
  const colour = isErbb2 ? ERBB2 : OTHER;
  if (probe.log2 > p.scale.top || probe.log2 < p.scale.bottom) {
    const up = probe.log2 > p.scale.top;
    const y = up ? p.y + 1 : p.y + p.height - 1;
    const d = up ? `M${n2(x)} ${n2(y)}L${n2(x - 4)} ${n2(y + 7)}L${n2(x + 4)} ${n2(y + 7)}Z` : `M${n2(x)} ${n2(y)}L${n2(x - 4)} ${n2(y - 7)}L${n2(x + 4)} ${n2(y - 7)}Z`;
    return `<path class="${cls} clamped" data-log2="${probe.log2}" d="${d}" fill="${colour}">${title}</path>`;
  }
  const r = isErbb2 ? 3.2 : 1.8;
  return `<circle class="${cls}" data-log2="${probe.log2}" cx="${n2(x)}" cy="${n2(yOf(p, probe.log2))}" r="${r}" fill="${colour}"${isErbb2 ? ' stroke="#7a2e00" stroke-width="0.6"' : ''}>${title}</circle>`;
}

function genomePanel(result: CallResult, p: Panel): string[] {
  const out = panelFrame(p, 'log2 ratio');
  const probes = result.probe_results;
  const step = p.width / Math.max(1, probes.length);
  // chromosome blocks with alternating shading
  let start = 0;
  let shade = false;
  for (let i = 1; i <= probes.length; i++) {
    if (i === probes.length || canonicalContig(probes[i].chrom) !== canonicalContig(probes[start].chrom)) {
      const x0 = p.x + start * step;
      const w = (i - start) * step;
      if (shade) out.push(`<rect x="${n2(x0)}" y="${p.y}" width="${n2(w)}" height="${p.height}" fill="#efefef"/>`);
      out.push(`<text x="${n2(x0 + w / 2)}" y="${p.y + p.height + 14}" text-anchor="middle" font-size="10">${escapeXml(canonicalContig(probes[start].chrom))}</text>`);
      shade = !shade;
      start = i;
    }
  }
  out.push(...horizontal(p, 0, 'zero', 'stroke="#555555" stroke-width="1"'));
  out.push(...horizontal(p, result.threshold, 'threshold', 'stroke="#000000" stroke-width="1.2" stroke-dasharray="6 4"', `threshold ${result.threshold}`));
  probes.forEach((probe, i) => out.push(mark(p, probe, p.x + (i + 0.5) * step, probe.gene === 'ERBB2')));
  out.push(`<text x="${p.x + p.width / 2}" y="${p.y + p.height + 30}" text-anchor="middle" font-size="12">all probes in panel order, by chromosome (evenly spaced)</text>`);
  out.push('</g>');
  return out;
}

function chr17Panel(result: CallResult, p: Panel): string[] {
  const out = panelFrame(p, 'log2 ratio');
  const erbb2Chrom = result.probe_results.find(q => q.gene === 'ERBB2')!.chrom;
  const probes = result.probe_results.filter(q => canonicalContig(q.chrom) === canonicalContig(erbb2Chrom));
  const step = p.width / Math.max(1, probes.length);
  const xOf = (i: number) => p.x + (i + 0.5) * step;
  const erbb2Idx = probes.map((q, i) => (q.gene === 'ERBB2' ? i : -1)).filter(i => i >= 0);
  const ex0 = p.x + erbb2Idx[0] * step;
  const ex1 = p.x + (erbb2Idx[erbb2Idx.length - 1] + 1) * step;
  out.push(`<rect x="${n2(ex0)}" y="${p.y}" width="${n2(ex1 - ex0)}" height="${p.height}" fill="#fbe3d4"/>`);
  // gene labels under each run of probes; 17q12 neighbours in green
  const neighbours = new Set(result.amplicon.neighbours.map(g => g.gene));
  let start = 0;
  for (let i = 1; i <= probes.length; i++) {
    if (i === probes.length || probes[i].gene !== probes[start].gene) {
      const gene = probes[start].gene;
      const x = (xOf(start) + xOf(i - 1)) / 2;
      const colour = gene === 'ERBB2' ? ERBB2 : neighbours.has(gene) ? NEIGHBOUR : '#333333';
      const weight = gene === 'ERBB2' ? ' font-weight="bold"' : '';
      out.push(
        `<text class="gene-label" transform="translate(${n2(x + 3)} ${p.y + p.height + 8}) rotate(60)" font-size="${gene === 'ERBB2' ? 12 : 9}" fill="${colour}"${weight}>${escapeXml(gene)}</text>`,
      );
      start = i;
    }
  }
  out.push(...horizontal(p, 0, 'zero', 'stroke="#555555" stroke-width="1"'));
  out.push(...horizontal(p, result.threshold, 'threshold', 'stroke="#000000" stroke-width="1.2" stroke-dasharray="6 4"', `threshold ${result.threshold}`));
  if (result.chr17.log2 !== null) {
    out.push(...horizontal(p, result.chr17.log2, 'chr17-level', `stroke="${OTHER}" stroke-width="1.5" stroke-dasharray="2 3"`, `rest of chr17 ${result.chr17.log2.toFixed(2)}`, true));
  }
  // Segment levels across the 17q12 window; where ERBB2 is split between
  // segments (a partial amplicon) they replace the one ERBB2 level line.
  const at = new Map(probes.map((q, i) => [q.name, i]));
  const erbb2Segments = result.segments.filter(sg => sg.erbb2_probes > 0).length;
  if (result.call !== 'no_call') {
    for (const sg of result.segments) {
      const a = at.get(sg.first_probe);
      const b = at.get(sg.last_probe);
      if (a === undefined || b === undefined) continue;
      const y = n2(Math.min(p.y + p.height, Math.max(p.y, yOf(p, sg.log2))));
      out.push(`<line class="segment" data-value="${sg.log2}" x1="${n2(p.x + a * step)}" y1="${y}" x2="${n2(p.x + (b + 1) * step)}" y2="${y}" stroke="${SEGMENT}" stroke-width="2"><title>${escapeXml(`segment ${sg.first_probe} to ${sg.last_probe}: ${sg.probes} probes, log2 ${sg.log2.toFixed(2)}`)}</title></line>`);
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
      out.push(`<text x="${n2((ex0 + ex1) / 2)}" y="${n2(result.log2 > p.scale.top ? p.y + 14 : p.y + p.height - 6)}" text-anchor="middle" font-size="11" fill="${ERBB2}">ERBB2 level ${result.log2.toFixed(2)} (beyond the axis)</text>`);
    }
  }
  probes.forEach((probe, i) => out.push(mark(p, probe, xOf(i), probe.gene === 'ERBB2')));
  out.push(`<text x="${p.x + p.width / 2}" y="${p.y + p.height + 70}" text-anchor="middle" font-size="12">chromosome ${escapeXml(canonicalContig(erbb2Chrom))} probes in genomic order (evenly spaced); ERBB2 shaded, 17q12 neighbours in green</text>`);
  out.push('</g>');
  return out;
}

/** The title leads with the assessment; the bulk call and its level follow. */
function titleLines(result: CallResult): { line: string; colour: string; sub: string } {
  const ci = result.ci95 ? ` (95% CI ${result.ci95[0].toFixed(2)} to ${result.ci95[1].toFixed(2)})` : '';
  const log2 = result.log2 === null ? 'n/a' : result.log2.toFixed(2);
  const quality = `MAPD ${result.qc.mapd ?? 'n/a'}, median depth ${result.qc.median_depth}x`;
  const bulk = result.call === 'amplified' ? 'amplified' : 'not amplified';
  const sub =
    result.call === 'no_call'
      ? `ERBB2 level not reported: QC failed (${quality}); probes shown for review only`
      : `bulk: ${bulk}, log2 ${log2}${ci}; ${result.probes.at_or_above_threshold}/${result.probes.used} ERBB2 probes ≥ ${result.threshold}; QC ${result.qc.status}, ${quality}`;
  switch (result.assessment.status) {
    case 'amplified':
      return { line: `${result.sample}: ERBB2 AMPLIFIED`, colour: ERBB2, sub };
    case 'not_amplified':
      return { line: `${result.sample}: ERBB2 not amplified`, colour: OTHER, sub };
    case 'indeterminate':
      return { line: `${result.sample}: ERBB2 INDETERMINATE: reflex to FISH`, colour: INDETERMINATE, sub };
    default:
      return { line: `${result.sample}: NO CALL (QC failed): ERBB2 not assessed`, colour: '#b00020', sub };
  }
}

export function probePlotSvg(result: CallResult): string {
  const scale = plotScale(result);
  const genome: Panel = { id: 'genome', x: 70, y: 92, width: WIDTH - 100, height: 210, scale };
  const chr17: Panel = { id: 'chr17', x: 70, y: 372, width: WIDTH - 100, height: 220, scale };
  const t = titleLines(result);
  const body: string[] = [];
  body.push(`<text class="title" x="${genome.x}" y="30" font-size="20" font-weight="bold" fill="${t.colour}">${escapeXml(t.line)}</text>`);
  body.push(`<text class="subtitle" x="${genome.x}" y="52" font-size="12">${escapeXml(t.sub)}</text>`);
  body.push(
    `<text x="${genome.x}" y="72" font-size="11" fill="#333333">● ERBB2 probe   • other probe   ✕ excluded (PoN-flagged or no coverage)   ▲▼ beyond the axis   — — threshold   ··· rest of chr17   ── segment</text>`,
  );
  body.push(...genomePanel(result, genome));
  body.push(...chr17Panel(result, chr17));
  if (result.call === 'no_call') {
    body.push(
      `<g class="no-call-banner"><rect x="${genome.x}" y="${genome.y}" width="${genome.width}" height="${chr17.y + chr17.height - genome.y}" fill="#b00020" fill-opacity="0.07" stroke="#b00020" stroke-width="3"/>`,
      ...[genome, chr17].map(
        p => `<text x="${p.x + p.width / 2}" y="${n2(p.y + p.height / 2 + 16)}" text-anchor="middle" font-size="48" font-weight="bold" fill="#b00020" fill-opacity="0.35">NO CALL: QC FAILED</text>`,
      ),
      '</g>',
    );
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="${FONT}, Arial, sans-serif">`,
    `<title>${escapeXml(`${t.line}. ${t.sub}`)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
