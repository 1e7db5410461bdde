// Validation figures: the ROC curve of NGS log2 against FISH, and NGS log2
// against the FISH HER2/CEP17 ratio. Colours are blue/orange (readable with
// colour-blindness) and positives are also drawn as filled marks, negatives
// as open ones, so the figures survive greyscale printing.
import { DEFAULT_THRESHOLD } from '../call/call.js';
import { axes, escapeXml, type Frame, n2, svgDocument, sx, sy } from '../output/svg.js';
import type { ValidationReport } from './concordance.js';

const POSITIVE = '#d55e00';
const NEGATIVE = '#0072b2';

export function rocSvg(report: ValidationReport): string | undefined {
  const roc = report.thresholds.roc;
  if (!roc) return undefined;
  const f: Frame = { width: 360, height: 340, left: 52, right: 16, top: 28, bottom: 44, x: [0, 1], y: [0, 1] };
  const body = axes(f, '1 - specificity (false-positive rate)', 'sensitivity');
  body.push(`<line x1="${n2(sx(f, 0))}" y1="${n2(sy(f, 0))}" x2="${n2(sx(f, 1))}" y2="${n2(sy(f, 1))}" stroke="#999" stroke-dasharray="4 3"/>`);
  const path = roc.points.map((p, i) => `${i ? 'L' : 'M'}${n2(sx(f, p.fpr))} ${n2(sy(f, p.tpr))}`).join(' ');
  body.push(`<path d="${path}" fill="none" stroke="${POSITIVE}" stroke-width="2"/>`);
  for (const p of roc.points) body.push(`<circle cx="${n2(sx(f, p.fpr))}" cy="${n2(sy(f, p.tpr))}" r="2.5" fill="${POSITIVE}"/>`);
  body.push(`<text x="${n2(f.left)}" y="18" font-size="13" font-weight="bold">ROC of NGS log2 against FISH: AUC ${roc.auc.toFixed(3)} (n = ${report.thresholds.n})</text>`);
  return svgDocument(f.width, f.height, `ROC curve, AUC ${roc.auc.toFixed(3)}`, body);
}

/** Stands in for the ROC when there is none, saying why. */
export function noRocSvg(): string {
  return svgDocument(360, 80, 'no ROC curve', [
    '<text x="12" y="44" font-size="13">No ROC: it needs FISH-positive and FISH-negative samples with a QC-passing log2.</text>',
  ]);
}

export function ratioScatterSvg(report: ValidationReport, threshold: number | null): string | undefined {
  const points = report.samples.filter(s => s.log2 !== null && s.ratio !== null && s.call !== 'no_call');
  if (points.length === 0) return undefined;
  const xs = points.map(p => p.ratio!);
  const ys = points.map(p => p.log2!);
  const f: Frame = {
    width: 420,
    height: 340,
    left: 52,
    right: 16,
    top: 28,
    bottom: 44,
    x: [0, Math.max(2.5, ...xs) * 1.05],
    y: [Math.min(-0.5, ...ys) - 0.1, Math.max((threshold ?? DEFAULT_THRESHOLD) + 0.5, ...ys) + 0.1],
  };
  const body = axes(f, 'FISH HER2/CEP17 ratio', 'NGS ERBB2 log2 ratio');
  if (threshold !== null) {
    body.push(`<line x1="${n2(sx(f, f.x[0]))}" y1="${n2(sy(f, threshold))}" x2="${n2(sx(f, f.x[1]))}" y2="${n2(sy(f, threshold))}" stroke="#000" stroke-dasharray="6 3"/>`);
    body.push(`<text x="${n2(sx(f, f.x[1]) - 4)}" y="${n2(sy(f, threshold) - 4)}" text-anchor="end" font-size="10">log2 ${threshold}</text>`);
  }
  body.push(`<line x1="${n2(sx(f, 2))}" y1="${n2(sy(f, f.y[0]))}" x2="${n2(sx(f, 2))}" y2="${n2(sy(f, f.y[1]))}" stroke="#000" stroke-dasharray="2 3"/>`);
  body.push(`<text x="${n2(sx(f, 2) + 4)}" y="${n2(f.top + 12)}" font-size="10">ratio 2.0</text>`);
  for (const p of points) {
    const positive = p.fish === 'positive';
    body.push(
      `<circle cx="${n2(sx(f, p.ratio!))}" cy="${n2(sy(f, p.log2!))}" r="4" fill="${positive ? POSITIVE : '#ffffff'}" stroke="${positive ? POSITIVE : NEGATIVE}" stroke-width="1.5"><title>${escapeXml(`${p.sample}: ratio ${p.ratio}, log2 ${p.log2}, FISH ${p.fish ?? 'unknown'}`)}</title></circle>`,
    );
  }
  const r = report.agreement.fish_ratio;
  body.push(`<text x="${n2(f.left)}" y="18" font-size="13" font-weight="bold">NGS log2 vs FISH ratio (Spearman ${r.spearman ?? 'n/a'}, n = ${r.n})</text>`);
  return svgDocument(f.width, f.height, 'NGS log2 against FISH ratio', body);
}

/**
 * FISH positivity by IHC group as the study's Figure 1 draws it, one group
 * of bars per IHC group: FISH positive (filled) and NGS amplified (open)
 * with their exact 95% intervals as whiskers, and the study's FISH
 * positivity as a black tick, so a lab's series reads against the study's.
 */
