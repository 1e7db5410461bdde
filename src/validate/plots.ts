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
