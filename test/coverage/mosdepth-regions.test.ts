// Matching a mosdepth regions file's lines to the panel's probes (the file
// as input, made by mosdepth itself: mosdepth-regions.e2e.test.ts).
import { describe, expect, it } from 'vitest';
import { matchRegions, type Region } from '../../src/coverage/mosdepth-regions.js';

describe('matching regions to probes', () => {
  const probes = [
    { chrom: 'chr1', start: 100, end: 220, name: 'a', gene: 'A' },
    { chrom: 'chr17', start: 500, end: 620, name: 'b', gene: 'B' },
  ];
  const region = (chrom: string, start: number, end: number, mean: number): Region => ({ chrom, start, end, mean, line: '' });

  it('takes each probe\'s mean whatever the chromosome naming and line order; a duplicated line once', () => {
    expect(matchRegions('r', [region('17', 500, 620, 7.5), region('1', 100, 220, 3), region('1', 100, 220, 3)], probes, 'p')).toEqual([3, 7.5]);
  });

  it('refuses a region given twice with different depths, a missing probe and a foreign region', () => {
    expect(() => matchRegions('r', [region('chr1', 100, 220, 3), region('chr1', 100, 220, 4), region('chr17', 500, 620, 1)], probes, 'p')).toThrow(/r: the region chr1:100-220 appears twice with different depths/);
    expect(() => matchRegions('r', [region('chr1', 100, 220, 3)], probes, 'p')).toThrow(/1 of the 2 probes are missing \(first: chr17:500-620 b\)/);
    expect(() => matchRegions('r', [region('chr1', 100, 220, 3), region('chr17', 500, 620, 1), region('chr2', 1, 2, 0)], probes, 'p')).toThrow(/1 regions are not probes of the panel \(first: chr2:1-2\)/);
  });
});
