// The cohort plot (cohort.plot.svg): every sample's bulk ERBB2 log2 with its
// 95% interval, sorted by level, against the threshold used; each mark says
// the sample's assessment (what a pathologist acts on), the subtitle counts
// both the assessments and the bulk calls. Samples without a level are not
// placed on the scale: no-calls (grey open squares) and failed samples (red
// crosses) stand apart at the right, in a strip of their own under the log2
// axis, so no mark of theirs reads as a level. Colours and marks follow the
// probe plot (Okabe-Ito orange for amplified, blue for not amplified, purple
// and dashed for indeterminate; shape as well as colour tells them apart).
import { fixed } from '../stats/round.js';
import { escapeXml, n2, ticks } from './svg.js';

const AMPLIFIED = '#d55e00';
const NOT_AMPLIFIED = '#0072b2';
const INDETERMINATE = '#8e3a73';
const NO_CALL = '#7a7a7a';
const FAILED = '#b00020';
const FONT = 'DejaVu Sans';

export interface CohortPoint {
  sample: string;
  /** The bulk call; 'error' for a sample that produced no result. */
  call: 'amplified' | 'not_amplified' | 'no_call' | 'error';
  /** The assessment's status; null for a sample that produced no result. */
  assessment: 'amplified' | 'not_amplified' | 'indeterminate' | 'no_call' | null;
  log2: number | null;
  ci95: [number, number] | null;
}

/** Plot order: samples with a level from lowest to highest (ties in table order), then no-calls, then failed samples, each in table order. */
export function cohortOrder(points: CohortPoint[]): number[] {
  const idx = points.map((_, i) => i);
  const assessed = idx.filter(i => hasLevel(points[i])).sort((a, b) => points[a].log2! - points[b].log2! || a - b);
  const noCall = idx.filter(i => !hasLevel(points[i]) && points[i].call !== 'error');
  const failed = idx.filter(i => points[i].call === 'error');
  return [...assessed, ...noCall, ...failed];
}

/** A level is drawn only for a call that stands: a no-call's number must not look like a result. */
function hasLevel(p: CohortPoint): boolean {
  return (p.call === 'amplified' || p.call === 'not_amplified') && p.log2 !== null;
}

