// PNG from the plot's SVG with resvg (a prebuilt renderer inside its npm
// package) and the DejaVu fonts of the dejavu-fonts-ttf package only, never
// the machine's fonts, so every machine renders the same pixels.
import { Resvg } from '@resvg/resvg-js';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const fontDir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');

export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    font: {
      loadSystemFonts: false,
      fontFiles: [join(fontDir, 'DejaVuSans.ttf'), join(fontDir, 'DejaVuSans-Bold.ttf')],
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
    background: '#ffffff',
    fitTo: { mode: 'zoom', value: 1.5 },
  });
  return resvg.render().asPng();
}