export function ihcGroupsSvg(report: ValidationReport): string {
  const groups = report.ihc_breakdown;
  const f: Frame = { width: 620, height: 340, left: 52, right: 16, top: 52, bottom: 62, x: [0, groups.length], y: [0, 100] };
  const body: string[] = [];
  const y0 = sy(f, 0);
  for (const t of [0, 20, 40, 60, 80, 100]) {
    body.push(`<line x1="${n2(f.left)}" y1="${n2(sy(f, t))}" x2="${n2(f.width - f.right)}" y2="${n2(sy(f, t))}" stroke="#e4e4e4" stroke-width="1"/>`);
    body.push(`<text x="${n2(f.left - 6)}" y="${n2(sy(f, t) + 4)}" text-anchor="end" font-size="11">${t}</text>`);
  }
  const slot = sx(f, 1) - sx(f, 0);
  const barWidth = slot * 0.3;
  const bar = (x: number, rate: ValidationReport['ihc_breakdown'][number]['fish_positive_rate'], filled: boolean, colour: string, label: string) => {
    if (rate.value === null) {
      body.push(`<text x="${n2(x + barWidth / 2)}" y="${n2(y0 - 4)}" text-anchor="middle" font-size="9" fill="#666">n/a</text>`);
      return;
    }
    const top = sy(f, 100 * rate.value);
    body.push(
      `<rect x="${n2(x)}" y="${n2(top)}" width="${n2(barWidth)}" height="${n2(y0 - top)}" fill="${filled ? colour : '#ffffff'}" stroke="${colour}" stroke-width="1.5"><title>${escapeXml(label)}</title></rect>`,
    );
    const [lo, hi] = rate.ci95!;
    const mid = x + barWidth / 2;
    body.push(`<path d="M${n2(mid)} ${n2(sy(f, 100 * lo))} V${n2(sy(f, 100 * hi))} M${n2(mid - 4)} ${n2(sy(f, 100 * lo))} H${n2(mid + 4)} M${n2(mid - 4)} ${n2(sy(f, 100 * hi))} H${n2(mid + 4)}" stroke="#000" stroke-width="1" fill="none"/>`);
  };
  groups.forEach((g, i) => {
    const left = sx(f, i) + slot * 0.18;
    const fishLabel = `IHC ${g.ihc}: FISH positive ${g.fish_positive}/${g.fish_tested}`;
    bar(left, g.fish_positive_rate, true, POSITIVE, fishLabel);
    bar(left + barWidth + slot * 0.04, g.ngs_amplified_rate, false, NEGATIVE, `IHC ${g.ihc}: NGS amplified ${g.ngs_amplified}/${g.ngs_called}`);
    if (g.study_fish_positive_pct !== null) {
      const y = sy(f, g.study_fish_positive_pct);
      body.push(`<line x1="${n2(left - 3)}" y1="${n2(y)}" x2="${n2(left + barWidth + 3)}" y2="${n2(y)}" stroke="#000" stroke-width="2.5"><title>${escapeXml(`IHC ${g.ihc}: study ${g.study_fish_positive_pct}%`)}</title></line>`);
    }
    const centre = sx(f, i + 0.5);
    body.push(`<text x="${n2(centre)}" y="${n2(y0 + 16)}" text-anchor="middle" font-size="11">${escapeXml(g.ihc)}</text>`);
    body.push(`<text x="${n2(centre)}" y="${n2(y0 + 30)}" text-anchor="middle" font-size="10" fill="#444">n = ${g.n}</text>`);
  });
  body.push(`<rect x="${n2(f.left)}" y="${n2(f.top)}" width="${n2(f.width - f.left - f.right)}" height="${n2(y0 - f.top)}" fill="none" stroke="#333" stroke-width="1"/>`);
  body.push(`<text x="${n2((f.left + f.width - f.right) / 2)}" y="${n2(f.height - 8)}" text-anchor="middle" font-size="12">IHC group</text>`);
  body.push(`<text transform="translate(14 ${n2((f.top + y0) / 2)}) rotate(-90)" text-anchor="middle" font-size="12">% of samples (95% CI)</text>`);
  body.push(`<text x="${n2(f.left)}" y="18" font-size="13" font-weight="bold">FISH positivity by IHC group (n = ${groups.reduce((s, g) => s + g.n, 0)})</text>`);
  const legendY = 36;
  body.push(`<rect x="${n2(f.left)}" y="${legendY - 9}" width="12" height="10" fill="${POSITIVE}" stroke="${POSITIVE}"/>`);
  body.push(`<text x="${n2(f.left + 16)}" y="${legendY}" font-size="11">FISH positive</text>`);
  body.push(`<rect x="${n2(f.left + 110)}" y="${legendY - 9}" width="12" height="10" fill="#ffffff" stroke="${NEGATIVE}" stroke-width="1.5"/>`);
  body.push(`<text x="${n2(f.left + 126)}" y="${legendY}" font-size="11">NGS amplified (of assessed)</text>`);
  body.push(`<line x1="${n2(f.left + 290)}" y1="${legendY - 4}" x2="${n2(f.left + 304)}" y2="${legendY - 4}" stroke="#000" stroke-width="2.5"/>`);
  body.push(`<text x="${n2(f.left + 308)}" y="${legendY}" font-size="11">study (4,884 carcinomas)</text>`);
  return svgDocument(f.width, f.height, 'FISH positivity and NGS amplification by IHC group', body);
}
