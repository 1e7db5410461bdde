// The panel of normals' stages on small inputs worked out by hand.
import { describe, expect, it } from 'vitest';
import { normalRecords } from '../../src/pon/judge.js';
import { normalLevels, probeMedians } from '../../src/pon/levels.js';
import { probeReference } from '../../src/pon/reference.js';
import type { Probe } from '../../src/panel/panel.js';
import { Random } from '../../src/stats/random.js';

const probe = (chrom: string, start: number, gene: string): Probe => ({ chrom, start, end: start + 120, name: `${gene}_${start}`, gene });

describe('panel of normals stages', () => {
  it('takes probe medians over the finite values only', () => {
    expect(probeMedians([[1, NaN, 3], [3, NaN, 5], [2, 7, NaN]], 3)).toEqual([2, 7, 4]);
  });

  it('puts a male normal\'s chrX on the two-copy scale', () => {
    const probes = [...Array.from({ length: 20 }, (_, i) => probe(`chr${1 + (i % 5)}`, 1_000_000 * (i + 1), `g${i}`)), ...Array.from({ length: 6 }, (_, i) => probe('chrX', 10_000_000 * (i + 1), 'x'))];
    // 100x on autosomes, 50x on chrX: one X, so raised by 1 to the two-copy scale.
    const [male] = normalLevels([probes.map(p => (p.chrom === 'chrX' ? 50 : 100))], probes);
    expect(male.sex.sex).toBe('male');
    probes.forEach((_, i) => expect(male.values[i]).toBeCloseTo(0, 9));
  });

  it('flags probes no normal covers, poorly captured probes and noisy probes, and weighs the rest by inverse variance', () => {
    const rng = new Random('pon reference');
    const probes = Array.from({ length: 30 }, (_, i) => probe('chr1', 1000 * i, `g${i}`));
    const used = Array.from({ length: 8 }, () => probes.map(() => rng.normal(0, 0.1)));
    for (const u of used) {
      u[0] = NaN; // no coverage
      u[1] = -4 + rng.normal(0, 0.1); // 1/16 of the typical probe
      u[2] = rng.normal(0, 1); // ten times the typical spread
    }
    const ref = probeReference(used, probes, 0);
    expect(ref.flags[0]).toEqual(['no_coverage']);
    expect(ref.flags[1]).toEqual(['low_coverage']);
    expect(ref.flags[2]).toEqual(['noisy']);
    expect(ref.weight.slice(0, 3)).toEqual([0, 0, 0]);
    expect(ref.typicalSpread).toBeGreaterThan(0.06);
    expect(ref.typicalSpread).toBeLessThan(0.14);
    // weights are normalized to a median of 1
    const w = ref.weight.filter(x => x > 0).sort((a, b) => a - b);
    expect(w[Math.floor(w.length / 2)]).toBeCloseTo(1, 1);
  });

  it('leaves out a normal three times noisier than the others, saying why', () => {
    const rng = new Random('pon judge');
    const probes = Array.from({ length: 60 }, (_, i) => probe(`chr${1 + (i % 6)}`, 1_000_000 * (i + 1), `g${i}`));
    const levels = Array.from({ length: 6 }, (_, s) => ({ values: probes.map(() => rng.normal(0, s === 5 ? 0.3 : 0.1)), sex: { sex: 'female' as const, xLog2: null, yLog2: null } }));
    const normals = levels.map((_, s) => ({ name: `N${s}`, bam: `N${s}.bam`, build: 'GRCh38', depths: probes.map(() => 100), medianInsert: 200 }));
    const records = normalRecords(normals, levels, probes, 2);
    expect(records.map(r => r.used)).toEqual([true, true, true, true, true, false]);
    expect(records[5].reason).toMatch(/^noisy: robust SD of log2 against the other normals/);
  });
});
