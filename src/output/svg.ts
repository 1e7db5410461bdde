// A small SVG vocabulary for her2cn's figures: escaping, and an x/y plot
// frame with axes, ticks and labels. Figures are built as strings, in a
// fixed order, so the same data give the same bytes.

/** Escapes XML/HTML markup; control characters XML cannot hold become U+FFFD. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g, '\uFFFD')
    .replace(/[<>&"']/g, c => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Numbers in SVG coordinates, to 2 decimals. */
export function n2(x: number): string {
  return (Math.round(x * 100) / 100).toString();
}

export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
  x: [number, number];
  y: [number, number];
}

export function sx(f: Frame, v: number): number {
  return f.left + ((v - f.x[0]) / (f.x[1] - f.x[0])) * (f.width - f.left - f.right);
}

export function sy(f: Frame, v: number): number {
  return f.height - f.bottom - ((v - f.y[0]) / (f.y[1] - f.y[0])) * (f.height - f.top - f.bottom);
}

/** Evenly spaced round tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  const raw = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map(m => m * magnitude).find(s => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.round(v / step) * step);
  return out;
}

/** Axes with ticks, grid and labels; returns SVG elements. */
export function axes(f: Frame, xLabel: string, yLabel: string): string[] {
  const out: string[] = [];
  const x0 = f.left;
  const x1 = f.width - f.right;
  const y0 = f.height - f.bottom;
  const y1 = f.top;
  for (const t of ticks(f.x[0], f.x[1])) {
    const x = sx(f, t);
    out.push(`<line x1="${n2(x)}" y1="${n2(y0)}" x2="${n2(x)}" y2="${n2(y1)}" stroke="#e4e4e4" stroke-width="1"/>`);
    out.push(`<text x="${n2(x)}" y="${n2(y0 + 16)}" text-anchor="middle" font-size="11">${n2(t)}</text>`);
  }
  for (const t of ticks(f.y[0], f.y[1])) {
    const y = sy(f, t);
    out.push(`<line x1="${n2(x0)}" y1="${n2(y)}" x2="${n2(x1)}" y2="${n2(y)}" stroke="#e4e4e4" stroke-width="1"/>`);
    out.push(`<text x="${n2(x0 - 6)}" y="${n2(y + 4)}" text-anchor="end" font-size="11">${n2(t)}</text>`);
  }
  out.push(`<rect x="${n2(x0)}" y="${n2(y1)}" width="${n2(x1 - x0)}" height="${n2(y0 - y1)}" fill="none" stroke="#333" stroke-width="1"/>`);
  out.push(`<text x="${n2((x0 + x1) / 2)}" y="${n2(f.height - 6)}" text-anchor="middle" font-size="12">${escapeXml(xLabel)}</text>`);
  out.push(`<text transform="translate(14 ${n2((y0 + y1) / 2)}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(yLabel)}</text>`);
  return out;
}

export function svgDocument(width: number, height: number, title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, Helvetica, sans-serif" role="img">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
  ].join('\n');
}
