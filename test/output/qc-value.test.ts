// The report's QC table never prints a value equal to its limit on the wrong
// side of it: a value that would round onto the limit is given more decimals.
import { describe, expect, it } from 'vitest';
import { qcValue } from '../../src/output/report.js';

describe('qcValue', () => {
  it('gives 2 decimals (1 for depth), as before, away from the limit', () => {
    expect(qcValue('mapd', 0.1834, 0.25)).toBe('0.18');
    expect(qcValue('median_depth', 212.46, 50)).toBe('212.5');
    expect(qcValue('erbb2_probes_used', 53, 10)).toBe('53');
    expect(qcValue('mapd', null, 0.25)).toBe('n/a');
  });

  it('adds decimals until a value reads on its own side of its limit', () => {
    expect(qcValue('mapd', 0.2546, 0.25)).toBe('0.255'); // fails: 0.25 would read as at the limit
    expect(qcValue('mapd', 0.2496, 0.25)).toBe('0.2496'); // passes just under it (0.250 would read as the limit too)
    expect(qcValue('median_depth', 49.96, 50)).toBe('49.96');
    expect(qcValue('mapd', 0.25, 0.25)).toBe('0.25'); // exactly the limit: passes a max, printed as it is
    // a limit set with more decimals than the table shows: 0.32 and 18.9 would read as passing
    expect(qcValue('mapd', 0.3207, 0.3204)).toBe('0.321');
    expect(qcValue('median_depth', 18.86, 18.87)).toBe('18.86');
    expect(qcValue('mapd', 0.2499996, 0.25)).toBe('0.250000'); // at most 6 decimals
  });
});
