// Partial amplicons and partial gains as segmentation sees them, on a
// synthetic 17q12 window whose probe log2 are drawn with a known noise: an
// internal run of exons at a known step is found at the step it has, and
// noise alone never makes one.
import { describe, expect, it } from 'vitest';
import { FOCAL_GAIN_LOG2 } from '../../src/call/assessment.js';
import { segmentedPartial, windowSegments } from '../../src/call/segments.js';
import { erbb2Region } from '../../src/normalize/probes.js';
import type { Probe } from '../../src/panel/panel.js';
import { Random } from '../../src/stats/random.js';

// Probe noise SD at clinical depth (MAPD about 0.13).
const SD = 0.1;

/** Two 6-probe neighbours and ERBB2's 53 probes, 250 bases apart, on chromosome 17. */
function window(): Probe[] {
  const probes: Probe[] = [];
  const gene = (name: string, start: number, n: number) => {
    for (let k = 0; k < n; k++) probes.push({ chrom: 'chr17', start: start + k * 250, end: start + k * 250 + 120, name: `${name}_p${k + 1}`, gene: name });
  };
  gene('LEFT', 39_600_000, 6);
  gene('ERBB2', 39_700_000, 53);
  gene('RIGHT', 39_800_000, 6);
  return probes;
}

/** Noise around 0, with ERBB2's probes `from` to `to` (1-based, inclusive) raised by `step`. */
function levels(probes: Probe[], seed: string, from: number, to: number, step: number): number[] {
  const rng = new Random(seed);
  return probes.map(p => {
    const k = p.gene === 'ERBB2' ? Number(p.name.split('_p')[1]) : 0;
    return rng.normal(0, SD) + (k >= from && k <= to ? step : 0);
  });
}

describe('segmentation of ERBB2', () => {
  const probes = window();
  const region = erbb2Region(probes)!;
  const split = (lfc: number[], minStep?: number) => segmentedPartial(probes, lfc, windowSegments(probes, lfc, region, SD), 1.3, minStep);

  it('finds exons at 8 copies in 28% tumour cells (+0.88) as a partial gain, not as a partial amplicon', () => {
    // Probes 14-26 of 53, as exons 8-16 of the simulator's internal amplicon.
    const lfc = levels(probes, 'internal gain', 14, 26, Math.log2((0.28 * 8 + 2 * 0.72) / 2));
    expect(split(lfc)).toBeUndefined();
    const gain = split(lfc, FOCAL_GAIN_LOG2)!;
    expect(gain).toBeDefined();
    expect([gain.first, gain.last]).toEqual(['ERBB2_p14', 'ERBB2_p26']);
    expect(gain.otherProbes).toHaveLength(40);
  });

  it('finds a two-fold step as a partial amplicon', () => {
    const lfc = levels(probes, 'internal amplicon', 14, 26, 1.6);
    const part = split(lfc)!;
    expect([part.first, part.last]).toEqual(['ERBB2_p14', 'ERBB2_p26']);
  });

  it('finds neither in noise alone', () => {
    for (let s = 0; s < 20; s++) expect(split(levels(probes, `noise ${s}`, 0, -1, 0), FOCAL_GAIN_LOG2), `seed ${s}`).toBeUndefined();
  });
});
