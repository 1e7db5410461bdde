// PNG from the plot's SVG with resvg (a prebuilt renderer inside its npm
// package) and DejaVu fonts only, never the machine's fonts, so every machine
// renders the same pixels. resvg reads a font's tables again for every text
// element, so a plot whose characters all lie in SUBSET_RANGES is rendered
// with DejaVu cut down to those characters (fonts/, the same glyphs: the same
// PNG bytes in half the time); any other plot with the full fonts of the
// dejavu-fonts-ttf package.
import { type RenderedImage, renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const fullFonts = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
// Beside this module: src/output/fonts, copied to dist/output/fonts by the build.
const subsetFonts = fileURLToPath(new URL('./fonts', import.meta.url));
const haveSubset = existsSync(join(subsetFonts, 'DejaVuSans.ttf')) && existsSync(join(subsetFonts, 'DejaVuSans-Bold.ttf'));

/** The code points the fonts in src/output/fonts keep (their README gives the command that made them). */
export const SUBSET_RANGES: [number, number][] = [
  [0x20, 0x7e],
  [0xa0, 0x17f],
  [0x391, 0x3a1],
  [0x3a3, 0x3c9],
  [0x2000, 0x206f],
  [0x2190, 0x2193],
  [0x2212, 0x2212],
  [0x2248, 0x2248],
  [0x2260, 0x2260],
  [0x2264, 0x2265],
  [0x25a0, 0x25ff],
  [0x2713, 0x2717],
];

const hex = (c: number) => `\\u{${c.toString(16)}}`;
// Any character outside the ranges (tabs and line breaks aside): one regular-expression scan of the SVG.
const OUTSIDE = new RegExp(`[^\\t\\n\\r${SUBSET_RANGES.map(([lo, hi]) => `${hex(lo)}-${hex(hi)}`).join('')}]`, 'u');

/** Whether every character of `text` (tabs and line breaks aside) is one the cut-down fonts keep. */
export function inSubset(text: string): boolean {
  return !OUTSIDE.test(text);
}

/** resvg's options for an SVG: the cut-down fonts when they hold all its characters, else the full ones. */
export function renderOptions(svg: string, fonts: 'auto' | 'full' | 'subset' = 'auto'): ResvgRenderOptions {
  const dir = fonts === 'full' || (fonts === 'auto' && !(haveSubset && inSubset(svg))) ? fullFonts : subsetFonts;
  return {
    font: {
      loadSystemFonts: false,
      fontFiles: [join(dir, 'DejaVuSans.ttf'), join(dir, 'DejaVuSans-Bold.ttf')],
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
    background: '#ffffff',
    fitTo: { mode: 'zoom', value: 1.5 },
  };
}

/**
 * Starts rendering on a thread of libuv's pool, so the caller formats the
 * other files meanwhile; the PNG is encoded when awaited.
 */
export function svgToPng(svg: string): Promise<Uint8Array> {
  return renderAsync(svg, renderOptions(svg)).then((image: RenderedImage) => image.asPng());
}
