// The plot's PNG: the cut-down fonts render every character they keep exactly
// as the full DejaVu fonts do, so choosing them never changes a pixel; a plot
// with any other character is rendered with the full fonts.
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { inSubset, renderOptions, SUBSET_RANGES, svgToPng } from '../../src/output/png.js';

const pixels = (svg: string, fonts: 'full' | 'subset') => Buffer.from(new Resvg(svg, renderOptions(svg, fonts)).render().pixels);

/** Every kept character, 40 to a line, in the plot's regular and bold text. */
function allKept(): string {
  const chars: string[] = [];
  for (const [lo, hi] of SUBSET_RANGES) for (let c = lo; c <= hi; c++) chars.push(String.fromCodePoint(c));
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const lines: string[] = [];
  for (let i = 0; i < chars.length; i += 40) lines.push(escape(chars.slice(i, i + 40).join('')));
  const text = lines
    .map((l, k) => `<text x="4" y="${14 + 15 * k}" font-size="11"${k % 2 ? ' font-weight="bold"' : ''}>${l}</text>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="${20 + 15 * lines.length}" font-family="DejaVu Sans, Arial, sans-serif">${text}</svg>`;
}

describe('PNG fonts', () => {
  it('render every kept character as the full fonts do, pixel for pixel', () => {
    const svg = allKept();
    expect(inSubset(svg)).toBe(true);
    expect(pixels(svg, 'subset').equals(pixels(svg, 'full'))).toBe(true);
  });

  it('leave a plot with another character (a sample name in Hebrew) to the full fonts', async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="30" font-family="DejaVu Sans"><text x="4" y="20" font-size="14">דגימה 17 ≥ 1.3</text></svg>`;
    expect(inSubset(svg)).toBe(false);
    const png = Buffer.from(await svgToPng(svg));
    expect(png.equals(Buffer.from(new Resvg(svg, renderOptions(svg, 'full')).render().asPng()))).toBe(true);
    // The cut-down fonts lack those letters: the full fonts draw what they would not.
    expect(pixels(svg, 'subset').equals(pixels(svg, 'full'))).toBe(false);
  });
});
