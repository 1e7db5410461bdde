// The tumour-cell copy number from a log2 ratio and purity (the call
// applies it: call-cli.e2e.test.ts).
import { describe, expect, it } from 'vitest';
import { tumourCopyNumber } from '../../src/call/assessment.js';

describe('tumour-cell copy number', () => {
  it('follows the primer\'s formula: log2 1.3 is 7.85 copies at 50% purity and 16.6 at 20%', () => {
    // R = 2^1.3 = 2.4623; (2R - 1) / 0.5 = 7.849; (2R - 1.6) / 0.2 = 16.623
    expect(tumourCopyNumber(1.3, 0.5)).toBeCloseTo(7.849, 2);
    expect(tumourCopyNumber(1.3, 0.2)).toBeCloseTo(16.623, 2);
    expect(tumourCopyNumber(0, 1)).toBeCloseTo(2, 9);
  });
});