// Long by design: one SVG template, read top to bottom as the picture is drawn.
export function cohortPlotSvg(points: CohortPoint[], threshold: number): string {
  const order = cohortOrder(points);
  // a slot per sample, narrower for large cohorts so the figure stays a few thousand pixels wide; names only where they fit
  const slot = Math.max(6, Math.min(28, 3800 / Math.max(1, points.length)));
  const labelled = slot >= 10;
  const left = 70;
  const right = 30;
  const plotTop = 112;
  const plotHeight = 300;
  const width = Math.max(760, left + right + points.length * slot);
  const label = (name: string) => (name.length > 24 ? name.slice(0, 23) + '…' : name);
  // room for the longest name, written at 60 degrees under the axis
  const labelRoom = labelled ? Math.ceil(14 + 5.6 * Math.max(3, ...points.map(p => label(p.sample).length)) * 0.87) : 10;
  // the strip of samples without a level, below the log2 panel and apart from it
  const assessed = points.filter(hasLevel).length;
  const withoutLevel = assessed < points.length;
  const stripTop = plotTop + plotHeight + 8;
  const stripHeight = 26;
  const below = withoutLevel ? stripTop + stripHeight : plotTop + plotHeight;
  const height = below + labelRoom + 28;
  const plotWidth = width - left - right;
  const step = plotWidth / Math.max(1, points.length);
  const xOf = (rank: number) => left + (rank + 0.5) * step;

  // y range as in the probe plot: at least -2.5 to 3.5 and the threshold + 1, stretched to the levels and intervals up to -5 and 6
  let hi = Math.max(3.5, threshold + 1);
  let lo = Math.min(-2.5, threshold - 0.5);
  for (const p of points) {
    if (!hasLevel(p)) continue;
    for (const v of [p.log2!, ...(p.ci95 ?? [])]) {
      if (v <= 6 && v > hi) hi = v;
      if (v >= -5 && v < lo) lo = v;
    }
  }
  const top = Math.ceil(hi * 2) / 2;
  const bottom = Math.floor(lo * 2) / 2;
  const yOf = (v: number) => plotTop + ((top - v) / (top - bottom)) * plotHeight;
  const clampY = (v: number) => Math.min(plotTop + plotHeight, Math.max(plotTop, yOf(v)));

  const cohort = `ERBB2 across ${points.length} sample${points.length === 1 ? '' : 's'}`;
  const counted = (category: (p: CohortPoint) => string | null, order: string[]) =>
    order.map(c => `${points.filter(p => category(p) === c).length} ${c.replace('_', ' ')}`).join(', ');
  const failed = points.filter(p => p.call === 'error').length;
  const assessments = `assessment: ${counted(p => p.assessment, ['amplified', 'indeterminate', 'not_amplified', 'no_call'])}, ${failed} failed`;
  const bulk = `bulk call: ${counted(p => p.call, ['amplified', 'not_amplified'])}`;
  const body: string[] = [];
  body.push(`<text class="title" x="${left}" y="30" font-size="20" font-weight="bold">${escapeXml(cohort)}</text>`);
  // Two lines, so neither is cut at the figure's narrowest width.
  body.push(`<text class="subtitle" x="${left}" y="52" font-size="12">${escapeXml(assessments)}</text>`);
  body.push(`<text class="subtitle" x="${left}" y="68" font-size="12">${escapeXml(`${bulk}, at log2 ≥ ${threshold}; bulk log2 ratio with 95% interval, sorted`)}</text>`);
  body.push(
    `<text x="${left}" y="88" font-size="11" fill="#333333">assessed <tspan fill="${AMPLIFIED}">● amplified</tspan>   <tspan fill="${INDETERMINATE}">○ indeterminate</tspan>   <tspan fill="${NOT_AMPLIFIED}">◆ not amplified</tspan>   | bulk log2, 95% interval   <tspan fill="${NO_CALL}">□ no call</tspan>   <tspan fill="${FAILED}">✕ failed</tspan>   ▲▼ beyond the axis</text>`,
  );

  body.push(`<g class="panel" id="cohort" data-top="${top}" data-bottom="${bottom}" data-y="${plotTop}" data-height="${plotHeight}">`);
  body.push(`<rect x="${left}" y="${plotTop}" width="${n2(plotWidth)}" height="${plotHeight}" fill="#ffffff" stroke="#333333"/>`);
  if (withoutLevel) {
    body.push(`<rect class="no-level" x="${left}" y="${stripTop}" width="${n2(plotWidth)}" height="${stripHeight}" fill="#efefef" stroke="#333333"/>`);
    body.push(`<text x="${left - 7}" y="${stripTop + stripHeight / 2 + 4}" text-anchor="end" font-size="11">no level</text>`);
    // the strip's words where the samples with a level leave it empty
    if (assessed * step >= 300) body.push(`<text x="${left + 6}" y="${stripTop + stripHeight / 2 + 4}" font-size="11" fill="#333333">no call (QC failed) or failed: not on the log2 scale</text>`);
  }
  for (const t of ticks(bottom, top, 6)) {
    const y = n2(yOf(t));
    body.push(`<line x1="${left - 4}" y1="${y}" x2="${left}" y2="${y}" stroke="#333333"/>`);
    body.push(`<text x="${left - 7}" y="${n2(yOf(t) + 4)}" text-anchor="end" font-size="11">${n2(t)}</text>`);
  }
  body.push(`<text transform="translate(${left - 38} ${n2(plotTop + plotHeight / 2)}) rotate(-90)" text-anchor="middle" font-size="12">ERBB2 log2 ratio (bulk)</text>`);
  body.push(`<line class="zero" data-value="0" x1="${left}" y1="${n2(yOf(0))}" x2="${n2(left + plotWidth)}" y2="${n2(yOf(0))}" stroke="#555555" stroke-width="1"/>`);
  const ty = clampY(threshold);
  body.push(`<line class="threshold" data-value="${threshold}" x1="${left}" y1="${n2(ty)}" x2="${n2(left + plotWidth)}" y2="${n2(ty)}" stroke="#000000" stroke-width="1.2" stroke-dasharray="6 4"/>`);
  body.push(`<text x="${left + 6}" y="${n2(ty - 4 < plotTop + 10 ? ty + 12 : ty - 4)}" font-size="11">${escapeXml(`threshold ${threshold}`)}</text>`);

  order.forEach((i, rank) => {
    const p = points[i];
    const x = xOf(rank);
    const level = hasLevel(p)
      ? `assessed ${p.assessment!.replace('_', ' ')}; bulk call ${p.call.replace('_', ' ')}, log2 ${fixed(p.log2!, 2)}${p.ci95 ? ` (95% CI ${fixed(p.ci95[0], 2)} to ${fixed(p.ci95[1], 2)})` : ''}`
      : p.call === 'no_call'
        ? 'no call (QC failed)'
        : 'failed: no result';
    const title = `<title>${escapeXml(`${p.sample}: ${level}`)}</title>`;
    // The class is what the mark shows (the assessment, or error), data-call the bulk call.
    const shown = p.call === 'error' ? 'error' : p.assessment ?? p.call;
    const attrs = `class="sample ${shown}" data-sample="${escapeXml(p.sample)}" data-rank="${rank}"${p.log2 !== null && hasLevel(p) ? ` data-log2="${p.log2}"` : ''} data-call="${p.call}"`;
    if (hasLevel(p)) {
      const colour = shown === 'amplified' ? AMPLIFIED : shown === 'indeterminate' ? INDETERMINATE : NOT_AMPLIFIED;
      const dashed = shown === 'indeterminate' ? ' stroke-dasharray="3 2"' : '';
      const parts: string[] = [];
      if (p.ci95) {
        const y0 = n2(clampY(p.ci95[0]));
        const y1 = n2(clampY(p.ci95[1]));
        parts.push(`<path class="ci" d="M${n2(x)} ${y0}L${n2(x)} ${y1}M${n2(x - 4)} ${y0}L${n2(x + 4)} ${y0}M${n2(x - 4)} ${y1}L${n2(x + 4)} ${y1}" stroke="${colour}" stroke-width="1.5" fill="none"${dashed}/>`);
      }
      const v = p.log2!;
      if (v > top || v < bottom) {
        const up = v > top;
        const y = up ? plotTop + 1 : plotTop + plotHeight - 1;
        parts.push(`<path class="clamped" d="${up ? `M${n2(x)} ${y}L${n2(x - 5)} ${y + 9}L${n2(x + 5)} ${y + 9}Z` : `M${n2(x)} ${y}L${n2(x - 5)} ${y - 9}L${n2(x + 5)} ${y - 9}Z`}" fill="${colour}"/>`);
      } else if (shown === 'amplified') {
        parts.push(`<circle cx="${n2(x)}" cy="${n2(yOf(v))}" r="5" fill="${colour}" stroke="#7a2e00" stroke-width="0.6"/>`);
      } else if (shown === 'indeterminate') {
        parts.push(`<circle cx="${n2(x)}" cy="${n2(yOf(v))}" r="4.5" fill="#ffffff" stroke="${colour}" stroke-width="2"/>`);
      } else {
        const y = yOf(v);
        parts.push(`<path d="M${n2(x)} ${n2(y - 5.5)}L${n2(x + 5.5)} ${n2(y)}L${n2(x)} ${n2(y + 5.5)}L${n2(x - 5.5)} ${n2(y)}Z" fill="${colour}"/>`);
      }
      body.push(`<g ${attrs}>${title}${parts.join('')}</g>`);
    } else if (p.call === 'no_call') {
      const y = stripTop + stripHeight / 2;
      body.push(`<g ${attrs}>${title}<rect x="${n2(x - 5)}" y="${n2(y - 5)}" width="10" height="10" fill="none" stroke="${NO_CALL}" stroke-width="1.8"/></g>`);
    } else {
      const y = stripTop + stripHeight / 2;
      body.push(`<g ${attrs}>${title}<path d="M${n2(x - 5)} ${n2(y - 5)}L${n2(x + 5)} ${n2(y + 5)}M${n2(x - 5)} ${n2(y + 5)}L${n2(x + 5)} ${n2(y - 5)}" stroke="${FAILED}" stroke-width="2.2"/></g>`);
    }
    const colour = { amplified: AMPLIFIED, indeterminate: INDETERMINATE, not_amplified: NOT_AMPLIFIED, no_call: NO_CALL, error: FAILED }[shown];
    if (labelled) body.push(`<text class="sample-label" transform="translate(${n2(x - 3)} ${below + 8}) rotate(60)" font-size="10" fill="${colour}">${escapeXml(label(p.sample))}</text>`);
  });
  body.push('</g>');
  body.push(
    `<text x="${n2(left + plotWidth / 2)}" y="${height - 8}" text-anchor="middle" font-size="12">${labelled ? 'samples' : `${points.length} samples (names in cohort.tsv)`}, sorted by ERBB2 log2; samples without a level at the right</text>`,
  );

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n2(width)}" height="${height}" viewBox="0 0 ${n2(width)} ${height}" font-family="${FONT}, Arial, sans-serif">`,
    `<title>${escapeXml(`${cohort}: ${assessments}; ${bulk}`)}</title>`,
    `<rect width="${n2(width)}" height="${height}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
